/**
 * The cue model's inference time per frame in Node (onnxruntime-web's wasm backend, one thread, as the
 * Worker and the CLI run it), against the real-time budget of one hop and against the engine's own cost
 * for the same hop, timed in the same run. A frame's cost is what the Worker pays per hop: its features
 * into the model inputs (the window, and the head format's running statistics) and the model call; at
 * batch 1 (real time) and per frame in batches of 8 and 64 (offline), for the shipped model (head format)
 * and the same model in the full-window format (models exported before it: test/fixtures), in rounds
 * that take turns, the fastest round of each counting.
 */
import { fileURLToPath } from 'node:url';
import { UpmixEngine } from '../src/dsp/engine.js';
import { RENDER_QUANTUM } from '../src/dsp/frame-config.js';
import { loadModelFile } from '../src/cli/model-file.js';
import type { CueModel } from '../src/model/cue-model.js';
import { featureHopSize } from '../src/model/feature-spec.js';
import { FEATURE_COUNT } from '../src/model/features.js';
import { pinkNoise } from '../test/support/signals.js';

/** Batch-1 calls per round; rounds, interleaved between the formats (the fastest round counts: other processes only add time). */
const FRAMES = 500;
const ROUNDS = 5;
const WARMUP = 200;
/** The shipped model exported in the full-window format (training/export.py writes it with the fixtures). */
const FULL_WINDOW_MODEL = fileURLToPath(new URL('../test/fixtures/model/full-window-cue-model.onnx', import.meta.url));

/** Per-frame times of one model format. */
export interface FormatTimes {
  meanUs: number;
  p99Us: number;
  /** Mean per frame in batches of 8 and of 64. */
  batch8Us: number;
  batch64Us: number;
  modelBytes: number;
}

export interface InferenceRow {
  sampleRate: number;
  head: FormatTimes;
  fullWindow: FormatTimes;
  hopBudgetUs: number;
  engineHopUs: number;
}

/** Microseconds per frame of `frames` stream frames through `model`, `batch` frames per call; each call's time per frame in `times`. */
async function timeStream(model: CueModel, features: Float32Array, batch: number, frames: number, times?: Float64Array): Promise<number> {
  const inputs = model.createInputs(batch);
  const frameCount = features.length / FEATURE_COUNT;
  let calls = 0;
  const start = performance.now();
  let callStart = start;
  for (let frame = 0; frame < frames; frame++) {
    const at = (frame % frameCount) * FEATURE_COUNT;
    inputs.push(frame, features.subarray(at, at + FEATURE_COUNT));
    if (!inputs.full) continue;
    await model.run(inputs);
    inputs.clear();
    const now = performance.now();
    if (times) times[calls] = ((now - callStart) * 1000) / batch;
    calls++;
    callStart = now;
  }
  return ((performance.now() - start) * 1000) / frames;
}

/** Times both formats in interleaved rounds: per configuration the fastest round's mean, p99 over all batch-1 calls. */
async function measureFormats(paths: readonly (string | undefined)[]): Promise<FormatTimes[]> {
  const { statSync } = await import('node:fs');
  const noise = pinkNoise(4096 * FEATURE_COUNT, 5, 1);
  const features = noise.map((v) => -6 + 2 * v);
  const loaded = await Promise.all(paths.map((path) => loadModelFile(path)));
  const results = loaded.map(({ path }) => ({ meanUs: Infinity, p99Us: 0, batch8Us: Infinity, batch64Us: Infinity, modelBytes: statSync(path).size }));
  const times = loaded.map(() => new Float64Array(ROUNDS * FRAMES));
  for (const { model } of loaded) await timeStream(model, features, 1, WARMUP);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, { model }] of loaded.entries()) {
      const result = results[i];
      // One frame per call (plus the stream's first frame, which only starts it).
      result.meanUs = Math.min(result.meanUs, await timeStream(model, features, 1, FRAMES + 1, times[i].subarray(round * FRAMES)));
      result.batch8Us = Math.min(result.batch8Us, await timeStream(model, features, 8, FRAMES));
      result.batch64Us = Math.min(result.batch64Us, await timeStream(model, features, 64, 16 * 64));
    }
  }
  for (const [i, { model }] of loaded.entries()) {
    times[i].sort();
    results[i].p99Us = times[i][Math.floor(0.99 * times[i].length)];
    await model.release();
  }
  return results;
}

export async function measureModelInference(sampleRate = 48_000): Promise<InferenceRow> {
  const [head, fullWindow] = await measureFormats([undefined, FULL_WINDOW_MODEL]);
  const hop = featureHopSize(sampleRate);
  // The engine's cost for the same hop (fixed profile), timed now.
  const engine = new UpmixEngine({ sampleRate, mode: 'quality' });
  const input = pinkNoise(RENDER_QUANTUM * 4096, 3, 0.3);
  const outL = new Float32Array(RENDER_QUANTUM);
  const outR = new Float32Array(RENDER_QUANTUM);
  const quanta = input.length / RENDER_QUANTUM;
  for (let q = 0; q < quanta; q++) engine.process(input.subarray(q * RENDER_QUANTUM, (q + 1) * RENDER_QUANTUM), null, outL, outR);
  const start = performance.now();
  for (let q = 0; q < quanta; q++) engine.process(input.subarray(q * RENDER_QUANTUM, (q + 1) * RENDER_QUANTUM), null, outL, outR);
  const engineQuantumUs = ((performance.now() - start) * 1000) / quanta;
  return {
    sampleRate,
    head,
    fullWindow,
    hopBudgetUs: (hop / sampleRate) * 1e6,
    engineHopUs: engineQuantumUs * (hop / RENDER_QUANTUM),
  };
}

/** Prints the table of `npm run bench` (one line per format, then their ratios). */
export async function printModelInference(): Promise<void> {
  const inference = await measureModelInference();
  console.log(`Cue model inference per frame (Node, onnxruntime-web wasm, 1 thread; a frame's features into the model inputs and the model call, as the Worker and the CLI run it):`);
  for (const [name, times] of [
    ['head format (shipped)', inference.head],
    ['full-window format (the same model, as exported before)', inference.fullWindow],
  ] as const) {
    console.log(
      `${name}, ${(times.modelBytes / 1024).toFixed(0)} kB: batch 1 (fastest of ${ROUNDS} rounds of ${FRAMES} calls): mean ${times.meanUs.toFixed(0)} us, p99 ${times.p99Us.toFixed(0)} us; ` +
        `${((100 * times.meanUs) / inference.hopBudgetUs).toFixed(1)}% of one hop's real-time budget (${(inference.hopBudgetUs / 1000).toFixed(1)} ms at ${inference.sampleRate} Hz); ` +
        `${(times.meanUs / inference.engineHopUs).toFixed(2)}x the engine's own cost for that hop (${inference.engineHopUs.toFixed(0)} us); ` +
        `batches of 8: ${times.batch8Us.toFixed(1)} us per frame, of 64: ${times.batch64Us.toFixed(1)} us per frame`,
    );
  }
  console.log(`head / full-window format per frame: batch 1 ${(inference.head.meanUs / inference.fullWindow.meanUs).toFixed(2)}, batch 64 ${(inference.head.batch64Us / inference.fullWindow.batch64Us).toFixed(2)}`);
}
