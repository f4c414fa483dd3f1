/// <reference types="mocha" />
/**
 * Offline renders in Chromium at the edges of what the node supports: 22.05 to 192 kHz, and renders
 * shorter than a quantum, one sample past one, or shorter than the latency (1, 127, 129, 3000 samples).
 * The output is finite and its mono sum is exactly the input delayed by `latencySamples` (all zeros
 * where the render ends before the latency has passed).
 */
import { expect } from '@esm-bundle/chai';
import { LATENCY_MODES } from '../../src/index.js';
import { whiteNoise } from '../support/signals.js';
import { delayed, maxDifference, renderThroughUpmixer } from './support/offline-render.js';

const RATES = [22_050, 44_100, 96_000, 192_000];
const LENGTHS = [1, 127, 129, 3000];

describe('sample rates and render lengths', () => {
  for (const mode of LATENCY_MODES) {
    it(`${mode} mode: ${RATES.join(', ')} Hz, ${LENGTHS.join(', ')} samples: finite, (L+R)/2 the delayed input`, async () => {
      for (const sampleRate of RATES) {
        for (const length of LENGTHS) {
          const input = whiteNoise(length, 3, 0.3);
          const { left, right, upmixer } = await renderThroughUpmixer({ kind: 'native', sampleRate, left: input, options: { mode } });
          const label = `${sampleRate} Hz, ${length} samples`;
          expect(left.every(Number.isFinite) && right.every(Number.isFinite), `${label}: finite`).to.equal(true);
          const sum = left.map((sample, i) => (sample + right[i]) / 2);
          const expected = upmixer.latencySamples >= length ? new Float32Array(length) : delayed(input, upmixer.latencySamples);
          expect(maxDifference(sum, expected).error, `${label}: mono sum`).to.be.at.most(1e-6);
        }
      }
    });
  }
});
