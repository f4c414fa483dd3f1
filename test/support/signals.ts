/** Deterministic test signals (seeded, so every run and runtime sees the same samples). */
import { SeededRandom } from '../../src/dsp/pan-layout.js';

/** Uniform white noise in [-amplitude, amplitude). */
export function whiteNoise(length: number, seed = 1, amplitude = 0.5): Float32Array {
  const random = new SeededRandom(seed);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = amplitude * (2 * random.next() - 1);
  return out;
}

/** Pink noise (Paul Kellet's refined filter on white noise), peak around `amplitude`. */
export function pinkNoise(length: number, seed = 1, amplitude = 0.5): Float32Array {
  const random = new SeededRandom(seed);
  const out = new Float32Array(length);
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
  for (let i = 0; i < length; i++) {
    const white = 2 * random.next() - 1;
    b0 = 0.99886 * b0 + white * 0.0555179;
    b1 = 0.99332 * b1 + white * 0.0750759;
    b2 = 0.969 * b2 + white * 0.153852;
    b3 = 0.8665 * b3 + white * 0.3104856;
    b4 = 0.55 * b4 + white * 0.5329522;
    b5 = -0.7616 * b5 - white * 0.016898;
    out[i] = ((b0 + b1 + b2 + b3 + b4 + b5 + b6 + white * 0.5362) * amplitude) / 4;
    b6 = white * 0.115926;
  }
  return out;
}

/** A click train: single-sample impulses of `amplitude` every `period` samples, starting at `first`. */
export function clickTrain(length: number, period: number, first: number, amplitude = 0.8): Float32Array {
  const out = new Float32Array(length);
  for (let i = first; i < length; i += period) out[i] = amplitude;
  return out;
}
