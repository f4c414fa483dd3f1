/// <reference types="mocha" />
/**
 * The WAM2 plugin, loaded the way a host loads one: initializeWamHost, a dynamic import of the built
 * self-contained plugin, createInstance; then audio through it, parameters, state save/restore, GUI.
 */
import { expect } from '@esm-bundle/chai';
import { initializeWamHost } from '@webaudiomodules/sdk';
import type StereoUpmixerWam from '../../src/wam.js';
import type { UpmixerWamNode, UpmixerWamState } from '../../src/wam.js';
import { STYLE_PRESETS } from '../../src/index.js';
import { audioBuffer, noiseMix } from './support/style-fixtures.js';

const SAMPLE_RATE = 48_000;
const LENGTH = SAMPLE_RATE / 2;
const PLUGIN_URL = '/dist/wam-plugin.js';

async function loadPlugin(): Promise<typeof StereoUpmixerWam> {
  const module = (await import(/* @vite-ignore */ PLUGIN_URL)) as { default: typeof StereoUpmixerWam };
  return module.default;
}

interface Rendered {
  left: Float32Array;
  right: Float32Array;
  node: UpmixerWamNode;
  plugin: StereoUpmixerWam;
}

async function renderThroughPlugin(initialState: unknown, prepare: (node: UpmixerWamNode) => Promise<void> = async () => undefined): Promise<Rendered> {
  const context = new OfflineAudioContext({ numberOfChannels: 2, length: LENGTH, sampleRate: SAMPLE_RATE });
  const [hostGroupId] = await initializeWamHost(context);
  const Plugin = await loadPlugin();
  const plugin = (await Plugin.createInstance(hostGroupId, context, initialState)) as StereoUpmixerWam;
  const node = plugin.audioNode;
  const oscillator = new OscillatorNode(context, { type: 'sawtooth', frequency: 220 });
  oscillator.connect(node).connect(context.destination);
  oscillator.start(0);
  await prepare(node);
  // Port messages (variation) arrive in order: once stats come back, everything sent before is applied.
  await node.getStats();
  const output = await context.startRendering();
  return { left: output.getChannelData(0), right: output.getChannelData(1), node, plugin };
}

function largestDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('WAM plugin', () => {
  it('loads like a host loads it and renders finite stereo', async () => {
    const { left, right, node, plugin } = await renderThroughPlugin({ mode: 'live', model: false });
    expect(plugin.isWebAudioModule).to.equal(true);
    expect(plugin.descriptor.isInstrument).to.equal(false);
    expect(plugin.descriptor.hasAudioInput && plugin.descriptor.hasAudioOutput).to.equal(true);
    expect(plugin.descriptor.name).to.equal('Stereo Upmixer');
    expect(plugin.descriptor.apiVersion).to.equal('2.0.0');
    expect(left.every(Number.isFinite) && right.every(Number.isFinite)).to.equal(true);
    expect(Math.max(...left.map(Math.abs)), 'not silent').to.be.above(0.1);
    expect(largestDifference(left, right), 'L != R').to.be.above(0.01);
    expect(await node.getCompensationDelay()).to.equal(128);
    expect(await plugin.getCompensationDelay()).to.equal(128);
  });

  it('parameters: info, values (plain and normalized), set, automation events', async () => {
    await renderThroughPlugin({ model: false }, async (node) => {
      const info = await node.getParameterInfo();
      expect(Object.keys(info)).to.have.members(['width', 'bassMonoHz', 'mix', 'bypass', 'ceilingDb', 'spread', 'variation', 'input', 'style']);
      expect(info.spread.maxValue).to.equal(1);
      expect(info.input.type).to.equal('choice');
      expect(info.input.choices).to.deep.equal(['auto', 'mono', 'stereo']);
      expect(info.width.maxValue).to.equal(2);
      expect(info.bypass.type).to.equal('boolean');
      expect(info.variation.type).to.equal('int');
      await node.setParameterValues({ width: { id: 'width', value: 0.25, normalized: true }, variation: { id: 'variation', value: 7, normalized: false } });
      const values = await node.getParameterValues(false);
      expect(values.width.value).to.equal(0.5);
      expect(values.variation.value).to.equal(7);
      expect((await node.getParameterValues(true, 'width')).width.value).to.equal(0.25);
      node.scheduleEvents({ type: 'wam-automation', data: { id: 'bypass', value: 1, normalized: false } });
      expect(node.bypass.value, 'untimed events apply at once').to.equal(1);
      node.scheduleEvents({ type: 'wam-automation', data: { id: 'mix', value: 0.5, normalized: false }, time: 0.1 });
    });
  });

  it('spread and input: parameters that move the node, saved with the state and restored from it', async () => {
    let saved: UpmixerWamState | undefined;
    await renderThroughPlugin({ model: false }, async (node) => {
      await node.setParameterValues({ spread: { id: 'spread', value: 0.4, normalized: false }, input: { id: 'input', value: 2, normalized: false } });
      expect(node.spread.value).to.be.closeTo(0.4, 1e-6);
      expect(node.input).to.equal('stereo');
      node.scheduleEvents({ type: 'wam-automation', data: { id: 'input', value: 1, normalized: false } });
      expect(node.input).to.equal('mono');
      expect((await node.getParameterValues(false, 'input')).input.value).to.equal(1);
      saved = (await node.getState()) as UpmixerWamState;
    });
    expect(saved?.parameters.spread).to.be.closeTo(0.4, 1e-6);
    expect(saved?.parameters.input).to.equal(1);
    const restored = await renderThroughPlugin(saved);
    expect(restored.node.spread.value).to.be.closeTo(0.4, 1e-6);
    expect(restored.node.input).to.equal('mono');
    await restored.node.setState({ ...saved, parameters: { ...saved!.parameters, input: 0 } });
    expect(restored.node.input).to.equal('auto');
  });

  it('style: a choice parameter of the presets, and part of the state (a reference\'s numbers and name), restored to the same samples', async () => {
    let saved: UpmixerWamState | undefined;
    const choices = ['default', ...STYLE_PRESETS.map((preset) => preset.name), 'custom'];
    const original = await renderThroughPlugin({ model: false }, async (node) => {
      const info = await node.getParameterInfo('style');
      expect(info.style.type).to.equal('choice');
      expect(info.style.choices).to.deep.equal(choices);
      expect((await node.getParameterValues(false, 'style')).style.value).to.equal(0);
      for (const [index, preset] of STYLE_PRESETS.entries()) {
        await node.setParameterValues({ style: { id: 'style', value: index + 1, normalized: false } });
        expect(node.styleName).to.equal(preset.name);
        expect((await node.getState()).style).to.deep.equal({ name: preset.name });
      }
      // The plugin's reference: analysed in the style Worker beside dist/wam-plugin.js.
      const mix = noiseMix(2 * SAMPLE_RATE, 0.3);
      await node.setReference(audioBuffer([mix.left, mix.right], SAMPLE_RATE), 'album track.flac');
      expect((await node.getParameterValues(false, 'style')).style.value, 'a reference reads as custom').to.equal(choices.length - 1);
      await node.setParameterValues({ style: { id: 'style', value: choices.length - 1, normalized: false } });
      expect(node.styleName, 'choosing custom keeps the style in use').to.equal('reference: album track.flac');
      saved = JSON.parse(JSON.stringify(await node.getState())) as UpmixerWamState;
    });
    expect(saved?.style?.name).to.equal('reference: album track.flac');
    expect(saved?.style?.icc).to.deep.equal([...original.node.style.icc]);
    expect(saved?.style?.ildDb).to.deep.equal([...original.node.style.ildDb]);
    const restored = await renderThroughPlugin({ model: false }, async (node) => {
      await node.setState(saved);
      expect(node.styleName).to.equal('reference: album track.flac');
    });
    expect(largestDifference(original.left, restored.left)).to.equal(0);
    expect(largestDifference(original.right, restored.right)).to.equal(0);
    const fromState = await renderThroughPlugin(saved);
    expect(fromState.node.styleName).to.equal('reference: album track.flac');
    expect(largestDifference(original.left, fromState.left), 'state as createInstance initial state').to.equal(0);
    const plain = await renderThroughPlugin({ model: false });
    expect(largestDifference(original.left, plain.left), 'the style changed the output').to.be.above(0.01);
    await plain.node.setState({ ...saved, style: { name: 'default' } });
    expect(plain.node.styleName, 'a preset state by name').to.equal('default');
  });

  it('timed automation events land at their time', async () => {
    const { node } = await renderThroughPlugin({ model: false }, async (node) => {
      node.scheduleEvents({ type: 'wam-automation', data: { id: 'mix', value: 0.5, normalized: false }, time: 0.1 });
      expect(node.mix.value).to.equal(1);
    });
    expect(node.mix.value, 'after rendering').to.equal(0.5);
  });

  for (const [id, value] of [['variation', 7], ['input', 2], ['style', 2]] as const) {
    it(`a timed ${id} event (a setting, not an AudioParam) lands at its time, not when it arrives`, async () => {
      const eventFrame = 150 * 128; // 0.4 s
      const plain = await renderThroughPlugin({ model: false });
      const timed = await renderThroughPlugin({ model: false }, async (node) => {
        node.scheduleEvents({ type: 'wam-automation', data: { id, value, normalized: false }, time: eventFrame / SAMPLE_RATE });
      });
      expect(largestDifference(plain.left.subarray(0, eventFrame), timed.left.subarray(0, eventFrame)), 'before its time').to.equal(0);
      expect(largestDifference(plain.left.subarray(eventFrame), timed.left.subarray(eventFrame)), 'after').to.be.above(1e-3);
      expect((await timed.node.getParameterValues(false, id))[id].value).to.equal(value);
    });
  }

  it('getState/setState: a restored state sounds the same as the saved one', async () => {
    let saved: UpmixerWamState | undefined;
    const original = await renderThroughPlugin({ model: false }, async (node) => {
      await node.setParameterValues({
        width: { id: 'width', value: 1.6, normalized: false },
        bassMonoHz: { id: 'bassMonoHz', value: 300, normalized: false },
        variation: { id: 'variation', value: 5, normalized: false },
      });
      saved = (await node.getState()) as UpmixerWamState;
    });
    expect(saved?.parameters.width).to.be.closeTo(1.6, 1e-6);
    expect(saved?.mode).to.equal('quality');
    expect(saved?.model).to.equal(false);
    const restored = await renderThroughPlugin({ model: false }, async (node) => {
      await node.setParameterValues({ width: { id: 'width', value: 0, normalized: false } });
      await node.setState(JSON.parse(JSON.stringify(saved)));
      const values = await node.getParameterValues();
      expect(values.width.value).to.be.closeTo(1.6, 1e-6);
      expect(values.bassMonoHz.value).to.equal(300);
      expect(values.variation.value).to.equal(5);
    });
    expect(largestDifference(original.left, restored.left)).to.equal(0);
    expect(largestDifference(original.right, restored.right)).to.equal(0);
    const fromState = await renderThroughPlugin(saved);
    expect(largestDifference(original.left, fromState.left), 'state as createInstance initial state').to.equal(0);
  });

  it('a garbled state (out of range, fractional, wrong types) gives in-range parameters, the same as an initial state as through setState', async () => {
    const garbled = { format: 99, mode: 'ultra', model: false, parameters: { width: 'wide', variation: 1e12, input: 99, style: -3, bypass: 0.7, mix: -4, bassMonoHz: 1e6 }, style: { name: 'reference: x', icc: [1, 2], ildDb: [] } };
    const { node, plugin } = await renderThroughPlugin(garbled);
    const initial = await node.getParameterValues();
    const infos = await node.getParameterInfo();
    for (const [id, { value }] of Object.entries(initial)) {
      const { minValue, maxValue } = infos[id];
      expect(value, id).to.be.within(minValue, maxValue);
    }
    expect(initial.variation.value).to.equal(64);
    expect(initial.input.value).to.equal(2);
    await node.setState(garbled);
    const restored = await node.getParameterValues();
    for (const id of Object.keys(initial)) expect(restored[id].value, id).to.equal(initial[id].value);
    plugin.audioNode.destroy();
  });

  it('createGui returns <stereo-upmixer> bound to the node, with the node fixed', async () => {
    const { node, plugin } = await renderThroughPlugin({ model: false });
    const gui = (await plugin.createGui()) as HTMLElement & { node: unknown; fixedNode: boolean; updateComplete: Promise<boolean> };
    document.body.append(gui);
    await gui.updateComplete;
    expect(gui.localName).to.equal('stereo-upmixer');
    expect(gui.node).to.equal(node);
    expect(gui.fixedNode).to.equal(true);
    expect(gui.shadowRoot?.querySelector<HTMLSelectElement>('select[part="mode"]')?.disabled).to.equal(true);
    plugin.destroyGui(gui);
    expect(gui.isConnected).to.equal(false);
  });
});
