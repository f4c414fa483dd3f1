/**
 * FFTs in PFFFT's SIMD WebAssembly build (pffft.ts), in float32: forward and inverse about 3 times as
 * fast as fft.js's at the engine's sizes even with copies in and out of float64 arrays (bench/fft-cost.ts).
 * Each transform owns three buffers in the module's memory (time, frequency, work); callers fill and read
 * them through Float32Array views, so the hot loops that window a frame or overlap-add one write and
 * read the module's memory directly, without those copies.
 *
 * Why float32 is enough: the engine's output is float32 (Web Audio's samples), and a float32 FFT's
 * round-off is about 1e-7 of the frame's largest value, far below a float32 sample's own step at the
 * levels that matter; the output differs from the float64 transforms' by at most a few 1e-7
 * (test/dsp/wasm-fft.test.ts compares the whole engine). Everything between the transforms (cues,
 * projections, gains, overlap-add) stays float64.
 * @packageDocumentation
 */
import { PFFFT_BACKWARD, PFFFT_COMPLEX, PFFFT_FORWARD, PFFFT_REAL, pffft, type Pffft } from './pffft.js';
import { RealFft, type RealTransform } from './real-fft.js';

let wasmAllowed = true;

/**
 * Whether transforms built from now on may use PFFFT (default true); false makes them fft.js's, as where
 * WebAssembly SIMD is missing. For tests and measurements that compare the two.
 */
export function allowWasmFft(allowed: boolean): void {
  wasmAllowed = allowed;
}

/** Which FFT the engine's transforms run: PFFFT's WebAssembly SIMD build, or fft.js in JavaScript. */
export type FftImplementation = 'wasm-simd' | 'js';

/**
 * Which FFT transforms built from now on in this realm run: `js` where WebAssembly SIMD is missing (or
 * {@link allowWasmFft} turned it off), with the engine's other SIMD kernels (simd-kernels.ts) off too, which
 * costs the engine about 2 times as much in live mode and 3 times in quality mode. Safe anywhere.
 */
export function fftImplementation(): FftImplementation {
  return wasmAllowed && pffft() !== null ? 'wasm-simd' : 'js';
}

/** The engine's real FFT: PFFFT where WebAssembly SIMD runs, fft.js elsewhere. */
export function createRealFft(size: number): RealTransform {
  return WasmRealFft.create(size) ?? new RealFft(size);
}

/** What an object holds in the module's memory, freed when it is garbage collected: a setup (0: none) and buffers. */
interface Allocation {
  readonly module: Pffft;
  readonly setup: number;
  readonly pointers: readonly number[];
}

let releaser: FinalizationRegistry<Allocation> | null | undefined;

/**
 * Frees `pointers` (and `setup`, a transform's, unless 0) in the module once `owner` is garbage collected.
 * The registry is created on first use: no work at import.
 */
export function releaseWhenCollected(owner: object, module: Pffft, pointers: readonly number[], setup = 0): void {
  if (releaser === undefined) {
    releaser =
      typeof FinalizationRegistry === 'function'
        ? new FinalizationRegistry<Allocation>((allocation) => {
            for (const pointer of allocation.pointers) allocation.module.alignedFree(pointer);
            if (allocation.setup !== 0) allocation.module.destroySetup(allocation.setup);
          })
        : null;
  }
  releaser?.register(owner, { module, setup, pointers });
}

/** A transform's allocation failed: the module's memory is full. */
class OutOfPffftMemory extends RangeError {}

/** `make()`, or null when the module's memory is full (then the caller uses fft.js, as where PFFFT does not run). */
function orNullWhenFull<T>(make: () => T): T | null {
  try {
    return make();
  } catch (error) {
    if (error instanceof OutOfPffftMemory) return null;
    throw error;
  }
}

/** A PFFFT transform of `size` points: its setup and its time, frequency and work buffers. */
abstract class PffftTransform {
  readonly size: number;
  /** The time-domain buffer (size reals, or size complex values interleaved). Re-read after a transform. */
  time: Float32Array;
  /**
   * The frequency-domain buffer: as long as {@link time} for complex transforms; for real ones two floats
   * longer (PFFFT uses `size`), so that a whole half spectrum copies in and out in one `set`.
   */
  frequency: Float32Array;
  private readonly module: Pffft;
  private readonly setup: number;
  /** Byte offset of {@link time} in the module's memory (where the SIMD kernels write and read frames). */
  readonly timePointer: number;
  /** Byte offset of {@link frequency} in the module's memory (where the ICC meter's band-sum kernel reads it). */
  readonly frequencyPointer: number;
  private readonly workPointer: number;
  private readonly floats: number;
  private readonly frequencyFloats: number;

  protected constructor(module: Pffft, size: number, kind: number) {
    this.module = module;
    this.size = size;
    this.floats = kind === PFFFT_COMPLEX ? 2 * size : size;
    this.frequencyFloats = kind === PFFFT_COMPLEX ? this.floats : this.floats + 2;
    // PFFFT's setup does not check its own allocation (it would write its twiddles at address 0, over the
    // allocator's state): it is made only once a block twice its size (8 bytes a point at most) was had.
    const room = module.alignedMalloc(16 * size + 1024);
    if (room !== 0) module.alignedFree(room);
    this.setup = room !== 0 ? module.newSetup(size, kind) : 0;
    const bytes = 4 * this.floats;
    this.timePointer = module.alignedMalloc(bytes);
    this.frequencyPointer = module.alignedMalloc(4 * this.frequencyFloats);
    this.workPointer = module.alignedMalloc(bytes);
    if (this.setup === 0 || this.timePointer === 0 || this.frequencyPointer === 0 || this.workPointer === 0) {
      // The module's memory is full (2 GiB at most): give back what was had, for create's fft.js fallback.
      for (const pointer of [this.timePointer, this.frequencyPointer, this.workPointer]) if (pointer !== 0) module.alignedFree(pointer);
      if (this.setup !== 0) module.destroySetup(this.setup);
      throw new OutOfPffftMemory(`PFFFT cannot transform ${size} points here: its memory is full`);
    }
    releaseWhenCollected(this, module, [this.timePointer, this.frequencyPointer, this.workPointer], this.setup);
    this.time = new Float32Array(module.memory.buffer, this.timePointer, this.floats);
    this.frequency = new Float32Array(module.memory.buffer, this.frequencyPointer, this.frequencyFloats);
  }

  /**
   * Makes {@link time} and {@link frequency} views of the module's current memory: a transform made
   * elsewhere in the realm may have grown it, which detaches the old views (then this allocates two
   * views, once). Call it before touching the buffers.
   */
  protected refreshViews(): void {
    // A view of a buffer that growth detached reads as empty: one length test, not the memory's buffer
    // getter (a call into the runtime) on every transform.
    if (this.time.length !== 0) return;
    const buffer = this.module.memory.buffer;
    this.time = new Float32Array(buffer, this.timePointer, this.floats);
    this.frequency = new Float32Array(buffer, this.frequencyPointer, this.frequencyFloats);
  }

  /** {@link time} to {@link frequency}, not scaled. */
  protected transformForward(): void {
    this.module.transformOrdered(this.setup, this.timePointer, this.frequencyPointer, this.workPointer, PFFFT_FORWARD);
  }

  /** {@link frequency} to {@link time}, not scaled (size times the input). */
  protected transformBackward(): void {
    this.module.transformOrdered(this.setup, this.frequencyPointer, this.timePointer, this.workPointer, PFFFT_BACKWARD);
  }
}

/**
 * Real FFT of `size` points (a power of two, at least 32) in PFFFT. Half spectra as {@link RealFft}'s:
 * bins 0..size/2 as interleaved (re, im). Construct with {@link WasmRealFft.create} (null where the
 * module cannot run). Audio-thread safe after construction.
 */
export class WasmRealFft extends PffftTransform implements RealTransform {
  /** Length of a half spectrum array: 2 * (size / 2 + 1). */
  readonly halfSpectrumLength: number;
  /** PFFFT's backward transform is not scaled. */
  readonly inverseTimeScale: number;
  /** From this index on the frequency buffer holds zeros (PFFFT's backward transform leaves its input as it is). */
  private zeroFrom: number;

  private constructor(module: Pffft, size: number) {
    super(module, size, PFFFT_REAL);
    this.halfSpectrumLength = size + 2;
    this.inverseTimeScale = 1 / size;
    this.zeroFrom = size + 2;
  }

  /**
   * A transform of `size` points, or null where PFFFT cannot run (no WebAssembly SIMD) or do that size, or
   * its memory is full.
   */
  static create(size: number): WasmRealFft | null {
    const module = wasmAllowed ? pffft() : null;
    if (module === null || size < 32 || (size & (size - 1)) !== 0) return null;
    return orNullWhenFull(() => new WasmRealFft(module, size));
  }

  /** `spectrum` (half spectrum) = DFT of `input` (length `size`). Audio-thread safe. */
  forward(input: Float64Array, spectrum: Float64Array): void {
    this.timeBuffer().set(input);
    this.forwardTime(spectrum);
  }

  forwardTime(spectrum: Float64Array): void {
    // The SIMD kernels fill the time buffer by its pointer, without timeBuffer(): the views may be stale.
    this.refreshViews();
    this.transformForward();
    this.zeroFrom = this.frequency.length;
    const n = this.size;
    const frequency = this.frequency;
    // One copy (its last two values are the padding's); PFFFT packs the Nyquist bin's real part into the
    // DC bin's imaginary slot.
    spectrum.set(frequency);
    spectrum[n] = frequency[1];
    spectrum[1] = 0;
    spectrum[n + 1] = 0;
  }

  timeBuffer(): Float32Array {
    this.refreshViews();
    return this.time;
  }

  /**
   * `output` (length `size`) = inverse DFT of a Hermitian half spectrum, scaled by 1/size (so it undoes
   * {@link forward}); the imaginary parts of the DC and Nyquist bins are ignored. Audio-thread safe.
   */
  inverse(spectrum: Float64Array, output: Float64Array): void {
    const time = this.inverseTime(spectrum);
    const scale = this.inverseTimeScale;
    for (let i = 0; i < this.size; i++) output[i] = time[i] * scale;
  }

  inverseTime(spectrum: Float64Array, bins = this.size / 2 + 1): Float32Array {
    this.refreshViews();
    const n = this.size;
    const frequency = this.frequency;
    if (bins > n / 2) {
      frequency.set(spectrum);
      this.zeroFrom = frequency.length;
    } else {
      // Only the first bins are not zero (the low-band path's side): the conversion from float64, a
      // nanosecond a value, for those alone; the rest is cleared only where the buffer may hold other
      // values (a transform used for inverses alone clears it once).
      const values = 2 * bins;
      for (let i = 0; i < values; i++) frequency[i] = spectrum[i];
      for (let i = values; i < this.zeroFrom; i++) frequency[i] = 0;
      this.zeroFrom = values;
    }
    frequency[1] = spectrum[n];
    this.transformBackward();
    return this.time;
  }
}

/**
 * Complex FFT of `size` points (a power of two, at least 16) in PFFFT, forward only: write the
 * interleaved (re, im) input into {@link timeBuffer}, call {@link forwardTime}, read
 * {@link frequency}. Construct with {@link WasmComplexFft.create}. Audio-thread safe after construction.
 */
export class WasmComplexFft extends PffftTransform {
  private constructor(module: Pffft, size: number) {
    super(module, size, PFFFT_COMPLEX);
  }

  /** A transform of `size` points, or null where PFFFT cannot run or do that size, or its memory is full. */
  static create(size: number): WasmComplexFft | null {
    const module = wasmAllowed ? pffft() : null;
    if (module === null || size < 16 || (size & (size - 1)) !== 0) return null;
    return orNullWhenFull(() => new WasmComplexFft(module, size));
  }

  /** The time buffer (2 * size floats, interleaved), valid until a transform is made elsewhere in the realm. */
  timeBuffer(): Float32Array {
    this.refreshViews();
    return this.time;
  }

  /** {@link frequency} = DFT of the time buffer (not scaled). Audio-thread safe. */
  forwardTime(): void {
    this.transformForward();
  }
}
