/**
 * Inputs as they turn up in a folder of old recordings: tags where a format does not expect them,
 * headers a recorder never finished, containers of other writers. Each is read as what it is, or
 * refused in one line that names the file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { whiteNoise } from '../support/signals.js';
import { encodeMp3, writeFlac } from './encoders.js';
import { readWav, runCli, temporaryFolder } from './support.js';

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

test('A FLAC file with an ID3v2 tag in front (a large picture in it) is read as FLAC, sample for sample; an MP3 with one still as MP3', async () => {
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
});
