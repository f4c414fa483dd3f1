/**
 * The stereo-input detector's hysteresis: stereo above -90 dB of side, mono again only after the side has
 * stayed below -96 dB for the hold in a row, so a side hovering between the thresholds keeps the path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RENDER_QUANTUM } from '../../src/dsp/frame-config.js';
import { MONO_HOLD_SECONDS, StereoInputDetector } from '../../src/dsp/stereo-input-detector.js';

const SAMPLE_RATE = 48_000;
const HOLD_QUANTA = Math.ceil((MONO_HOLD_SECONDS * SAMPLE_RATE) / RENDER_QUANTUM);
const left = new Float64Array(RENDER_QUANTUM);
const right = new Float64Array(RENDER_QUANTUM);

/** One quantum whose side power is exactly `sideDb` relative to its mid power. */
function observe(detector: StereoInputDetector, sideDb: number): void {
  let midPower = 0;
  let sidePower = 0;
  for (let i = 0; i < RENDER_QUANTUM; i++) {
    midPower += Math.sin(0.05 * i + 1) ** 2;
    sidePower += Math.sin(0.31 * i + 2) ** 2;
  }
  const scale = Math.sqrt((10 ** (sideDb / 10) * midPower) / sidePower);
  for (let i = 0; i < RENDER_QUANTUM; i++) {
    const m = Math.sin(0.05 * i + 1);
    const s = scale * Math.sin(0.31 * i + 2);
    left[i] = m + s;
    right[i] = m - s;
  }
  detector.observe(left, right, RENDER_QUANTUM);
}

test('the detector turns stereo at once and mono after the hold of quanta below -96 dB in a row', () => {
  const detector = new StereoInputDetector(SAMPLE_RATE);
  observe(detector, -120);
  assert.equal(detector.stereo, false);
  observe(detector, -60);
  assert.equal(detector.stereo, true);
  for (let q = 0; q < HOLD_QUANTA - 1; q++) observe(detector, -120);
  assert.equal(detector.stereo, true, 'still stereo one quantum before the hold ends');
  observe(detector, -120);
  assert.equal(detector.stereo, false);
});

test('a side hovering between -96 and -90 dB keeps the stereo path: quanta there restart the hold', () => {
  const detector = new StereoInputDetector(SAMPLE_RATE);
  observe(detector, -60);
  assert.equal(detector.stereo, true);
  // Many times the hold in all of quanta below -96 dB, but never the hold in a row: each run is cut by a
  // quantum at -93 dB (between the thresholds). Counting on across those flipped the path to mono.
  for (let run = 0; run < 10; run++) {
    for (let q = 0; q < HOLD_QUANTA - 2; q++) observe(detector, -120);
    observe(detector, -93);
  }
  assert.equal(detector.stereo, true);
});
