import FFT from 'fft.js';

/**
 * Real-input FFT of a power-of-two size on caller-owned buffers, built on fft.js (radix-4, well tested,
 * no allocation per transform). Spectra are "half spectra": bins 0..size/2 as interleaved (re, im).
 */
export class RealFft {
  readonly size: number;
  /** Length of a half spectrum array: 2 * (size / 2 + 1). */
  readonly halfSpectrumLength: number;
  private readonly fft: FFT;
  private readonly complexA: Float64Array;
  private readonly complexB: Float64Array;

  constructor(size: number) {
    this.size = size;
    this.halfSpectrumLength = size + 2;
    this.fft = new FFT(size);
    this.complexA = new Float64Array(2 * size);
    this.complexB = new Float64Array(2 * size);
  }

  /** `spectrum` (half spectrum) = DFT of `input` (length `size`). Audio-thread safe. */
  forward(input: Float64Array, spectrum: Float64Array): void {
    this.fft.realTransform(this.complexA, input);
    // A copy loop, not set(subarray()): subarray allocates a view on every call.
    for (let i = 0; i < this.halfSpectrumLength; i++) spectrum[i] = this.complexA[i];
  }

  /** `output` (length `size`) = inverse DFT of a Hermitian half spectrum, scaled by 1/size. Audio-thread safe. */
  inverse(spectrum: Float64Array, output: Float64Array): void {
    const n = this.size;
    const full = this.complexA;
    full.set(spectrum);
    for (let k = 1; k < n / 2; k++) {
      full[2 * (n - k)] = spectrum[2 * k];
      full[2 * (n - k) + 1] = -spectrum[2 * k + 1];
    }
    // A real signal has real DC and Nyquist bins: drop any imaginary part the caller left there.
    full[1] = 0;
    full[n + 1] = 0;
    this.fft.inverseTransform(this.complexB, full);
    for (let i = 0; i < n; i++) output[i] = this.complexB[2 * i];
  }
}
