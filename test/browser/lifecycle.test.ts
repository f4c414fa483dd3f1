/// <reference types="mocha" />
/**
 * One lifecycle over all four faces (plain node, Tone node, WAM plugin, element): 100 create / play /
 * dispose cycles each, in a running AudioContext, with the learned model on (so each cycle starts a
 * Worker). Afterwards a probe node's stats say how many upmixer processors the audio thread still runs
 * (it must be the probe alone), every Worker that was started has been ended, and dispose twice is
 * harmless. The context's clock rate over a second is printed for the record.
 */
import { expect } from '@esm-bundle/chai';
import * as Tone from 'tone';
import { initializeWamHost } from '@webaudiomodules/sdk';
import { createUpmixer, RENDER_QUANTUM, type UpmixerNode } from '../../src/index.js';
import { UpmixerTone } from '../../src/tone.js';
import type StereoUpmixerWam from '../../src/wam.js';
import '../../src/ui/index.js';
import type { StereoUpmixerElement } from '../../src/ui/index.js';
import type { NodeChangeDetail } from '../../src/ui/stereo-upmixer.js';
import { WORKLET_URL } from './support/offline-render.js';
import { untilRenderedPast } from './support/rendered-quanta.js';
import { countWorkers, type WorkerCensus } from './support/worker-census.js';

const CYCLES = 100;
const MODEL = { workerUrl: '/dist/cue-model.worker.js', url: '/dist/cue-model.onnx' };
const PLUGIN_URL = '/dist/wam-plugin.js';

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Plays a probe upmixer for a moment and asks how many upmixer processors the context runs. */
async function runningProcessors(context: AudioContext): Promise<number> {
  const probe = await createUpmixer(context, { workletUrl: WORKLET_URL, model: false });
  const oscillator = context.createOscillator();
  oscillator.connect(probe).connect(context.destination);
  oscillator.start();
  // 300 ms of the context's audio (the probe's own quanta), not of the wall clock: see rendered-quanta.ts.
  await untilRenderedPast(probe, Math.ceil((0.3 * context.sampleRate) / RENDER_QUANTUM));
  const { runningProcessors: count } = await probe.getStats();
  oscillator.stop();
  probe.disconnect();
  probe.dispose();
  return count;
}

/** Context seconds per wall-clock second, over one second. */
async function clockRate(context: AudioContext): Promise<number> {
  const startWall = performance.now();
  const startAudio = context.currentTime;
  await pause(1000);
  return (context.currentTime - startAudio) / ((performance.now() - startWall) / 1000);
}

/** Creates one upmixer through a face, plays it briefly, and disposes of it the face's way. */
type Face = (context: AudioContext, source: AudioNode) => Promise<void>;

const faces: Record<string, Face> = {
  async 'plain node'(context, source) {
    const node = await createUpmixer(context, { workletUrl: WORKLET_URL, model: MODEL });
    source.connect(node).connect(context.destination);
    await pause(10);
    source.disconnect(node);
    node.disconnect();
    node.dispose();
    node.dispose(); // twice is harmless
    expect(node.processorStatus).to.equal('disposed');
    await node.getStats().then(
      () => expect.fail('getStats after dispose must reject'),
      (error: Error) => expect(error.message).to.match(/disposed/),
    );
  },
  async 'Tone node'(_context, source) {
    const upmixer = await UpmixerTone.create({ workletUrl: WORKLET_URL, model: MODEL });
    Tone.connect(source, upmixer);
    upmixer.toDestination();
    await pause(10);
    source.disconnect(upmixer.node as unknown as AudioNode);
    upmixer.dispose();
    expect(upmixer.node.processorStatus).to.equal('disposed');
  },
  async 'WAM plugin'(context, source) {
    const [hostGroupId] = await initializeWamHost(context);
    const Plugin = ((await import(/* @vite-ignore */ PLUGIN_URL)) as { default: typeof StereoUpmixerWam }).default;
    const plugin = (await Plugin.createInstance(hostGroupId, context, { model: true })) as StereoUpmixerWam;
    const node = plugin.audioNode;
    source.connect(node).connect(context.destination);
    await pause(10);
    source.disconnect(node);
    node.destroy();
    node.destroy();
    expect(node.processorStatus).to.equal('disposed');
  },
  async element(context, source) {
    const element = document.createElement('stereo-upmixer') as StereoUpmixerElement;
    element.workletUrl = WORKLET_URL;
    document.body.append(element);
    const created = new Promise<UpmixerNode>((resolve) =>
      element.addEventListener('nodechange', (event) => resolve((event as CustomEvent<NodeChangeDetail>).detail.node), { once: true }),
    );
    element.context = context;
    const node = await created;
    source.connect(node).connect(context.destination);
    await pause(10);
    source.disconnect(node);
    element.remove(); // leaving the page disposes of the node the element made (once the task is over: a move keeps it)
    await Promise.resolve();
    expect(node.processorStatus).to.equal('disposed');
  },
};

describe('lifecycle: create / play / dispose over every face', function () {
  this.timeout(300_000);
  /** The Workers started and ended (the model's Worker URL is pointed at the build). */
  let workers: WorkerCensus;
  before(() => {
    workers = countWorkers({ redirect: (url) => (url.includes('cue-model.worker') ? MODEL.workerUrl : url) });
  });
  after(() => {
    workers.restore();
  });

  for (const [name, face] of Object.entries(faces)) {
    it(`${name}: ${CYCLES} cycles leave no running processor and no Worker`, async () => {
      const context = name === 'Tone node' ? (Tone.getContext().rawContext as unknown as AudioContext) : new AudioContext({ sampleRate: 48_000 });
      if (name === 'Tone node') await Tone.start();
      await context.resume();
      // createOscillator: Tone's context is standardized-audio-context's, where `new OscillatorNode` fails.
      const source = context.createOscillator();
      source.type = 'sawtooth';
      source.start();
      const startedBefore = workers.started;
      for (let cycle = 0; cycle < CYCLES; cycle++) await face(context, source);
      expect(workers.started - startedBefore, 'a Worker per cycle (the model was on)').to.equal(CYCLES);
      expect(workers.ended, 'every Worker ended').to.equal(workers.started);
      expect(await runningProcessors(context), 'upmixer processors still running besides the probe').to.equal(1);
      const rate = await clockRate(context);
      console.log(`${name}: after ${CYCLES} disposed nodes the context's clock runs at ${rate.toFixed(2)}x real time`);
      source.stop();
      if (name !== 'Tone node') await context.close();
    });
  }
});
