/// <reference types="mocha" />
/** The latency the node reports is the latency measured on an impulse, in both modes. */
import { expect } from '@esm-bundle/chai';
import { frameConfigFor, LATENCY_MODES } from '../../src/index.js';
import { CONTEXT_KINDS, delayed, maxDifference, renderThroughUpmixer } from './support/offline-render.js';
import { paritySignal } from './support/parity-signal.js';

const SAMPLE_RATE = 48_000;
const LENGTH = 12_000;
const TOLERANCE = 1e-6;

function impulse(length: number): Float32Array {
  const signal = new Float32Array(length);
  signal[0] = 1;
  return signal;
}

describe('latency', () => {
  for (const mode of LATENCY_MODES) {
    for (const kind of CONTEXT_KINDS) {
      it(`${mode} mode, ${kind}: an impulse at width 0 leaves both channels at exactly latencySamples`, async () => {
        const input = impulse(LENGTH);
        const { left, right, upmixer } = await renderThroughUpmixer({ kind, sampleRate: SAMPLE_RATE, left: input, options: { mode, controls: { width: 0 } } });
        expect(upmixer.latencySamples).to.equal(frameConfigFor(SAMPLE_RATE, mode).latency);
        expect(upmixer.latencySeconds).to.be.closeTo(upmixer.latencySamples / SAMPLE_RATE, 1e-12);
        const expected = delayed(input, upmixer.latencySamples);
        for (const [name, channel] of [['left', left], ['right', right]] as const) {
          const { error, index } = maxDifference(channel, expected);
          expect(error, `${name} channel, worst at sample ${index}`).to.be.at.most(TOLERANCE);
          expect(channel[upmixer.latencySamples], name).to.be.closeTo(1, TOLERANCE);
        }
      });
    }

    it(`${mode} mode: at default width the mono sum is the input delayed by latencySamples`, async () => {
      const { left: input } = paritySignal({ mode, stereo: false });
      const { left, right, upmixer } = await renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: input, options: { mode } });
      const monoSum = new Float32Array(left.length);
      for (let i = 0; i < monoSum.length; i++) monoSum[i] = 0.5 * (left[i] + right[i]);
      const { error, index } = maxDifference(monoSum, delayed(input, upmixer.latencySamples));
      expect(error, `worst at sample ${index}`).to.be.at.most(TOLERANCE);
      expect(maxDifference(left, right).error, 'the output is stereo').to.be.above(0.01);
    });
  }
});
