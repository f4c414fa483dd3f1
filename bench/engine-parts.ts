/**
 * What the parts of the engine cost at 48 kHz, in yardstick FFTs per quantum (as bench/engine-cost.ts:
 * CPU time, fastest round, one 1024-point real FFT of fft.js timed in the same rounds): in quality mode
 * the whole engine, without the low-band path, without the closed ICC loop, without either, and the
 * whole engine with fft.js's float64 transforms in place of PFFFT's (what the wasm FFT saves); in live
 * mode (which has neither part) the whole engine, and with fft.js's transforms.
 *
 *     node --import tsx bench/engine-parts.ts
 */
import { UpmixEngine, type UpmixEngineOptions } from '../src/dsp/engine.js';
import { RENDER_QUANTUM } from '../src/dsp/frame-config.js';
import { allowWasmFft } from '../src/dsp/wasm-fft.js';
import { pinkNoise } from '../test/support/signals.js';
import { privateFftJs, YARDSTICK_SIZE, yardstickRound } from './engine-cost.js';

const ROUNDS = 30;
const QUANTA = 1024;

const VARIANTS: readonly [string, Partial<UpmixEngineOptions>, boolean][] = [
  ['quality: whole engine (PFFFT)', {}, true],
  ['quality: without the low-band path', { lowBandPath: false }, true],
  ['quality: without the ICC loop', { iccFeedback: false }, true],
  ['quality: without either', { lowBandPath: false, iccFeedback: false }, true],
  ['quality: whole, fft.js transforms', {}, false],
  ['live: whole engine (PFFFT)', { mode: 'live' }, true],
  ['live: whole, fft.js transforms', { mode: 'live' }, false],
];

const yardstick = new (privateFftJs())(YARDSTICK_SIZE);
const yardstickIn = Float64Array.from(pinkNoise(YARDSTICK_SIZE, 7));
const yardstickOut = yardstick.createComplexArray();
const input = pinkNoise(RENDER_QUANTUM * QUANTA, 3);
const blocks = Array.from({ length: QUANTA }, (_, q) => input.subarray(q * RENDER_QUANTUM, (q + 1) * RENDER_QUANTUM));
const left = new Float32Array(RENDER_QUANTUM);
const right = new Float32Array(RENDER_QUANTUM);

console.log('48 kHz, pink noise, fixed profile: mean us per quantum (fastest of 30 rounds), yardstick us, yardsticks per quantum');
for (const [label, options, wasm] of VARIANTS) {
  allowWasmFft(wasm);
  const engine = new UpmixEngine({ sampleRate: 48_000, mode: 'quality', ...options });
  // The variants run one after another in one process (as npm run bench's rows do): compare within a run.
  allowWasmFft(true);
  for (let k = 0; k < 5; k++) for (const block of blocks) engine.process(block, null, left, right);
  let best = Infinity;
  let bestYardstick = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.cpuUsage();
    for (const block of blocks) engine.process(block, null, left, right);
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / QUANTA);
    bestYardstick = Math.min(bestYardstick, yardstickRound(yardstick, yardstickIn, yardstickOut));
  }
  console.log(`${label.padEnd(36)} ${best.toFixed(2).padStart(7)} ${bestYardstick.toFixed(2).padStart(7)} ${(best / bestYardstick).toFixed(2).padStart(7)}`);
}
