/**
 * The engine's hottest per-sample passes as WebAssembly SIMD kernels (simd-kernels.wat): windowing a
 * frame into a transform's time buffer (the STFT analysers, the ICC meter's M + iS), overlap-adding one
 * out of it, the decorrelator's all-pass links, the ICC meter's band sums (scalar, straight from
 * PFFFT's frequency buffer), the orthogonaliser's band sums of M and D and running sums, and the side synthesis's bins.
 * Instantiated synchronously on PFFFT's memory
 * (pffft.ts), one instance per realm, they read and write the transforms' buffers and the
 * {@link KernelArray}s in place. They repeat the JavaScript loops' float64 arithmetic exactly, so the
 * samples are the same bit for bit, and run several times as fast (bench/simd-kernels.ts: windowing a
 * frame 6 to 10 times, an overlap-add 5 to 6 times, the decorrelator about 3 times). Where PFFFT does
 * not run (no WebAssembly SIMD, or `allowWasmFft(false)`), {@link simdKernels} is null and the callers
 * keep their JavaScript loops.
 * @packageDocumentation
 */
import { decodeBase64, pffft, type Pffft } from './pffft.js';
import { SIMD_KERNELS_WASM_BASE64 } from './simd-kernels-wasm-bytes.js';
import { fftImplementation, releaseWhenCollected } from './wasm-fft.js';

/** The kernels; every argument is a byte offset into PFFFT's memory (see simd-kernels.wat). */
export interface SimdKernels {
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
  /**
   * The decorrelator's pre-delay and three all-pass links over `count` samples of `block` (float64), in
   * place, from the given slots of its rings (none wrapping within); coefficients: three float64.
   */
  allpassRun(block: number, pre: number, ring1: number, ring2: number, ring3: number, count: number, coefficients: number): void;
  /**
   * The ICC meter's band sums of a spectrum of `n` complex float32 values, per run of one band's bins
   * (`runCount` float64 triples: first bin, end bin, byte offset of the band's four statistics), added
   * to `stats` (float64).
   */
  bandSums(stats: number, spectrum: number, runs: number, runCount: number, n: number): void;
  /**
   * band-sums.ts's addBandSums on float64 half spectra `a` and `b`, per run of one band's bins
   * (`runCount` float64 triples: first bin, end bin, byte offset of the band's four sums from `sums`).
   */
  spectrumBandSums(sums: number, a: number, b: number, runs: number, runCount: number): void;
  /**
   * side-synthesis.ts's bins inside the bands: per band (64 bytes: float64 A, A, -B, B, C, C, first bin,
   * end bin), `side[k] = (A + iB) w[k] M[k] + C w[k] D[k]` on float64 half spectra; then the faded bins
   * (`fadedCount` float64 quadruples: bin, byte offsets of its band and neighbour in `bands`, the
   * neighbour's weight) with the coefficients faded towards the neighbour's.
   */
  sideRuns(side: number, mono: number, decorrelated: number, bands: number, bandCount: number, weights: number, faded: number, fadedCount: number): void;
  /**
   * band-orthogonalizer.ts's running sums: per band, `sums += stats[newest] - stats[leaving]` (leaving:
   * `windowFrames[band]` (float64) frames back in the ring) and the same for `shortSums` (`shortFrames` back).
   */
  runningSums(sums: number, shortSums: number, stats: number, windowFrames: number, bandCount: number, ringFrames: number, newest: number, shortFrames: number): void;
}

let loaded: SimdKernels | null | undefined;

/** The realm's kernels, instantiated on first use; null where PFFFT does not run (then use the JS loops). */
export function simdKernels(): SimdKernels | null {
  if (fftImplementation() !== 'wasm-simd') return null;
  if (loaded === undefined) loaded = instantiate(pffft() as Pffft);
  return loaded;
}

function instantiate(module: Pffft): SimdKernels | null {
  try {
    const bytes = decodeBase64(SIMD_KERNELS_WASM_BASE64);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory: module.memory } });
    const e = instance.exports as Record<string, unknown>;
    return {
      module,
      windowReal: e.windowReal as SimdKernels['windowReal'],
      windowPairs: e.windowPairs as SimdKernels['windowPairs'],
      overlapAdd: e.overlapAdd as SimdKernels['overlapAdd'],
      allpassRun: e.allpassRun as SimdKernels['allpassRun'],
      bandSums: e.bandSums as SimdKernels['bandSums'],
      spectrumBandSums: e.spectrumBandSums as SimdKernels['spectrumBandSums'],
      sideRuns: e.sideRuns as SimdKernels['sideRuns'],
      runningSums: e.runningSums as SimdKernels['runningSums'],
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
  constructor(length: number, kernels: SimdKernels | null = simdKernels()) {
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
  static of(values: ArrayLike<number>, kernels: SimdKernels | null = simdKernels()): KernelArray {
    const array = new KernelArray(values.length, kernels);
    for (let i = 0; i < values.length; i++) array.view[i] = values[i];
    return array;
  }

  /** The values (a view of the current memory: re-read it after anything that may build a transform). */
  get values(): Float64Array {
    // A view of a buffer that growth detached reads as empty: one length test, not the memory's buffer
    // getter (a call into the runtime, several times as slow) on every read.
    if (this.view.length === 0 && this.memory !== null && this.length !== 0) {
      this.view = new Float64Array(this.memory.buffer, this.pointer, this.length);
    }
    return this.view;
  }
}
