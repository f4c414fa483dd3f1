import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BAND_COUNT, bandEdges } from '../../src/dsp/bands.js';
import { defaultControls } from '../../src/dsp/controls.js';
import { createCues } from '../../src/dsp/cue-source.js';
import { IccFeedback, MAX_DECORRELATION_SCALE } from '../../src/dsp/icc-feedback.js';
import { whiteNoise } from '../support/signals.js';
import { tileIccs } from '../support/tile-icc.js';

const SAMPLE_RATE = 44_100;
const HOP = 512;

/** Feeds mid and side to the feedback in render quanta (the engine's block). */
function feed(feedback: IccFeedback, mid: Float64Array, side: Float64Array): void {
  for (let start = 0; start + 128 <= mid.length; start += 128) feedback.measure(mid.subarray(start, start + 128), side.subarray(start, start + 128), 128);
}

test('IccFeedback measures the last tile ICC of L = M + S, R = M - S exactly as design section 5 does', () => {
  const hops = 20;
  const mid = Float64Array.from(whiteNoise(hops * HOP, 3));
  const other = whiteNoise(hops * HOP, 4);
  // S: part M (coherent), part an independent noise, so each band's ICC is somewhere inside (0, 1).
  const side = mid.map((m, i) => 0.3 * m + 0.8 * other[i]);
  const feedback = new IccFeedback(SAMPLE_RATE, 0);
  assert.equal(feedback.frameSize, 2048);
  feed(feedback, mid, side);
  // The last tile's frames end at hops 13..20, so its first frame starts at 13 * HOP - 2048.
  const left = mid.map((m, i) => m + side[i]);
  const right = mid.map((m, i) => m - side[i]);
  const { iccs, tiles } = tileIccs(left, right, SAMPLE_RATE, 13 * HOP - 2048);
  assert.equal(tiles, 1);
  for (let b = 0; b < BAND_COUNT; b++) assert.ok(Math.abs(feedback.measuredIccs[b] - iccs[b]) < 1e-9, `band ${b}: ${feedback.measuredIccs[b]} vs ${iccs[b]}`);
});

test('IccFeedback: a tile more coherent than asked raises k (more decorrelation asked), one less coherent lowers it, within bounds', () => {
  const seconds = 3;
  const mid = Float64Array.from(whiteNoise(seconds * SAMPLE_RATE, 5));
  const silentSide = new Float64Array(mid.length);
  const controls = { ...defaultControls(), bassMonoHz: 0 };
  const cues = createCues(BAND_COUNT);
  const out = createCues(BAND_COUNT);
  // Output mono (S = 0, ICC 1) while ICC 0.5 is asked: k climbs to its limit.
  cues.iccs.fill(0.5);
  const coherent = new IccFeedback(SAMPLE_RATE, 0);
  for (let start = 0; start + 128 <= mid.length; start += 128) {
    coherent.correct(cues, controls, out);
    coherent.measure(mid.subarray(start, start + 128), silentSide.subarray(start, start + 128), 128);
  }
  for (let b = 0; b < BAND_COUNT; b++) assert.equal(coherent.decorrelationScales[b], MAX_DECORRELATION_SCALE, `band ${b}`);
  // S an independent noise as loud as M: ICC measures near 0 against 0.9 asked: k falls.
  cues.iccs.fill(0.9);
  const independent = Float64Array.from(whiteNoise(mid.length, 8));
  const wide = new IccFeedback(SAMPLE_RATE, 0);
  for (let start = 0; start + 128 <= mid.length; start += 128) {
    wide.correct(cues, controls, out);
    wide.measure(mid.subarray(start, start + 128), independent.subarray(start, start + 128), 128);
  }
  for (let b = 0; b < BAND_COUNT; b++) assert.ok(wide.decorrelationScales[b] < 1, `band ${b}: ${wide.decorrelationScales[b]}`);
});

test('IccFeedback.correct: ICC 1 stays exactly 1 (width 0 is mono), ICC below 0 is left alone, and bands under the bass-mono fade are not corrected', () => {
  const feedback = new IccFeedback(SAMPLE_RATE, 0);
  feedback.decorrelationScales.fill(2);
  const cues = createCues(BAND_COUNT);
  const out = createCues(BAND_COUNT);
  const controls = defaultControls();
  cues.iccs.set([1, 0.5, 0.3, -0.2]);
  cues.ildMagnitudesDb.fill(6);
  feedback.correct(cues, controls, out);
  assert.deepEqual(Array.from(out.iccs.subarray(0, 4)), [1, 0, 0, -0.2]);
  assert.deepEqual(Array.from(out.ildMagnitudesDb), Array.from(cues.ildMagnitudesDb));

  // Bass mono at 120 Hz (faded in up to 180 Hz): an output mono everywhere moves k only above it.
  const fresh = new IccFeedback(SAMPLE_RATE, 0);
  cues.iccs.fill(0.5);
  const mid = Float64Array.from(whiteNoise(2 * SAMPLE_RATE, 6));
  const side = new Float64Array(mid.length);
  for (let start = 0; start + 128 <= mid.length; start += 128) {
    fresh.correct(cues, { ...controls, bassMonoHz: 120 }, out);
    fresh.measure(mid.subarray(start, start + 128), side.subarray(start, start + 128), 128);
  }
  const edges = bandEdges();
  for (let b = 0; b < BAND_COUNT; b++) {
    const centre = Math.sqrt(edges[b] * edges[b + 1]);
    if (centre < 180) assert.equal(fresh.decorrelationScales[b], 1, `band ${b} (${centre.toFixed(0)} Hz)`);
    else assert.ok(fresh.decorrelationScales[b] > 1, `band ${b} (${centre.toFixed(0)} Hz)`);
  }
});
