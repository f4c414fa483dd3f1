/**
 * A dropped reference file is read a slice at a time: the style analysis Worker's work on a 10-minute
 * 48 kHz stereo WAV (230 MB as the float32 channels that decodeAudioData made of it before, 115 MB of file)
 * needs no more memory than on a 10-second one, within 40 MB. Each runs in a child process of its own
 * (analyseReferenceFile on a Blob backed by the file, as a browser's File is), whose peak resident memory
 * is compared.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { temporaryFolder } from '../cli/support.js';
import { writeLongStereoWav } from '../support/long-stereo-wav.js';
import { CHILD_NODE_FLAGS } from '../support/child-node.js';

const SAMPLE_RATE = 48_000;
const folder = temporaryFolder();

function measure(path: string): { peak: number; answer: string } {
  const run = spawnSync(process.execPath, [...CHILD_NODE_FLAGS, '--import', 'tsx', new URL('reference-file-peak-memory.ts', import.meta.url).pathname, path], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const [peak, ...answer] = run.stdout.trim().split(' ');
  return { peak: Number(peak), answer: answer.join(' ') };
}

test('a dropped reference streams: a 10-minute 48 kHz WAV needs no more memory than a 10-second one in the Worker, within 40 MB', async () => {
  const shortPath = join(folder, 'ten-seconds.wav');
  const longPath = join(folder, 'ten-minutes.wav');
  await writeLongStereoWav(shortPath, 10, SAMPLE_RATE);
  await writeLongStereoWav(longPath, 600, SAMPLE_RATE);
  const short = measure(shortPath);
  const long = measure(longPath);
  assert.equal(short.answer, 'style whole');
  assert.equal(long.answer, 'style whole', 'ten minutes are analysed whole');
  const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);
  const figures = `peak memory ${mb(long.peak)} MB for 10 min vs ${mb(short.peak)} MB for 10 s (the 10-min file: 110 MB; as float32 channels: 220 MB)`;
  console.log(`dropped reference: ${figures}`);
  assert.ok(long.peak - short.peak < 40 * 2 ** 20, figures);
});
