import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RealFft } from '../../src/dsp/real-fft.js';
import { whiteNoise } from '../support/signals.js';

/** Textbook O(n^2) DFT: the reference the fast transform is checked against. */
function naiveDft(input: Float64Array): Float64Array {
  const n = input.length;
  const out = new Float64Array(n + 2);
  for (let k = 0; k <= n / 2; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      re += input[t] * Math.cos((2 * Math.PI * k * t) / n);
      im -= input[t] * Math.sin((2 * Math.PI * k * t) / n);
    }
    out[2 * k] = re;
    out[2 * k + 1] = im;
  }
  return out;
}

for (const size of [8, 64, 256, 1024]) {
  test(`forward FFT of size ${size} matches a naive DFT within 1e-9 (relative)`, () => {
    const input = Float64Array.from(whiteNoise(size, size));
    const fft = new RealFft(size);
    const fast = new Float64Array(fft.halfSpectrumLength);
    fft.forward(input, fast);
    const slow = naiveDft(input);
    const scale = Math.sqrt(size);
    for (let i = 0; i < slow.length; i++) assert.ok(Math.abs(fast[i] - slow[i]) < 1e-9 * scale, `bin value ${i}: ${fast[i]} vs ${slow[i]}`);
  });

  test(`inverse FFT of size ${size} undoes the forward FFT within 1e-12`, () => {
    const input = Float64Array.from(whiteNoise(size, 3 * size));
    const fft = new RealFft(size);
    const spectrum = new Float64Array(fft.halfSpectrumLength);
    const back = new Float64Array(size);
    fft.forward(input, spectrum);
    fft.inverse(spectrum, back);
    for (let i = 0; i < size; i++) assert.ok(Math.abs(back[i] - input[i]) < 1e-12, `sample ${i}`);
  });
}
