/// <reference types="mocha" />
/**
 * The output ceiling on every face: the node's `ceiling` option adds the limiter's look-ahead to the
 * reported latency (an impulse comes out exactly there) and holds a loud output under the `ceilingDb`
 * AudioParam; the Tone node and the WAM plugin expose the control; `<stereo-upmixer ceiling>` makes a
 * node with the limiter and shows its Ceiling slider (and none without).
 */
import { expect } from '@esm-bundle/chai';
import { initializeWamHost } from '@webaudiomodules/sdk';
import { frameConfigFor } from '../../src/index.js';
import { limiterLatency } from '../../src/dsp/peak-limiter.js';
import { UpmixerTone } from '../../src/tone.js';
import type StereoUpmixerWam from '../../src/wam.js';
import '../../src/ui/index.js';
import type { StereoUpmixerElement, NodeChangeDetail } from '../../src/ui/index.js';
import { renderThroughUpmixer, WORKLET_URL } from './support/offline-render.js';

const SAMPLE_RATE = 48_000;
const PLUGIN_URL = '/dist/wam-plugin.js';

describe('output ceiling', () => {
  it('node: latencySamples includes the limiter; an impulse below the ceiling comes out at exactly that sample', async () => {
    const input = new Float32Array(12_000);
    input[100] = 0.5;
    const { left, right, upmixer } = await renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: input, options: { mode: 'quality', ceiling: true, controls: { width: 0 } } });
    expect(upmixer.latencySamples).to.equal(frameConfigFor(SAMPLE_RATE, 'quality').latency + limiterLatency(SAMPLE_RATE));
    expect(left[100 + upmixer.latencySamples]).to.be.closeTo(0.5, 1e-6);
    expect(right[100 + upmixer.latencySamples]).to.be.closeTo(0.5, 1e-6);
    const plain = await renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: input, options: { mode: 'quality', controls: { width: 0 } } });
    expect(plain.upmixer.latencySamples).to.equal(frameConfigFor(SAMPLE_RATE, 'quality').latency);
  });

  it('node: a loud upmix stays under ceilingDb (-6 dBFS), which is an AudioParam', async () => {
    const input = new Float32Array(SAMPLE_RATE);
    let seed = 3;
    for (let i = 0; i < input.length; i++) {
      seed = (seed * 16807) % 2147483647;
      input[i] = 0.95 * ((seed / 2147483647) * 2 - 1);
    }
    const { left, right, upmixer } = await renderThroughUpmixer({
      kind: 'native',
      sampleRate: SAMPLE_RATE,
      left: input,
      options: { ceiling: true, controls: { width: 2 } },
      prepare: (node) => {
        (node as unknown as { ceilingDb: AudioParam }).ceilingDb.value = -6;
      },
    });
    let peak = 0;
    for (let i = 0; i < left.length; i++) peak = Math.max(peak, Math.abs(left[i]), Math.abs(right[i]));
    expect(peak).to.be.at.most(10 ** (-6 / 20) + 1e-6);
    expect(peak).to.be.above(0.4);
    expect((upmixer as unknown as { ceiling: boolean }).ceiling).to.equal(true);
  });

  it('Tone node and WAM plugin expose the ceiling', async () => {
    const context = new OfflineAudioContext({ numberOfChannels: 2, length: 4800, sampleRate: SAMPLE_RATE });
    const [hostGroupId] = await initializeWamHost(context);
    const Plugin = ((await import(/* @vite-ignore */ PLUGIN_URL)) as { default: typeof StereoUpmixerWam }).default;
    const plugin = (await Plugin.createInstance(hostGroupId, context, { model: false, ceiling: true })) as StereoUpmixerWam;
    const info = await plugin.audioNode.getParameterInfo('ceilingDb');
    expect(info.ceilingDb.defaultValue).to.equal(-1);
    expect(plugin.audioNode.ceiling).to.equal(true);
    expect((await plugin.audioNode.getState()).ceiling).to.equal(true);
    expect(await plugin.audioNode.getCompensationDelay()).to.equal(plugin.audioNode.latencySamples);
    plugin.audioNode.destroy();
    const tone = await UpmixerTone.create({ workletUrl: WORKLET_URL, model: false, ceiling: true });
    expect(tone.ceilingDb.value).to.be.closeTo(-1, 1e-6);
    expect(tone.latencySamples).to.equal(frameConfigFor(tone.context.sampleRate, 'quality').latency + limiterLatency(tone.context.sampleRate));
    tone.dispose();
  });

  it('<stereo-upmixer ceiling> makes a node with the limiter and shows its slider; without it, no slider', async () => {
    const context = new OfflineAudioContext({ numberOfChannels: 2, length: 4800, sampleRate: SAMPLE_RATE });
    for (const ceiling of [true, false]) {
      const element = document.createElement('stereo-upmixer') as StereoUpmixerElement;
      element.workletUrl = WORKLET_URL;
      element.model = false;
      element.ceiling = ceiling;
      document.body.append(element);
      const created = new Promise<NodeChangeDetail>((resolve) => element.addEventListener('nodechange', (event) => resolve((event as CustomEvent<NodeChangeDetail>).detail), { once: true }));
      element.context = context;
      const { node } = await created;
      await element.updateComplete;
      expect((node as unknown as { ceiling: boolean }).ceiling).to.equal(ceiling);
      expect(element.shadowRoot?.querySelector('[part="ceiling"]') !== null, 'ceiling slider shown').to.equal(ceiling);
      element.remove();
    }
  });
});
