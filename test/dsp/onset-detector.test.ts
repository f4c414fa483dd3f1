import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OnsetDetector } from '../../src/dsp/onset-detector.js';
import { pinkNoise } from '../support/signals.js';

const SAMPLE_RATE = 48_000;

function gainsOf(signal: Float64Array): Float64Array {
  const gains = new Float64Array(signal.length);
  new OnsetDetector(SAMPLE_RATE).process(signal, gains, signal.length);
  return gains;
}

test('OnsetDetector: steady noise and a held tone never count as onsets', () => {
  const noise = Float64Array.from(pinkNoise(SAMPLE_RATE, 2, 0.5));
  const tone = Float64Array.from({ length: SAMPLE_RATE }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 220 * i) / SAMPLE_RATE));
  for (const [name, signal] of [['noise', noise], ['tone', tone]] as const) {
    const gains = gainsOf(signal);
    // After the first 100 ms (the slow envelope settling from silence), every gain is 1.
    assert.ok(gains.subarray(4800).every((gain) => gain === 1), name);
  }
});

test('OnsetDetector: a click after quiet is caught at once (gain < 1), and steady material after it recovers to 1', () => {
  const signal = new Float64Array(SAMPLE_RATE / 2);
  const quiet = pinkNoise(signal.length, 4, 0.01);
  for (let i = 0; i < signal.length; i++) signal[i] = quiet[i];
  const at = 12_000;
  for (let i = 0; i < 48; i++) signal[at + i] += 0.9 * Math.exp(-i / 10);
  const gains = gainsOf(signal);
  assert.ok(gains[at + 1] < 0.5, `gain right after the click: ${gains[at + 1]}`);
  assert.equal(gains[at - 1], 1, 'no gain change before the click (causal)');
  assert.ok(gains.subarray(at + 4800).every((gain) => gain === 1), 'recovered 100 ms later');
  assert.ok(gains.every((gain) => gain >= 0 && gain <= 1), "gains within 0..1 (0: the first sound after silence)");
});
