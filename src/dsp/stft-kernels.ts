/**
 * The STFT's per-sample passes (windowing a frame into a transform's time buffer, overlap-adding one
 * out of it, and the ICC meter's windowing of M + iS) as WebAssembly SIMD kernels (stft-kernels.wat),
 * instantiated synchronously on PFFFT's memory (pffft.ts), one instance per realm: they read and write
 * the transforms' buffers and the {@link KernelArray}s in place. They window a frame 6 to 10 times as
 * fast as the JavaScript loops and overlap-add one 5 to 6 times (bench/stft-kernels.ts), whose float64
 * arithmetic they repeat exactly, so the samples are the same bit for bit. Where PFFFT does not run (no WebAssembly SIMD, or
 * `allowWasmFft(false)`), {@link stftKernels} is null and the callers keep their JavaScript loops.
 * @packageDocumentation
 */
import { decodeBase64, pffft, type Pffft } from './pffft.js';
import { STFT_KERNELS_WASM_BASE64 } from './stft-kernels-wasm-bytes.js';
import { fftImplementation, releaseWhenCollected } from './wasm-fft.js';

/** The kernels; every argument is a byte offset into PFFFT's memory (see stft-kernels.wat). */
export interface StftKernels {
  readonly module: Pffft;
  /** `frame[m] = f32(history[m] * window[m])` for `m < count` (frame float32, the others float64). */
  windowReal(frame: number, history: number, window: number, count: number): void;
  /** `frame[2m] = f32(mid[m] * window[m])`, `frame[2m + 1] = f32(side[m] * window[m])` for `m < count`. */
  windowPairs(frame: number, mid: number, side: number, window: number, count: number): void;
  /**
   * `finished[i] = pending[i] + frame[i] * window[i]`, then `pending[i] = frame[hop + i] * window[hop + i]`,
   * for `i < hop` (frame float32, the others float64).
   */
  overlapAdd(finished: number, pending: number, frame: number, window: number, hop: number): void;
}

let loaded: StftKernels | null | undefined;

/** The realm's kernels, instantiated on first use; null where PFFFT does not run (then use the JS loops). */
export function stftKernels(): StftKernels | null {
  if (fftImplementation() !== 'wasm-simd') return null;
  if (loaded === undefined) loaded = instantiate(pffft() as Pffft);
  return loaded;
}

function instantiate(module: Pffft): StftKernels | null {
  try {
    const bytes = decodeBase64(STFT_KERNELS_WASM_BASE64);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: module.memory } });
    const e = instance.exports as Record<string, unknown>;
    return {
      module,
      windowReal: e.windowReal as StftKernels['windowReal'],
      windowPairs: e.windowPairs as StftKernels['windowPairs'],
      overlapAdd: e.overlapAdd as StftKernels['overlapAdd'],
    };
  } catch {
    return null;
  }
}

/**
 * A float64 array that the kernels can read and write: in PFFFT's memory where the kernels run
 * ({@link pointer} its byte offset there), else an ordinary Float64Array ({@link pointer} -1). Read it
 * through {@link values}, which renews the view when a transform made elsewhere in the realm has grown
 * the memory (as WasmRealFft's buffers: that allocates one view, once). Audio-thread safe after
 * construction; the memory is freed when the array is garbage collected.
 */
export class KernelArray {
  readonly length: number;
  /** Byte offset in PFFFT's memory, or -1 where the kernels do not run. */
  readonly pointer: number;
  private readonly memory: WebAssembly.Memory | null;
  private view: Float64Array;

  /** `length` zeros; in the kernels' memory when `kernels` is not null. */
  constructor(length: number, kernels: StftKernels | null = stftKernels()) {
    this.length = length;
    const pointer = kernels !== null ? kernels.module.alignedMalloc(8 * Math.max(1, length)) : 0;
    if (kernels === null || pointer === 0) {
      this.pointer = -1;
      this.memory = null;
      this.view = new Float64Array(length);
      return;
    }
    this.pointer = pointer;
    this.memory = kernels.module.memory;
    this.view = new Float64Array(this.memory.buffer, pointer, length);
    this.view.fill(0);
    releaseWhenCollected(this, kernels.module, [pointer]);
  }

  /** A copy of `values` (in the kernels' memory where they run). */
  static of(values: ArrayLike<number>, kernels: StftKernels | null = stftKernels()): KernelArray {
    const array = new KernelArray(values.length, kernels);
    for (let i = 0; i < values.length; i++) array.view[i] = values[i];
    return array;
  }

  /** The values (a view of the current memory: re-read it after anything that may build a transform). */
  get values(): Float64Array {
    const memory = this.memory;
    if (memory !== null && this.view.buffer !== memory.buffer) this.view = new Float64Array(memory.buffer, this.pointer, this.length);
    return this.view;
  }
}
