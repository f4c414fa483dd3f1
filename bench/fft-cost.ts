/**
 * The engine's real FFTs, forward and inverse on float64 buffers (copies in and out of the module's
 * memory included), PFFFT (wasm-fft.ts) against fft.js (real-fft.ts), in yardsticks: one 1024-point real
 * FFT of fft.js timed in the same rounds (CPU time, fastest of 20 rounds).
 *
 *     node --import tsx bench/fft-cost.ts
 */
import { RealFft, type RealTransform } from '../src/dsp/real-fft.js';
import { WasmRealFft } from '../src/dsp/wasm-fft.js';
import { pinkNoise } from '../test/support/signals.js';
import { privateFftJs, YARDSTICK_SIZE, yardstickRound } from './engine-cost.js';

const ROUNDS = 20;
const CALLS = 2000;

const yardstick = new (privateFftJs())(YARDSTICK_SIZE);
const yardstickIn = Float64Array.from(pinkNoise(YARDSTICK_SIZE, 7));
const yardstickOut = yardstick.createComplexArray();

/** Fastest round's CPU us per call of forward then inverse, and the yardstick's. */
function time(fft: RealTransform): [number, number] {
  const input = Float64Array.from(pinkNoise(fft.size, 5));
  const spectrum = new Float64Array(fft.halfSpectrumLength);
  const output = new Float64Array(fft.size);
  let best = Infinity;
  let bestYardstick = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.cpuUsage();
    for (let i = 0; i < CALLS; i++) {
      fft.forward(input, spectrum);
      fft.inverse(spectrum, output);
    }
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / CALLS);
    bestYardstick = Math.min(bestYardstick, yardstickRound(yardstick, yardstickIn, yardstickOut));
  }
  return [best, bestYardstick];
}

console.log('size   forward + inverse, yardsticks: fft.js (float64)   PFFFT wasm SIMD (float32)   ratio');
for (const size of [256, 1024, 2048]) {
  const wasm = WasmRealFft.create(size);
  if (wasm === null) throw new Error('no WebAssembly SIMD here');
  const [js, jsYardstick] = time(new RealFft(size));
  const [pffft, pffftYardstick] = time(wasm);
  console.log(`${String(size).padEnd(6)} ${(js / jsYardstick).toFixed(2).padStart(48)} ${(pffft / pffftYardstick).toFixed(2).padStart(27)} ${(js / jsYardstick / (pffft / pffftYardstick)).toFixed(1).padStart(7)}x`);
}
