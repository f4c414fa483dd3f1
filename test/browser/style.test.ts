/// <reference types="mocha" />
/**
 * Styles on the node in Chromium: `setStyle` (presets, numbers, `default`) and `setReference` (a stereo
 * AudioBuffer analysed in the style Worker) reach the engine; a bad reference fires `styleerror`, rejects
 * and changes nothing; a style jump makes no click; an offline render with a style is deterministic.
 * Fixed cues here (`model: false`): there the style is the profile itself, so the cue meters must read
 * the style's numbers (bass mono off, width 1).
 */
import { expect } from '@esm-bundle/chai';
import { BAND_COUNT, createCueMeterReading, createUpmixer, DEFAULT_STYLE, STYLE_PRESETS, StyleError, type CueMeterReading, type StyleChangeDetail, type Style, type StyleErrorDetail, type UpmixerNode } from '../../src/index.js';
import { largestSecondDifference, steadySines } from '../support/stereo-mixes.js';
import { maxDifference, renderThroughUpmixer, WORKLET_URL } from './support/offline-render.js';
import { audioBuffer, flatStyle, noiseMix, STYLE_WORKER_URL, wavBytes } from './support/style-fixtures.js';
import { ReferenceAnalyser } from '../../src/style/reference-analyser.js';
import { countWorkers, type WorkerCensus } from './support/worker-census.js';
import { pollUntil } from '../support/hang-guard.js';

const SAMPLE_RATE = 48_000;
const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh reading of the cues in use (the node answers at most ~30 times a second). */
async function readMeters(node: UpmixerNode): Promise<CueMeterReading> {
  const reading = createCueMeterReading();
  if (await pollUntil(() => node.readCueMeters(reading), 40)) return reading;
  throw new Error('no meter reading');
}

/** Largest difference between the meters' ICCs and |ILD|s and a style's numbers. */
function distanceToStyle(reading: CueMeterReading, style: { icc: readonly number[]; ildDb: readonly number[] }): number {
  let worst = 0;
  for (let band = 0; band < BAND_COUNT; band++) {
    worst = Math.max(worst, Math.abs(reading.iccs[band] - style.icc[band]), Math.abs(Math.abs(reading.ildsDb[band]) - style.ildDb[band]) / 10);
  }
  return worst;
}

/**
 * The meters once they read within 0.01 of `style` (a change glides: wait for it to land, however slow
 * the audio thread is), or the last reading when the hang guard ends the wait.
 */
async function metersAt(node: UpmixerNode, style: { icc: readonly number[]; ildDb: readonly number[] }): Promise<CueMeterReading> {
  let reading = await readMeters(node);
  await pollUntil(async () => {
    reading = await readMeters(node);
    return distanceToStyle(reading, style) < 0.01;
  }, 50);
  return reading;
}

describe('styles on the node (fixed cues)', () => {
  let context: AudioContext;
  let node: UpmixerNode;
  const changes: string[] = [];
  const errors: StyleErrorDetail[] = [];

  /** The style analysis Workers started and ended. */
  let workers: WorkerCensus;

  before(async () => {
    workers = countWorkers({ counts: (url) => url.includes('style-analysis') });
    context = new AudioContext({ sampleRate: SAMPLE_RATE });
    node = await createUpmixer(context, { workletUrl: WORKLET_URL, model: false, controls: { bassMonoHz: 0 }, styleWorkerUrl: STYLE_WORKER_URL });
    node.addEventListener('stylechange', (event) => changes.push((event as CustomEvent<StyleChangeDetail>).detail.name));
    node.addEventListener('styleerror', (event) => errors.push((event as CustomEvent<StyleErrorDetail>).detail));
    node.connect(context.destination);
    await context.resume();
  });

  after(async () => {
    workers.restore();
    node.dispose();
    await context.close();
  });

  it('setStyle: numbers become the fixed cues (the meters read them), presets resolve by name, default goes back to the built-in profile', async () => {
    // A frame synthesised (before it, the meters read the dry input: mono, ICC 1 in every band).
    let profile = await readMeters(node);
    await pollUntil(async () => {
      profile = await readMeters(node);
      return !profile.iccs.every((icc) => icc > 0.999);
    }, 50);
    expect(node.styleName).to.equal('default');
    expect(node.style).to.deep.equal(DEFAULT_STYLE);
    const custom = { icc: Array.from({ length: BAND_COUNT }, (_, b) => 0.2 + (0.7 * b) / (BAND_COUNT - 1)), ildDb: Array.from({ length: BAND_COUNT }, (_, b) => 1 + (5 * b) / (BAND_COUNT - 1)) };
    node.setStyle(custom);
    expect(node.styleName).to.equal('custom');
    expect(node.style).to.deep.equal(custom);
    expect(distanceToStyle(await metersAt(node, custom), custom), 'the meters read the style').to.be.below(0.01);
    for (const preset of STYLE_PRESETS) {
      node.setStyle(preset.name.toUpperCase());
      expect(node.styleName).to.equal(preset.name);
      expect(distanceToStyle(await metersAt(node, preset.style), preset.style), preset.name).to.be.below(0.01);
    }
    node.setStyle('default');
    const back = await metersAt(node, { icc: [...profile.iccs], ildDb: [...profile.ildsDb].map(Math.abs) });
    expect(maxDifference(back.iccs, profile.iccs).error, 'the built-in profile again').to.be.below(1e-6);
    expect(changes).to.deep.equal(['custom', ...STYLE_PRESETS.map((preset) => preset.name), 'default']);
    expect(() => node.setStyle('no such style')).to.throw(StyleError, /style "no such style" is not known: use one of default/);
    expect(() => node.setStyle(flatStyle(1.5, 2))).to.throw(StyleError, /"icc"\[0\] is 1.5/);
    expect(node.styleName, 'a refused style changes nothing').to.equal('default');
  });

  it('setReference: a stereo mix is analysed in a Worker (ended after), its style applied and named; the meters follow it', async () => {
    const started = workers.started;
    const mix = noiseMix(2 * SAMPLE_RATE, 0.4);
    changes.length = 0;
    const style = await node.setReference(audioBuffer([mix.left, mix.right], SAMPLE_RATE), 'wide noise.wav');
    expect(node.styleName).to.equal('reference: wide noise.wav');
    expect(changes).to.deep.equal(['reference: wide noise.wav']);
    expect(node.style).to.deep.equal(style);
    // Noise of coherence 0.4 at equal levels: ICC near 0.4 (tiles of 8 frames read a little higher), |ILD| small.
    const meanIcc = style.icc.slice(4).reduce((sum, icc) => sum + icc, 0) / (BAND_COUNT - 4);
    expect(meanIcc).to.be.within(0.3, 0.6);
    expect(Math.max(...style.ildDb)).to.be.below(3);
    expect(distanceToStyle(await metersAt(node, style), style), 'the meters read the reference\'s style').to.be.below(0.01);
    expect(workers.started - started, 'one Worker').to.equal(1);
    expect(workers.ended, 'ended after its answer').to.equal(workers.started);
    // Any sample rate: a 16 kHz transfer has a style up to 8 kHz (the bands above take the default's).
    const slow = noiseMix(2 * 16_000, 0.4);
    const phone = await node.setReference(audioBuffer([slow.left, slow.right], 16_000), 'phone.wav');
    expect(phone.icc[8]).to.be.within(0.3, 0.6);
    expect(phone.icc[BAND_COUNT - 1]).to.equal(DEFAULT_STYLE.icc[BAND_COUNT - 1]);
    expect(node.styleName).to.equal('reference: phone.wav');
  });

  it('a bad reference (one channel, too short, silent, the same in both channels) fires styleerror and rejects; the style in use stays', async () => {
    const before = await metersAt(node, node.style); // the last style has landed in the cues
    const styleName = node.styleName;
    changes.length = 0;
    errors.length = 0;
    const noise = noiseMix(2 * SAMPLE_RATE, 0.4).left;
    const bad: [string, AudioBuffer, RegExp][] = [
      ['mono.wav', audioBuffer([noise], SAMPLE_RATE), /one channel/],
      ['short.wav', audioBuffer([noise.slice(0, 0.3 * SAMPLE_RATE), noise.slice(0, 0.3 * SAMPLE_RATE).reverse()], SAMPLE_RATE), /too short/],
      ['silent.wav', audioBuffer([new Float32Array(2 * SAMPLE_RATE), new Float32Array(2 * SAMPLE_RATE)], SAMPLE_RATE), /silent/],
      ['dual-mono.wav', audioBuffer([noise, noise], SAMPLE_RATE), /both channels of the reference are the same/],
    ];
    for (const [name, buffer, why] of bad) {
      let rejection: unknown;
      await node.setReference(buffer, name).catch((error: unknown) => (rejection = error));
      expect(rejection, name).to.be.instanceOf(StyleError);
      expect((rejection as Error).message, name).to.match(why);
    }
    expect(errors.map((error) => error.reference)).to.deep.equal(bad.map(([name]) => name));
    errors.forEach((error, i) => expect(error.error).to.match(bad[i][2]));
    expect(changes, 'no stylechange').to.deep.equal([]);
    expect(node.styleName).to.equal(styleName);
    await pause(100);
    expect(distanceToStyle(await readMeters(node), { icc: [...before.iccs], ildDb: [...before.ildsDb].map(Math.abs) }), 'the cues in use did not move').to.be.below(1e-6);
    expect(workers.ended, 'every Worker ended').to.equal(workers.started);
  });

  it('the last style asked for wins: a later setReference or setStyle stops a reference still being analysed (AbortError, no styleerror)', async () => {
    changes.length = 0;
    errors.length = 0;
    const started = workers.started;
    const ended = workers.ended;
    const long = noiseMix(30 * SAMPLE_RATE, 0.9, 11);
    const wide = noiseMix(2 * SAMPLE_RATE, 0.2, 12);
    const first = node.setReference(audioBuffer([long.left, long.right], SAMPLE_RATE), 'first.wav');
    const second = node.setReference(audioBuffer([wide.left, wide.right], SAMPLE_RATE), 'second.wav');
    const firstOutcome = await first.then(
      () => 'resolved',
      (error: Error) => `${error.name}: ${error.message}`,
    );
    expect(firstOutcome).to.match(/^AbortError: .*overtook/);
    expect(workers.started - started, 'one Worker each').to.equal(2);
    expect(workers.ended - ended, 'the first one\'s Worker ended at once (the second\'s runs on)').to.equal(1);
    const style = await second;
    expect(node.styleName).to.equal('reference: second.wav');
    expect(node.style).to.deep.equal(style);
    // A preset chosen while a reference is analysed: the preset stays, the analysis stops.
    const third = node.setReference(audioBuffer([long.left, long.right], SAMPLE_RATE), 'third.wav');
    node.setStyle('ambient');
    expect(await third.then(() => 'resolved', (error: Error) => error.name)).to.equal('AbortError');
    await pause(100);
    expect(node.styleName).to.equal('ambient');
    expect(changes).to.deep.equal(['reference: second.wav', 'ambient']);
    expect(errors, 'no styleerror for an overtaken reference').to.deep.equal([]);
    expect(workers.ended, 'every Worker ended').to.equal(workers.started);
  });

  it('a reference file (a File, read in the Worker): the name is the file\'s, a later file overtakes it (AbortError, its Worker ended at once), and stylechange says when only the start was analysed', async () => {
    changes.length = 0;
    errors.length = 0;
    const started = workers.started;
    const ended = workers.ended;
    const long = noiseMix(30 * SAMPLE_RATE, 0.9, 13);
    const wide = noiseMix(2 * SAMPLE_RATE, 0.2, 14);
    const first = node.setReference(new File([wavBytes([long.left, long.right], SAMPLE_RATE)], 'first.wav'));
    const second = node.setReference(new File([wavBytes([wide.left, wide.right], SAMPLE_RATE)], 'second.wav'));
    expect(await first.then(() => 'resolved', (error: Error) => error.name)).to.equal('AbortError');
    expect(workers.started - started, 'one Worker each').to.equal(2);
    expect(workers.ended - ended, 'the first one\'s Worker ended at once').to.equal(1);
    const style = await second;
    expect(node.styleName).to.equal('reference: second.wav');
    expect(node.style).to.deep.equal(style);
    // The same samples as a buffer give the same style (the file is read at its own rate, 48 kHz here).
    expect(await node.setReference(audioBuffer([wide.left, wide.right], SAMPLE_RATE), 'buffer')).to.deep.equal(style);
    const details: StyleChangeDetail[] = [];
    const listen = (event: Event): number => details.push((event as CustomEvent<StyleChangeDetail>).detail);
    node.addEventListener('stylechange', listen);
    try {
      await node.setReference(new File([wavBytes([wide.left, wide.right], SAMPLE_RATE)], 'short.wav'));
      expect(details.at(-1)?.analysedSeconds, 'analysed whole').to.equal(undefined);
    } finally {
      node.removeEventListener('stylechange', listen);
    }
    expect(errors, 'no styleerror').to.deep.equal([]);
    expect(workers.ended, 'every Worker ended').to.equal(workers.started);
  });

  it('dispose while a reference is analysed: the promise rejects, its Worker ends, nothing is applied', async () => {
    const other = await createUpmixer(context, { workletUrl: WORKLET_URL, model: false, styleWorkerUrl: STYLE_WORKER_URL });
    const long = noiseMix(30 * SAMPLE_RATE, 0.5);
    const analysis = other.setReference(audioBuffer([long.left, long.right], SAMPLE_RATE), 'long.wav');
    other.dispose();
    let rejection: unknown;
    await analysis.catch((error: unknown) => (rejection = error));
    expect(String(rejection)).to.match(/disposed/);
    expect(other.styleName).to.equal('default');
    expect(workers.ended).to.equal(workers.started);
  });
});

describe('ReferenceAnalyser', () => {
  it('analyses only the start of a long reference (ten minutes in the node; two seconds here)', async () => {
    const wide = noiseMix(2 * SAMPLE_RATE, 0.2, 7);
    const narrow = noiseMix(4 * SAMPLE_RATE, 0.95, 8);
    const join = (a: Float32Array, b: Float32Array): Float32Array => {
      const joined = new Float32Array(a.length + b.length);
      joined.set(a);
      joined.set(b, a.length);
      return joined;
    };
    const long = audioBuffer([join(wide.left, narrow.left), join(wide.right, narrow.right)], SAMPLE_RATE);
    const mean = (style: { icc: readonly number[] }): number => style.icc.slice(4).reduce((sum, icc) => sum + icc, 0) / (BAND_COUNT - 4);
    const start = await new ReferenceAnalyser(STYLE_WORKER_URL, 2).analyse(long);
    const whole = await new ReferenceAnalyser(STYLE_WORKER_URL).analyse(long);
    const startOnly = await new ReferenceAnalyser(STYLE_WORKER_URL).analyse(audioBuffer([wide.left, wide.right], SAMPLE_RATE));
    expect(start).to.deep.equal(startOnly);
    expect(mean(whole) - mean(start), 'the whole mix is narrower than its start').to.be.above(0.2);
  });
});

describe('style changes in a render', () => {
  it('a style jumping while steady tones play makes no click (largest second difference within the roughest held style\'s)', async () => {
    const length = Math.round(1.5 * SAMPLE_RATE);
    const input = steadySines(length, SAMPLE_RATE, [110, 220, 440, 1250]);
    const styles = [flatStyle(0.1, 12), flatStyle(1, 0), flatStyle(0.3, 3)];
    const jumps = [0.5, 0.8, 1.1];
    const render = async (held: (typeof styles)[number] | null): Promise<{ left: Float32Array; right: Float32Array }> =>
      renderThroughUpmixer({
        kind: 'native',
        sampleRate: SAMPLE_RATE,
        left: input,
        options: held ? { style: held } : {},
        prepare: (upmixer) => {
          if (held) return;
          const offline = (upmixer as unknown as AudioNode).context as OfflineAudioContext;
          jumps.forEach((at, i) => {
            void offline.suspend(at).then(async () => {
              upmixer.setStyle(styles[i]);
              await upmixer.getStats(); // the processor has the style before the render goes on
              await offline.resume();
            });
          });
        },
      });
    const jumping = await render(null);
    const start = SAMPLE_RATE / 4;
    const roughness = (signal: { left: Float32Array; right: Float32Array }): number => Math.max(largestSecondDifference(signal.left, start, length), largestSecondDifference(signal.right, start, length));
    const held = await Promise.all([null, ...styles].map((style) => (style === null ? renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: input }) : render(style))));
    const bound = Math.max(...held.map(roughness));
    console.log(`style jumps: largest second difference ${roughness(jumping).toExponential(2)} with the jumps, ${bound.toExponential(2)} at the roughest held style`);
    expect(maxDifference(jumping.left, held[0].left).error, 'the jumps changed the output').to.be.above(0.01);
    expect(roughness(jumping)).to.be.at.most(1.25 * bound);
  });

  it('a timed setStyle lands at its time: before it the output is the render without it, sample for sample; after, near the style\'s; two renders alike', async () => {
    const input = noiseMix(SAMPLE_RATE, 1).left;
    const at = 0.5;
    const frame = at * SAMPLE_RATE; // a quantum's start
    const wide = flatStyle(0.1, 8);
    const plain = await renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: input });
    const fromStart = await renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: input, options: { style: wide } });
    const timed = async (): Promise<{ left: Float32Array; right: Float32Array }> =>
      renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: input, prepare: async (upmixer) => {
        upmixer.setStyle(wide, undefined, at);
        await upmixer.getStats(); // the processor has the command before the render starts
      } });
    const first = await timed();
    const second = await timed();
    for (const channel of ['left', 'right'] as const) {
      expect(maxDifference(first[channel], plain[channel], frame).error, `${channel}: before its time`).to.equal(0);
      expect(maxDifference(first[channel], plain[channel], first[channel].length, frame).error, `${channel}: after`).to.be.above(0.01);
      expect(maxDifference(first[channel], second[channel]).error, `${channel}: run to run`).to.equal(0);
    }
    // Once the glide has landed (a few frames), near the output with the style from the start (the fixed
    // cues are the style; the synthesis' filters remember the frames before): far nearer than without it.
    const landed = frame + SAMPLE_RATE / 5;
    const distance = (a: Float32Array, b: Float32Array): number => maxDifference(a, b, a.length, landed).error;
    expect(distance(first.left, fromStart.left), 'landed on the style').to.be.below(0.2 * distance(plain.left, fromStart.left));
    // Back to the default at its time, from a style given as the option; and a RangeError for a time that is none.
    const back = await renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: input, options: { style: wide }, prepare: async (upmixer) => {
      upmixer.setStyle('default', undefined, at);
      expect(upmixer.styleName, 'the style asked for, at once').to.equal('default');
      expect(() => upmixer.setStyle(wide, undefined, -1)).to.throw(RangeError);
      expect(upmixer.styleName, 'a refused time changes nothing').to.equal('default');
      await upmixer.getStats();
    } });
    expect(maxDifference(back.left, fromStart.left, frame).error, 'default: before its time').to.equal(0);
    expect(distance(back.left, plain.left), 'default: landed on the built-in profile').to.be.below(0.2 * distance(fromStart.left, plain.left));
  });

  it('an offline render with a style is deterministic (the option and setStyle alike), and differs from the default\'s', async () => {
    const input = noiseMix(SAMPLE_RATE, 1).left;
    const style = flatStyle(0.25, 4);
    const byOption = await renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: input, options: { style } });
    const again = await renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: input, options: { style } });
    const bySetStyle = await renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: input, prepare: async (upmixer) => {
      upmixer.setStyle(style);
      await upmixer.getStats();
    } });
    const plain = await renderThroughUpmixer({ kind: 'native', sampleRate: SAMPLE_RATE, left: input });
    expect(byOption.upmixer.styleName).to.equal('custom');
    expect(maxDifference(byOption.left, again.left).error).to.equal(0);
    expect(maxDifference(byOption.right, again.right).error).to.equal(0);
    expect(maxDifference(byOption.left, bySetStyle.left).error).to.equal(0);
    expect(maxDifference(byOption.right, bySetStyle.right).error).to.equal(0);
    expect(maxDifference(byOption.left, plain.left).error, 'the style changed the output').to.be.above(0.01);
  });
});

/** A running context playing looped noise into a node with the model at `modelUrl` and `style` from the start, once the model runs. */
async function playWithModel(modelUrl: string, style: Style): Promise<{ context: AudioContext; node: UpmixerNode }> {
  const context = new AudioContext({ sampleRate: SAMPLE_RATE });
  const node = await createUpmixer(context, { workletUrl: WORKLET_URL, model: { workerUrl: '/dist/cue-model.worker.js', url: modelUrl }, controls: { bassMonoHz: 0 }, style });
  const noise = new AudioBufferSourceNode(context, { buffer: audioBuffer([noiseMix(2 * SAMPLE_RATE, 1).left], SAMPLE_RATE), loop: true });
  noise.connect(node).connect(context.destination);
  noise.start();
  await context.resume();
  await pollUntil(() => node.modelStatus !== 'loading', 50);
  expect(node.modelStatus, node.modelError).to.equal('model');
  return { context, node };
}

/** Mean ICC of the cues in use over ten meter readings, once the model's cues have been in use for 100 more frames. */
async function meanModelIcc(node: UpmixerNode): Promise<number> {
  const from = (await node.getStats()).modelFrames;
  await pollUntil(async () => (await node.getStats()).modelFrames >= from + 100, 50);
  let sum = 0;
  for (let reading = 0; reading < 10; reading++) sum += (await readMeters(node)).iccs.reduce((total, icc) => total + icc, 0) / BAND_COUNT;
  return sum / 10;
}

describe('styles with the model', () => {
  it('setStyle reaches the model Worker: the model\'s cues follow a wide and a narrow style (cue meters), and setStyle before the model is ready applies once it is', async () => {
    // The style is set before the model has loaded: the Worker keeps it until its model runs.
    const { context, node } = await playWithModel('/dist/cue-model.onnx', flatStyle(0.15, 8));
    try {
      const wide = await meanModelIcc(node);
      node.setStyle(flatStyle(0.95, 0.5));
      const narrow = await meanModelIcc(node);
      node.setStyle(flatStyle(0.15, 8));
      const wideAgain = await meanModelIcc(node);
      console.log(`model cues, mean ICC: ${wide.toFixed(3)} (wide style), ${narrow.toFixed(3)} (narrow), ${wideAgain.toFixed(3)} (wide again)`);
      expect(narrow - wide, 'the narrow style\'s cues are more coherent').to.be.above(0.1);
      expect(narrow - wideAgain).to.be.above(0.1);
      expect((await node.getStats()).modelFrames, 'the model\'s cues were in use').to.be.above(100);
    } finally {
      node.dispose();
      await context.close();
    }
  });

  it('a custom model without a style input cannot take a hint: numbers and a style set before it ran are held (the cues\' mean moves to each style)', async () => {
    const { context, node } = await playWithModel('/test/fixtures/model-errors/unconditioned.onnx', flatStyle(0.15, 8));
    try {
      const wide = await meanModelIcc(node);
      node.setStyle(flatStyle(0.95, 0.5));
      const narrow = await meanModelIcc(node);
      console.log(`unconditioned model, mean ICC of the cues: ${wide.toFixed(3)} (style ICC 0.15), ${narrow.toFixed(3)} (style ICC 0.95)`);
      expect(Math.abs(wide - 0.15), 'held at the style set before the model ran').to.be.below(0.1);
      expect(Math.abs(narrow - 0.95), 'held at the numbers set later').to.be.below(0.1);
      expect((await node.getStats()).modelFrames, 'the model\'s cues were in use').to.be.above(100);
    } finally {
      node.dispose();
      await context.close();
    }
  });
});
