/**
 * A reference mix with a few corrupt samples (NaN, Inf, past +60 dBFS: a damaged float file) has the
 * style of the same mix with those samples silent, as the engine plays it: before, one NaN made every
 * band of its frames NaN and the whole mix "silent".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseStyle } from '../../src/style/analyse-style.js';

/** 2 s of stereo noise, partly correlated, from a seed. */
function noiseMix(sampleRate: number): [Float32Array, Float32Array] {
  const n = 2 * sampleRate;
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  let state = 12_345;
  const next = (): number => {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  for (let i = 0; i < n; i++) {
    const common = next();
    left[i] = 0.3 * (common + 0.5 * next());
    right[i] = 0.3 * (common + 0.5 * next());
  }
  return [left, right];
}

test('style: NaN, infinite and absurdly large samples count as silence, not as a silent mix', () => {
  const sampleRate = 44_100;
  const [left, right] = noiseMix(sampleRate);
  const corrupt: [Float32Array, number, number][] = [
    [left, 10_000, Number.NaN],
    [right, 30_000, Number.POSITIVE_INFINITY],
    [left, 50_000, Number.NEGATIVE_INFINITY],
    [right, 70_000, 1e6],
  ];
  const cleanLeft = left.slice();
  const cleanRight = right.slice();
  for (const [channel, at, value] of corrupt) {
    (channel === left ? cleanLeft : cleanRight)[at] = 0;
    channel[at] = value;
  }
  const style = analyseStyle(left, right, sampleRate);
  const expected = analyseStyle(cleanLeft, cleanRight, sampleRate);
  assert.deepEqual(style, expected);
  for (const value of [...style.icc, ...style.ildDb]) assert.ok(Number.isFinite(value));
});
