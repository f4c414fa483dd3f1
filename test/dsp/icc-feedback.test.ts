import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BAND_COUNT, bandEdges } from '../../src/dsp/bands.js';
import { defaultControls } from '../../src/dsp/controls.js';
import { createCues } from '../../src/dsp/cue-source.js';
import { FEEDBACK_TILE_FRAMES, IccFeedback, MAX_DECORRELATION_SCALE } from '../../src/dsp/icc-feedback.js';
import { whiteNoise } from '../support/signals.js';
import { ensembleChords } from '../support/music-like.js';
import { meanTileIcc, tileIccs, type TileShape } from '../support/tile-icc.js';

const SAMPLE_RATE = 44_100;

/** Feeds mid and side to the feedback in render quanta (the engine's block). */
function feed(feedback: IccFeedback, mid: Float64Array, side: Float64Array): void {
  for (let start = 0; start + 128 <= mid.length; start += 128) feedback.measure(mid.subarray(start, start + 128), side.subarray(start, start + 128), 128);
}

/** The meter's tiles: hop half a frame, 5 frames weighted 1/2, 1, 1, 1, 1/2, advancing by 4 (icc-feedback.ts). */
const METER_TILES: TileShape = { hopFraction: 1 / 2, tileStride: 4, frameWeights: [0.5, 1, 1, 1, 0.5] };
/** The plain alternative: 4 frames at hop half a frame, each weighed fully (biased upward: see below). */
const PLAIN_TILES: TileShape = { hopFraction: 1 / 2, tileStride: 4, frameWeights: [1, 1, 1, 1] };

// Within 1e-6, not exactly: the meter's transform is PFFFT's float32 one (wasm-fft.ts), whose round-off
// (about 1e-7 of the frame's largest bin) moves the ICC in the 8th digit; the independent computation is float64.
test('IccFeedback measures the last tile ICC of L = M + S, R = M - S as an independent computation of its tiles does (within 1e-6)', () => {
  const feedback = new IccFeedback(SAMPLE_RATE, 0);
  assert.equal(feedback.frameSize, 2048);
  assert.equal(feedback.hopSize, 1024);
  const hops = 10;
  const mid = Float64Array.from(whiteNoise(hops * feedback.hopSize, 3));
  const other = whiteNoise(hops * feedback.hopSize, 4);
  // S: part M (coherent), part an independent noise, so each band's ICC is somewhere inside (0, 1).
  const side = mid.map((m, i) => 0.3 * m + 0.8 * other[i]);
  feed(feedback, mid, side);
  // The last tile's frames end at meter hops 6..10, so its first frame starts at 6 * hop - 2048.
  const left = mid.map((m, i) => m + side[i]);
  const right = mid.map((m, i) => m - side[i]);
  const { iccs, tiles } = tileIccs(left, right, SAMPLE_RATE, (hops - FEEDBACK_TILE_FRAMES + 1) * feedback.hopSize - 2048, METER_TILES);
  assert.equal(tiles, 1);
  for (let b = 0; b < BAND_COUNT; b++) assert.ok(Math.abs(feedback.measuredIccs[b] - iccs[b]) < 1e-6, `band ${b}: ${feedback.measuredIccs[b]} vs ${iccs[b]}`);
});

// The loop holds the mean of the meter's tile ICC to the cue, and the cue is a section-5 tile ICC: the two
// tile shapes must agree on average. Both advance by 4096 samples per tile over 2048-point Hann frames.
// The plain 4-frame tile at hop half a frame averages about 3.8 independent frames against section 5's
// 4.4 (Welch's overlap correction for Hann at 50% and 75%), so its ICC reads higher, most in bands of few
// bins; the meter's 5-frame tile with edge weights 1/2 (every frame weighs 1 over the tiles, as in
// section 5) does not. Measured on L, R with a set coherence (white noise, and the music-like fixture,
// which gives each band its own coherence).
test('the meter\'s tiles agree with section 5\'s on the mean tile ICC (within 0.015 per band from 170 Hz, 0.004 on average); plain 4-frame tiles read higher', () => {
  const seconds = 12;
  const own = whiteNoise(seconds * SAMPLE_RATE, 12);
  const sources = {
    noise: whiteNoise(seconds * SAMPLE_RATE, 11),
    'music-like': ensembleChords(SAMPLE_RATE, seconds),
  };
  const edges = bandEdges();
  const bands = Array.from({ length: BAND_COUNT }, (_, b) => b).filter((b) => Math.sqrt(edges[b] * edges[b + 1]) >= 170);
  const report: string[] = [];
  let plainWorst = 0;
  for (const [name, source] of Object.entries(sources)) {
    for (const coherence of [0.3, 0.6, 0.9]) {
      // L = c X + sqrt(1 - c^2) Y, R = X.
      const left = source.map((x, i) => coherence * x + Math.sqrt(1 - coherence * coherence) * own[i]);
      const section5 = meanTileIcc(left, source, SAMPLE_RATE, 0);
      const meter = meanTileIcc(left, source, SAMPLE_RATE, 0, METER_TILES);
      const plain = meanTileIcc(left, source, SAMPLE_RATE, 0, PLAIN_TILES);
      const largest = Math.max(...bands.map((b) => Math.abs(meter[b] - section5[b])));
      const bias = bands.reduce((sum, b) => sum + meter[b] - section5[b], 0) / bands.length;
      const plainMean = bands.reduce((sum, b) => sum + plain[b] - section5[b], 0) / bands.length;
      plainWorst = Math.max(plainWorst, plainMean);
      report.push(`${name} ${coherence}: largest ${largest.toFixed(4)}, mean ${bias.toFixed(4)} (plain: mean ${plainMean.toFixed(4)})`);
      assert.ok(largest <= 0.015 && Math.abs(bias) <= 0.004, report.join('; '));
    }
  }
  console.log(`mean tile ICC, meter - section 5, bands from 170 Hz: ${report.join('; ')}`);
  // The test can tell a biased tile shape: the plain one reads higher on average than 0.004 allows.
  assert.ok(plainWorst > 0.005, `plain 4-frame tiles: largest mean ${plainWorst.toFixed(4)}`);
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
