/**
 * The closed-loop ICC meter's cost (src/dsp/icc-feedback.ts: measure(), which transforms the output's mid
 * and side every meter hop) per 128-sample quantum, as a multiple of issue 13's yardstick: one 1024-point
 * real FFT of fft.js, timed in the same run. Rounds of meter and yardstick alternate; medians are reported
 * (the machine is shared and noisy). Also: why the meter transforms M and S as one complex FFT (one
 * 2048-point complex transform against two real ones, in yardsticks).
 *
 *     node --import tsx bench/icc-meter-cost.ts
 */
import FFT from 'fft.js';
import { IccFeedback } from '../src/dsp/icc-feedback.js';
import { RENDER_QUANTUM } from '../src/dsp/frame-config.js';
import { whiteNoise } from '../test/support/signals.js';

const ROUNDS = 9;
const QUANTA_PER_ROUND = 20_000;
const YARDSTICKS_PER_ROUND = 20_000;

export interface MeterCostRow {
  sampleRate: number;
  /** Median over rounds of the meter's mean time per quantum. */
  meterUs: number;
  /** Median over rounds of one 1024-point fft.js real transform. */
  yardstickUs: number;
  /** Median over rounds of the per-round ratio meter / yardstick. */
  yardsticksPerQuantum: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The meter's cost per quantum at 44.1 and 48 kHz in yardstick FFTs. */
export function measureIccMeterCost(): MeterCostRow[] {
  const fft = new FFT(1024);
  const yardstickInput = Float64Array.from(whiteNoise(1024, 2));
  const yardstickOutput = new Float64Array(2 * 1024);
  const rows: MeterCostRow[] = [];
  for (const sampleRate of [44_100, 48_000]) {
    const meter = new IccFeedback(sampleRate, 0);
    const blocks = 1024;
    const mid = Float64Array.from(whiteNoise(blocks * RENDER_QUANTUM, 3));
    const side = Float64Array.from(whiteNoise(blocks * RENDER_QUANTUM, 4));
    const midBlocks = Array.from({ length: blocks }, (_, b) => mid.subarray(b * RENDER_QUANTUM, (b + 1) * RENDER_QUANTUM));
    const sideBlocks = Array.from({ length: blocks }, (_, b) => side.subarray(b * RENDER_QUANTUM, (b + 1) * RENDER_QUANTUM));
    const meterTimes: number[] = [];
    const yardstickTimes: number[] = [];
    const ratios: number[] = [];
    for (let round = -1; round < ROUNDS; round++) {
      let start = performance.now();
      for (let q = 0; q < QUANTA_PER_ROUND; q++) meter.measure(midBlocks[q % blocks], sideBlocks[q % blocks], RENDER_QUANTUM);
      const meterUs = ((performance.now() - start) * 1000) / QUANTA_PER_ROUND;
      start = performance.now();
      for (let i = 0; i < YARDSTICKS_PER_ROUND; i++) fft.realTransform(yardstickOutput, yardstickInput);
      const yardstickUs = ((performance.now() - start) * 1000) / YARDSTICKS_PER_ROUND;
      if (round < 0) continue; // warm-up round
      meterTimes.push(meterUs);
      yardstickTimes.push(yardstickUs);
      ratios.push(meterUs / yardstickUs);
    }
    rows.push({ sampleRate, meterUs: median(meterTimes), yardstickUs: median(yardstickTimes), yardsticksPerQuantum: median(ratios) });
  }
  return rows;
}

/** One 2048-point complex fft.js transform and two real ones, in yardsticks (medians of alternating rounds). */
export function measureMeterTransforms(): { complex: number; twoReal: number } {
  const yardstick = new FFT(1024);
  const fft = new FFT(2048);
  const real = Float64Array.from(whiteNoise(2048, 5));
  const complex = Float64Array.from(whiteNoise(4096, 6));
  const out = new Float64Array(4096);
  const time = (run: () => void): number => {
    const start = performance.now();
    for (let i = 0; i < YARDSTICKS_PER_ROUND; i++) run();
    return performance.now() - start;
  };
  const complexRatios: number[] = [];
  const realRatios: number[] = [];
  for (let round = -1; round < ROUNDS; round++) {
    const unit = time(() => yardstick.realTransform(out, real.subarray(0, 1024)));
    const c = time(() => fft.transform(out, complex));
    const r = time(() => fft.realTransform(out, real));
    if (round < 0) continue;
    complexRatios.push(c / unit);
    realRatios.push((2 * r) / unit);
  }
  return { complex: median(complexRatios), twoReal: median(realRatios) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`ICC meter (IccFeedback.measure) per 128-sample quantum, medians of ${ROUNDS} alternating rounds:`);
  console.log('rate     meter us   1024-point FFT us   yardstick FFTs per quantum');
  for (const row of measureIccMeterCost()) {
    console.log(`${String(row.sampleRate).padEnd(8)} ${row.meterUs.toFixed(2).padStart(8)} ${row.yardstickUs.toFixed(2).padStart(19)} ${row.yardsticksPerQuantum.toFixed(2).padStart(28)}`);
  }
  const transforms = measureMeterTransforms();
  console.log(`M and S per frame, in yardstick FFTs: one 2048-point complex transform ${transforms.complex.toFixed(2)}, two real ones ${transforms.twoReal.toFixed(2)}`);
}
