/// <reference types="mocha" />
/**
 * Stereo input on the node in Chromium: the `spread` AudioParam reaches the engine, the `input` option
 * and `setInput` pick the path, and the node reports the path it takes (`inputPath`, `inputpathchange`).
 */
import { expect } from '@esm-bundle/chai';
import type { InputPathDetail } from '../../src/index.js';
import { CONTEXT_KINDS, delayed, maxDifference, renderThroughUpmixer } from './support/offline-render.js';
import { whiteNoise } from '../support/signals.js';

const SAMPLE_RATE = 48_000;
const source = whiteNoise(Math.round(0.6 * SAMPLE_RATE), 21, 0.3);
/** The source panned to u = 1/3: L = x, R = x/2. */
const panned = { left: source, right: source.map((x) => 0.5 * x) };
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 100));

describe('stereo input', () => {
  for (const kind of CONTEXT_KINDS) {
    it(`${kind}: spread.value = 0 brings a panned source to the centre (L == R); spread 1 with width 0 and bass mono off gives the input back`, async () => {
      // Width starts at 0 (an option); spread moves as a param, gliding (~0.6 s to land within 1e-6).
      const long = whiteNoise(Math.round(1.2 * SAMPLE_RATE), 23, 0.3);
      const centred = await renderThroughUpmixer({
        kind,
        sampleRate: SAMPLE_RATE,
        left: long,
        right: long.map((x) => 0.5 * x),
        options: { controls: { width: 0 } },
        prepare: (upmixer) => {
          upmixer.spread.value = 0;
        },
      });
      expect(maxDifference(centred.left, centred.right, centred.left.length, Math.round(0.8 * SAMPLE_RATE)).error).to.be.at.most(1e-5);
      expect(maxDifference(centred.left, centred.right, Math.round(0.8 * SAMPLE_RATE)).error, 'off centre before the glide lands').to.be.above(0.01);
      expect(maxDifference(centred.left, new Float32Array(source.length)).error, 'not silent').to.be.above(0.1);
      const neutral = await renderThroughUpmixer({ kind, sampleRate: SAMPLE_RATE, ...panned, options: { controls: { width: 0, bassMonoHz: 0 } } });
      const latency = neutral.upmixer.latencySamples;
      expect(maxDifference(neutral.left, delayed(panned.left, latency)).error, 'left').to.be.at.most(1e-6);
      expect(maxDifference(neutral.right, delayed(panned.right, latency)).error, 'right').to.be.at.most(1e-6);
    });
  }

  it('reports the path: stereo input fires inputpathchange with "stereo"; a mono source stays on the mono path', async () => {
    const paths: string[] = [];
    const stereo = await renderThroughUpmixer({
      kind: 'native',
      sampleRate: SAMPLE_RATE,
      ...panned,
      prepare: (upmixer) => {
        (upmixer as unknown as EventTarget).addEventListener('inputpathchange', (event) => paths.push((event as CustomEvent<InputPathDetail>).detail.path));
      },
    });
    await settle();
    expect(stereo.upmixer.input).to.equal('auto');
    expect(stereo.upmixer.inputPath).to.equal('stereo');
    expect(paths).to.deep.equal(['stereo']);
    const mono = await renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: source });
    await settle();
    expect(mono.upmixer.inputPath).to.equal('mono');
  });

  it('input "mono" (option) downmixes stereo input: the same samples as a mono source of (L+R)/2', async () => {
    const reference = await renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: source.map((x) => 0.75 * x) });
    const rendered = await renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, ...panned, options: { input: 'mono' } });
    await settle();
    expect(rendered.upmixer.input).to.equal('mono');
    expect(rendered.upmixer.inputPath).to.equal('mono');
    expect(maxDifference(rendered.left, reference.left).error, 'left').to.be.at.most(1e-6);
    expect(maxDifference(rendered.right, reference.right).error, 'right').to.be.at.most(1e-6);
  });

  it('setInput("mono") while rendering switches a stereo input to the mono path (reported, and gliding to the downmix\'s samples)', async () => {
    // Live mode: quality mode's ICC loop learns from the mono path only, so after a switch its state (and
    // the samples) differ from a render that was mono from the start; live mode has no loop.
    const options = { mode: 'live' } as const;
    const long = whiteNoise(Math.round(2 * SAMPLE_RATE), 22, 0.3);
    const reference = await renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: long.map((x) => 0.75 * x), options });
    const paths: string[] = [];
    const rendered = await renderThroughUpmixer({
      kind: 'native',
      sampleRate: SAMPLE_RATE,
      left: long,
      right: long.map((x) => 0.5 * x),
      options,
      prepare: (upmixer) => {
        const context = (upmixer as unknown as AudioNode).context as OfflineAudioContext;
        (upmixer as unknown as EventTarget).addEventListener('inputpathchange', (event) => paths.push((event as CustomEvent<InputPathDetail>).detail.path));
        // At 0.2 s: switch, and resume once the processor has answered a later message (so it has the switch).
        void context.suspend(0.2).then(async () => {
          upmixer.setInput('mono');
          await upmixer.getStats();
          await context.resume();
        });
      },
    });
    await settle();
    expect(rendered.upmixer.input).to.equal('mono');
    expect(paths).to.deep.equal(['stereo', 'mono']);
    expect(maxDifference(rendered.left, reference.left, Math.round(0.2 * SAMPLE_RATE)).error, 'stereo before the switch').to.be.above(0.01);
    // The path glides out in ~0.6 s, then the new width's gains glide back to 1 (another ~0.6 s).
    const landed = Math.round(1.6 * SAMPLE_RATE);
    expect(maxDifference(rendered.left, reference.left, rendered.left.length, landed).error, 'left, after the glide').to.be.at.most(1e-6);
    expect(maxDifference(rendered.right, reference.right, rendered.right.length, landed).error, 'right, after the glide').to.be.at.most(1e-6);
    expect(() => rendered.upmixer.setInput('surround' as never)).to.throw(RangeError, /input "surround" is not known/);
  });
});
