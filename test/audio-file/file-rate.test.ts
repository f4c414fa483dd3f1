/**
 * audioFileRate: a file's own sample rate from its header, before any decoding (the demo decodes, renders
 * and exports at it), for every format the CLI reads, made by the CLI tests' encoders at rates no device
 * runs at; an ID3 tag in front is skipped; what it cannot tell is undefined. targetSampleRate brings a
 * rate into the engine's range as the CLI does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { audioFileRate, targetSampleRate } from '../../src/audio-file/file-rate.js';
import { encodeMp3, encodeOpus, encodeVorbis, writeFlac } from '../cli/encoders.js';
import { temporaryFolder, writeWav } from '../cli/support.js';
import { whiteNoise } from '../support/signals.js';

const folder = temporaryFolder();
const stereo = (frames: number): Float32Array[] => [whiteNoise(frames, 1, 0.3), whiteNoise(frames, 2, 0.3)];

/** An AIFF file's bytes (16-bit, big-endian): rate as an 80-bit float. */
function aiffBytes(sampleRate: number, frames: number, metadataBytes = 0): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(12 + (8 + metadataBytes) * (metadataBytes > 0 ? 1 : 0) + 26 + 16 + frames * 4);
  const view = new DataView(bytes.buffer);
  const tag = (at: number, text: string): void => [...text].forEach((c, i) => (bytes[at + i] = c.charCodeAt(0)));
  tag(0, 'FORM');
  view.setUint32(4, bytes.byteLength - 8);
  tag(8, 'AIFF');
  let at = 12;
  if (metadataBytes > 0) {
    tag(at, 'ANNO');
    view.setUint32(at + 4, metadataBytes);
    at += 8 + metadataBytes;
  }
  tag(at, 'COMM');
  view.setUint32(at + 4, 18);
  view.setUint16(at + 8, 2);
  view.setUint32(at + 10, frames);
  view.setUint16(at + 14, 16);
  const exponent = Math.floor(Math.log2(sampleRate));
  view.setUint16(at + 16, 16383 + exponent);
  view.setUint32(at + 18, (sampleRate / 2 ** exponent) * 2 ** 31);
  at += 26;
  tag(at, 'SSND');
  view.setUint32(at + 4, 8 + frames * 4);
  return bytes;
}

test('the header\'s rate of WAV (also after 100 kB of metadata), AIFF, FLAC, MP3 (also behind an ID3 tag), Ogg Vorbis; 48 kHz for Opus; undefined for what is not audio', async () => {
  const wav = join(folder, 'a.wav');
  await writeWav(wav, stereo(2205), 22_050, 'pcm16');
  assert.equal(await audioFileRate(new Blob([await readFile(wav)])), 22_050);
  // A WAV with a long chunk before its fmt: read on past the first 64 kB.
  const plain = await readFile(wav);
  const junk = new Uint8Array(8 + 100_000);
  junk.set([...'JUNK'].map((c) => c.charCodeAt(0)));
  new DataView(junk.buffer).setUint32(4, 100_000, true);
  const long = new Uint8Array(plain.byteLength + junk.byteLength);
  long.set(plain.subarray(0, 12));
  long.set(junk, 12);
  long.set(plain.subarray(12), 12 + junk.byteLength);
  new DataView(long.buffer).setUint32(4, long.byteLength - 8, true);
  assert.equal(await audioFileRate(new Blob([long])), 22_050);
  assert.equal(await audioFileRate(new Blob([aiffBytes(37_800, 100)])), 37_800);
  const flac = join(folder, 'a.flac');
  await writeFlac(flac, stereo(9600), 96_000);
  assert.equal(await audioFileRate(new Blob([await readFile(flac)])), 96_000);
  const mp3 = (await encodeMp3(stereo(32_000), 32_000)) as Uint8Array<ArrayBuffer>;
  assert.equal(await audioFileRate(new Blob([mp3])), 32_000);
  const id3 = new Uint8Array(10 + 300);
  id3.set([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 2, 300 - 256]);
  assert.equal(await audioFileRate(new Blob([id3, mp3])), 32_000);
  assert.equal(await audioFileRate(new Blob([(await encodeMp3(stereo(22_050), 22_050)) as Uint8Array<ArrayBuffer>])), 22_050);
  assert.equal(await audioFileRate(new Blob([(await encodeVorbis(stereo(44_100), 44_100)) as Uint8Array<ArrayBuffer>])), 44_100);
  assert.equal(await audioFileRate(new Blob([(await encodeOpus(stereo(44_100), 44_100)) as Uint8Array<ArrayBuffer>])), 48_000);
  assert.equal(await audioFileRate(new Blob(['these are my notes'])), undefined);
  assert.equal(await audioFileRate(new Blob([])), undefined);
});

test('targetSampleRate: in range as it is; below 22.05 kHz to 44.1 or 48 kHz; above 192 kHz to 176.4 or 192 kHz', () => {
  assert.deepEqual([32_000, 8_000, 11_025, 352_800, 384_000].map(targetSampleRate), [32_000, 48_000, 44_100, 176_400, 192_000]);
});
