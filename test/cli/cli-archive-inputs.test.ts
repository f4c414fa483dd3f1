/**
 * Inputs as they turn up in a folder of old recordings: tags where a format does not expect them,
 * headers a recorder never finished, containers of other writers. Each is read as what it is, or
 * refused in one line that names the file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OggLinks } from '../../src/cli/ogg-links.js';
import { parseWavHeader } from '../../src/cli/wav-format.js';
import { whiteNoise } from '../support/signals.js';
import { encodeMp3, encodeOpus, encodeVorbis, writeFlac } from './encoders.js';
import { filesIn, readWav, runCli, runCliBytes, temporaryFolder, writeWav } from './support.js';

const folder = temporaryFolder();

/** --width 0 and no ceiling: both channels are the decoded input. */
const TRANSPARENT = ['--width', '0', '--no-model', '--ceiling', 'off', '--format', 'float32', '--quiet'];

/** A seeded noise on the 16-bit grid. */
function signal(length: number, seed: number): Float32Array {
  return whiteNoise(length, seed, 0.3).map((v) => Math.round(v * 32768) / 32768);
}

/** An ID3v2.3 tag with a title and a picture of `pictureBytes` bytes (as taggers write, in front of any file). */
function id3Tag(pictureBytes: number): Buffer {
  const frame = (id: string, body: Buffer): Buffer => {
    const header = Buffer.alloc(10);
    header.write(id, 0, 'latin1');
    header.writeUInt32BE(body.length, 4);
    return Buffer.concat([header, body]);
  };
  const picture = Buffer.concat([Buffer.from('\0image/jpeg\0\x03\0', 'latin1'), Buffer.alloc(pictureBytes, 0xff)]);
  const body = Buffer.concat([frame('TIT2', Buffer.from('\0side A', 'latin1')), frame('APIC', picture)]);
  const header = Buffer.from('ID3\x03\0\0\0\0\0\0', 'latin1');
  // The size as a syncsafe integer: 7 bits per byte.
  for (let i = 0; i < 4; i++) header[6 + i] = (body.length >> (7 * (3 - i))) & 0x7f;
  return Buffer.concat([header, body]);
}

test('A FLAC file with an ID3v2 tag in front (a large picture in it) is read as FLAC, sample for sample; an MP3 with one still as MP3, a WAV as WAV', async () => {
  const rate = 44_100;
  const input = signal(rate / 2, 3);
  const plain = join(folder, 'plain.flac');
  await writeFlac(plain, [input], rate);
  const tagged = join(folder, 'tagged.flac');
  writeFileSync(tagged, Buffer.concat([id3Tag(100_000), readFileSync(plain)]));
  const fromPlain = join(folder, 'from-plain.wav');
  const fromTagged = join(folder, 'from-tagged.wav');
  assert.equal(runCli([plain, fromPlain, ...TRANSPARENT]).status, 0);
  const run = runCli([tagged, fromTagged, '--width', '0', '--no-model', '--ceiling', 'off', '--format', 'float32']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /\(stereo, 44100 Hz, WAV 32-bit float, 0:01\) from FLAC in/);
  assert.doesNotMatch(run.stderr, /warning/);
  assert.deepEqual((await readWav(fromTagged)).channels, (await readWav(fromPlain)).channels);

  const mp3 = Buffer.from(await encodeMp3([input], rate));
  const plainMp3 = join(folder, 'plain.mp3');
  const taggedMp3 = join(folder, 'tagged.mp3');
  writeFileSync(plainMp3, mp3);
  writeFileSync(taggedMp3, Buffer.concat([id3Tag(100_000), mp3]));
  const fromPlainMp3 = join(folder, 'from-plain-mp3.wav');
  const fromTaggedMp3 = join(folder, 'from-tagged-mp3.wav');
  assert.equal(runCli([plainMp3, fromPlainMp3, ...TRANSPARENT]).status, 0);
  const mp3Run = runCli([taggedMp3, fromTaggedMp3, '--width', '0', '--no-model', '--ceiling', 'off', '--format', 'float32']);
  assert.equal(mp3Run.status, 0, mp3Run.stderr);
  assert.match(mp3Run.stderr, / from MP3 in /);
  assert.deepEqual((await readWav(fromTaggedMp3)).channels, (await readWav(fromPlainMp3)).channels);

  // A WAV after a tag, of unknown data length (read to the file's end): the tag is not counted as audio.
  const plainWav = join(folder, 'plain-unknown.wav');
  await writeWav(plainWav, [input], rate, 'pcm16');
  const unknownLength = readFileSync(plainWav);
  unknownLength.writeUInt32LE(0xffffffff, 40);
  const taggedWav = join(folder, 'tagged-unknown.wav');
  writeFileSync(taggedWav, Buffer.concat([id3Tag(5_000), unknownLength]));
  const fromPlainWav = join(folder, 'from-plain-unknown.wav');
  const fromTaggedWav = join(folder, 'from-tagged-unknown.wav');
  assert.equal(runCli([plainWav, fromPlainWav, ...TRANSPARENT]).status, 0);
  const wavRun = runCli([taggedWav, fromTaggedWav, ...TRANSPARENT]);
  assert.equal(wavRun.status, 0, wavRun.stderr);
  assert.deepEqual((await readWav(fromTaggedWav)).channels, (await readWav(fromPlainWav)).channels);
});

/** The fields of a WAV header (defaults: 16-bit PCM at 44.1 kHz, RIFF and data sizes that fit the data). */
interface WavFields {
  readonly formatTag?: number;
  readonly bits?: number;
  readonly sampleRate?: number;
  readonly riffSize?: number;
  readonly dataSize?: number;
}

/** A mono WAV of `data` under a canonical 44-byte header with any fields: as recorders, old tools and broken files write them. */
function monoWav(data: Buffer, { formatTag = 1, bits = 16, sampleRate = 44_100, riffSize = 36 + data.length, dataSize = data.length }: WavFields = {}): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(riffSize, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(formatTag, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE((sampleRate * bits) / 8, 28);
  header.writeUInt16LE(bits / 8, 32);
  header.writeUInt16LE(bits, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(dataSize, 40);
  return Buffer.concat([header, data]);
}

test('An unfinished recording (sizes never written: data chunk of 0 bytes, audio after it, cut mid-sample) is upmixed up to its last whole sample', async () => {
  const rate = 44_100;
  const input = signal(rate / 2, 5);
  const proper = join(folder, 'proper.wav');
  await writeWav(proper, [input], rate, 'pcm16');
  const samples = readFileSync(proper).subarray(44);
  const fromProper = join(folder, 'from-proper.wav');
  assert.equal(runCli([proper, fromProper, ...TRANSPARENT]).status, 0);
  // RIFF size 36 (the header alone) or 0, data size 0; one byte of a next sample at the end.
  for (const riffSize of [36, 0]) {
    const unfinished = join(folder, `unfinished-${riffSize}.wav`);
    writeFileSync(unfinished, monoWav(Buffer.concat([samples, Buffer.from([0x12])]), { riffSize, dataSize: 0 }));
    const out = join(folder, `from-unfinished-${riffSize}.wav`);
    const run = runCli([unfinished, out, ...TRANSPARENT]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual((await readWav(out)).channels, (await readWav(fromProper)).channels);
  }
  // A truly empty data chunk, with the RIFF going on to a chunk after it, stays empty.
  const list = Buffer.from('LIST\x04\0\0\0INFO', 'latin1');
  const empty = monoWav(list, { dataSize: 0 });
  assert.equal(parseWavHeader(empty, empty.length).frameCount, 0);
});

/** The RF64 (or BW64) form of a canonical 44-byte-header WAV: a ds64 chunk with the sizes, 0xFFFFFFFF in the 32-bit fields, metadata after the data. */
function rf64(wav: Buffer, magic: 'RF64' | 'BW64'): Buffer {
  const samples = wav.subarray(44);
  const trailer = Buffer.from('LIST\x0c\0\0\0INFOISFT\0\0\0\0', 'latin1');
  const ds64 = Buffer.alloc(8 + 28);
  ds64.write('ds64', 0, 'latin1');
  ds64.writeUInt32LE(28, 4);
  const riffSize = 4 + ds64.length + 24 + 8 + samples.length + trailer.length;
  ds64.writeBigUInt64LE(BigInt(riffSize), 8);
  ds64.writeBigUInt64LE(BigInt(samples.length), 16);
  ds64.writeBigUInt64LE(BigInt(samples.length / wav.readUInt16LE(32)), 24);
  const head = Buffer.from(`${magic}\xff\xff\xff\xffWAVE`, 'latin1');
  const data = Buffer.from('data\xff\xff\xff\xff', 'latin1');
  return Buffer.concat([head, ds64, wav.subarray(12, 36), data, samples, trailer]);
}

test('RF64 and BW64 files (a broadcast recorder\'s) are read by their ds64 sizes, and a folder\'s .bwf and .rf64 files are upmixed', async () => {
  const rate = 48_000;
  const input = signal(rate / 4, 9);
  const plain = join(folder, 'broadcast.wav');
  await writeWav(plain, [input], rate, 'pcm16');
  const fromPlain = join(folder, 'from-broadcast.wav');
  assert.equal(runCli([plain, fromPlain, ...TRANSPARENT]).status, 0);
  const want = (await readWav(fromPlain)).channels;
  const recorder = join(folder, 'recorder');
  mkdirSync(recorder);
  writeFileSync(join(recorder, 'take1.bwf'), rf64(readFileSync(plain), 'RF64'));
  writeFileSync(join(recorder, 'take2.rf64'), rf64(readFileSync(plain), 'BW64'));
  const outDir = join(folder, 'recorder-upmixed');
  const run = runCli([recorder, '--out-dir', outDir, ...TRANSPARENT]);
  assert.equal(run.status, 0, run.stderr);
  for (const take of ['take1', 'take2']) assert.deepEqual((await readWav(join(outDir, `${take}.wav`))).channels, want, take);
});

test('Sample rates: a header\'s absurd rate (0, 1, 1 GHz) is one line naming the file; the lowest rate it names is resampled; a batch\'s rate failure names its file', async () => {
  const samples = Buffer.alloc(2 * 400);
  for (let i = 0; i < 400; i++) samples.writeInt16LE(Math.round(8000 * Math.sin(i / 5)), 2 * i);
  const wavAt = (sampleRate: number): Buffer => monoWav(samples, { sampleRate });
  for (const rate of [0, 1, 1_000_000_000]) {
    const path = join(folder, `rate-${rate}.wav`);
    writeFileSync(path, wavAt(rate));
    const run = runCli([path, join(folder, `rate-${rate}-out.wav`), '--no-model']);
    assert.equal(run.status, 1);
    assert.equal(run.stderr, `upmix: error: ${path}: its header gives a sample rate of ${rate} Hz, outside what can be resampled (188 to 49,152,000 Hz); check the file\n`);
  }
  // 188 Hz to 48 kHz: 255 times as many samples, more than one step of the converter holds.
  const lowest = join(folder, 'rate-188.wav');
  writeFileSync(lowest, wavAt(188));
  const lowestOut = join(folder, 'rate-188-out.wav');
  const run = runCli([lowest, lowestOut, ...TRANSPARENT]);
  assert.equal(run.status, 0, run.stderr);
  const { sampleRate, channels } = await readWav(lowestOut);
  assert.equal(sampleRate, 48_000);
  assert.equal(channels[0].length, Math.round((400 * 48_000) / 188));
  // In a batch, every failure line says which file it is about.
  const odd = join(folder, 'odd-rate.wav');
  writeFileSync(odd, wavAt(192_001));
  const batch = runCli([odd, lowest, '--out-dir', join(folder, 'rates-out'), '--no-model']);
  assert.equal(batch.status, 1);
  assert.match(batch.stderr, new RegExp(`^upmix: error: ${odd}: 192001 Hz cannot be resampled to 192000 Hz here; convert the file to 192000 Hz or lower first$`, 'm'));
});

test('Chained Ogg files (streams one after another): alike Vorbis streams are read in turn; streams that differ, and chained Opus, are one line, not noise or a dropped part', async () => {
  const rate = 44_100;
  const mono = Buffer.from(await encodeVorbis([signal(rate / 2, 21)], rate));
  const stereo = Buffer.from(await encodeVorbis([signal(rate / 2, 22), signal(rate / 2, 23)], rate));
  const alike = join(folder, 'alike.ogg');
  writeFileSync(alike, Buffer.concat([mono, mono]));
  const alikeOut = join(folder, 'alike-out.wav');
  const run = runCli([alike, alikeOut, ...TRANSPARENT]);
  assert.equal(run.status, 0, run.stderr);
  const frames = (await readWav(alikeOut)).channels[0].length;
  assert.ok(Math.abs(frames - rate) <= 4096, `${frames} frames for two streams of ${rate / 2}`);

  const opus = Buffer.from(await encodeOpus([signal(24_000, 24)], 48_000));
  const cases = [
    { name: 'mono-then-stereo.ogg', bytes: Buffer.concat([mono, stereo]), message: 'a chained Ogg file whose streams differ (mono at 44100 Hz, then 2 channels at 44100 Hz)' },
    { name: 'chained.opus', bytes: Buffer.concat([opus, opus]), message: 'a chained Ogg Opus file (streams one after another), of which the decoder would read only the first' },
  ];
  // The links are told from page headers however the bytes are split into blocks.
  const links = new OggLinks();
  for (let at = 0; at < cases[0].bytes.length; at += 7) links.feed(cases[0].bytes.subarray(at, at + 7));
  assert.deepEqual(links.links, [
    { codec: 'vorbis', channelCount: 1, sampleRate: rate },
    { codec: 'vorbis', channelCount: 2, sampleRate: rate },
  ]);
  for (const { name, bytes, message } of cases) {
    const chained = join(folder, 'chained', name);
    mkdirSync(join(folder, 'chained'), { recursive: true });
    writeFileSync(chained, bytes);
    const before = filesIn(join(folder, 'chained'));
    const refused = runCli([chained, join(folder, 'chained', `${name}.wav`), '--no-model']);
    assert.equal(refused.status, 1, name);
    assert.equal(refused.stderr, `upmix: error: ${chained}: ${message}; split it into its streams first\n`);
    assert.deepEqual(filesIn(join(folder, 'chained')), before);
  }
});

test('Old and telephone WAVs: 8-bit (unsigned), 32-bit integer, 64-bit float, G.711 mu-law and A-law are read as they decode, and named in the summary', async () => {
  // G.711 codes with their 16-bit values from another implementation (Python's audioop.ulaw2lin/alaw2lin).
  const codes = [0x00, 0x0f, 0x55, 0x7f, 0x80, 0x8f, 0xd5, 0xff];
  const muLaw = [-32124, -16764, -716, 0, 32124, 16764, 716, 0];
  const aLaw = [-5504, -6784, -8, -848, 5504, 6784, 8, 848];
  const ints = [-2147483648, -1, 0, 1, 123456789, 2147483647, -1000000000, 65536];
  const doubles = [-1, -0.5, 0, 1e-9, 0.25, 0.999999, 1 / 3, -0.125];
  const cases = [
    { name: '8-bit PCM', data: Buffer.from(codes), tag: 1, bits: 8, expected: codes.map((b) => (b - 128) / 128), encoding: 'pcm16' },
    { name: '8-bit mu-law', data: Buffer.from(codes), tag: 7, bits: 8, expected: muLaw.map((v) => v / 32768), encoding: 'pcm16' },
    { name: '8-bit A-law', data: Buffer.from(codes), tag: 6, bits: 8, expected: aLaw.map((v) => v / 32768), encoding: 'pcm16' },
    { name: '32-bit PCM', data: Buffer.from(Int32Array.from(ints).buffer), tag: 1, bits: 32, expected: ints.map((v) => v / 2 ** 31), encoding: 'pcm24' },
    { name: '64-bit float', data: Buffer.from(Float64Array.from(doubles).buffer), tag: 3, bits: 64, expected: doubles, encoding: 'float32' },
  ];
  for (const { name, data, tag, bits, expected, encoding } of cases) {
    const path = join(folder, `old-${tag}-${bits}.wav`);
    writeFileSync(path, monoWav(Buffer.concat(Array.from({ length: 100 }, () => data)), { formatTag: tag, bits }));
    const transparent = join(folder, `old-${tag}-${bits}-out.wav`);
    const run = runCli([path, transparent, '--width', '0', '--no-model', '--ceiling', 'off', '--format', 'float32']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, new RegExp(`\\(stereo, 44100 Hz, WAV 32-bit float, 0:00\\) from WAV ${name} in`));
    // The samples themselves, in float.
    const [left] = (await readWav(transparent)).channels;
    assert.deepEqual([...left.subarray(0, 8)], [...Float32Array.from(expected)], name);
    // By default the output keeps what the input holds: 16 bits for 8-bit and G.711, 24 for 32-bit PCM, float for float.
    const byDefault = join(folder, `old-${tag}-${bits}-default.wav`);
    assert.equal(runCli([path, byDefault, '--no-model', '-q']).status, 0);
    assert.equal((await readWav(byDefault)).encoding, encoding, name);
  }
});

/** A mono AIFF-C file at 44.1 kHz with `compression` and `bits` as given, around `data`. */
function aifcOf(compression: string, bits: number, frames: number, data: Buffer): Buffer {
  const comm = Buffer.alloc(24);
  comm.writeUInt16BE(1, 0);
  comm.writeUInt32BE(frames, 2);
  comm.writeUInt16BE(bits, 6);
  // 44,100 as an 80-bit extended float: 2^15 * 1.3458...
  Buffer.from([0x40, 0x0e, 0xac, 0x44, 0, 0, 0, 0, 0, 0]).copy(comm, 8);
  comm.write(`${compression}\0\0`, 18, 'latin1');
  const chunk = (id: string, body: Buffer): Buffer => Buffer.concat([Buffer.from(id, 'latin1'), Buffer.from([body.length >>> 24, (body.length >>> 16) & 0xff, (body.length >>> 8) & 0xff, body.length & 0xff]), body, Buffer.alloc(body.length & 1)]);
  const form = Buffer.concat([Buffer.from('AIFC', 'latin1'), chunk('COMM', comm), chunk('SSND', Buffer.concat([Buffer.alloc(8), data]))]);
  return Buffer.concat([Buffer.from('FORM', 'latin1'), Buffer.from([form.length >>> 24, (form.length >>> 16) & 0xff, (form.length >>> 8) & 0xff, form.length & 0xff]), form]);
}

test('AIFF-C: signed 8-bit, little-endian sowt 24-bit, QuickTime in32 and 64-bit float are read as they decode', async () => {
  const cases = [
    { compression: 'NONE', bits: 8, data: Buffer.from([0x80, 0xff, 0x00, 0x01, 0x7f]), expected: [-128, -1, 0, 1, 127].map((v) => v / 128) },
    { compression: 'sowt', bits: 24, data: Buffer.from([0x00, 0x00, 0x80, 0xff, 0xff, 0xff, 0x01, 0x00, 0x00, 0xff, 0xff, 0x7f, 0x00, 0x00, 0x00]), expected: [-(2 ** 23), -1, 1, 2 ** 23 - 1, 0].map((v) => v / 2 ** 23) },
    { compression: 'in32', bits: 32, data: Buffer.from([0x80, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1, 0x7f, 0xff, 0xff, 0xff, 0x40, 0, 0, 0]), expected: [-(2 ** 31), -1, 1, 2 ** 31 - 1, 2 ** 30].map((v) => v / 2 ** 31) },
    { compression: 'fl64', bits: 64, data: Buffer.concat([-1, 0.5, 1 / 3, 0, -0.25].map((v) => { const b = Buffer.alloc(8); b.writeDoubleBE(v); return b; })), expected: [-1, 0.5, 1 / 3, 0, -0.25] },
  ];
  for (const { compression, bits, data, expected } of cases) {
    const path = join(folder, `old-${compression}.aifc`);
    writeFileSync(path, aifcOf(compression, bits, 5, data));
    const out = join(folder, `old-${compression}.wav`);
    const run = runCli([path, out, ...TRANSPARENT]);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual([...(await readWav(out)).channels[0]], [...Float32Array.from(expected)], compression);
  }
});

/** A chunk of an IFF file (big-endian size, padded to an even length). */
function iffChunk(id: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'latin1');
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body, Buffer.alloc(body.length & 1)]);
}

/** Reorders the chunks of an AIFF(-C) file made by {@link aifcOf}: SSND first, COMM after it, then a trailing chunk. */
function soundFirst(aiff: Buffer): Buffer {
  const chunks = new Map<string, Buffer>();
  for (let at = 12; at + 8 <= aiff.length; ) {
    const size = aiff.readUInt32BE(at + 4);
    chunks.set(aiff.toString('latin1', at, at + 4), aiff.subarray(at, at + 8 + size + (size & 1)));
    at += 8 + size + (size & 1);
  }
  const form = Buffer.concat([aiff.subarray(8, 12), chunks.get('SSND')!, iffChunk('NAME', Buffer.from('side B', 'latin1')), chunks.get('COMM')!, iffChunk('ANNO', Buffer.from('x', 'latin1'))]);
  return Buffer.concat([Buffer.from('FORM', 'latin1'), Buffer.from([form.length >>> 24, (form.length >>> 16) & 0xff, (form.length >>> 8) & 0xff, form.length & 0xff]), form]);
}

test('AIFF and AIFF-C with the sound (SSND) before the format (COMM) are read sample for sample, from a file and from a pipe; a pipe\'s COMM that never comes is one line', async () => {
  const frames = 30_001;
  const samples = signal(frames, 31);
  const bigEndian = Buffer.alloc(2 * frames);
  const little = Buffer.alloc(2 * frames);
  samples.forEach((v, i) => (bigEndian.writeInt16BE(Math.round(v * 32768), 2 * i), little.writeInt16LE(Math.round(v * 32768), 2 * i)));
  // 8-bit mono with an odd frame count: the SSND chunk gets a pad byte before the next chunk.
  const bytes8 = Buffer.from(samples.map((v) => Math.round(v * 127) & 0xff));
  for (const { name, file } of [
    { name: 'NONE 16-bit', file: aifcOf('NONE', 16, frames, bigEndian) },
    { name: 'sowt 16-bit', file: aifcOf('sowt', 16, frames, little) },
    { name: 'NONE 8-bit (odd length)', file: aifcOf('NONE', 8, frames, bytes8) },
  ]) {
    const ordered = join(folder, 'ordered.aifc');
    const reordered = join(folder, 'sound-first.aifc');
    writeFileSync(ordered, file);
    writeFileSync(reordered, soundFirst(file));
    const want = join(folder, 'ordered-out.wav');
    assert.equal(runCli([ordered, want, ...TRANSPARENT, '-f']).status, 0);
    const expected = (await readWav(want)).channels;
    const fromFile = join(folder, 'sound-first-out.wav');
    const run = runCli([reordered, fromFile, ...TRANSPARENT, '-f']);
    assert.equal(run.status, 0, `${name}: ${run.stderr}`);
    assert.deepEqual((await readWav(fromFile)).channels, expected, name);
    const piped = runCliBytes(['-', '-', ...TRANSPARENT], soundFirst(file));
    assert.equal(piped.status, 0, `${name}: ${piped.stderr}`);
    const fromPipe = join(folder, 'sound-first-pipe.wav');
    writeFileSync(fromPipe, piped.stdout);
    assert.deepEqual((await readWav(fromPipe)).channels, expected, `${name} (pipe)`);
  }
  // A file whose COMM chunk never comes after its sound: one line, no output.
  const cut = soundFirst(aifcOf('NONE', 16, frames, bigEndian));
  const noFormat = join(folder, 'no-comm.aiff');
  writeFileSync(noFormat, cut.subarray(0, 12 + 16 + bigEndian.length));
  const refused = runCli([noFormat, join(folder, 'no-comm.wav'), '--no-model']);
  assert.equal(refused.status, 1);
  assert.equal(refused.stderr, `upmix: error: ${noFormat}: truncated: the file ends before its COMM chunk\n`);
  const refusedPipe = runCliBytes(['-', '-', '--no-model'], cut.subarray(0, 12 + 16 + bigEndian.length));
  assert.equal(refusedPipe.status, 1);
  assert.equal(refusedPipe.stderr, 'upmix: error: standard input: truncated: the file ends before its COMM chunk\n');
  // From a pipe, the sound waits in memory for COMM: a sound chunk over 64 MB is refused at once (by its size).
  const huge = Buffer.from(cut.subarray(0, 12 + 16 + 1000));
  huge.writeUInt32BE(100 * 2 ** 20 + 8, 16);
  const refusedHuge = runCliBytes(['-', '-', '--no-model'], huge);
  assert.equal(refusedHuge.status, 1);
  assert.equal(refusedHuge.stderr, 'upmix: error: standard input: an AIFF whose sound (100 MB) comes before its COMM chunk can be read from a pipe only up to 64 MB; give it as a file\n');
});

/** A WAV file of `chunks` (each a little-endian sized chunk, padded to an even length). */
function riffWave(...chunks: [id: string, body: Buffer][]): Buffer {
  const parts = chunks.map(([id, body]) => {
    const header = Buffer.alloc(8);
    header.write(id, 0, 'latin1');
    header.writeUInt32LE(body.length, 4);
    return Buffer.concat([header, body, Buffer.alloc(body.length & 1)]);
  });
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), ...parts]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'latin1');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

/** A mono WAV of `data` with samples `bits` wide in containers of `containerBytes` (blockAlign), plain or WAVE_FORMAT_EXTENSIBLE with valid bits. */
function narrowPcmWav(data: Buffer, bits: number, containerBytes: number, extensible: boolean): Buffer {
  const fmt = Buffer.alloc(extensible ? 40 : 16);
  fmt.writeUInt16LE(extensible ? 0xfffe : 1, 0);
  fmt.writeUInt16LE(1, 2);
  fmt.writeUInt32LE(44_100, 4);
  fmt.writeUInt32LE(44_100 * containerBytes, 8);
  fmt.writeUInt16LE(containerBytes, 12);
  fmt.writeUInt16LE(extensible ? 8 * containerBytes : bits, 14);
  if (extensible) {
    fmt.writeUInt16LE(22, 16);
    fmt.writeUInt16LE(bits, 18);
    fmt.writeUInt16LE(1, 24);
    Buffer.from('000000001000800000aa00389b71', 'hex').copy(fmt, 26);
  }
  return riffWave(['fmt ', fmt], ['data', data]);
}

test('PCM of 1 to 32 bits in whole-byte containers (12 bits in 16, 20 in 24, 4 in 8...; WAV, WAV extensible and AIFF) is read MSB-justified, padding bits cleared, and named by its width', async () => {
  const frames = 64;
  for (const { bits, container, extensible, aiff, encoding } of [
    { bits: 12, container: 2, extensible: false, aiff: false, encoding: 'pcm16' },
    { bits: 20, container: 3, extensible: false, aiff: false, encoding: 'pcm24' },
    { bits: 20, container: 3, extensible: true, aiff: false, encoding: 'pcm24' },
    { bits: 4, container: 1, extensible: false, aiff: false, encoding: 'pcm16' },
    { bits: 12, container: 2, extensible: false, aiff: true, encoding: 'pcm16' },
    { bits: 20, container: 3, extensible: false, aiff: true, encoding: 'pcm24' },
    { bits: 27, container: 4, extensible: false, aiff: true, encoding: 'pcm24' },
  ]) {
    const name = `${bits}-bit in ${8 * container}${extensible ? ' (extensible)' : ''}${aiff ? ' AIFF' : ''}`;
    const padding = 8 * container - bits;
    // Integers of `bits` bits spanning the whole range, stored shifted up by the padding, with junk in the padding bits.
    const values = Array.from({ length: frames }, (_, i) => Math.round(((i / (frames - 1)) * 2 - 1) * (2 ** (bits - 1) - 1)) - (i === 0 ? 1 : 0) || 0);
    const data = Buffer.alloc(frames * container);
    values.forEach((value, i) => {
      const junk = (i * 0x9e3779b1) & (2 ** padding - 1);
      // The container's bits as an unsigned integer (WAV's 8-bit PCM is offset by 128: unsigned).
      const stored = container === 1 && !aiff ? ((value + 2 ** (bits - 1)) * 2 ** padding + junk) : (value * 2 ** padding + junk + 2 ** (8 * container)) % 2 ** (8 * container);
      for (let b = 0; b < container; b++) {
        const byte = Math.floor(stored / 2 ** (8 * b)) & 0xff;
        data[i * container + (aiff ? container - 1 - b : b)] = byte;
      }
    });
    const file = aiff ? aifcOf('NONE', bits, frames, data) : narrowPcmWav(data, bits, container, extensible);
    const path = join(folder, `narrow-${bits}-${container}-${extensible}-${aiff}.${aiff ? 'aifc' : 'wav'}`);
    writeFileSync(path, file);
    const out = join(folder, `narrow-out.wav`);
    const run = runCli([path, out, '--width', '0', '--no-model', '--ceiling', 'off', '--format', 'float32', '-f']);
    assert.equal(run.status, 0, `${name}: ${run.stderr}`);
    assert.match(run.stderr, new RegExp(` from ${aiff ? 'AIFF' : 'WAV'} ${bits}-bit PCM in `), name);
    assert.deepEqual([...(await readWav(out)).channels[0]], [...Float32Array.from(values, (v) => v / 2 ** (bits - 1))], name);
    const byDefault = join(folder, 'narrow-default.wav');
    assert.equal(runCli([path, byDefault, '--no-model', '-q', '-f']).status, 0);
    assert.equal((await readWav(byDefault)).encoding, encoding, name);
  }
  // Still refused, in one line that says what to do: PCM wider than 32 bits, and a header whose block
  // align does not match its width.
  const wide = join(folder, 'pcm-40.wav');
  writeFileSync(wide, narrowPcmWav(Buffer.alloc(50), 40, 5, false));
  const refused = runCli([wide, join(folder, 'pcm-40-out.wav'), '--no-model']);
  assert.equal(refused.status, 1);
  assert.equal(refused.stderr, `upmix: error: ${wide}: 40-bit PCM samples are not supported: convert to 16/24-bit PCM or 32-bit float WAV (or FLAC)\n`);
  const misaligned = join(folder, 'pcm-12-in-3.wav');
  writeFileSync(misaligned, narrowPcmWav(Buffer.alloc(30), 12, 3, false));
  const badAlign = runCli([misaligned, join(folder, 'pcm-12-in-3-out.wav'), '--no-model']);
  assert.equal(badAlign.status, 1);
  assert.equal(badAlign.stderr, `upmix: error: ${misaligned}: broken header: block align is 3 bytes, 2 expected for this format\n`);
});

/** `data` (MPEG frames) in a WAV with format tag `formatTag` (0x55 MPEGLAYER3, 0x50 MPEG), a fact chunk before the data and a LIST chunk after it. */
function mpegWav(data: Buffer, formatTag: number, channelCount: number, sampleRate: number): Buffer {
  const fmt = Buffer.alloc(formatTag === 0x55 ? 30 : 40);
  fmt.writeUInt16LE(formatTag, 0);
  fmt.writeUInt16LE(channelCount, 2);
  fmt.writeUInt32LE(sampleRate, 4);
  fmt.writeUInt32LE(16_000, 8);
  fmt.writeUInt16LE(1, 12);
  fmt.writeUInt16LE(0, 14);
  fmt.writeUInt16LE(fmt.length - 18, 16);
  // The LIST after the data holds bytes an MPEG decoder would take for a frame sync, were it fed them.
  const list = Buffer.concat([Buffer.from('INFOISFT', 'latin1'), Buffer.from([4, 0, 0, 0]), Buffer.from([0xff, 0xfb, 0x90, 0x64])]);
  return riffWave(['fmt ', fmt], ['fact', Buffer.from([0, 0, 0, 0])], ['data', data], ['LIST', list]);
}

test('MPEG audio inside a WAV (format tags 0x55 and 0x50: layer III, and layer II from a committed file) is decoded as the bare MPEG stream is, from a file and from a pipe', async () => {
  const rate = 44_100;
  const mp3 = Buffer.from(await encodeMp3([signal(rate / 2, 41), signal(rate / 2, 42)], rate));
  // Layer II: test/fixtures/audio/tone-440-mp2.mp2 (scripts/make-mp2-fixture.sh: twolame, a 440 Hz tone at 0.25, 0.5 s mono at 32 kHz).
  const mp2 = readFileSync(new URL('../fixtures/audio/tone-440-mp2.mp2', import.meta.url));
  for (const { name, stream, tag, channelCount, sampleRate } of [
    { name: 'layer III', stream: mp3, tag: 0x55, channelCount: 2, sampleRate: rate },
    { name: 'layer II', stream: mp2, tag: 0x50, channelCount: 1, sampleRate: 32_000 },
  ]) {
    const bare = join(folder, 'bare.mp3');
    writeFileSync(bare, stream);
    const fromBare = join(folder, 'from-bare.wav');
    assert.equal(runCli([bare, fromBare, ...TRANSPARENT, '-f']).status, 0);
    const expected = (await readWav(fromBare)).channels;
    const wrapped = join(folder, 'wrapped.wav');
    writeFileSync(wrapped, mpegWav(stream, tag, channelCount, sampleRate));
    const fromWrapped = join(folder, 'from-wrapped.wav');
    const run = runCli([wrapped, fromWrapped, '--width', '0', '--no-model', '--ceiling', 'off', '--format', 'float32', '-f']);
    assert.equal(run.status, 0, `${name}: ${run.stderr}`);
    assert.match(run.stderr, / from MPEG audio in WAV in /, name);
    assert.doesNotMatch(run.stderr, /warning/, name);
    assert.deepEqual((await readWav(fromWrapped)).channels, expected, name);
    const piped = runCliBytes(['-', '-', ...TRANSPARENT], mpegWav(stream, tag, channelCount, sampleRate));
    assert.equal(piped.status, 0, `${name}: ${piped.stderr}`);
    const fromPipe = join(folder, 'from-wrapped-pipe.wav');
    writeFileSync(fromPipe, piped.stdout);
    assert.deepEqual((await readWav(fromPipe)).channels, expected, `${name} (pipe)`);
  }
  // A recorder that never wrote the sizes (data chunk of 0 bytes, the frames after it up to the file's end).
  const unfinished = mpegWav(mp3, 0x55, 2, rate).subarray(0, -20);
  unfinished.writeUInt32LE(0, 4);
  const dataAt = unfinished.indexOf('data', 12, 'latin1');
  unfinished.writeUInt32LE(0, dataAt + 4);
  const unfinishedPath = join(folder, 'unfinished-mp3.wav');
  writeFileSync(unfinishedPath, unfinished.subarray(0, dataAt + 8 + mp3.length));
  const fromUnfinished = join(folder, 'from-unfinished-mp3.wav');
  const unfinishedRun = runCli([unfinishedPath, fromUnfinished, ...TRANSPARENT]);
  assert.equal(unfinishedRun.status, 0, unfinishedRun.stderr);
  const bareMp3 = join(folder, 'bare-again.mp3');
  writeFileSync(bareMp3, mp3);
  assert.equal(runCli([bareMp3, join(folder, 'from-bare-again.wav'), ...TRANSPARENT]).status, 0);
  assert.deepEqual((await readWav(fromUnfinished)).channels, (await readWav(join(folder, 'from-bare-again.wav'))).channels);
  // The layer II file decodes to its tone: 440 Hz at 0.25 (at 32 kHz, sampled in its middle).
  const [tone] = (await readWav(join(folder, 'from-wrapped.wav'))).channels;
  const middle = tone.subarray(4000, 12_000);
  let cos = 0;
  let sin = 0;
  let power = 0;
  middle.forEach((v, i) => ((cos += v * Math.cos((2 * Math.PI * 440 * i) / 32_000)), (sin += v * Math.sin((2 * Math.PI * 440 * i) / 32_000)), (power += v * v)));
  const amplitude = (2 * Math.hypot(cos, sin)) / middle.length;
  assert.ok(Math.abs(amplitude - 0.25) < 0.02, `440 Hz at ${amplitude.toFixed(3)}`);
  assert.ok(0.5 * amplitude ** 2 > 0.95 * (power / middle.length), 'the tone is nearly all of it');
});
