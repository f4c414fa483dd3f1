import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BAND_COUNT, bandEdges } from '../../src/dsp/bands.js';
import { FixedCueSource } from '../../src/dsp/cue-source.js';
import { renderEngine } from '../support/render.js';
import { ensembleChords } from '../support/music-like.js';
import { pinkNoise } from '../support/signals.js';
import { meanTileIcc } from '../support/tile-icc.js';

/**
 * Realisation (design section 5): with uniform ICC cues the output's ICC, measured the way the metrics
 * measure it (2048-point Hann, hop 512, mean over active tiles of 8 frames, per band), must equal the
 * cue within 0.05 in every band from 170 Hz to 6 kHz. The cue is a tile ICC (the model's targets and the
 * oracle profiles are means of tile ICCs), and the engine's closed-loop feedback (icc-feedback.ts, on by
 * default in quality mode) realises it as one. On music-like material (steady harmonic chords over
 * reverberant noise) a time-invariant decorrelator leaves D coherent with M in bands with few partials;
 * below 739 Hz the side comes from the low-band path's 2048-point frames (low-band-path.ts, on by default
 * in quality mode), which the 0.3 target needs in 179-600 Hz.
 */
const SAMPLE_RATE = 44_100;
const TARGETS = [0.3, 0.6, 0.9];
const TOLERANCE = 0.05;
const GOAL_LOW = 170;
const GOAL_HIGH = 6000;
const ALL_LEFT = new Array<number>(BAND_COUNT).fill(1);

const music = ensembleChords(SAMPLE_RATE, 6);
const noise = pinkNoise(6 * SAMPLE_RATE, 22);
const edges = bandEdges();
const centres = Array.from({ length: BAND_COUNT }, (_, b) => Math.sqrt(edges[b] * edges[b + 1]));
const goalBands = centres.flatMap((centre, b) => (centre >= GOAL_LOW && centre <= GOAL_HIGH ? [b] : []));

/** Mean tile ICC per band of the engine's output for a uniform ICC target (|ILD| 0, every band left). */
function rendered(input: Float32Array, target: number, iccFeedback = true, lowBandPath = true): Float64Array {
  const { left, right, engine } = renderEngine(input, {
    sampleRate: SAMPLE_RATE,
    mode: 'quality',
    cueSource: FixedCueSource.uniform(target, 0),
    controls: { bassMonoHz: 0 },
    panDirections: ALL_LEFT,
    iccFeedback,
    lowBandPath,
  });
  return meanTileIcc(left, right, SAMPLE_RATE, engine.latency + 4096);
}
const measured = new Map(TARGETS.map((target) => [target, rendered(music, target)]));

/** The bands among `bands` whose mean tile ICC `icc` misses `target` by more than `tolerance`. */
function misses(icc: Float64Array, target: number, bands: number[], tolerance = TOLERANCE): string[] {
  return bands.filter((b) => !(Math.abs(icc[b] - target) <= tolerance)).map((b) => `ICC ${target}: band ${b} (${centres[b].toFixed(0)} Hz) ${icc[b].toFixed(3)}`);
}

// The goal of issue 7. Measured in bands 2-5 (179-600 Hz) at ICC 0.3: 0.306, 0.326, 0.332, 0.282. Without
// the low-band path (1024-point frames: 1-3 bins per band there, and the feedback at its floor) they
// were 0.365, 0.415, 0.412, 0.378 (checked below).
test(`realisation on music-like material: mean tile ICC within ${TOLERANCE} of ${TARGETS.join(', ')} from ${GOAL_LOW} Hz to ${GOAL_HIGH / 1000} kHz`, (t) => {
  for (const target of TARGETS) t.diagnostic(`ICC ${target}, bands ${goalBands[0]}-${goalBands[goalBands.length - 1]}: ${goalBands.map((b) => (measured.get(target) as Float64Array)[b].toFixed(3)).join(' ')}`);
  assert.deepEqual(TARGETS.flatMap((target) => misses(measured.get(target) as Float64Array, target, goalBands)), []);
});

// So that the test above can fail: without the low-band path, ICC 0.3 misses in 179-600 Hz.
test(`realisation on music-like material without the low-band path: ICC 0.3 misses in bands below 600 Hz`, () => {
  const low = goalBands.filter((b) => centres[b] < 600);
  assert.notDeepEqual(misses(rendered(music, 0.3, true, false), 0.3, low), []);
});

// Measured 0.012, 0.009, 0.003; without the low-band path 0.030, 0.009, 0.003; before the feedback 0.069,
// 0.022, 0.004; before D was orthogonalised 0.125, 0.063, 0.017.
test(`realisation on music-like material: mean |ICC error| over the bands from ${GOAL_LOW} Hz to ${GOAL_HIGH / 1000} kHz at most 0.015, 0.012, 0.006 for ICC 0.3, 0.6, 0.9`, () => {
  const limits = new Map([[0.3, 0.015], [0.6, 0.012], [0.9, 0.006]]);
  const found: string[] = [];
  for (const target of TARGETS) {
    const icc = measured.get(target) as Float64Array;
    const error = goalBands.reduce((sum, b) => sum + Math.abs(icc[b] - target), 0) / goalBands.length;
    if (!(error <= (limits.get(target) as number))) found.push(`ICC ${target}: mean |error| ${error.toFixed(3)}`);
  }
  assert.deepEqual(found, []);
});

// On noise the tile ICC of a band of few bins is biased upward (a tile holds few independent values):
// the feed-forward synthesis, exact in the long run, measures up to 0.07 too coherent per tile at ICC
// 0.3; the feedback brings every band within 0.02.
test(`realisation on pink noise: mean tile ICC within ${TOLERANCE} of ${TARGETS.join(', ')} from ${GOAL_LOW} Hz to ${GOAL_HIGH / 1000} kHz with the feedback, not without it`, () => {
  assert.deepEqual(TARGETS.flatMap((target) => misses(rendered(noise, target), target, goalBands)), []);
  assert.notDeepEqual(misses(rendered(noise, 0.3, false), 0.3, goalBands), []);
});
