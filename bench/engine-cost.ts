/**
 * The engine's cost per 128-sample quantum in Node, against a yardstick timed in the same rounds: one
 * 1024-point real FFT of fft.js (`realTransform`, the half spectrum), the unit of design section 11
 * (the engine's floor is 0.75 of them per quantum in quality mode at 48 kHz). Rounds of engine quanta
 * and yardstick FFTs alternate, and each is the fastest round's mean: on a shared machine other
 * processes only ever add time, so the fastest round is the best estimate of the cost itself.
 */
import FFT from 'fft.js';
import { UpmixEngine } from '../src/dsp/engine.js';
import { RENDER_QUANTUM, type LatencyMode } from '../src/dsp/frame-config.js';
import { ModelCueSource } from '../src/model/model-cue-source.js';
import { pinkNoise } from '../test/support/signals.js';

const ROUNDS = 40;
const QUANTA_PER_ROUND = 1024;
const FFTS_PER_ROUND = 1024;
const WARMUP_QUANTA = 5_000;
export const YARDSTICK_SIZE = 1024;

export interface CostRow {
  mode: LatencyMode;
  /** `fixed`: the fixed profile; `model`: the model's feature analysis on the audio thread too (cues held). */
  cues: 'fixed' | 'model';
  sampleRate: number;
  /** Mean cost per quantum in the fastest round, us. */
  meanUs: number;
  /** 99th percentile of single quanta over all rounds, us. */
  p99Us: number;
  /** One yardstick FFT, us (fastest round). */
  yardstickUs: number;
}

/** Times yardstick FFTs: us per transform over one round. */
function yardstickRound(fft: FFT, input: Float64Array, output: number[]): number {
  const start = performance.now();
  for (let i = 0; i < FFTS_PER_ROUND; i++) fft.realTransform(output, input);
  return ((performance.now() - start) * 1000) / FFTS_PER_ROUND;
}

/** Mean and p99 cost per quantum for each mode at 44.1 and 48 kHz, with the yardstick of the same rounds. */
export function measureEngineCost(): CostRow[] {
  const yardstick = new FFT(YARDSTICK_SIZE);
  const yardstickIn = Float64Array.from(pinkNoise(YARDSTICK_SIZE, 7));
  const yardstickOut = yardstick.createComplexArray();
  const rows: CostRow[] = [];
  const outL = new Float32Array(RENDER_QUANTUM);
  const outR = new Float32Array(RENDER_QUANTUM);
  for (const sampleRate of [44_100, 48_000]) {
    const input = pinkNoise(RENDER_QUANTUM * QUANTA_PER_ROUND, 3);
    const blocks: Float32Array[] = [];
    for (let q = 0; q < QUANTA_PER_ROUND; q++) blocks.push(input.subarray(q * RENDER_QUANTUM, (q + 1) * RENDER_QUANTUM));
    for (const mode of ['live', 'quality'] as LatencyMode[]) {
      for (const cues of ['fixed', 'model'] as const) {
        // With the model, the audio thread also computes its features every hop (the Worker's inference is elsewhere).
        const engine = new UpmixEngine({ sampleRate, mode, cueSource: cues === 'model' ? new ModelCueSource(null) : undefined });
        for (let q = 0; q < WARMUP_QUANTA; q++) engine.process(blocks[q % QUANTA_PER_ROUND], null, outL, outR);
        for (let i = 0; i < 5; i++) yardstickRound(yardstick, yardstickIn, yardstickOut);
        const single = new Float64Array(ROUNDS * QUANTA_PER_ROUND);
        let bestRound = Infinity;
        let bestYardstick = Infinity;
        for (let round = 0; round < ROUNDS; round++) {
          const roundStart = performance.now();
          for (let q = 0; q < QUANTA_PER_ROUND; q++) {
            const start = performance.now();
            engine.process(blocks[q], null, outL, outR);
            single[round * QUANTA_PER_ROUND + q] = (performance.now() - start) * 1000;
          }
          bestRound = Math.min(bestRound, ((performance.now() - roundStart) * 1000) / QUANTA_PER_ROUND);
          bestYardstick = Math.min(bestYardstick, yardstickRound(yardstick, yardstickIn, yardstickOut));
        }
        single.sort();
        rows.push({ mode, cues, sampleRate, meanUs: bestRound, p99Us: single[Math.floor(0.99 * single.length)], yardstickUs: bestYardstick });
      }
    }
  }
  return rows;
}
