/// <reference types="mocha" />
/** createUpmixer's contract beyond the signal path: options, module loading, messages, no input. */
import { expect } from '@esm-bundle/chai';
import { createUpmixer } from '../../src/index.js';
import { maxDifference, renderThroughUpmixer, WORKLET_URL } from './support/offline-render.js';
import { paritySignal } from './support/parity-signal.js';

const SAMPLE_RATE = 48_000;
const input = paritySignal({ mode: 'live', stereo: false }).left.slice(0, 12_000);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('createUpmixer', () => {
  it('adds the worklet module once per context', async () => {
    const context = new OfflineAudioContext({ numberOfChannels: 2, length: 128, sampleRate: SAMPLE_RATE });
    const addModule = context.audioWorklet.addModule.bind(context.audioWorklet);
    let loads = 0;
    context.audioWorklet.addModule = (url, options) => {
      loads++;
      return addModule(url, options);
    };
    const nodes = await Promise.all([createUpmixer(context, { workletUrl: WORKLET_URL, model: false }), createUpmixer(context, { workletUrl: WORKLET_URL, mode: 'live', model: false })]);
    expect(loads).to.equal(1);
    expect(nodes[0]).to.be.instanceOf(AudioWorkletNode);
    expect(nodes[1].mode).to.equal('live');
  });

  it('the built dist/index.js loads dist/upmixer.worklet.js beside it by default', async () => {
    const builtApi = '/dist/index.js';
    const { createUpmixer: createBuiltUpmixer } = (await import(builtApi)) as typeof import('../../src/index.js');
    const context = new OfflineAudioContext({ numberOfChannels: 2, length: 4_096, sampleRate: SAMPLE_RATE });
    const upmixer = await createBuiltUpmixer(context);
    upmixer.connect(context.destination);
    const rendered = await context.startRendering();
    expect(upmixer.latencySamples).to.be.above(0);
    expect(rendered.getChannelData(0).every((sample) => sample === 0)).to.equal(true);
  });

  it('rejects unknown modes, unknown controls, fractional variations and unsupported sample rates', async () => {
    const context = new OfflineAudioContext({ numberOfChannels: 2, length: 128, sampleRate: SAMPLE_RATE });
    const options = { workletUrl: WORKLET_URL };
    expect(await rejection(createUpmixer(context, { ...options, mode: 'fast' as 'live' }))).to.be.instanceOf(RangeError);
    expect(await rejection(createUpmixer(context, { ...options, controls: { depth: 1 } as object }))).to.be.instanceOf(RangeError);
    expect(await rejection(createUpmixer(context, { ...options, variation: 1.5 }))).to.be.instanceOf(RangeError);
    const slow = new OfflineAudioContext({ numberOfChannels: 2, length: 128, sampleRate: 8_000 });
    expect(await rejection(createUpmixer(slow, options))).to.be.instanceOf(RangeError);
  });

  it('clamps out-of-range initial controls instead of throwing', async () => {
    const { upmixer } = await renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: input, options: { controls: { width: 9, mix: -1 } } });
    expect(upmixer.width.value).to.equal(2);
    expect(upmixer.mix.value).to.equal(0);
  });

  it('a disconnected input gives silence', async () => {
    const { left, right } = await renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: new Float32Array(4_096), disconnected: true });
    expect(maxDifference(left, new Float32Array(left.length)).error).to.equal(0);
    expect(maxDifference(right, new Float32Array(right.length)).error).to.equal(0);
  });

  it('the variation option and setVariation change the pan layout; getStats answers', async () => {
    const options = { mode: 'live' as const };
    const first = await renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: input, options });
    const second = await renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: input, options: { ...options, variation: 2 } });
    expect(maxDifference(first.left, second.left).error, 'variation option').to.be.above(1e-3);
    const messaged = await renderThroughUpmixer({
      kind: 'native',
      sampleRate: SAMPLE_RATE,
      left: input,
      options,
      prepare: async (upmixer) => {
        upmixer.setVariation(2);
        // Port messages arrive in order: once stats come back, the variation is set.
        const stats = await upmixer.getStats();
        expect(stats.quanta).to.equal(0);
        expect(stats.fft, 'Chromium runs WebAssembly SIMD: the engine\'s FFTs are PFFFT\'s').to.equal('wasm-simd');
      },
    });
    expect(maxDifference(messaged.left, second.left).error, 'setVariation before rendering = variation option').to.equal(0);
  });
});
