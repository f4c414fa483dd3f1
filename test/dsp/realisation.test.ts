import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BAND_COUNT, bandEdges, bandIndexOf } from '../../src/dsp/bands.js';
import { FixedCueSource } from '../../src/dsp/cue-source.js';
import { RealFft } from '../../src/dsp/real-fft.js';
import { renderEngine } from '../support/render.js';
import { musicLike } from '../support/music-like.js';

/**
 * Realisation on music-like material (design section 5): steady harmonic chords over reverberant noise,
 * where a time-invariant decorrelator leaves D coherent with M in bands with few partials. With uniform
 * ICC cues the output's ICC, measured the way the metrics measure it (2048-point Hann, hop 512, mean
 * over active tiles of 8 frames, per band), must equal the target within 0.05 in every band from 170 Hz
 * to 6 kHz. (White and pink noise are checked in cue-accuracy.test.ts.)
 */
const SAMPLE_RATE = 44_100;
const TARGETS = [0.3, 0.6, 0.9];
const TOLERANCE = 0.05;
const GOAL_LOW = 170;
const GOAL_HIGH = 6000;
const N = 2048;
const HOP = 512;
const TILE = 8;
const ALL_LEFT = new Array<number>(BAND_COUNT).fill(1);

/** Mean over active tiles of the tile ICC per band: |sum L conj(R)| / sqrt(sum |L|^2 sum |R|^2). */
function meanTileIcc(left: Float32Array, right: Float32Array, start: number): Float64Array {
  const edges = bandEdges();
  const fft = new RealFft(N);
  const window = new Float64Array(N);
  for (let n = 0; n < N; n++) window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / N);
  const bandOfBin = new Int32Array(N / 2 + 1);
  for (let k = 0; k <= N / 2; k++) bandOfBin[k] = bandIndexOf((k * SAMPLE_RATE) / N, edges);
  const frameL = new Float64Array(N);
  const frameR = new Float64Array(N);
  const specL = new Float64Array(N + 2);
  const specR = new Float64Array(N + 2);
  const tiles = Math.floor((left.length - start - N) / HOP / TILE);
  // Per tile and band: sum |L|^2, sum |R|^2, Re and Im of sum L conj(R).
  const sums = new Float64Array(tiles * BAND_COUNT * 4);
  for (let t = 0; t < tiles; t++) {
    for (let f = 0; f < TILE; f++) {
      const offset = start + (t * TILE + f) * HOP;
      for (let n = 0; n < N; n++) {
        frameL[n] = left[offset + n] * window[n];
        frameR[n] = right[offset + n] * window[n];
      }
      fft.forward(frameL, specL);
      fft.forward(frameR, specR);
      for (let k = 0; k <= N / 2; k++) {
        const at = 4 * (t * BAND_COUNT + bandOfBin[k]);
        const lr = specL[2 * k], li = specL[2 * k + 1], rr = specR[2 * k], ri = specR[2 * k + 1];
        sums[at] += lr * lr + li * li;
        sums[at + 1] += rr * rr + ri * ri;
        sums[at + 2] += lr * rr + li * ri;
        sums[at + 3] += li * rr - lr * ri;
      }
    }
  }
  let level = 0;
  for (let i = 0; i < sums.length; i += 4) level += 0.5 * (sums[i] + sums[i + 1]);
  level /= tiles;
  const icc = new Float64Array(BAND_COUNT);
  for (let b = 0; b < BAND_COUNT; b++) {
    let total = 0;
    let count = 0;
    for (let t = 0; t < tiles; t++) {
      const at = 4 * (t * BAND_COUNT + b);
      const power = 0.5 * (sums[at] + sums[at + 1]);
      if (!(power > 1e-6 * level)) continue;
      total += Math.hypot(sums[at + 2], sums[at + 3]) / Math.sqrt(sums[at] * sums[at + 1]);
      count++;
    }
    icc[b] = count > 0 ? total / count : Number.NaN;
  }
  return icc;
}

// Six-note chords of three-voice ensembles (+-10 cents, 0.4% vibrato) over reverberant noise.
const input = musicLike({ sampleRate: SAMPLE_RATE, seconds: 6, seed: 7, notes: 6, voices: 3, detuneCents: 10, vibrato: 0.004, noiseLevel: 0.6 });
const edges = bandEdges();
const centres = Array.from({ length: BAND_COUNT }, (_, b) => Math.sqrt(edges[b] * edges[b + 1]));
const goalBands = centres.flatMap((centre, b) => (centre >= GOAL_LOW && centre <= GOAL_HIGH ? [b] : []));

/** Mean tile ICC per band of the engine's output for a uniform ICC target (|ILD| 0, every band left). */
function rendered(target: number): Float64Array {
  const { left, right, engine } = renderEngine(input, {
    sampleRate: SAMPLE_RATE,
    mode: 'quality',
    cueSource: FixedCueSource.uniform(target, 0),
    controls: { bassMonoHz: 0 },
    panDirections: ALL_LEFT,
  });
  return meanTileIcc(left, right, engine.latency + 4096);
}
const measured = new Map(TARGETS.map((target) => [target, rendered(target)]));

/** The bands among `bands` whose mean tile ICC misses `target` by more than `tolerance`. */
function misses(target: number, bands: number[], tolerance: number): string[] {
  const icc = measured.get(target) as Float64Array;
  return bands.filter((b) => !(Math.abs(icc[b] - target) <= tolerance)).map((b) => `ICC ${target}: band ${b} (${centres[b].toFixed(0)} Hz) ${icc[b].toFixed(3)}`);
}

// The goal of issue 7. Not met yet below about 1.4 kHz at ICC 0.3 and 0.6: there steady partials leave
// D coherent with M in many tiles (design section 3), and the orthogonalised remainder of D, limited to
// +9.5 dB, is too weak to reach the target (up to +0.25 at ICC 0.3 in bands 2-5, +0.09 at ICC 0.6). Kept
// as a todo so the gap stays visible; training/realisation.py measures the same on real music.
test(`realisation on music-like material: mean tile ICC within ${TOLERANCE} of ${TARGETS.join(', ')} from ${GOAL_LOW} Hz to ${GOAL_HIGH / 1000} kHz`, { todo: 'steady partials below 1.4 kHz bound the low targets' }, () => {
  assert.deepEqual(TARGETS.flatMap((target) => misses(target, goalBands, TOLERANCE)), []);
});

// The engine before D was orthogonalised missed these by up to 0.06 (ICC 0.3 at 1.9 kHz, 0.6 at 3-6 kHz).
test(`realisation on music-like material: mean tile ICC within ${TOLERANCE} of every target from 1.4 kHz to ${GOAL_HIGH / 1000} kHz`, () => {
  const upper = goalBands.filter((b) => centres[b] >= 1400);
  assert.deepEqual(TARGETS.flatMap((target) => misses(target, upper, TOLERANCE)), []);
});

// Measured 0.069, 0.022, 0.004; before D was orthogonalised 0.125, 0.063, 0.017.
test(`realisation on music-like material: mean |ICC error| over the bands from ${GOAL_LOW} Hz to ${GOAL_HIGH / 1000} kHz at most 0.09, 0.04, 0.012 for ICC 0.3, 0.6, 0.9`, () => {
  const limits = new Map([[0.3, 0.09], [0.6, 0.04], [0.9, 0.012]]);
  const found: string[] = [];
  for (const target of TARGETS) {
    const icc = measured.get(target) as Float64Array;
    const error = goalBands.reduce((sum, b) => sum + Math.abs(icc[b] - target), 0) / goalBands.length;
    if (!(error <= (limits.get(target) as number))) found.push(`ICC ${target}: mean |error| ${error.toFixed(3)}`);
  }
  assert.deepEqual(found, []);
});
