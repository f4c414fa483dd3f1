import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BandLayout } from '../../src/dsp/bands.js';
import { BandOrthogonalizer } from '../../src/dsp/band-orthogonalizer.js';
import { SeededRandom } from '../../src/dsp/pan-layout.js';

const SAMPLE_RATE = 44_100;
const FRAME = 1024;
const HOP = 512;

/** A half spectrum of independent random bins of amplitude `level` (uniform phase-ish parts). */
function randomSpectrum(random: SeededRandom, bins: number, level: number): Float64Array {
  const spectrum = new Float64Array(2 * bins);
  for (let i = 0; i < spectrum.length; i++) spectrum[i] = level * (2 * random.next() - 1);
  return spectrum;
}

test('BandOrthogonalizer: D_perp\'s gain follows a jump in M\'s level within the short window centred on the synthesised frame', () => {
  const layout = new BandLayout(SAMPLE_RATE, FRAME);
  const orthogonalizer = new BandOrthogonalizer(layout, SAMPLE_RATE, FRAME, HOP, 2);
  assert.equal(orthogonalizer.gainFrames, 5);
  const random = new SeededRandom(11);
  // M and an independent D as loud as each other, then M twice as loud (D lags it, as a decorrelator's does).
  for (let f = 0; f < 40; f++) orthogonalizer.observe(randomSpectrum(random, layout.binCount, 1), randomSpectrum(random, layout.binCount, 1));
  const before = Array.from(orthogonalizer.gains);
  for (let f = 0; f < orthogonalizer.gainFrames; f++) orthogonalizer.observe(randomSpectrum(random, layout.binCount, 2), randomSpectrum(random, layout.binCount, 1));
  for (let b = 12; b < layout.bandCount; b++) {
    // Bands of 11 bins or more: over 5 frames the gain is within 10% of the level ratio, and was near 1.
    assert.ok(Math.abs(before[b] - 1) < 0.1, `band ${b} before: ${before[b]}`);
    assert.ok(Math.abs(orthogonalizer.gains[b] - 2) < 0.2, `band ${b} after: ${orthogonalizer.gains[b]}`);
    assert.ok(orthogonalizer.windowFrames[b] > orthogonalizer.gainFrames, `band ${b}: the long window is longer`);
  }
});

test('BandOrthogonalizer, weighByArrival (live mode\'s trailing window): D arriving after M gets a gain near 1, not the one the frames without D would ask', () => {
  // Live mode's framing at 48 kHz: 256-point frames, no lookahead; g's window is the last 19 frames.
  const layout = new BandLayout(48_000, 256);
  const gainsAfterArrival = (weighByArrival: boolean): Float64Array => {
    const orthogonalizer = new BandOrthogonalizer(layout, 48_000, 256, 128, 0, { weighByArrival });
    const random = new SeededRandom(5);
    const silent = new Float64Array(2 * layout.binCount);
    // M alone (D is still in its pre-delay), then D as loud as M and independent of it for 6 frames.
    for (let f = 0; f < 12; f++) orthogonalizer.observe(randomSpectrum(random, layout.binCount, 1), silent);
    for (let f = 0; f < 6; f++) orthogonalizer.observe(randomSpectrum(random, layout.binCount, 1), randomSpectrum(random, layout.binCount, 1));
    return Float64Array.from(orthogonalizer.gains);
  };
  const trailing = gainsAfterArrival(false);
  const weighed = gainsAfterArrival(true);
  for (let b = 17; b < layout.bandCount; b++) {
    // Bands of 6 bins or more. Unweighed, g makes D_perp as loud as all 18 frames of M over 6 frames of
    // D: sqrt(18 / 6) = 1.7; weighed, the frames before D count for nothing and g stays near 1.
    assert.ok(trailing[b] > 1.5, `band ${b} unweighed: ${trailing[b]}`);
    assert.ok(Math.abs(weighed[b] - 1) < 0.25, `band ${b} weighed: ${weighed[b]}`);
  }
});

test('BandOrthogonalizer, followDeparture: when M stops and D goes on, g falls with M (D\'s tail does not stay in the side)', () => {
  // Live mode's framing at 48 kHz. M and an independent D as loud as each other, then M stops while D
  // goes on for 8 frames (its pre-delay and all-pass tail): 21 ms.
  const layout = new BandLayout(48_000, 256);
  const gainsAfterStop = (followDeparture: boolean): Float64Array => {
    const orthogonalizer = new BandOrthogonalizer(layout, 48_000, 256, 128, 0, { weighByArrival: true, followDeparture });
    const random = new SeededRandom(9);
    const silent = new Float64Array(2 * layout.binCount);
    for (let f = 0; f < 40; f++) orthogonalizer.observe(randomSpectrum(random, layout.binCount, 1), randomSpectrum(random, layout.binCount, 1));
    for (let f = 0; f < 8; f++) orthogonalizer.observe(silent, randomSpectrum(random, layout.binCount, 1));
    return Float64Array.from(orthogonalizer.gains);
  };
  const held = gainsAfterStop(false);
  const following = gainsAfterStop(true);
  for (let b = 17; b < layout.bandCount; b++) {
    // Without: g over the trailing window still holds the frames with M (about sqrt(11 / 19) = 0.76).
    // With: D's part at most twice M's power over the last 5 ms, which 8 frames of 2.7 ms have taken
    // down to 0.014 of what it was: g at most sqrt(2 x 0.014) = 0.17.
    assert.ok(held[b] > 0.5, `band ${b} without: ${held[b]}`);
    assert.ok(following[b] < 0.2, `band ${b} with: ${following[b]}`);
  }
});
