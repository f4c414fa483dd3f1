/**
 * A dropped reference AIFF whose sound (SSND) comes before its format (COMM) is read as the CLI reads a
 * named file: COMM is found after the sound, then reading goes back to it (a Blob can be read from any
 * offset), so no size limit applies and memory stays as for any file. (A pipe's limit, 64 MB held while
 * COMM is awaited, and its advice to give a file, made no sense for a File.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { openAsBlob } from 'node:fs';
import { join } from 'node:path';
import { analyseReferenceFile } from '../../src/style/analyse-reference-file.js';
import { MAX_REFERENCE_SECONDS } from '../../src/style/style.js';
import { temporaryFolder } from '../cli/support.js';
import { pinkNoise } from '../support/signals.js';
import { bigEndianPcm16, writeSoundFirstAiff } from '../support/sound-first-aiff.js';
import { CHILD_NODE_FLAGS } from '../support/child-node.js';

const RATE = 44_100;
const folder = temporaryFolder();

/** Ten seconds of partly correlated stereo pink noise as AIFF samples (a wide mix's image). */
function stereoBlock(): Buffer {
  const left = pinkNoise(10 * RATE, 7, 0.3);
  const other = pinkNoise(10 * RATE, 8, 0.3);
  return bigEndianPcm16(left, left.map((x, i) => 0.6 * x + 0.8 * other[i]));
}

test('a dropped sound-first AIFF with a 65 MB sound chunk: its style is that of the same audio with COMM first, exactly', async () => {
  const block = stereoBlock();
  // A sparse file: COMM declares the first 3 s of a 65 MB SSND chunk (the rest a hole of zeros).
  const soundFirst = join(folder, 'sound-first.aiff');
  const commFirst = join(folder, 'comm-first.aiff');
  writeSoundFirstAiff(soundFirst, 3 * RATE, block, { soundBytes: 65 * 2 ** 20 });
  writeSoundFirstAiff(commFirst, 3 * RATE, block, { commFirst: true });
  const expected = await analyseReferenceFile(await openAsBlob(commFirst), 'comm-first.aiff', MAX_REFERENCE_SECONDS);
  assert.equal(expected.type, 'style');
  const report = await analyseReferenceFile(await openAsBlob(soundFirst), 'sound-first.aiff', MAX_REFERENCE_SECONDS);
  assert.deepEqual(report, expected);
});

function measure(path: string): { peak: number; answer: string } {
  const run = spawnSync(process.execPath, [...CHILD_NODE_FLAGS, '--import', 'tsx', new URL('reference-file-peak-memory.ts', import.meta.url).pathname, path], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const [peak, ...answer] = run.stdout.trim().split(' ');
  return { peak: Number(peak), answer: answer.join(' ') };
}

test('a dropped sound-first AIFF streams: 10 minutes (106 MB of sound) need no more memory than 10 seconds in the Worker, within 64 MB', () => {
  const block = stereoBlock();
  const shortPath = join(folder, 'ten-seconds.aiff');
  const longPath = join(folder, 'ten-minutes.aiff');
  writeSoundFirstAiff(shortPath, 10 * RATE, block);
  writeSoundFirstAiff(longPath, 600 * RATE, block);
  const short = measure(shortPath);
  const long = measure(longPath);
  assert.equal(short.answer, 'style whole');
  assert.equal(long.answer, 'style whole', 'ten minutes are analysed whole');
  const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);
  const figures = `peak memory ${mb(long.peak)} MB for 10 min vs ${mb(short.peak)} MB for 10 s (the 10-min sound: 106 MB)`;
  console.log(`dropped sound-first AIFF: ${figures}`);
  // Holding the sound would add its 106 MB; the analysis's own garbage lets the heap grow by 18-33 MB
  // (runs of this test), so the bound leaves room for the collector's timing and still tells the two apart.
  assert.ok(long.peak - short.peak < 64 * 2 ** 20, figures);
});
