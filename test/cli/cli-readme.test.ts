import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pinkNoise } from '../support/signals.js';
import { encodeMp3, writeEncoded, writeFlac } from './encoders.js';
import { filesIn, readmeShellBlocks, readWav, runReadmeScript, temporaryFolder, writeWav } from './support.js';

/** The shell examples of the README's "Command line" section. */
function commandLineExamples(): string {
  const blocks = readmeShellBlocks('## Command line');
  assert.equal(blocks.length, 1, 'one sh block of examples');
  return blocks[0];
}

test('README: the command-line examples run as written (npx upmix is this checkout\'s CLI)', async () => {
  const folder = temporaryFolder();
  const work = join(folder, 'work');
  mkdirSync(join(work, 'transfers', 'side b'), { recursive: true });
  const rate = 44_100;
  await writeEncoded(join(work, 'interview.mp3'), encodeMp3([pinkNoise(rate, 1, 0.3)], rate));
  await writeWav(join(work, 'transfers', 'tape 1.wav'), [pinkNoise(rate, 2, 0.3)], rate, 'pcm16');
  await writeFlac(join(work, 'transfers', 'side b', 'tape 2.flac'), [pinkNoise(8_000, 3, 0.3)], 8_000);
  const script = commandLineExamples();
  const run = runReadmeScript(script, folder, work);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(filesIn(work), ['interview-float.wav', 'interview-wide.wav', 'interview.flac', 'interview.mp3', 'interview.wav', 'transfers', 'upmixed']);
  assert.deepEqual(filesIn(join(work, 'upmixed')), ['side b', 'tape 1.wav']);
  assert.deepEqual(filesIn(join(work, 'upmixed', 'side b')), ['tape 2.wav']);
  assert.match(run.stderr, /2 inputs: 2 upmixed;.*1 resampled/);
  assert.match(run.stderr, /2 inputs: 0 upmixed, 2 skipped/);
  assert.equal((await readWav(join(work, 'upmixed', 'side b', 'tape 2.wav'))).sampleRate, 48_000);
  assert.equal((await readWav(join(work, 'interview-float.wav'))).encoding, 'float32');
  assert.equal(readFileSync(join(work, 'interview.flac')).subarray(0, 4).toString('latin1'), 'fLaC');
});
