/**
 * The engine on its own, for bench/worklet-cost.ts: {@link runEngineLoop} feeds one engine quanta of
 * noise in a plain loop, on whatever thread calls it (a page's main thread, or inside one call of an
 * AudioWorklet's process()), so that the threads' CPU times compare the same code; {@link runYardstickLoop}
 * times the yardstick of bench/engine-cost.ts in the same browser.
 */
import FFT from 'fft.js';
import { UpmixEngine } from '../src/dsp/engine.js';
import { RENDER_QUANTUM, type LatencyMode } from '../src/dsp/frame-config.js';

/** Distinct blocks of noise the loop cycles through. */
const BLOCKS = 1024;

/** Runs a fresh engine (48 kHz, fixed profile) for `quanta` quanta of seeded noise. */
export function runEngineLoop(mode: LatencyMode, quanta: number): void {
  const engine = new UpmixEngine({ sampleRate: 48_000, mode });
  const noise = new Float32Array(RENDER_QUANTUM * BLOCKS);
  let state = 1;
  for (let i = 0; i < noise.length; i++) {
    state = (state * 16807) % 2147483647;
    noise[i] = (state / 2147483647 - 0.5) * 0.5;
  }
  const blocks: Float32Array[] = [];
  for (let b = 0; b < BLOCKS; b++) blocks.push(noise.subarray(b * RENDER_QUANTUM, (b + 1) * RENDER_QUANTUM));
  const left = new Float32Array(RENDER_QUANTUM);
  const right = new Float32Array(RENDER_QUANTUM);
  for (let q = 0; q < quanta; q++) engine.process(blocks[q % BLOCKS], null, left, right);
}

/** Runs `transforms` 1024-point real FFTs of fft.js (`realTransform`), the yardstick of bench/engine-cost.ts. */
export function runYardstickLoop(transforms: number): void {
  const fft = new FFT(1024);
  const input = new Float64Array(1024);
  for (let i = 0; i < input.length; i++) input[i] = Math.sin(i * 0.37) + 0.5 * Math.sin(i * 0.011);
  const output = fft.createComplexArray();
  for (let t = 0; t < transforms; t++) fft.realTransform(output, input);
}
