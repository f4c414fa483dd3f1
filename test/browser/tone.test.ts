/// <reference types="mocha" />
/** The Tone.js node: created on Tone's (standardized-audio-context) context, chained, controlled through Tone Params. */
import { expect } from '@esm-bundle/chai';
import * as Tone from 'tone';
import { UpmixerTone } from '../../src/tone.js';
import type { StyleChangeDetail } from '../../src/index.js';
import { WORKLET_URL } from './support/offline-render.js';
import { audioBuffer, flatStyle, noiseMix, STYLE_WORKER_URL } from './support/style-fixtures.js';

const SAMPLE_RATE = 48_000;
const SECONDS = 1;

function noise(): AudioBuffer {
  const buffer = new AudioBuffer({ numberOfChannels: 1, length: SECONDS * SAMPLE_RATE, sampleRate: SAMPLE_RATE });
  const samples = buffer.getChannelData(0);
  let seed = 1;
  for (let i = 0; i < samples.length; i++) {
    seed = (seed * 16807) % 2147483647;
    samples[i] = 0.3 * ((seed / 2147483647) * 2 - 1);
  }
  return buffer;
}

async function render(prepare: (upmixer: UpmixerTone) => void | Promise<void>): Promise<{ left: Float32Array; right: Float32Array; upmixer: UpmixerTone }> {
  let upmixer: UpmixerTone | undefined;
  const input = noise();
  const output = await Tone.Offline(
    async () => {
      upmixer = await UpmixerTone.create({ workletUrl: WORKLET_URL, mode: 'live', model: false });
      const player = new Tone.Player(new Tone.ToneAudioBuffer(input));
      player.chain(upmixer, Tone.getDestination());
      await prepare(upmixer);
      player.start(0);
    },
    SECONDS,
    2,
    SAMPLE_RATE,
  );
  return { left: output.getChannelData(0), right: output.getChannelData(1), upmixer: upmixer! };
}

function stats(left: Float32Array, right: Float32Array): { finite: boolean; rms: number; difference: number } {
  let finite = true;
  let energy = 0;
  let difference = 0;
  for (let i = 0; i < left.length; i++) {
    if (!Number.isFinite(left[i]) || !Number.isFinite(right[i])) finite = false;
    energy += left[i] * left[i] + right[i] * right[i];
    difference = Math.max(difference, Math.abs(left[i] - right[i]));
  }
  return { finite, rms: Math.sqrt(energy / (2 * left.length)), difference };
}

describe('UpmixerTone', () => {
  it('player.chain(upmixer, destination) renders finite stereo (L != R) on Tone\'s context', async () => {
    const { left, right, upmixer } = await render(() => undefined);
    const { finite, rms, difference } = stats(left, right);
    expect(finite).to.equal(true);
    expect(rms, 'not silent').to.be.above(0.05);
    expect(difference, 'L != R').to.be.above(0.05);
    expect(upmixer.latencySamples).to.equal(128);
    expect(upmixer.mode).to.equal('live');
    expect(upmixer.width).to.be.instanceOf(Tone.Param);
  });

  it('width, bassMonoHz and mix are Tone Params on the node\'s AudioParams', async () => {
    const { left, right, upmixer } = await render((node) => {
      node.width.value = 0;
      node.bassMonoHz.value = 'C4';
      node.mix.setValueAtTime(0.5, 0);
    });
    expect(stats(left, right).difference, 'width 0: mono').to.be.below(1e-5);
    expect(upmixer.node.bassMonoHz.value).to.be.closeTo(261.63, 0.01);
    expect(upmixer.node.mix.value).to.equal(0.5);
    expect(upmixer.width.maxValue).to.equal(2);
  });

  it('setStyle and setReference (a stereo ToneAudioBuffer, analysed in a Worker) reach the node', async () => {
    const upmixer = await UpmixerTone.create({ workletUrl: WORKLET_URL, model: false, styleWorkerUrl: STYLE_WORKER_URL });
    try {
      const names: string[] = [];
      upmixer.node.addEventListener('stylechange', (event) => names.push((event as CustomEvent<StyleChangeDetail>).detail.name));
      expect(upmixer.setStyle(flatStyle(0.5, 3))).to.equal(upmixer);
      expect(upmixer.styleName).to.equal('custom');
      const mix = noiseMix(2 * SAMPLE_RATE, 0.3);
      const style = await upmixer.setReference(new Tone.ToneAudioBuffer(audioBuffer([mix.left, mix.right], SAMPLE_RATE)), 'stems.wav');
      expect(upmixer.styleName).to.equal('reference: stems.wav');
      expect(upmixer.style).to.deep.equal(style);
      expect(upmixer.node.style).to.deep.equal(style);
      let rejection: unknown;
      await upmixer.setReference(new Tone.ToneAudioBuffer(audioBuffer([mix.left], SAMPLE_RATE)), 'mono.wav').catch((error: unknown) => (rejection = error));
      expect(String(rejection)).to.match(/StyleError: the reference has one channel/);
      upmixer.setStyle('default');
      expect(names).to.deep.equal(['custom', 'reference: stems.wav', 'default']);
    } finally {
      upmixer.dispose();
    }
  });

  it('spread is a Tone Param on the node\'s AudioParam, and setInput picks the path', async () => {
    const { upmixer } = await render((node) => {
      node.spread.value = 0.25;
      node.setInput('stereo');
    });
    expect(upmixer.spread).to.be.instanceOf(Tone.Param);
    expect(upmixer.node.spread.value).to.equal(0.25);
    expect(upmixer.spread.maxValue).to.equal(1);
    expect(upmixer.inputKind).to.equal('stereo');
    expect(upmixer.node.input).to.equal('stereo');
  });

  it('setVariation and setStyle with a time (seconds, or Tone\'s notation) land then, not when called', async () => {
    const at = 0.4;
    const frame = at * SAMPLE_RATE;
    const plain = await render(() => undefined);
    for (const change of [
      (node: UpmixerTone) => node.setVariation(7, at),
      (node: UpmixerTone) => node.setVariation(7, `+${at}`),
      (node: UpmixerTone) => node.setStyle(flatStyle(0.1, 9), undefined, at),
      (node: UpmixerTone) => node.setStyle('modern-wide', undefined, `+${at}`),
    ]) {
      const timed = await render(async (node) => {
        change(node);
        await node.node.getStats(); // the message is in the processor before the render starts
      });
      let before = 0;
      let after = 0;
      for (let i = 0; i < plain.left.length; i++) {
        const difference = Math.abs(plain.left[i] - timed.left[i]);
        if (i < frame) before = Math.max(before, difference);
        else after = Math.max(after, difference);
      }
      expect(before, 'before its time').to.equal(0);
      expect(after, 'after').to.be.above(1e-3);
    }
  });
});
