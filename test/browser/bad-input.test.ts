/// <reference types="mocha" />
/** Corrupt input (NaN, infinities, absurd levels, denormals) never makes the output non-finite. */
import { expect } from '@esm-bundle/chai';
import { LATENCY_MODES } from '../../src/index.js';
import { renderThroughUpmixer } from './support/offline-render.js';
import { paritySignal } from './support/parity-signal.js';

const SAMPLE_RATE = 48_000;
const BAD_VALUES = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e30, -1e30, 1e-40, -1e-42, 1e-45];

function corrupted(): Float32Array {
  const signal = paritySignal({ mode: 'quality', stereo: false }).left.slice(0, 12_000);
  // Scattered bad samples, and a solid run of them (a denormal run exercises the filters' tails).
  for (let i = 0; i < BAD_VALUES.length; i++) signal[1_000 + 997 * i] = BAD_VALUES[i];
  signal.fill(Number.NaN, 5_000, 5_200);
  signal.fill(1e-40, 7_000, 9_000);
  return signal;
}

describe('bad input', () => {
  for (const mode of LATENCY_MODES) {
    it(`${mode} mode: NaN, Infinity, 1e30 and denormals give finite output everywhere`, async () => {
      const input = corrupted();
      expect(Number.isNaN(input[5_000]) && input[7_000] !== 0, 'the test signal holds the bad values').to.equal(true);
      const { left, right, upmixer } = await renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: input, options: { mode } });
      // The processor still answers after an offline render has finished.
      const stats = await upmixer.getStats();
      const badSamples = input.reduce((count, sample) => count + (Math.abs(sample) <= 1000 ? 0 : 1), 0);
      // The node's explicit 2-channel input up-mixes the mono source, so the engine sees each bad sample twice.
      expect(stats.badInputSamples, 'bad input samples counted').to.equal(2 * badSamples);
      for (const [name, channel] of [['left', left], ['right', right]] as const) {
        const firstBad = channel.findIndex((sample) => !Number.isFinite(sample));
        expect(firstBad, `${name}: first non-finite sample`).to.equal(-1);
        // Recovered: the clean noise at the end still comes through.
        let tailPeak = 0;
        for (let i = channel.length - 1_000; i < channel.length; i++) tailPeak = Math.max(tailPeak, Math.abs(channel[i]));
        expect(tailPeak, `${name}: signal after the bad samples`).to.be.above(0.05);
      }
    });
  }
});
