import FFT from 'fft.js';

/**
 * A real FFT on caller-owned float64 buffers, as the STFT uses it: {@link RealFft} (fft.js, float64) or
 * WasmRealFft (PFFFT, float32, wasm-fft.ts).
 */
export interface RealTransform {
  readonly size: number;
  /** Length of a half spectrum array: 2 * (size / 2 + 1). */
  readonly halfSpectrumLength: number;
  /** `spectrum` (half spectrum: bins 0..size/2 as interleaved (re, im)) = DFT of `input`. Audio-thread safe. */
  forward(input: Float64Array, spectrum: Float64Array): void;
  /** `output` = inverse DFT of a Hermitian half spectrum, scaled by 1/size. Audio-thread safe. */
  inverse(spectrum: Float64Array, output: Float64Array): void;
  /**
   * The transform's own time buffer (`size` samples), for a caller that writes a frame into it and calls
   * {@link forwardTime}: no copy in. Valid until the next call on this transform. Audio-thread safe.
   */
  timeBuffer(): Float32Array | Float64Array;
  /** `spectrum` = DFT of what {@link timeBuffer} holds. Audio-thread safe. */
  forwardTime(spectrum: Float64Array): void;
  /**
   * The inverse DFT of a Hermitian half spectrum in the transform's own time buffer, times
   * {@link inverseTimeScale} to undo {@link forward} (the caller scales as it reads: no copy out). Valid
   * until the next call on this transform. `bins`: where the caller knows that only the first so many
   * bins are not zero (the rest are then read as zeros, and need not be). Audio-thread safe.
   */
  inverseTime(spectrum: Float64Array, bins?: number): Float32Array | Float64Array;
  /** The factor that makes {@link inverseTime}'s output the inverse of {@link forward}. */
  readonly inverseTimeScale: number;
  /**
   * Byte offset of {@link timeBuffer} in PFFFT's memory, where the SIMD kernels (simd-kernels.ts) window
   * into it and overlap-add out of it; -1 where it is an ordinary array (then the JavaScript loops do).
   */
  readonly timePointer: number;
}

/**
 * Real-input FFT of a power-of-two size on caller-owned buffers, built on fft.js (radix-4, well tested,
 * no allocation per transform). Spectra are "half spectra": bins 0..size/2 as interleaved (re, im).
 *
 * Both directions run one complex FFT of half the size (the real signal's even and odd samples as the
 * real and imaginary parts: a real array already has that layout) and one pass of twiddles that splits or
 * joins the two halves' spectra. That is about half the work of a full complex transform, which the
 * inverse took before, and neither direction copies its result (`npm run bench` times it).
 */
export class RealFft implements RealTransform {
  readonly size: number;
  /** Length of a half spectrum array: 2 * (size / 2 + 1). */
  readonly halfSpectrumLength: number;
  private readonly half: FFT;
  /** cos and sin of 2 pi k / size for k = 0..size/2 (the twiddles of the split and join). */
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  /** The half-size complex spectrum (size / 2 bins, interleaved). */
  private readonly packed: Float64Array;
  /** The time buffer of {@link timeBuffer} and {@link inverseTime}. */
  private readonly time: Float64Array;
  readonly inverseTimeScale = 1;
  /** Not in PFFFT's memory. */
  readonly timePointer = -1;

  constructor(size: number) {
    if (!(size >= 4) || (size & (size - 1)) !== 0) throw new RangeError(`FFT size ${size} is not a power of two of at least 4`);
    this.size = size;
    this.halfSpectrumLength = size + 2;
    this.half = new FFT(size / 2);
    this.cos = new Float64Array(size / 2 + 1);
    this.sin = new Float64Array(size / 2 + 1);
    for (let k = 0; k <= size / 2; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / size);
      this.sin[k] = Math.sin((2 * Math.PI * k) / size);
    }
    this.packed = new Float64Array(size);
    this.time = new Float64Array(size);
  }

  timeBuffer(): Float64Array {
    return this.time;
  }

  forwardTime(spectrum: Float64Array): void {
    this.forward(this.time, spectrum);
  }

  inverseTime(spectrum: Float64Array): Float64Array {
    this.inverse(spectrum, this.time);
    return this.time;
  }

  /** `spectrum` (half spectrum) = DFT of `input` (length `size`). Audio-thread safe. */
  forward(input: Float64Array, spectrum: Float64Array): void {
    const n = this.size;
    const h = n / 2;
    const z = this.packed;
    // Z = FFT of z[m] = x[2m] + i x[2m+1]; then X[k] = E[k] + W^k O[k], W = exp(-2 pi i / n), with
    // E[k] = (Z[k] + conj Z[h-k]) / 2 and O[k] = (Z[k] - conj Z[h-k]) / 2i.
    this.half.transform(z, input);
    spectrum[0] = z[0] + z[1];
    spectrum[1] = 0;
    spectrum[n] = z[0] - z[1];
    spectrum[n + 1] = 0;
    const cos = this.cos;
    const sin = this.sin;
    for (let k = 1; k < h; k++) {
      const zr = z[2 * k];
      const zi = z[2 * k + 1];
      const cr = z[2 * (h - k)];
      const ci = -z[2 * (h - k) + 1];
      const er = 0.5 * (zr + cr);
      const ei = 0.5 * (zi + ci);
      // O = (Z - conj Z[h-k]) / 2i: (a + ib) / 2i = (b - ia) / 2.
      const or = 0.5 * (zi - ci);
      const oi = -0.5 * (zr - cr);
      // W^k O = (cos - i sin)(or + i oi).
      const c = cos[k];
      const s = sin[k];
      spectrum[2 * k] = er + c * or + s * oi;
      spectrum[2 * k + 1] = ei + c * oi - s * or;
    }
  }

  /**
   * `output` (length `size`) = inverse DFT of a Hermitian half spectrum, scaled by 1/size (so it undoes
   * {@link forward}); the imaginary parts of the DC and Nyquist bins are ignored. Audio-thread safe.
   */
  inverse(spectrum: Float64Array, output: Float64Array): void {
    const n = this.size;
    const h = n / 2;
    const z = this.packed;
    // Z[k] = E[k] + i O[k] with E[k] = (X[k] + conj X[h-k]) / 2 and O[k] = (X[k] - conj X[h-k]) conj(W^k) / 2;
    // the inverse half-size FFT of Z (scaled by 1/h) is x[2m] + i x[2m+1], in place in `output`.
    const x0 = spectrum[0];
    const xh = spectrum[n];
    // k = 0: E = (X0 + Xh) / 2, O = (X0 - Xh) / 2, Z = E + i O.
    z[0] = 0.5 * (x0 + xh);
    z[1] = 0.5 * (x0 - xh);
    const cos = this.cos;
    const sin = this.sin;
    for (let k = 1; k < h; k++) {
      const xr = spectrum[2 * k];
      const xi = spectrum[2 * k + 1];
      const cr = spectrum[2 * (h - k)];
      const ci = -spectrum[2 * (h - k) + 1];
      const er = 0.5 * (xr + cr);
      const ei = 0.5 * (xi + ci);
      const dr = 0.5 * (xr - cr);
      const di = 0.5 * (xi - ci);
      // O = D conj(W^k) = (dr + i di)(cos + i sin).
      const c = cos[k];
      const s = sin[k];
      const or = dr * c - di * s;
      const oi = dr * s + di * c;
      // Z = E + i O.
      z[2 * k] = er - oi;
      z[2 * k + 1] = ei + or;
    }
    this.half.inverseTransform(output, z);
  }
}
