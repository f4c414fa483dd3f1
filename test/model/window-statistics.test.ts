/**
 * The running window statistics (src/model/window-statistics.ts) against the definition of
 * feature-spec.json `statistics` computed directly from each whole window, over long streams: many
 * turns of the ring, silence and padding coming and going, a stream that starts mid-way, and a reset.
 * (test/model/onnx-golden.test.ts checks them against PyTorch's raw_stats on real features.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL_WINDOW_FRAMES, START_PADDING_VALUE, STATISTICS_LENGTH, STATISTICS_MID_FRAMES, STATISTICS_STRIDE, STATISTICS_VALID_ABOVE } from '../../src/model/feature-spec.js';
import { FEATURE_COUNT } from '../../src/model/features.js';
import { ModelWindow, WINDOW_SIZE } from '../../src/model/model-window.js';
import { ModelInputs } from '../../src/model/model-inputs.js';
import { WindowStatistics } from '../../src/model/window-statistics.js';
import { pinkNoise } from '../support/signals.js';

/** The statistics of one whole window, as the spec words them (float64, one pass per statistic). */
function directStatistics(window: Float32Array): Float64Array {
  const rows: number[] = [];
  for (let row = MODEL_WINDOW_FRAMES - 1; row >= 0; row -= STATISTICS_STRIDE) rows.unshift(row);
  const midRows = rows.slice(rows.length - Math.floor(STATISTICS_MID_FRAMES / STATISTICS_STRIDE));
  const out = new Float64Array(STATISTICS_LENGTH);
  [rows, midRows].forEach((scaleRows, scale) => {
    for (let b = 0; b < FEATURE_COUNT; b++) {
      const x = (row: number): number => window[row * FEATURE_COUNT + b];
      const sound = (row: number): number => (x(row) > STATISTICS_VALID_ABOVE ? 1 : 0);
      const mean = (f: (row: number) => number): number => scaleRows.reduce((sum, row) => sum + f(row), 0) / scaleRows.length;
      const at = scale * 4 * FEATURE_COUNT + b;
      out[at] = mean(sound);
      out[at + FEATURE_COUNT] = mean((row) => x(row) * sound(row));
      out[at + 2 * FEATURE_COUNT] = mean((row) => x(row) * x(row) * sound(row));
      let change = 0;
      for (let j = 1; j < scaleRows.length; j++) change += Math.abs(x(scaleRows[j]) - x(scaleRows[j - 1]));
      out[at + 3 * FEATURE_COUNT] = change / (scaleRows.length - 1);
    }
  });
  return out;
}

/** Frame `frame`'s features: pink noise in bursts, with silence (the padding value) and near-threshold stretches. */
function streamFrame(noise: Float32Array, frame: number): Float32Array {
  const out = new Float32Array(FEATURE_COUNT);
  const phase = Math.floor(frame / 97) % 5;
  for (let b = 0; b < FEATURE_COUNT; b++) {
    const n = noise[(frame * FEATURE_COUNT + b) % noise.length];
    out[b] = phase === 1 ? START_PADDING_VALUE : phase === 3 ? STATISTICS_VALID_ABOVE + 0.01 * n : -5 + 3 * n;
  }
  return out;
}

test('the running statistics equal the statistics of each whole window (3 turns of the ring, from mid-stream, then after a reset)', () => {
  const noise = pinkNoise(1 << 16, 7, 1);
  const statistics = new WindowStatistics();
  const window = new ModelWindow();
  const whole = new Float32Array(WINDOW_SIZE);
  const running = new Float32Array(STATISTICS_LENGTH + 3);
  let worst = 0;
  let checked = 0;
  const check = (frame: number): void => {
    window.writeNewestRows(whole);
    statistics.writeNewest(running, 3);
    const expected = directStatistics(whole);
    for (let k = 0; k < STATISTICS_LENGTH; k++) worst = Math.max(worst, Math.abs(expected[k] - running[3 + k]));
    checked++;
    assert.ok(worst < 1e-5, `frame ${frame}: max difference ${worst}`);
  };
  for (const [first, count] of [
    [700, 3 * MODEL_WINDOW_FRAMES + 11],
    [0, MODEL_WINDOW_FRAMES + 300],
  ]) {
    statistics.reset();
    window.reset();
    for (let frame = first; frame < first + count; frame++) {
      const features = streamFrame(noise, frame);
      statistics.push(frame, features);
      window.push(frame, features);
      assert.equal(statistics.newestFrame, frame);
      // Every frame early on (each stride phase starting), then every 7th (all phases, all ring slots).
      if (frame - first < 2 * STATISTICS_STRIDE || frame % 7 === 0) check(frame);
    }
  }
  assert.ok(checked > 600, `${checked} windows checked`);
});

test('the running statistics refuse a frame out of order', () => {
  const statistics = new WindowStatistics();
  statistics.push(5, new Float32Array(FEATURE_COUNT));
  assert.throws(() => statistics.push(7, new Float32Array(FEATURE_COUNT)), /frame 7 arrived after 5/);
});

test('a frame with non-finite features reads as silence in both formats: the statistics stay finite for the rest of the stream', () => {
  const noise = pinkNoise(1 << 14, 11, 1);
  const broken = new Float32Array(FEATURE_COUNT);
  const silent = new Float32Array(FEATURE_COUNT).fill(START_PADDING_VALUE);
  for (const format of [{ kind: 'head', recentFrames: 2 }, { kind: 'full-window' }] as const) {
    const withNaN = new ModelInputs(format, 1);
    const withSilence = new ModelInputs(format, 1);
    let compared = 0;
    for (let frame = 0; frame < 3 * MODEL_WINDOW_FRAMES; frame++) {
      const features = streamFrame(noise, frame);
      if (frame === 700) {
        broken.set(features);
        broken[3] = NaN;
        broken[9] = Infinity;
        broken[17] = -Infinity;
      }
      withNaN.push(frame, frame === 700 ? broken : features);
      withSilence.push(frame, frame === 700 ? silent.map((value, b) => (b === 3 || b === 9 || b === 17 ? value : features[b])) : features);
      if (withNaN.size === 0) continue;
      assert.ok(withNaN.stats.every(Number.isFinite) && withNaN.rows.every(Number.isFinite), `frame ${frame} (${format.kind}): finite inputs`);
      assert.deepEqual(withNaN.stats, withSilence.stats, `frame ${frame} (${format.kind}): statistics`);
      assert.deepEqual(withNaN.rows, withSilence.rows, `frame ${frame} (${format.kind}): rows`);
      withNaN.clear();
      withSilence.clear();
      compared++;
    }
    assert.ok(compared > 2 * MODEL_WINDOW_FRAMES);
  }
});
