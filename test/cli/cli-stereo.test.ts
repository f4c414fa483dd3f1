/**
 * The CLI's stereo input: `--spread` moves the mix's panned sources, `--input` picks the path, and the
 * summary line says which path each file took.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pinkNoise } from '../support/signals.js';
import { scaleSide, wideMix } from '../support/stereo-mixes.js';
import { readmeShellBlocks, readWav, runCli, runReadmeScript, temporaryFolder, writeWav } from './support.js';

const folder = temporaryFolder();
const SAMPLE_RATE = 44_100;

/** Energy of a channel from `start`. */
function energy(channel: Float32Array, start = 0): number {
  let sum = 0;
  for (let i = start; i < channel.length; i++) sum += channel[i] ** 2;
  return sum;
}

test('CLI --spread 0.5: a hard-left source comes out at half left (R/L amplitude 1/3), with the summary naming the stereo path', async () => {
  const source = pinkNoise(SAMPLE_RATE, 11, 0.4);
  const inPath = join(folder, 'hard-left.wav');
  const outPath = join(folder, 'hard-left.out.wav');
  await writeWav(inPath, [source, new Float32Array(source.length)], SAMPLE_RATE, 'float32');
  const run = runCli([inPath, outPath, '--spread', '0.5', '--width', '0', '--bass-mono', '0', '--no-model']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /; stereo path \(input auto\), quality mode,/);
  const [left, right] = (await readWav(outPath)).channels;
  // L = M + 0.5 S = 0.75 x, R = M - 0.5 S = 0.25 x (after the first half second, once the estimate settles).
  const ratio = Math.sqrt(energy(right, SAMPLE_RATE / 2) / energy(left, SAMPLE_RATE / 2));
  assert.ok(Math.abs(ratio - 1 / 3) < 0.02, `R/L amplitude ${ratio}`);
  // Default spread (1) and neutral width: the file comes back as it was.
  const neutral = runCli([inPath, outPath, '--force', '--width', '0', '--bass-mono', '0', '--no-model', '--quiet']);
  assert.equal(neutral.status, 0, neutral.stderr);
  const back = (await readWav(outPath)).channels;
  let worst = 0;
  for (let i = 0; i < source.length; i++) worst = Math.max(worst, Math.abs(back[0][i] - source[i]), Math.abs(back[1][i]));
  assert.ok(worst < 1e-6, `neutral settings changed the file by up to ${worst}`);
});

test('CLI --input: dual mono takes the mono path under auto, --input stereo forces the stereo path, --input mono downmixes', async () => {
  const source = pinkNoise(SAMPLE_RATE, 12, 0.4);
  const dualPath = join(folder, 'dual.wav');
  await writeWav(dualPath, [source, source], SAMPLE_RATE, 'float32');
  const auto = runCli([dualPath, join(folder, 'dual.out.wav'), '--no-model']);
  assert.equal(auto.status, 0, auto.stderr);
  assert.match(auto.stderr, /; mono path \(input auto\),/);
  const forced = runCli([dualPath, join(folder, 'dual.stereo.wav'), '--no-model', '--input', 'stereo']);
  assert.equal(forced.status, 0, forced.stderr);
  assert.match(forced.stderr, /; stereo path \(input stereo\),/);

  const left = pinkNoise(SAMPLE_RATE, 13, 0.4);
  const right = pinkNoise(SAMPLE_RATE, 14, 0.4);
  const stereoPath = join(folder, 'stereo.wav');
  const midPath = join(folder, 'mid.wav');
  await writeWav(stereoPath, [left, right], SAMPLE_RATE, 'float32');
  await writeWav(midPath, [left.map((x, i) => 0.5 * (x + right[i]))], SAMPLE_RATE, 'float32');
  const mono = runCli([stereoPath, join(folder, 'stereo.mono.wav'), '--no-model', '--input', 'mono']);
  assert.equal(mono.status, 0, mono.stderr);
  assert.match(mono.stderr, /; mono path \(input mono\),/);
  assert.equal(runCli([midPath, join(folder, 'mid.out.wav'), '--no-model', '--quiet']).status, 0);
  const fromStereo = (await readWav(join(folder, 'stereo.mono.wav'))).channels;
  const fromMid = (await readWav(join(folder, 'mid.out.wav'))).channels;
  let worst = 0;
  for (let c = 0; c < 2; c++) for (let i = 0; i < left.length; i++) worst = Math.max(worst, Math.abs(fromStereo[c][i] - fromMid[c][i]));
  assert.ok(worst < 1e-5, `--input mono differs from upmixing the downmix by ${worst}`);
});

test('CLI batch: the summary says which path each file took', async () => {
  const source = pinkNoise(SAMPLE_RATE / 2, 15, 0.4);
  const batchIn = join(folder, 'batch-in');
  mkdirSync(batchIn, { recursive: true });
  await writeWav(join(batchIn, 'dual.wav'), [source, source], SAMPLE_RATE, 'float32');
  await writeWav(join(batchIn, 'wide.wav'), [source, pinkNoise(SAMPLE_RATE / 2, 16, 0.4)], SAMPLE_RATE, 'float32');
  const run = runCli([batchIn, '--out-dir', join(folder, 'batch-out'), '--no-model', '--jobs', '1']);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stderr, /; (mono path: dual\.wav; stereo path: wide\.wav|stereo path: wide\.wav; mono path: dual\.wav) \(input auto\)\n/);
});

test('CLI: --spread and --input are checked', () => {
  const spread = runCli(['a.wav', 'b.wav', '--spread', '1.5']);
  assert.equal(spread.status, 2);
  assert.match(spread.stderr, /--spread 1\.5 is out of range: use 0 to 1/);
  const input = runCli(['a.wav', 'b.wav', '--input', 'surround']);
  assert.equal(input.status, 2);
  assert.match(input.stderr, /--input "surround" is not known: use auto, mono, stereo/);
});

test('README: the commands of "Re-spreading a stereo mix" run as written, and do what the section says', async () => {
  const blocks = readmeShellBlocks('## Re-spreading a stereo mix');
  assert.equal(blocks.length, 1, 'one sh block of examples');
  const folder = temporaryFolder();
  const work = join(folder, 'work');
  mkdirSync(join(work, 'examples'), { recursive: true });
  copyFileSync('examples/hard-panned-stereo.wav', join(work, 'examples', 'hard-panned-stereo.wav'));
  const wide = wideMix(65_536, SAMPLE_RATE, 5);
  const nearlyMono = scaleSide(wide, 0.1);
  await writeWav(join(work, 'nearly-mono.wav'), [nearlyMono.left, nearlyMono.right], SAMPLE_RATE, 'pcm16');
  const run = runReadmeScript(blocks[0], folder, work);
  assert.equal(run.status, 0, run.stderr);
  const summaries = run.stderr.split('\n').filter((line) => line.startsWith('upmix: wrote'));
  assert.equal(summaries.length, 5, run.stderr);
  for (const [index, path] of ['stereo', 'stereo', 'stereo', 'stereo', 'mono'].entries()) assert.match(summaries[index], new RegExp(`; ${path} path \\(input (auto|mono)\\)`));
  // Unchanged at neutral settings (float output: no rounding on the way out).
  const input = await readWav(join(work, 'examples', 'hard-panned-stereo.wav'));
  const unchanged = await readWav(join(work, 'unchanged.wav'));
  let worst = 0;
  for (let c = 0; c < 2; c++) for (let i = 0; i < input.channels[c].length; i++) worst = Math.max(worst, Math.abs(unchanged.channels[c][i] - input.channels[c][i]));
  assert.ok(worst < 1e-6, `--spread 1 --width 0 --bass-mono 0 changed the file by up to ${worst}`);
  // Spread 0.5 narrows the mix, spread 0 narrows it more; each output keeps the input's (L+R)/2 within the 16-bit rounding.
  const sideShare = (channels: Float32Array[]): number => energy(channels[0].map((x, i) => x - channels[1][i])) / energy(channels[0].map((x, i) => x + channels[1][i]));
  const respread = (await readWav(join(work, 'respread.wav'))).channels;
  const centred = (await readWav(join(work, 'centred.wav'))).channels;
  assert.ok(sideShare(respread) < 0.6 * sideShare(input.channels), `spread 0.5: side/mid ${sideShare(respread)} against ${sideShare(input.channels)} in`);
  assert.ok(sideShare(centred) < sideShare(respread), `spread 0: side/mid ${sideShare(centred)}`);
  // The nearly mono mix opens up (new width where it is narrower than the cues ask).
  const opened = (await readWav(join(work, 'opened.wav'))).channels;
  assert.ok(sideShare(opened) > 3 * sideShare([nearlyMono.left, nearlyMono.right]), `nearly mono: side/mid ${sideShare(opened)} out against ${sideShare([nearlyMono.left, nearlyMono.right])} in`);
  for (const output of [respread, centred]) {
    let mono = 0;
    for (let i = 0; i < output[0].length; i++) mono = Math.max(mono, Math.abs(output[0][i] + output[1][i] - input.channels[0][i] - input.channels[1][i]) / 2);
    assert.ok(mono < 1e-4, `mono sum differs by ${mono}`);
  }
});

