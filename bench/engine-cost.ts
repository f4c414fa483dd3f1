/**
 * The engine's cost per 128-sample quantum in Node, against a yardstick timed in the same rounds: one
 * 1024-point real FFT of fft.js (`realTransform`, the half spectrum), the unit of design section 11
 * (the engine's floor is 0.75 of them per quantum in quality mode at 48 kHz). Rounds of engine quanta
 * and yardstick FFTs alternate, timed in this process's CPU time (on a shared machine the wall clock
 * also counts the time other processes ran), and each figure is the fastest round's mean: others
 * only ever add time (their cache traffic), so the fastest round is the best estimate of the cost
 * itself. The p99 of single quanta is wall-clock time, as the audio thread feels it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type FFT from 'fft.js';
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
  /** Mean CPU time per quantum in the fastest round, us. */
  meanUs: number;
  /** 99th percentile of single quanta over all rounds (wall clock), us. */
  p99Us: number;
  /** One yardstick FFT, CPU us (fastest round). */
  yardstickUs: number;
}

/**
 * A private copy of fft.js for the yardstick (used as its README shows: `createComplexArray` output):
 * functions of its own, so that how the engine uses fft.js
 * (other sizes, other array types) cannot change how V8 optimises the yardstick's transform.
 */
export function privateFftJs(): typeof FFT {
  const source = readFileSync(createRequire(import.meta.url).resolve('fft.js'), 'utf8');
  const module = { exports: {} };
  new Function('module', 'exports', source)(module, module.exports);
  return module.exports as typeof FFT;
}

/** Microseconds of CPU time (user and system) this process has used since `since`. */
function cpuMicroseconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

/** Times yardstick FFTs: CPU us per transform over one round. */
export function yardstickRound(fft: FFT, input: Float64Array, output: number[]): number {
  const start = process.cpuUsage();
  for (let i = 0; i < FFTS_PER_ROUND; i++) fft.realTransform(output, input);
  return cpuMicroseconds(start) / FFTS_PER_ROUND;
}

/** Mean and p99 cost per quantum for each mode at 44.1 and 48 kHz, with the yardstick of the same rounds. */
export function measureEngineCost(): CostRow[] {
  const yardstick = new (privateFftJs())(YARDSTICK_SIZE);
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
          const roundStart = process.cpuUsage();
          for (let q = 0; q < QUANTA_PER_ROUND; q++) engine.process(blocks[q], null, outL, outR);
          bestRound = Math.min(bestRound, cpuMicroseconds(roundStart) / QUANTA_PER_ROUND);
          for (let q = 0; q < QUANTA_PER_ROUND; q++) {
            const start = performance.now();
            engine.process(blocks[q], null, outL, outR);
            single[round * QUANTA_PER_ROUND + q] = (performance.now() - start) * 1000;
          }
          bestYardstick = Math.min(bestYardstick, yardstickRound(yardstick, yardstickIn, yardstickOut));
        }
        single.sort();
        rows.push({ mode, cues, sampleRate, meanUs: bestRound, p99Us: single[Math.floor(0.99 * single.length)], yardstickUs: bestYardstick });
      }
    }
  }
  return rows;
}

/** Prints the engine's cost table (what `npm run bench` prints as its engine table). */
export function printEngineCost(): void {
  const budgetUs = (RENDER_QUANTUM / 48_000) * 1e6;
  console.log(`Engine cost per ${RENDER_QUANTUM}-sample quantum (Node, pink noise; fastest of ${ROUNDS} rounds of ${QUANTA_PER_ROUND.toLocaleString('en')} quanta, each round followed by ${FFTS_PER_ROUND.toLocaleString('en')} yardstick FFTs):`);
  console.log(`yardstick: one ${YARDSTICK_SIZE}-point real FFT of fft.js (realTransform); target: at most 2.0 per quantum at 48 kHz`);
  console.log('mode     cues    rate    mean us   p99 us   yardstick us   yardsticks per quantum   % of 48 kHz budget');
  for (const row of measureEngineCost()) {
    console.log(
      `${row.mode.padEnd(8)} ${row.cues.padEnd(7)} ${String(row.sampleRate).padEnd(7)} ${row.meanUs.toFixed(2).padStart(7)} ${row.p99Us.toFixed(2).padStart(8)} ${row.yardstickUs.toFixed(2).padStart(14)} ${(row.meanUs / row.yardstickUs).toFixed(2).padStart(24)} ${((100 * row.meanUs) / budgetUs).toFixed(2).padStart(19)}%`,
    );
  }
}
