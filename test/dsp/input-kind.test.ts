/**
 * Input kind `auto`: dual mono takes the mono path (the same samples as mono input), real stereo the
 * stereo path, and the switch between them, as the input changes, is click-free. `mono` and `stereo`
 * force a path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LatencyMode } from '../../src/dsp/frame-config.js';
import { renderEngine } from '../support/render.js';
import { pinkNoise } from '../support/signals.js';
import { largestSecondDifference, steadySines } from '../support/stereo-mixes.js';

const SAMPLE_RATE = 48_000;

for (const mode of ['live', 'quality'] as LatencyMode[]) {
  test(`auto (${mode}): dual mono (L = R) takes the mono path and gives the samples of mono input`, () => {
    const input = pinkNoise(SAMPLE_RATE, 3);
    const dual = renderEngine(input, { sampleRate: SAMPLE_RATE, mode }, input);
    const mono = renderEngine(input, { sampleRate: SAMPLE_RATE, mode });
    assert.equal(dual.engine.inputPath, 'mono');
    assert.deepEqual(dual.left, mono.left);
    assert.deepEqual(dual.right, mono.right);
  });

  test(`auto (${mode}): dual mono with a difference below -90 dB stays mono; real stereo takes the stereo path`, () => {
    const left = pinkNoise(SAMPLE_RATE, 3);
    const nearly = left.map((x, i) => x + 1e-6 * Math.sin(i)); // about -110 dB below the signal
    assert.equal(renderEngine(left, { sampleRate: SAMPLE_RATE, mode }, nearly).engine.inputPath, 'mono');
    const stereo = renderEngine(left, { sampleRate: SAMPLE_RATE, mode }, pinkNoise(SAMPLE_RATE, 4));
    assert.equal(stereo.engine.inputPath, 'stereo');
    assert.equal(stereo.engine.inputKind, 'auto');
  });

  test(`input kinds (${mode}): \`mono\` downmixes stereo input, \`stereo\` keeps its image`, () => {
    const left = pinkNoise(SAMPLE_RATE, 3);
    const right = pinkNoise(SAMPLE_RATE, 4);
    const forcedMono = renderEngine(left, { sampleRate: SAMPLE_RATE, mode, input: 'mono' }, right);
    const downmix = renderEngine(left.map((x, i) => 0.5 * (x + right[i])), { sampleRate: SAMPLE_RATE, mode });
    assert.equal(forcedMono.engine.inputPath, 'mono');
    let worst = 0;
    for (let i = 0; i < left.length; i++) worst = Math.max(worst, Math.abs(forcedMono.left[i] - downmix.left[i]), Math.abs(forcedMono.right[i] - downmix.right[i]));
    assert.ok(worst < 1e-6, `forced mono differs from the downmix's upmix by ${worst}`);
    const forcedStereo = renderEngine(left, { sampleRate: SAMPLE_RATE, mode, input: 'stereo', controls: { width: 0, bassMonoHz: 0 } }, left);
    assert.equal(forcedStereo.engine.inputPath, 'stereo');
  });

  test(`auto (${mode}): dual mono turning into stereo and back switches path without a click`, () => {
    const length = 3 * SAMPLE_RATE;
    const left = steadySines(length, SAMPLE_RATE, [110, 165, 220]);
    const other = steadySines(length, SAMPLE_RATE, [131, 196, 262]);
    // R = L for the first second, then glides (over 50 ms, itself smooth) to another signal, and back at 2 s.
    const right = left.map((x, i) => {
      const t = i / SAMPLE_RATE;
      const toStereo = Math.min(1, Math.max(0, (t - 1) / 0.05));
      const toMono = Math.min(1, Math.max(0, (t - 2) / 0.05));
      const amount = 0.5 - 0.5 * Math.cos(Math.PI * toStereo * (1 - toMono));
      return x + amount * (other[i] - x);
    });
    const engine = renderEngine(left.subarray(0, SAMPLE_RATE), { sampleRate: SAMPLE_RATE, mode }, right.subarray(0, SAMPLE_RATE)).engine;
    assert.equal(engine.inputPath, 'mono');
    renderEngine(left.subarray(SAMPLE_RATE, 2 * SAMPLE_RATE), engine, right.subarray(SAMPLE_RATE, 2 * SAMPLE_RATE));
    assert.equal(engine.inputPath, 'stereo');
    renderEngine(left.subarray(2 * SAMPLE_RATE), engine, right.subarray(2 * SAMPLE_RATE));
    assert.equal(engine.inputPath, 'mono');
    // The switch itself adds no click: around each switch, auto's output is no rougher than the rougher
    // of the two paths forced (the paths differ in how they sound, not in continuity).
    const auto = renderEngine(left, { sampleRate: SAMPLE_RATE, mode }, right);
    const forcedMono = renderEngine(left, { sampleRate: SAMPLE_RATE, mode, input: 'mono' }, right);
    const forcedStereo = renderEngine(left, { sampleRate: SAMPLE_RATE, mode, input: 'stereo' }, right);
    for (const switchAt of [1, 2.05]) {
      const start = Math.round((switchAt - 0.1) * SAMPLE_RATE) + auto.engine.latency;
      const end = Math.round((switchAt + 0.3) * SAMPLE_RATE) + auto.engine.latency;
      const roughness = (rendered: { left: Float32Array; right: Float32Array }): number => Math.max(largestSecondDifference(rendered.left, start, end), largestSecondDifference(rendered.right, start, end));
      const bound = Math.max(roughness(forcedMono), roughness(forcedStereo));
      assert.ok(roughness(auto) <= 1.25 * bound, `switch at ${switchAt} s: largest second difference ${roughness(auto)} against ${bound} for the forced paths`);
    }
  });
}
