/**
 * The engine's cost per 128-sample quantum in Node, against a plain copy loop timed in the same run,
 * and a garbage-collection check over a steady-state run of 100,000 quanta.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { UpmixEngine } from '../src/dsp/engine.js';
import { RENDER_QUANTUM, type LatencyMode } from '../src/dsp/frame-config.js';
import { ModelCueSource } from '../src/model/model-cue-source.js';
import { pinkNoise } from '../test/support/signals.js';

const TIMED_QUANTA = 40_000;
const WARMUP_QUANTA = 5_000;
const GC_QUANTA = 100_000;

export interface CostRow {
  mode: LatencyMode;
  /** `fixed`: the fixed profile; `model`: the model's feature analysis on the audio thread too (cues held). */
  cues: 'fixed' | 'model';
  sampleRate: number;
  meanUs: number;
  p99Us: number;
  copyMeanUs: number;
}

type Processor = (inL: Float32Array, outL: Float32Array, outR: Float32Array) => void;

/** Per-quantum times in microseconds of `processor` over `quanta` quanta of `input`. */
function timeQuanta(processor: Processor, input: Float32Array, quanta: number): Float64Array {
  const outL = new Float32Array(RENDER_QUANTUM);
  const outR = new Float32Array(RENDER_QUANTUM);
  const blocks = input.length / RENDER_QUANTUM;
  const times = new Float64Array(quanta);
  for (let q = 0; q < quanta; q++) {
    const offset = (q % blocks) * RENDER_QUANTUM;
    const block = input.subarray(offset, offset + RENDER_QUANTUM);
    const start = performance.now();
    processor(block, outL, outR);
    times[q] = (performance.now() - start) * 1000;
  }
  return times;
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function percentile(values: Float64Array, p: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

const copy: Processor = (inL, outL, outR) => {
  for (let i = 0; i < RENDER_QUANTUM; i++) {
    outL[i] = inL[i];
    outR[i] = inL[i];
  }
};

/** Mean and p99 cost per quantum for each mode at 44.1 and 48 kHz. */
export function measureEngineCost(): CostRow[] {
  const rows: CostRow[] = [];
  for (const sampleRate of [44_100, 48_000]) {
    const input = pinkNoise(RENDER_QUANTUM * 4096, 3);
    for (const mode of ['live', 'quality'] as LatencyMode[]) {
      for (const cues of ['fixed', 'model'] as const) {
        // With the model, the audio thread also computes its features every hop (the Worker's inference is elsewhere).
        const engine = new UpmixEngine({ sampleRate, mode, cueSource: cues === 'model' ? new ModelCueSource(null) : undefined });
        const run: Processor = (inL, outL, outR) => engine.process(inL, null, outL, outR);
        timeQuanta(run, input, WARMUP_QUANTA);
        timeQuanta(copy, input, WARMUP_QUANTA);
        const times = timeQuanta(run, input, TIMED_QUANTA);
        const copyTimes = timeQuanta(copy, input, TIMED_QUANTA);
        rows.push({ mode, cues, sampleRate, meanUs: mean(times), p99Us: percentile(times, 0.99), copyMeanUs: mean(copyTimes) });
      }
    }
  }
  return rows;
}

/** Number of garbage collections during 100,000 steady-state quanta (after warm-up), per mode at 48 kHz. */
export async function countGarbageCollections(mode: LatencyMode): Promise<number> {
  const engine = new UpmixEngine({ sampleRate: 48_000, mode });
  const input = pinkNoise(RENDER_QUANTUM * 1024, 4);
  const outL = new Float32Array(RENDER_QUANTUM);
  const outR = new Float32Array(RENDER_QUANTUM);
  const blocks = input.length / RENDER_QUANTUM;
  const blockViews: Float32Array[] = [];
  for (let b = 0; b < blocks; b++) blockViews.push(input.subarray(b * RENDER_QUANTUM, (b + 1) * RENDER_QUANTUM));
  for (let q = 0; q < WARMUP_QUANTA; q++) engine.process(blockViews[q % blocks], null, outL, outR);
  let collections = 0;
  const observer = new PerformanceObserver((list) => {
    collections += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  for (let q = 0; q < GC_QUANTA; q++) engine.process(blockViews[q % blocks], null, outL, outR);
  // GC entries are delivered asynchronously: give the observer a turn before reading the count.
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  return collections;
}
