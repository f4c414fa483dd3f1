/**
 * How much of an input's DC offset (or of one low tone) reaches the side (L-R)/2 of an engine's output:
 * the measurement of test/dsp/side-dc.test.ts and bench/side-dc.ts.
 */
import type { UpmixEngineOptions } from '../../src/dsp/engine.js';
import { renderEngine } from './render.js';

/** Seconds the engine runs before the side is measured (its start and the DC blocker's settling). */
export const SETTLE_SECONDS = 1;

/** The side (L-R)/2 of the engine's output for `left` (and `right`, or null for mono input). */
export function renderSide(options: UpmixEngineOptions, left: Float32Array, right: Float32Array | null): Float64Array {
  const out = renderEngine(left, options, right);
  return Float64Array.from(out.left, (l, i) => 0.5 * (l - out.right[i]));
}

/**
 * The mean of `signal` from `SETTLE_SECONDS` to its end, weighted by a Hann window: the programme's own
 * tones above a few hertz then add next to nothing (a plain mean over a second keeps a 60 Hz tone's
 * amplitude / 190).
 */
export function settledMean(signal: Float64Array, sampleRate: number): number {
  const start = Math.round(SETTLE_SECONDS * sampleRate);
  const count = signal.length - start;
  let sum = 0;
  let weights = 0;
  for (let i = 0; i < count; i++) {
    const weight = 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / count);
    sum += weight * signal[start + i];
    weights += weight;
  }
  return sum / weights;
}

/** The amplitude of `frequency` in `signal` from `SETTLE_SECONDS` on, over whole periods. */
export function settledAmplitude(signal: Float64Array, sampleRate: number, frequency: number): number {
  const start = Math.round(SETTLE_SECONDS * sampleRate);
  const period = sampleRate / frequency;
  const end = start + Math.floor((signal.length - start) / period) * period;
  let re = 0;
  let im = 0;
  for (let i = start; i < Math.floor(end); i++) {
    re += signal[i] * Math.cos((2 * Math.PI * frequency * i) / sampleRate);
    im += signal[i] * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
  }
  return (2 * Math.hypot(re, im)) / (Math.floor(end) - start);
}

/**
 * The share of a DC offset that reaches the side once settled: the side's mean with offsets `dcLeft`
 * and `dcRight` added to the input, less its mean without them (what the programme itself leaves in a
 * finite window), divided by `reference` (the offset the share is of).
 */
export function sideDcShare(options: UpmixEngineOptions, left: Float32Array, right: Float32Array | null, dcLeft: number, dcRight: number, reference: number): number {
  const sampleRate = options.sampleRate;
  const offsetLeft = left.map((x) => x + dcLeft);
  const offsetRight = right ? right.map((x) => x + dcRight) : null;
  const withOffset = settledMean(renderSide(options, offsetLeft, offsetRight), sampleRate);
  const without = settledMean(renderSide(options, left, right), sampleRate);
  return Math.abs(withOffset - without) / reference;
}
