/**
 * The cue model's inference time per frame in Node (onnxruntime-web's wasm backend, one thread, as the
 * Worker and the CLI run it), against the real-time budget of one hop and against the engine's own cost
 * for the same hop, timed in the same run.
 */
import { UpmixEngine } from '../src/dsp/engine.js';
import { RENDER_QUANTUM } from '../src/dsp/frame-config.js';
import { loadModelFile } from '../src/cli/model-file.js';
import { featureHopSize } from '../src/model/feature-spec.js';
import { WINDOW_SIZE } from '../src/model/model-window.js';
import { pinkNoise } from '../test/support/signals.js';

const CALLS = 2_000;
const WARMUP = 200;

export interface InferenceRow {
  sampleRate: number;
  meanUs: number;
  p99Us: number;
  hopBudgetUs: number;
  engineHopUs: number;
  modelBytes: number;
}

export async function measureModelInference(sampleRate = 48_000): Promise<InferenceRow> {
  const { model, path } = await loadModelFile();
  const { statSync } = await import('node:fs');
  const window = new Float32Array(WINDOW_SIZE);
  const noise = pinkNoise(WINDOW_SIZE, 5, 1);
  for (let i = 0; i < WINDOW_SIZE; i++) window[i] = -6 + 2 * noise[i];
  for (let i = 0; i < WARMUP; i++) await model.run(window, 1);
  const times = new Float64Array(CALLS);
  for (let i = 0; i < CALLS; i++) {
    const start = performance.now();
    await model.run(window, 1);
    times[i] = (performance.now() - start) * 1000;
  }
  times.sort();
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
  await model.release();
  return {
    sampleRate,
    meanUs: times.reduce((a, b) => a + b, 0) / CALLS,
    p99Us: times[Math.floor(0.99 * CALLS)],
    hopBudgetUs: (hop / sampleRate) * 1e6,
    engineHopUs: engineQuantumUs * (hop / RENDER_QUANTUM),
    modelBytes: statSync(path).size,
  };
}
