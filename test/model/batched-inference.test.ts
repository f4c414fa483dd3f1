/**
 * Batched offline inference (src/model/feature-lookahead.ts) gives exactly what frame-by-frame inference
 * gives: the same cues per window whatever the batch, and the CLI's output sample for sample equal to an
 * engine whose model answers each frame as the engine reaches it; and the model in a worker thread (the
 * CLI's way) gives the same bytes as the model in the main thread.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceThread } from '../../src/cli/inference-thread.js';
import { loadModelFile } from '../../src/cli/model-file.js';
import { upmixFile } from '../../src/cli/upmix-file.js';
import { UpmixEngine } from '../../src/dsp/engine.js';
import { RENDER_QUANTUM, type LatencyMode } from '../../src/dsp/frame-config.js';
import { InProcessCueChannel } from '../../src/model/in-process-channel.js';
import { DEFAULT_STYLE, findStylePreset } from '../../src/style/presets.js';
import { STYLE_VECTOR_LENGTH, styleVector } from '../../src/style/style.js';
import { ModelCueSource } from '../../src/model/model-cue-source.js';
import type { CueModel } from '../../src/model/cue-model.js';
import { FEATURE_COUNT } from '../../src/model/features.js';
import { MODEL_WINDOW_FRAMES } from '../../src/model/feature-spec.js';
import { pinkNoise } from '../support/signals.js';
import { readWav, temporaryFolder, writeWav } from '../cli/support.js';

const { model } = await loadModelFile();
/** The same model in the full-window format (models exported before the head format). */
const fullWindow = (await loadModelFile(new URL('../fixtures/model/full-window-cue-model.onnx', import.meta.url).pathname)).model;
after(() => fullWindow.release());
const folder = temporaryFolder();
const thread = InferenceThread.start();
after(() => thread.close());

/** The engine with the model answering every frame as soon as the engine has sent it (the unbatched path). */
async function frameByFrame(channels: Float32Array[], sampleRate: number, mode: LatencyMode): Promise<Float32Array[]> {
  const channel = new InProcessCueChannel(model);
  const engine = new UpmixEngine({ sampleRate, mode, cueSource: new ModelCueSource(channel) });
  const length = channels[0].length;
  const quanta = Math.ceil((length + engine.latency) / RENDER_QUANTUM);
  const padded = channels.map((c) => {
    const out = new Float32Array(quanta * RENDER_QUANTUM);
    out.set(c);
    return out;
  });
  const out = [new Float32Array(quanta * RENDER_QUANTUM), new Float32Array(quanta * RENDER_QUANTUM)];
  for (let q = 0; q < quanta; q++) {
    const at = q * RENDER_QUANTUM;
    const right = padded.length === 2 ? padded[1].subarray(at, at + RENDER_QUANTUM) : null;
    engine.process(padded[0].subarray(at, at + RENDER_QUANTUM), right, out[0].subarray(at, at + RENDER_QUANTUM), out[1].subarray(at, at + RENDER_QUANTUM));
    if (channel.hasPending) await channel.runPending();
  }
  return out.map((c) => c.slice(engine.latency, engine.latency + length));
}

/** Frame `frame` of a stream of pink-noise features with a stretch of silence (padding-valued rows). */
function streamFrame(noise: Float32Array, frame: number): Float32Array {
  const silent = frame % 700 > 600;
  return Float32Array.from({ length: FEATURE_COUNT }, (_, b) => (silent ? -10 : -7 + 3 * noise[(frame * FEATURE_COUNT + b) % noise.length]));
}

/** The cues of `frames` stream frames from frame `first` on, `batch` frames per model call. */
async function streamCues(cueModel: CueModel, first: number, frames: number, batch: number): Promise<{ iccs: number[]; ilds: number[]; targets: number[] }> {
  const noise = pinkNoise(1 << 14, 9, 1);
  const inputs = cueModel.createInputs(batch);
  const result = { iccs: [] as number[], ilds: [] as number[], targets: [] as number[] };
  const answer = async (): Promise<void> => {
    const cues = await cueModel.run(inputs);
    result.iccs.push(...cues.iccs);
    result.ilds.push(...cues.ildsDb);
    result.targets.push(...inputs.targets);
    inputs.clear();
  };
  for (let frame = first; frame < first + frames; frame++) {
    inputs.push(frame, streamFrame(noise, frame));
    if (inputs.full) await answer();
  }
  if (inputs.size > 0) await answer();
  return result;
}

for (const [format, cueModel] of [
  ['head', model],
  ['full-window', fullWindow],
] as const) {
  test(`the model (${format} format) gives every frame the same cues in a batch as alone`, async () => {
    assert.equal(cueModel.format.kind, format);
    const frames = 2 * MODEL_WINDOW_FRAMES + 40; // the statistics' ring turns; silence comes and goes
    const alone = await streamCues(cueModel, 300, frames, 1);
    const batched = await streamCues(cueModel, 300, frames, 12);
    assert.equal(alone.targets.length, frames); // from the first frame on (as lookahead of the frame before it)
    assert.deepEqual(batched.targets, alone.targets);
    assert.deepEqual(batched.iccs, alone.iccs, 'ICC');
    assert.deepEqual(batched.ilds, alone.ilds, 'ILD');
  });
}

test('per-frame styles (timed style changes in the Worker): each frame of a batch gets the cues of a call with its own style', async () => {
  const wide = findStylePreset('modern-wide')!.style;
  const noise = pinkNoise(1 << 14, 9, 1);
  const frames = 40;
  const inputs = model.createInputs(frames);
  for (let frame = 300; frame < 300 + frames; frame++) inputs.push(frame, streamFrame(noise, frame));
  const change = 17; // frames before it wide, from it on the default
  const rows = new Float32Array(inputs.size * STYLE_VECTOR_LENGTH);
  for (let i = 0; i < inputs.size; i++) styleVector(i < change ? wide : DEFAULT_STYLE, rows.subarray(i * STYLE_VECTOR_LENGTH, (i + 1) * STYLE_VECTOR_LENGTH));
  const mixed = Array.from((await model.run(inputs, rows)).iccs);
  model.setStyle(wide);
  const allWide = Array.from((await model.run(inputs)).iccs);
  model.setStyle(DEFAULT_STYLE);
  const allDefault = Array.from((await model.run(inputs)).iccs);
  const split = change * FEATURE_COUNT;
  assert.deepEqual(mixed.slice(0, split), allWide.slice(0, split), 'before the change: the wide style\'s cues');
  assert.deepEqual(mixed.slice(split), allDefault.slice(split), 'from the change on: the default\'s');
  assert.notDeepEqual(allWide.slice(split), allDefault.slice(split), 'the style changes the cues');
});

test('the head format (statistics in TypeScript) gives the full-window format\'s cues within 1e-5 over a long stream', async () => {
  const frames = 3 * MODEL_WINDOW_FRAMES;
  const head = await streamCues(model, 0, frames, 64);
  const whole = await streamCues(fullWindow, 0, frames, 64);
  let worst = 0;
  head.iccs.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - whole.iccs[i]))));
  head.ilds.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - whole.ilds[i]) / 20)));
  assert.ok(worst < 1e-5, `max difference ${worst} (ILD in units of its 20 dB range)`);
  const spread = Math.max(...head.iccs) - Math.min(...head.iccs);
  assert.ok(spread > 0.05, `ICC spread ${spread}: the cues follow the stream`);
});

for (const { name, sampleRate, stereo } of [
  { name: 'mono 44.1 kHz', sampleRate: 44_100, stereo: false },
  { name: 'stereo 22.05 kHz (32 frames per chunk)', sampleRate: 22_050, stereo: true },
]) {
  test(`CLI with batched inference equals frame-by-frame inference, sample for sample (${name}, with corrupt samples)`, async () => {
    const length = Math.round(2.3 * sampleRate); // several chunks and a partial one
    const channels = [pinkNoise(length, 31, 0.3)];
    if (stereo) channels.push(pinkNoise(length, 32, 0.3));
    // Corrupt samples are silenced before the features, in both paths alike.
    channels[0][5000] = NaN;
    channels[0][9000] = 5000;
    const inPath = join(folder, `in-${sampleRate}.wav`);
    await writeWav(inPath, channels, sampleRate, 'float32');
    const input = (await readWav(inPath)).channels;
    for (const mode of ['quality', 'live'] as const) {
      const outPath = join(folder, `out-${sampleRate}-${mode}.wav`);
      const result = await upmixFile(inPath, outPath, { model, mode, overwrite: true });
      assert.equal(result.modelStats?.lateFrames, 0, JSON.stringify(result.modelStats));
      // The model in its worker thread: the same file, byte for byte, and the same stats.
      const threadPath = join(folder, `out-${sampleRate}-${mode}-thread.wav`);
      const threadResult = await upmixFile(inPath, threadPath, { modelThread: thread, mode, overwrite: true });
      assert.deepEqual(threadResult.modelStats, result.modelStats);
      assert.ok(readFileSync(threadPath).equals(readFileSync(outPath)), `${mode}: the worker thread's output differs from the main thread's`);
      const batched = (await readWav(outPath)).channels;
      const expected = await frameByFrame(input, sampleRate, mode);
      for (let c = 0; c < 2; c++) {
        let differing = 0;
        for (let i = 0; i < length; i++) if (batched[c][i] !== expected[c][i]) differing++;
        assert.equal(differing, 0, `${mode}, channel ${c}: ${differing} samples differ`);
      }
    }
  });
}

test('the model thread follows a style as the main thread does (a preset held, two files at once)', async () => {
  const sampleRate = 48_000;
  const inPath = join(folder, 'style-in.wav');
  await writeWav(inPath, [pinkNoise(Math.round(1.7 * sampleRate), 41, 0.3)], sampleRate, 'pcm24');
  const style = findStylePreset('modern-wide')!.style;
  const inThread = join(folder, 'style-main.wav');
  await upmixFile(inPath, inThread, { model, style, holdStyle: true, mode: 'live' });
  // Two files on one thread at once, one with the style and one without: each keeps its own condition.
  const [withStyle, withoutStyle] = [join(folder, 'style-thread.wav'), join(folder, 'style-none-thread.wav')];
  await Promise.all([
    upmixFile(inPath, withStyle, { modelThread: thread, style, holdStyle: true, mode: 'live' }),
    upmixFile(inPath, withoutStyle, { modelThread: thread, mode: 'live' }),
  ]);
  assert.ok(readFileSync(withStyle).equals(readFileSync(inThread)), 'with a style: the worker thread\'s output differs from the main thread\'s');
  const withoutInThread = join(folder, 'style-none-main.wav');
  await upmixFile(inPath, withoutInThread, { model, mode: 'live' });
  assert.ok(readFileSync(withoutStyle).equals(readFileSync(withoutInThread)), 'without a style: the outputs differ');
  assert.ok(!readFileSync(withStyle).equals(readFileSync(withoutStyle)), 'the style changed nothing');
});
