/// <reference types="mocha" />
/**
 * A closed context never runs a node again. Creating an upmixer on one rejects with an error that says
 * so (native and standardized-audio-context's contexts alike, before any Worker starts); closing the
 * context of a live node ends it, model Worker included, as `dispose()` does; a finished offline render
 * ends its model Worker, and its stats stay readable.
 */
import { expect } from '@esm-bundle/chai';
import { AudioContext as StandardizedAudioContext } from 'standardized-audio-context';
import { createUpmixer, type UpmixerNode } from '../../src/index.js';
import { WORKLET_URL } from './support/offline-render.js';
import { countWorkers, type WorkerCensus } from './support/worker-census.js';

const MODEL = { workerUrl: '/dist/cue-model.worker.js', url: '/dist/cue-model.onnx' };
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once the node's model has loaded (or failed). */
function modelSettled(node: UpmixerNode): Promise<void> {
  if (node.modelStatus !== 'loading') return Promise.resolve();
  return new Promise((resolve) => node.addEventListener('modelstatus', () => resolve(), { once: true }));
}

describe('closed contexts', () => {
  let workers: WorkerCensus;
  before(() => {
    workers = countWorkers();
  });
  after(() => {
    workers.restore();
  });

  it('createUpmixer on a closed context rejects, saying so, and starts no Worker (native and standardized)', async () => {
    const native = new AudioContext();
    const standardized = new StandardizedAudioContext();
    await native.close();
    await standardized.close();
    const options = { workletUrl: WORKLET_URL, model: MODEL };
    for (const create of [() => createUpmixer(native, options), () => createUpmixer(standardized, options)]) {
      const startedBefore = workers.started;
      const error = await create().then(
        () => null,
        (reason: unknown) => reason,
      );
      expect(String(error)).to.match(/context is closed/i);
      expect(workers.started, 'Workers started').to.equal(startedBefore);
    }
  });

  it('closing the context of a live node ends the node and its model Worker', async () => {
    const context = new AudioContext();
    const startedBefore = workers.started;
    const endedBefore = workers.ended;
    const node = await createUpmixer(context, { workletUrl: WORKLET_URL, model: MODEL });
    await modelSettled(node);
    expect(node.modelStatus).to.equal('model');
    await context.close();
    await pause(0);
    expect(node.processorStatus).to.equal('disposed');
    expect(workers.started - startedBefore, 'Workers started').to.equal(1);
    expect(workers.ended - endedBefore, 'Workers ended').to.equal(1);
  });

  it('a finished offline render ends its model Worker; its stats stay readable', async () => {
    const context = new OfflineAudioContext({ numberOfChannels: 2, length: 9600, sampleRate: 48_000 });
    const endedBefore = workers.ended;
    const node = await createUpmixer(context, { workletUrl: WORKLET_URL, model: MODEL });
    const oscillator = new OscillatorNode(context);
    oscillator.connect(node).connect(context.destination);
    oscillator.start();
    await context.startRendering();
    await pause(0);
    expect(workers.ended - endedBefore, 'Workers ended').to.equal(1);
    const stats = await node.getStats();
    expect(stats.quanta).to.equal(9600 / 128);
    node.dispose();
  });
});
