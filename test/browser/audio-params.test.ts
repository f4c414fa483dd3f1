/// <reference types="mocha" />
/** The controls are AudioParams on the node: set directly or automated, they reach the engine. */
import { expect } from '@esm-bundle/chai';
import { CONTROL_SPECS } from '../../src/index.js';
import { delayed, maxDifference, renderThroughUpmixer, type ContextKind } from './support/offline-render.js';
import { whiteNoise } from '../support/signals.js';
import { paritySignal } from './support/parity-signal.js';

const SAMPLE_RATE = 48_000;
const TOLERANCE = 1e-6;
/** Well past the 10 ms bypass crossfade (its residue there is e^-20) and any frame in flight. */
const SETTLED = Math.round(0.2 * SAMPLE_RATE);

const mono = paritySignal({ mode: 'quality', stereo: false }).left;
const stereo = paritySignal({ mode: 'quality', stereo: true });

describe('AudioParams', () => {
  it('exposes one k-rate AudioParam per control, with the ranges and defaults of CONTROL_SPECS', async () => {
    const { upmixer } = await renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: new Float32Array(128) });
    for (const spec of CONTROL_SPECS) {
      const param = upmixer[spec.name] as unknown as AudioParam;
      expect(param.defaultValue, spec.name).to.equal(spec.defaultValue);
      expect(param.minValue, spec.name).to.equal(spec.min);
      expect(param.maxValue, spec.name).to.equal(spec.max);
      expect(param.automationRate, spec.name).to.equal('k-rate');
    }
  });

  for (const kind of ['native', 'standardized'] as const satisfies readonly ContextKind[]) {
    it(`${kind}: width.value = 0 makes L == R`, async () => {
      const { left, right } = await renderThroughUpmixer({
        kind,
        sampleRate: SAMPLE_RATE,
        left: mono,
        prepare: (upmixer) => {
          upmixer.width.value = 0;
        },
      });
      expect(maxDifference(left, right).error).to.be.at.most(TOLERANCE);
      expect(maxDifference(left, new Float32Array(left.length)).error, 'not silent').to.be.above(0.1);
    });
  }

  it('width automated to 0 at 0.1 s: stereo before, L == R once the glide has landed', async () => {
    // The engine glides the side gains (a ~40 ms one-pole that snaps at -120 dB), so 1e-6 takes ~0.6 s.
    const long = whiteNoise(Math.round(1.2 * SAMPLE_RATE), 3, 0.3);
    const change = Math.round(0.1 * SAMPLE_RATE);
    const landed = change + Math.round(0.8 * SAMPLE_RATE);
    const { left, right } = await renderThroughUpmixer({
      kind: 'native',
      sampleRate: SAMPLE_RATE,
      left: long,
      prepare: (upmixer) => {
        upmixer.width.setValueAtTime(0, change / SAMPLE_RATE);
      },
    });
    expect(maxDifference(left, right, change).error, 'before the change').to.be.above(0.01);
    expect(maxDifference(left, right, left.length, landed).error, 'after the glide').to.be.at.most(TOLERANCE);
  });

  it('bypass = 1 gives the delayed input on both channels after the crossfade (mono input)', async () => {
    const { left, right, upmixer } = await renderThroughUpmixer({
      kind: 'native',
      sampleRate: SAMPLE_RATE,
      left: mono,
      prepare: (node) => {
        node.bypass.value = 1;
      },
    });
    const expected = delayed(mono, upmixer.latencySamples);
    expect(maxDifference(left, expected, left.length, SETTLED).error, 'left').to.be.at.most(TOLERANCE);
    expect(maxDifference(right, expected, right.length, SETTLED).error, 'right').to.be.at.most(TOLERANCE);
  });

  it('bypass = 1 passes stereo input through delayed, each channel to itself', async () => {
    const right = stereo.right ?? new Float32Array(0);
    const rendered = await renderThroughUpmixer({
      kind: 'native',
      sampleRate: SAMPLE_RATE,
      left: stereo.left,
      right,
      prepare: (node) => {
        node.bypass.value = 1;
      },
    });
    const latency = rendered.upmixer.latencySamples;
    expect(maxDifference(rendered.left, delayed(stereo.left, latency), stereo.left.length, SETTLED).error, 'left').to.be.at.most(TOLERANCE);
    expect(maxDifference(rendered.right, delayed(right, latency), right.length, SETTLED).error, 'right').to.be.at.most(TOLERANCE);
  });
});
