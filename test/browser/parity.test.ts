/// <reference types="mocha" />
/**
 * The worklet in Chromium gives the same samples as the engine in Node (rendered by the
 * `render-reference` server command), through native and standardized-audio-context contexts.
 */
import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import type { EncodedStereo } from './support/engine-reference.js';
import { CONTEXT_KINDS, maxDifference, renderThroughUpmixer } from './support/offline-render.js';
import { paritySignal, PARITY_LENGTH, PARITY_SAMPLE_RATE, type ParityCase } from './support/parity-signal.js';

const TOLERANCE = 1e-6;

const CASES: readonly ParityCase[] = [
  { mode: 'live', stereo: false },
  { mode: 'quality', stereo: false },
  { mode: 'quality', stereo: true },
  // Stereo input takes the stereo path (input kind auto): its own image, re-spread.
  { mode: 'live', stereo: true, spread: 0.5 },
  { mode: 'quality', stereo: true, spread: 0.3 },
];

function decode(base64: string): Float32Array {
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  return new Float32Array(bytes.buffer);
}

describe('parity with the engine in Node', () => {
  for (const parityCase of CASES) {
    const label = `${parityCase.mode} mode, ${parityCase.stereo ? 'stereo' : 'mono'} input${parityCase.spread === undefined ? '' : `, spread ${parityCase.spread}`}`;
    let reference: { left: Float32Array; right: Float32Array; latency: number } | undefined;

    before(async () => {
      const encoded = await executeServerCommand<EncodedStereo, ParityCase>('render-reference', parityCase);
      reference = { left: decode(encoded.left), right: decode(encoded.right), latency: encoded.latency };
    });

    for (const kind of CONTEXT_KINDS) {
      it(`${label}, ${kind} OfflineAudioContext: within ${TOLERANCE}`, async () => {
        if (!reference) throw new Error('no reference render');
        const { left, right } = paritySignal(parityCase);
        const rendered = await renderThroughUpmixer({ kind, sampleRate: PARITY_SAMPLE_RATE, left, right, options: { mode: parityCase.mode, controls: parityCase.spread === undefined ? {} : { spread: parityCase.spread } } });
        expect(rendered.upmixer.latencySamples).to.equal(reference.latency);
        const leftError = maxDifference(rendered.left, reference.left, PARITY_LENGTH);
        const rightError = maxDifference(rendered.right, reference.right, PARITY_LENGTH);
        console.log(`parity ${label}, ${kind}: max |error| L ${leftError.error.toExponential(2)}, R ${rightError.error.toExponential(2)}`);
        expect(leftError.error, `left, worst at sample ${leftError.index}`).to.be.at.most(TOLERANCE);
        expect(rightError.error, `right, worst at sample ${rightError.index}`).to.be.at.most(TOLERANCE);
        // A silent or dual-mono render could match a broken reference: make sure there is a stereo signal.
        expect(maxDifference(rendered.left, new Float32Array(PARITY_LENGTH)).error).to.be.above(0.1);
        expect(maxDifference(rendered.left, rendered.right).error).to.be.above(0.01);
      });
    }
  }
});
