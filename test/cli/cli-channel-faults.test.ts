/**
 * Old transfers through the CLI: a stereo file with a fault in its channels (here one channel a
 * polarity-inverted copy of the other, and a dead channel) is upmixed as asked, with one warning line
 * that names the file, the fault and the fix; `--channel left|right` is that fix (one channel upmixed as
 * mono input).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { musicLike } from '../support/music-like.js';
import { readWav, runCli, temporaryFolder, writeWav } from './support.js';

const folder = temporaryFolder();
const SAMPLE_RATE = 44_100;
const music = musicLike({ sampleRate: SAMPLE_RATE, seconds: 2, seed: 7 });
const warnings = (stderr: string): string[] => stderr.split('\n').filter((line) => line.startsWith('upmix: warning:'));

test('CLI: a transfer with one channel inverted is upmixed with a warning that names the fault and --channel', async () => {
  const inverted = join(folder, 'inverted.wav');
  await writeWav(inverted, [music, music.map((x) => -x)], SAMPLE_RATE, 'pcm24');
  for (const [input, outcome] of [
    ['auto', /the upmix keeps that sum/],
    ['mono', /the mono-path output is nearly silent/],
  ] as const) {
    const run = runCli([inverted, join(folder, `inverted.${input}.wav`), '--input', input, '--no-model']);
    assert.equal(run.status, 0, run.stderr);
    const lines = warnings(run.stderr);
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0], new RegExp(`^upmix: warning: ${inverted.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: the right channel is a polarity-inverted copy of the left \\(correlation -1\\.00\\): their mono sum cancels completely`));
    assert.match(lines[0], outcome);
    assert.match(lines[0], /; use --channel left$/);
  }
  // The fix: the left channel alone, upmixed as mono input, gives what a mono file of it gives.
  const fixed = runCli([inverted, join(folder, 'fixed.wav'), '--channel', 'left', '--no-model']);
  assert.equal(fixed.status, 0, fixed.stderr);
  assert.deepEqual(warnings(fixed.stderr), []);
  assert.match(fixed.stderr, /; mono path \(left channel only\), quality mode,/);
  const mono = join(folder, 'left.wav');
  await writeWav(mono, [music], SAMPLE_RATE, 'pcm24');
  assert.equal(runCli([mono, join(folder, 'left.out.wav'), '--no-model', '--quiet']).status, 0);
  const [fixedOut, monoOut] = await Promise.all([readWav(join(folder, 'fixed.wav')), readWav(join(folder, 'left.out.wav'))]);
  assert.deepEqual(fixedOut.channels, monoOut.channels);
  // A mono file with --channel is upmixed as it is (and not said to be cut to one channel).
  const monoPicked = runCli([mono, join(folder, 'left.picked.wav'), '--no-model', '--channel', 'right']);
  assert.equal(monoPicked.status, 0, monoPicked.stderr);
  assert.match(monoPicked.stderr, /; mono path \(input auto\), quality mode,/);
  assert.deepEqual((await readWav(join(folder, 'left.picked.wav'))).channels, monoOut.channels);
  // And the right channel: the same music, inverted.
  assert.equal(runCli([inverted, join(folder, 'fixed-right.wav'), '--channel', 'right', '--no-model', '--quiet']).status, 0);
  const right = (await readWav(join(folder, 'fixed-right.wav'))).channels;
  let worst = 0;
  for (let i = 0; i < music.length; i++) worst = Math.max(worst, Math.abs(right[0][i] + monoOut.channels[0][i]), Math.abs(right[1][i] + monoOut.channels[1][i]));
  assert.ok(worst < 1e-6, `the right channel's upmix differs from the inverted left's by ${worst}`);
});

test('CLI batch: a dead channel is named per file; a sound stereo file and a mono one get no warning', async () => {
  const inputs = join(folder, 'transfers');
  mkdirSync(inputs);
  await writeWav(join(inputs, 'dead-right.wav'), [music, new Float32Array(music.length)], SAMPLE_RATE, 'pcm16');
  await writeWav(join(inputs, 'dual-mono.wav'), [music, music], SAMPLE_RATE, 'pcm16');
  await writeWav(join(inputs, 'mono.wav'), [music], SAMPLE_RATE, 'pcm16');
  const run = runCli([inputs, '--out-dir', join(folder, 'upmixed'), '--no-model', '--jobs', '2']);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(warnings(run.stderr), [`upmix: warning: ${join(inputs, 'dead-right.wav')}: the right channel is silent: the output keeps the sound on the left only; for a mono transfer use --channel left`]);
  // --channel in a batch: stereo files give the channel, mono files are upmixed as they are.
  const picked = runCli([inputs, '--out-dir', join(folder, 'picked'), '--no-model', '--channel', 'left']);
  assert.equal(picked.status, 0, picked.stderr);
  assert.deepEqual(warnings(picked.stderr), []);
  assert.match(picked.stderr, /every file on the mono path \(left channel only\)/);
});

test('CLI: --channel is checked', () => {
  for (const [args, message] of [
    [['--channel', 'centre'], /--channel "centre" is not known: use left or right/],
    [['--channel', 'left', '--input', 'stereo'], /--channel and --input stereo exclude each other/],
  ] as const) {
    const run = runCli(['in.wav', 'out.wav', ...args]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, message);
  }
});
