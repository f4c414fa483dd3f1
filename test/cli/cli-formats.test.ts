import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { targetSampleRate } from '../../src/cli/audio-source.js';
import { whiteNoise } from '../support/signals.js';
import { encodeMp3, encodeOpus, encodeVorbis, writeEncoded, writeFlac } from './encoders.js';
import { alignedSnr, readAudio, readWav, runCli, runCliBytes, temporaryFolder, writeWav } from './support.js';

const folder = temporaryFolder();

/** A seeded test signal: two tones and a little noise, on the 16-bit grid, ~0.45 peak. */
function testSignal(sampleRate: number, length: number): Float32Array {
  const noise = whiteNoise(length, 7, 0.02);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const t = i / sampleRate;
    out[i] = Math.round((0.25 * Math.sin(2 * Math.PI * 220 * t) + 0.15 * Math.sin(2 * Math.PI * 1250 * t) + noise[i]) * 32768) / 32768;
  }
  return out;
}

/** An AIFF (big-endian 16-bit) or AIFF-C 'sowt' (little-endian 16-bit) file of mono samples on the 16-bit grid. */
function aiff(samples: Float32Array, sampleRate: number, sowt: boolean): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    const value = Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32768)));
    if (sowt) data.writeInt16LE(value, 2 * i);
    else data.writeInt16BE(value, 2 * i);
  }
  const comm = Buffer.alloc(sowt ? 24 : 18);
  comm.writeUInt16BE(1, 0);
  comm.writeUInt32BE(samples.length, 2);
  comm.writeUInt16BE(16, 6);
  // The rate as an 80-bit extended float: 2^exponent * mantissa with the integer bit explicit.
  const exponent = Math.floor(Math.log2(sampleRate));
  comm.writeUInt16BE(16383 + exponent, 8);
  comm.writeUInt32BE(Math.round(sampleRate * 2 ** (31 - exponent)) >>> 0, 10);
  if (sowt) comm.write('sowt\0\0', 18, 'latin1');
  const chunk = (id: string, body: Buffer): Buffer => {
    const header = Buffer.alloc(8);
    header.write(id, 0, 'latin1');
    header.writeUInt32BE(body.length, 4);
    return Buffer.concat([header, body, Buffer.alloc(body.length & 1)]);
  };
  const ssnd = chunk('SSND', Buffer.concat([Buffer.alloc(8), data]));
  const form = Buffer.concat([Buffer.from(sowt ? 'AIFC' : 'AIFF', 'latin1'), chunk('COMM', comm), ssnd]);
  const header = Buffer.alloc(8);
  header.write('FORM', 0, 'latin1');
  header.writeUInt32BE(form.length, 4);
  return Buffer.concat([header, form]);
}

/** --width 0 and no ceiling: both channels are the decoded input. */
const TRANSPARENT = ['--width', '0', '--no-model', '--ceiling', 'off', '--format', 'float32', '--quiet'];

const lossy = [
  { name: 'MP3', ext: 'mp3', rate: 44_100, encode: encodeMp3, minSnrDb: 15, maxExtra: 2 * 1152 + 1200 },
  { name: 'Ogg Vorbis', ext: 'ogg', rate: 44_100, encode: encodeVorbis, minSnrDb: 15, maxExtra: 2048 },
  { name: 'Ogg Opus', ext: 'opus', rate: 48_000, encode: encodeOpus, minSnrDb: 10, maxExtra: 4800 },
];

for (const { name, ext, rate, encode, minSnrDb, maxExtra } of lossy) {
  test(`CLI reads ${name}: --width 0 gives the decoded input back in both channels, at its rate and length`, async () => {
    const input = testSignal(rate, rate);
    const inPath = join(folder, `tone.${ext}`);
    const outPath = join(folder, `tone-${ext}.wav`);
    await writeEncoded(inPath, encode([input], rate));
    const run = runCli([inPath, outPath, ...TRANSPARENT]);
    assert.equal(run.status, 0, run.stderr);
    const output = await readWav(outPath);
    assert.equal(output.sampleRate, rate);
    assert.equal(output.encoding, 'float32');
    const [left, right] = output.channels;
    assert.deepEqual(left, right);
    assert.ok(Math.abs(left.length - input.length) <= maxExtra, `${left.length} frames for ${input.length}`);
    const { snrDb, lag } = alignedSnr(input, left, 3000);
    assert.ok(snrDb > minSnrDb, `SNR ${snrDb.toFixed(1)} dB at a shift of ${lag}`);
  });
}

test('CLI reads FLAC exactly (16 and 24 bits, mono and stereo), and writes FLAC (by the name or --format flac)', async () => {
  const rate = 44_100;
  const input = testSignal(rate, rate + 333);
  const other = whiteNoise(rate + 333, 11, 0.3).map((v) => Math.round(v * 32768) / 32768);
  for (const [channels, encoding] of [[[input], 'pcm16'], [[input, other], 'pcm24']] as const) {
    const inPath = join(folder, `in-${channels.length}-${encoding}.flac`);
    await writeFlac(inPath, [...channels], rate, encoding);
    const outPath = join(folder, `out-${channels.length}-${encoding}.wav`);
    const run = runCli([inPath, outPath, ...TRANSPARENT]);
    assert.equal(run.status, 0, run.stderr);
    const [left, right] = (await readWav(outPath)).channels;
    assert.equal(left.length, input.length);
    // The mono sum is the input's mid, (L+R)/2 of a stereo input.
    const mid = channels.length === 2 ? input.map((v, i) => (v + other[i]) / 2) : input;
    let worst = 0;
    for (let i = 0; i < input.length; i++) worst = Math.max(worst, Math.abs((left[i] + right[i]) / 2 - mid[i]));
    assert.ok(worst < 1e-6, `max error ${worst}`);
  }
  // FLAC out: the same samples as a 16-bit WAV out.
  const wavIn = join(folder, 'for-flac.wav');
  await writeWav(wavIn, [input], rate, 'pcm16');
  const asWav = join(folder, 'upmixed.wav');
  const asFlac = join(folder, 'upmixed.flac');
  const asFlacByFlag = join(folder, 'upmixed-flag.out');
  for (const args of [[wavIn, asWav], [wavIn, asFlac], [wavIn, asFlacByFlag, '--format', 'flac']]) {
    const run = runCli([...args, '--no-model']);
    assert.equal(run.status, 0, run.stderr);
  }
  assert.equal(readFileSync(asFlac).subarray(0, 4).toString('latin1'), 'fLaC');
  assert.equal(readFileSync(asFlacByFlag).subarray(0, 4).toString('latin1'), 'fLaC');
  const wav = await readAudio(asWav);
  const flac = await readAudio(asFlac);
  assert.equal(flac.sampleRate, rate);
  assert.deepEqual(flac.channels, wav.channels);
  // STREAMINFO was completed: the total sample count is in the header.
  const header = readFileSync(asFlac);
  const total = (header[21] & 0x0f) * 2 ** 32 + header.readUInt32BE(22);
  assert.equal(total, input.length);
});

/**
 * Upmixes one second (or `seconds`) of a tone at `rate` with --width 0 and checks that the output is at
 * `expectedRate`, has the input's duration, and holds the same tone there, sample-aligned (away from the edges).
 */
async function checkResampledTone(name: string, rate: number, encoding: 'pcm16' | 'float32', expectedRate: number, hz: number, seconds = 1): Promise<void> {
  const length = Math.round(rate * seconds);
  const tone = new Float32Array(length);
  for (let i = 0; i < length; i++) tone[i] = 0.5 * Math.sin((2 * Math.PI * hz * i) / rate);
  const inPath = join(folder, `${name}.wav`);
  const outPath = join(folder, `${name}.out.wav`);
  await writeWav(inPath, [tone], rate, encoding);
  const run = runCli([inPath, outPath, '--width', '0', '--no-model', '--format', 'float32']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, new RegExp(`${expectedRate} Hz, resampled from ${rate} Hz`));
  const output = await readWav(outPath);
  assert.equal(output.sampleRate, expectedRate);
  const outLength = Math.round(expectedRate * seconds);
  assert.equal(output.channels[0].length, outLength);
  const expected = new Float32Array(outLength).map((_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / expectedRate));
  const { snrDb, lag } = alignedSnr(expected, output.channels[0], 2, Math.round(outLength / 10), Math.round(outLength / 2));
  assert.equal(lag, 0);
  assert.ok(snrDb > 40, `SNR ${snrDb.toFixed(1)} dB`);
}

test('CLI resamples an 8 kHz input to 48 kHz (and says so); 11,025 Hz goes to 44,100 Hz', async () => {
  assert.equal(targetSampleRate(8_000), 48_000);
  assert.equal(targetSampleRate(16_000), 48_000);
  assert.equal(targetSampleRate(11_025), 44_100);
  assert.equal(targetSampleRate(22_050), 22_050);
  assert.equal(targetSampleRate(352_800), 176_400);
  assert.equal(targetSampleRate(384_000), 192_000);
  await checkResampledTone('speech-8k', 8_000, 'pcm16', 48_000, 440);
});

test('CLI resamples a 384 kHz input (above the rates libsamplerate-js takes) to 192 kHz', async () => {
  await checkResampledTone('master-384k', 384_000, 'float32', 192_000, 1000, 0.1);
});

test('CLI pipes: - reads standard input (WAV or FLAC), - writes a WAV to standard output; messages on stderr', async () => {
  const rate = 44_100;
  const input = testSignal(rate, rate / 2);
  const wavIn = join(folder, 'pipe-in.wav');
  const flacIn = join(folder, 'pipe-in.flac');
  await writeWav(wavIn, [input], rate, 'pcm16');
  await writeFlac(flacIn, [input], rate);
  const reference = join(folder, 'pipe-reference.wav');
  assert.equal(runCli([wavIn, reference, '--no-model', '-q']).status, 0);
  const expected = readFileSync(reference);
  for (const inPath of [wavIn, flacIn]) {
    const run = runCliBytes(['-', '-', '--no-model'], readFileSync(inPath));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /^upmix: wrote standard output \(stereo, 44100 Hz, WAV 16-bit PCM/);
    const piped = join(folder, 'piped.wav');
    writeFileSync(piped, run.stdout);
    const got = await readWav(piped);
    const want = await readWav(reference);
    assert.deepEqual(got.channels, want.channels);
    if (inPath === wavIn) assert.deepEqual(run.stdout, expected, 'a WAV of known length streams the same bytes as a file');
  }
  // From a file to standard output, and standard input to a file.
  const toStdout = runCliBytes([wavIn, '-', '--no-model', '-q']);
  assert.equal(toStdout.status, 0, toStdout.stderr);
  assert.deepEqual(toStdout.stdout, expected);
  const fromStdin = join(folder, 'from-stdin.wav');
  const run = runCliBytes(['-', fromStdin, '--no-model', '-q'], readFileSync(wavIn));
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(readFileSync(fromStdin), expected);
  // Not audio on standard input: one line.
  const junk = runCliBytes(['-', '-', '--no-model'], Buffer.from('not audio at all'));
  assert.equal(junk.status, 1);
  assert.match(junk.stderr, /^upmix: error: standard input: not an audio format the upmixer reads [^\n]*\n$/);
  assert.equal(junk.stdout.length, 0);
});

test('CLI reads AIFF (big-endian 16-bit) and AIFF-C sowt exactly, as it reads the same samples in a WAV', async () => {
  const rate = 48_000;
  const input = testSignal(rate, rate / 4 + 3);
  const wavIn = join(folder, 'same.wav');
  await writeWav(wavIn, [input], rate, 'pcm16');
  const reference = join(folder, 'same-from-wav.wav');
  assert.equal(runCli([wavIn, reference, '--no-model', '-q']).status, 0);
  for (const sowt of [false, true]) {
    const inPath = join(folder, sowt ? 'same.aifc' : 'same.aiff');
    writeFileSync(inPath, aiff(input, rate, sowt));
    const outPath = join(folder, `same-from-${sowt ? 'aifc' : 'aiff'}.wav`);
    const run = runCli([inPath, outPath, '--no-model']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /\(stereo, 48000 Hz, WAV 16-bit PCM, 0:00\) from AIFF 16-bit PCM/);
    assert.deepEqual(readFileSync(outPath), readFileSync(reference));
  }
});
