/// <reference types="mocha" />
/**
 * An offline render waits for the model to load, but not forever: a model Worker that never answers
 * (a stalled download; here a module that loads and does nothing) fails after `loadTimeoutMs` with a
 * `modelerror` saying so, and the render goes on with the fixed profile.
 */
import { expect } from '@esm-bundle/chai';
import { createUpmixer, type ModelStatusDetail } from '../../src/index.js';
import { WORKLET_URL } from './support/offline-render.js';

/** A module that a Worker loads and that never answers (the engine's bundle: no message handler). */
const SILENT_WORKER_URL = '/dist/dsp.js';

describe('model loading in an offline render', () => {
  it('a model Worker that never answers fails after loadTimeoutMs; createUpmixer resolves and the render uses the fixed profile', async () => {
    const sampleRate = 48_000;
    const context = new OfflineAudioContext({ numberOfChannels: 2, length: sampleRate / 2, sampleRate });
    const created = createUpmixer(context, { workletUrl: WORKLET_URL, model: { workerUrl: SILENT_WORKER_URL, loadTimeoutMs: 1000 } });
    // Only a hang guard, below the runner's per-test timeout so that a hang says what hung (about 1 s quietly;
    // loading the worklet on a loaded machine takes much longer).
    const node = await Promise.race([created, new Promise<null>((resolve) => setTimeout(() => resolve(null), 60_000))]);
    if (node === null) expect.fail('createUpmixer still pending after 60 s');
    expect(node.modelStatus).to.equal('failed');
    expect(node.modelError).to.match(/did not load within 1 s/);
    const errors: string[] = [];
    node.addEventListener('modelerror', (event) => errors.push((event as CustomEvent<ModelStatusDetail>).detail.error ?? ''));
    const oscillator = new OscillatorNode(context, { type: 'sawtooth', frequency: 220 });
    oscillator.connect(node).connect(context.destination);
    oscillator.start();
    const rendered = await context.startRendering();
    const left = rendered.getChannelData(0);
    const right = rendered.getChannelData(1);
    let side = 0;
    for (let i = 0; i < left.length; i++) side += (left[i] - right[i]) ** 2;
    expect(left.every(Number.isFinite) && right.every(Number.isFinite), 'finite').to.equal(true);
    expect(side, 'the fixed profile widens it').to.be.above(1);
    const stats = await node.getStats();
    expect(stats.modelFrames).to.equal(0);
    expect(stats.fallbackFrames).to.be.above(0);
    expect(errors, 'no second modelerror').to.deep.equal([]);
    node.dispose();
  });
});
