import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BAND_COUNT, bandEdges } from '../../src/dsp/bands.js';
import { FixedCueSource } from '../../src/dsp/cue-source.js';
import { renderEngine } from '../support/render.js';
import { ensembleChords } from '../support/music-like.js';
import { measureBands } from '../support/stereo-metrics.js';
import { pinkNoise } from '../support/signals.js';
import { meanTileIcc } from '../support/tile-icc.js';

/**
 * Live mode on music-like material (the realisation tests' chords over reverberant noise). Without the
 * closed-loop feedback (off in live mode) a cue is realised as the long-run coherence of each band, as
 * cue-accuracy.test.ts checks on noise; here the same on music, where D lags M at every chord change.
 * While g (the gain on D - alpha M) was measured over a window that trails the frame and still held frames
 * of M without D, every chord change swelled the side: the long-run ICC came out 0.113, 0.087, 0.027
 * too low on average for 0.3, 0.6, 0.9 (bands 170 Hz-6 kHz). Counting M in g's window only where D had
 * arrived (band-orthogonalizer.ts, weighByArrival): 0.032, 0.023, 0.007. The mean tile ICC of design
 * section 5, which live mode does not aim at (its 256-sample frames own no bin in the lowest bands, and
 * a lone partial cannot be decorrelated), is held where it is: 0.101, 0.033, 0.006 (it was 0.081,
 * 0.036, 0.011: the swell had made up for the onsets' frames without D).
 */
const SAMPLE_RATE = 44_100;
const TARGETS = [0.3, 0.6, 0.9];
const GOAL_LOW = 170;
const GOAL_HIGH = 6000;
const ALL_LEFT = new Array<number>(BAND_COUNT).fill(1);

const edges = bandEdges();
const goalBands = Array.from({ length: BAND_COUNT }, (_, b) => b).filter((b) => {
  const centre = Math.sqrt(edges[b] * edges[b + 1]);
  return centre >= GOAL_LOW && centre <= GOAL_HIGH;
});

const meanError = (icc: Float64Array, target: number): number => goalBands.reduce((sum, b) => sum + Math.abs(icc[b] - target), 0) / goalBands.length;

/**
 * Renders `input` in live mode with uniform ICC targets (|ILD| 0, every band left) and returns what
 * misses the limits on the mean |ICC error| over the goal bands, long run (1024-point frames, as
 * cue-accuracy.test.ts) and per tile (design section 5), printing both per band.
 */
function misses(t: { diagnostic: (message: string) => void }, input: Float32Array, longRunLimits: number[], tileLimits: number[]): string[] {
  const found: string[] = [];
  const span = `bands ${goalBands[0]}-${goalBands[goalBands.length - 1]}`;
  TARGETS.forEach((target, i) => {
    const { left, right, engine } = renderEngine(input, {
      sampleRate: SAMPLE_RATE,
      mode: 'live',
      cueSource: FixedCueSource.uniform(target, 0),
      controls: { bassMonoHz: 0 },
      panDirections: ALL_LEFT,
    });
    const longRun = measureBands(left, right, SAMPLE_RATE, engine.layout.edges, engine.latency + 4096, 1024).icc;
    const tiles = meanTileIcc(left, right, SAMPLE_RATE, engine.latency + 4096);
    const longRunError = meanError(longRun, target);
    const tileError = meanError(tiles, target);
    t.diagnostic(`ICC ${target}: mean |error| long run ${longRunError.toFixed(3)}, tiles ${tileError.toFixed(3)}`);
    t.diagnostic(`  long run, ${span}: ${goalBands.map((b) => longRun[b].toFixed(2)).join(' ')}`);
    t.diagnostic(`  tiles,    ${span}: ${goalBands.map((b) => tiles[b].toFixed(2)).join(' ')}`);
    if (!(longRunError <= longRunLimits[i])) found.push(`ICC ${target}: long-run mean |error| ${longRunError.toFixed(3)}`);
    if (!(tileError <= tileLimits[i])) found.push(`ICC ${target}: tile mean |error| ${tileError.toFixed(3)}`);
  });
  return found;
}

const MUSIC_LONG_RUN = [0.05, 0.04, 0.015];
const MUSIC_TILES = [0.11, 0.04, 0.01];
test(`live mode on music-like material: mean |ICC error| from ${GOAL_LOW} Hz to ${GOAL_HIGH / 1000} kHz at most ${MUSIC_LONG_RUN.join(', ')} (long run) and ${MUSIC_TILES.join(', ')} (tiles) for ICC ${TARGETS.join(', ')}`, (t) => {
  assert.deepEqual(misses(t, ensembleChords(SAMPLE_RATE, 6), MUSIC_LONG_RUN, MUSIC_TILES), []);
});

/**
 * On steady noise D never lags M, and g's window must count M in full: the broadband D / M power ratio
 * of pink noise swings around 1 from frame to frame, and a frame counted short would lower g, a bias
 * towards coherence. Measured (the same before and after weighByArrival): long run 0.009, 0.006, 0.002;
 * tiles 0.023, 0.007, 0.002 (biased upward by the few bins a tile holds in low bands). Counting a frame
 * in full only where D carried all of M's power (ARRIVAL_FACTOR 1, not 2) gave long run 0.032, 0.022,
 * 0.007 and tiles 0.057, 0.033, 0.009 (on the music above 0.098 and 0.142 at 0.3).
 */
const NOISE_LONG_RUN = [0.012, 0.009, 0.004];
const NOISE_TILES = [0.03, 0.01, 0.004];
test(`live mode on pink noise: mean |ICC error| from ${GOAL_LOW} Hz to ${GOAL_HIGH / 1000} kHz at most ${NOISE_LONG_RUN.join(', ')} (long run) and ${NOISE_TILES.join(', ')} (tiles) for ICC ${TARGETS.join(', ')}`, (t) => {
  assert.deepEqual(misses(t, pinkNoise(6 * SAMPLE_RATE, 22), NOISE_LONG_RUN, NOISE_TILES), []);
});
