/// <reference types="mocha" />
/**
 * Any render quantum size the context uses (Chromium honours `renderSizeHint`): multiples of 128 give the
 * 128-sample render's samples exactly, other sizes the same samples 128 later, and the node reports that
 * latency; the mono sum stays the input.
 */
import { expect } from '@esm-bundle/chai';
import { frameConfigFor, LATENCY_MODES } from '../../src/index.js';
import { delayed, maxDifference, renderThroughUpmixer } from './support/offline-render.js';
import { PARITY_SAMPLE_RATE, paritySignal } from './support/parity-signal.js';

const TOLERANCE = 1e-6;

describe('render quantum sizes', () => {
  for (const mode of LATENCY_MODES) {
    for (const stereo of [false, true]) {
      const { left: inputLeft, right: inputRight } = paritySignal({ mode, stereo });
      const render = (renderSizeHint?: number) =>
        renderThroughUpmixer({ kind: 'native', sampleRate: PARITY_SAMPLE_RATE, left: inputLeft, right: inputRight, renderSizeHint, options: { mode } });

      for (const size of [256, 512, 441]) {
        it(`${mode} mode, ${stereo ? 'stereo' : 'mono'} input, quantum ${size}: the 128-sample render's output, latency reported exactly`, async () => {
          const reference = await render();
          const { left, right, upmixer } = await render(size);
          const added = size % 128 === 0 ? 0 : 128;
          expect(upmixer.latencySamples).to.equal(frameConfigFor(PARITY_SAMPLE_RATE, mode).latency + added);
          for (const [name, channel, expected] of [
            ['left', left, delayed(reference.left, added)],
            ['right', right, delayed(reference.right, added)],
          ] as const) {
            const { error, index } = maxDifference(channel, expected);
            expect(error, `${name}, worst at sample ${index}`).to.be.at.most(TOLERANCE);
          }
          const input = new Float32Array(inputLeft.length);
          for (let i = 0; i < input.length; i++) input[i] = inputRight ? 0.5 * (inputLeft[i] + inputRight[i]) : inputLeft[i];
          const sum = new Float32Array(left.length);
          for (let i = 0; i < sum.length; i++) sum[i] = 0.5 * (left[i] + right[i]);
          const { error, index } = maxDifference(sum, delayed(input, upmixer.latencySamples));
          expect(error, `(L+R)/2 vs the input delayed by latencySamples, worst at ${index}`).to.be.at.most(1e-5);
          let energy = 0;
          for (let i = 0; i < left.length; i++) energy += (left[i] - right[i]) ** 2;
          expect(energy, 'the side is not silent').to.be.greaterThan(1);
        });
      }
    }
  }
});
