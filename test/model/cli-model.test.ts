import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModelFile } from '../../src/cli/model-file.js';
import { upmixFile } from '../../src/cli/upmix-file.js';
import { CUE_DELAY_FRAMES } from '../../src/model/model-cue-source.js';
import { pinkNoise } from '../support/signals.js';
import { readWav, runCli, temporaryFolder, writeWav } from '../cli/support.js';

const folder = temporaryFolder();
const inPath = join(folder, 'in.wav');
await writeWav(inPath, [pinkNoise(3 * 44_100, 21, 0.3)], 44_100, 'pcm24');

test('CLI uses the shipped model by default: every frame gets its own model cues, and two runs give identical files', async () => {
  const first = runCli([inPath, join(folder, 'first.wav')]);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /learned cues/);
  const second = runCli([inPath, join(folder, 'second.wav'), '--quiet']);
  assert.equal(second.status, 0, second.stderr);
  assert.deepEqual(readFileSync(join(folder, 'first.wav')), readFileSync(join(folder, 'second.wav')));

  const { model } = await loadModelFile();
  for (const mode of ['quality', 'live'] as const) {
    const result = await upmixFile(inPath, join(folder, `stats-${mode}.wav`), { model, mode });
    const stats = result.modelStats!;
    assert.equal(stats.lateFrames, 0, `${mode}: ${JSON.stringify(stats)}`);
    assert.ok(stats.modelFrames > 0, `${mode}: ${JSON.stringify(stats)}`);
    // Only the first frames, before the model has seen its lookahead, use the fixed profile.
    const fallbackLimit = mode === 'quality' ? CUE_DELAY_FRAMES : 4 * (CUE_DELAY_FRAMES + 1);
    assert.ok(stats.fallbackFrames <= fallbackLimit, `${mode}: ${JSON.stringify(stats)}`);
  }
});

test('CLI --no-model gives the fixed profile (another output); both keep (L+R)/2 equal to the input', async () => {
  const noModel = runCli([inPath, join(folder, 'fixed.wav'), '--no-model']);
  assert.equal(noModel.status, 0, noModel.stderr);
  assert.match(noModel.stderr, /fixed width profile/);
  const input = (await readWav(inPath)).channels[0];
  const [modelLeft, modelRight] = (await readWav(join(folder, 'first.wav'))).channels;
  const [fixedLeft, fixedRight] = (await readWav(join(folder, 'fixed.wav'))).channels;
  let outputsDiffer = 0;
  let monoError = 0;
  for (let i = 0; i < input.length; i++) {
    outputsDiffer = Math.max(outputsDiffer, Math.abs(modelLeft[i] - fixedLeft[i]));
    monoError = Math.max(monoError, Math.abs((modelLeft[i] + modelRight[i]) / 2 - input[i]), Math.abs((fixedLeft[i] + fixedRight[i]) / 2 - input[i]));
  }
  assert.ok(outputsDiffer > 1e-3, `model and fixed outputs differ by at most ${outputsDiffer}`);
  assert.ok(monoError <= 1 / 8388608, `mono sum off by ${monoError}`); // one 24-bit step of rounding
});

test('CLI: --model, --no-model and --profile exclude each other', () => {
  const run = runCli([inPath, join(folder, 'x.wav'), '--no-model', '--profile', 'p.json']);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /--no-model and --profile exclude each other/);
});
