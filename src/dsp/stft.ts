/**
 * Streaming STFT with sqrt-Hann analysis and synthesis windows at 50% overlap: their product, the Hann
 * window, sums to exactly 1 across hops, so an unmodified spectrum reconstructs the input.
 * @packageDocumentation
 */
import type { RealTransform } from './real-fft.js';
import { KernelArray, simdKernels, type SimdKernels } from './simd-kernels.js';

/** Periodic sqrt-Hann window of length `size`. */
export function sqrtHannWindow(size: number): Float64Array {
  const w = new Float64Array(size);
  for (let n = 0; n < size; n++) w[n] = Math.sqrt(0.5 - 0.5 * Math.cos((2 * Math.PI * n) / size));
  return w;
}

/**
 * `frame[at + m] = history[from + m] * window[at + m]` for `m < count`: four samples a step, which V8 runs
 * about a third faster than one (fewer loop tests), with separate indices into the history and the frame
 * (faster than one index and an offset).
 */
function windowRun(frame: Float32Array | Float64Array, at: number, history: Float64Array, from: number, window: Float64Array, count: number): void {
  let i = at;
  let j = from;
  const end = from + count;
  for (const end4 = end - 3; j < end4; i += 4, j += 4) {
    frame[i] = history[j] * window[i];
    frame[i + 1] = history[j + 1] * window[i + 1];
    frame[i + 2] = history[j + 2] * window[i + 2];
    frame[i + 3] = history[j + 3] * window[i + 3];
  }
  for (; j < end; i++, j++) frame[i] = history[j] * window[i];
}

/**
 * Collects samples and, every `hopSize` samples, gives the windowed spectrum of the last `frameSize`. Its
 * history may be longer than the frame (`historySize`), so that a second, longer framing of the same
 * signal reads it with {@link analyseLast} instead of copying every sample into a history of its own.
 * Where the SIMD kernels run (simd-kernels.ts), the history lives in PFFFT's memory and a kernel windows
 * it into the transform's time buffer; elsewhere a JavaScript loop does, with the same samples.
 */
export class StftAnalyzer {
  readonly frameSize: number;
  readonly hopSize: number;
  /** Samples kept: at least `frameSize`. */
  readonly historySize: number;
  private readonly window: KernelArray;
  private readonly history: KernelArray;
  /** The kernels, where they run and the history is in their memory; else null (the JavaScript loops). */
  private readonly kernels: SimdKernels | null;
  private writeIndex = 0;
  private sinceLastFrame = 0;
  /** Zeros written in a row by {@link writeSilence} (at `historySize`, the whole history is zero). */
  private silentRun = 0;
  /** True when the last {@link write} ended with the sample that completes a frame (call {@link analyse}). */
  frameDue = false;

  constructor(frameSize: number, hopSize: number, historySize = frameSize) {
    if (!(historySize >= frameSize)) throw new RangeError(`a history of ${historySize} samples cannot hold a frame of ${frameSize}`);
    this.frameSize = frameSize;
    this.hopSize = hopSize;
    this.historySize = historySize;
    const kernels = simdKernels();
    this.window = KernelArray.of(sqrtHannWindow(frameSize), kernels);
    this.history = new KernelArray(historySize, kernels);
    this.kernels = this.history.pointer >= 0 && this.window.pointer >= 0 ? kernels : null;
  }

  /** Appends one sample; true when a frame is due (call {@link analyse}). Audio-thread safe. */
  push(sample: number): boolean {
    this.history.values[this.writeIndex] = sample;
    this.writeIndex = this.writeIndex + 1 === this.historySize ? 0 : this.writeIndex + 1;
    if (++this.sinceLastFrame < this.hopSize) return false;
    this.sinceLastFrame = 0;
    return true;
  }

  /**
   * Appends up to `count` samples of `source` from `start`, stopping after a sample that completes a
   * frame; returns how many it took and sets {@link frameDue}. The audio thread's way in: a block per
   * call, because in V8 a number passed to a call that is not inlined is boxed on the heap, and
   * {@link push} per sample relies on being inlined. Audio-thread safe.
   */
  write(source: Float64Array, start: number, count: number): number {
    const n = this.historySize;
    const history = this.history.values;
    const writeIndex = this.writeIndex;
    const taken = Math.min(count, this.hopSize - this.sinceLastFrame);
    const first = Math.min(taken, n - writeIndex);
    if (start === 0 && first === source.length) {
      // A whole block, no wrap (the engine's usual case): the native copy, several times as fast as a loop.
      history.set(source, writeIndex);
    } else {
      // Two plain copy loops, up to the ring's end and from its start: no test per sample.
      for (let i = 0; i < first; i++) history[writeIndex + i] = source[start + i];
      for (let i = first; i < taken; i++) history[i - first] = source[start + i];
    }
    this.writeIndex = first < taken ? taken - first : writeIndex + taken === n ? 0 : writeIndex + taken;
    this.silentRun = 0;
    return this.advance(taken);
  }

  /**
   * As {@link write} with `count` zeros: takes as many, and writes nothing at all once the whole history
   * is zero (a source known to be silent, such as the side of mono input). Audio-thread safe.
   */
  writeSilence(count: number): number {
    const n = this.historySize;
    const writeIndex = this.writeIndex;
    const taken = Math.min(count, this.hopSize - this.sinceLastFrame);
    if (this.silentRun < n) {
      // Plain loops (TypedArray.fill with a range can allocate where the caller runs rarely).
      const history = this.history.values;
      const first = Math.min(taken, n - writeIndex);
      for (let i = writeIndex; i < writeIndex + first; i++) history[i] = 0;
      for (let i = 0; i < taken - first; i++) history[i] = 0;
      this.silentRun += taken;
    }
    this.writeIndex = writeIndex + taken >= n ? writeIndex + taken - n : writeIndex + taken;
    return this.advance(taken);
  }

  /** Counts `taken` samples towards the next frame and sets {@link frameDue}; returns `taken`. */
  private advance(taken: number): number {
    const since = this.sinceLastFrame + taken;
    this.frameDue = since === this.hopSize;
    this.sinceLastFrame = this.frameDue ? 0 : since;
    return taken;
  }

  /** Writes the half spectrum of the windowed last `frameSize` samples. Audio-thread safe. */
  analyse(fft: RealTransform, spectrum: Float64Array): void {
    this.analyseLast(fft, spectrum, this.window);
  }

  /**
   * Writes the half spectrum of the last `window.length` samples (at most {@link historySize}) times
   * `window`, with `fft` of that size: another framing of the same history. A window that is a
   * {@link KernelArray} (`KernelArray.of(values)`: in the kernels' memory) is applied by a kernel where
   * they run; a Float64Array by the JavaScript loop. Audio-thread safe.
   */
  analyseLast(fft: RealTransform, spectrum: Float64Array, window: KernelArray | Float64Array): void {
    const n = window.length;
    const size = this.historySize;
    // The frame's oldest sample is n before the write index: history[from..size) then history[0..).
    const from = this.writeIndex >= n ? this.writeIndex - n : this.writeIndex - n + size;
    const first = Math.min(n, size - from);
    // Windowed straight into the transform's buffer (for PFFFT, the module's memory: no copy in).
    const kernels = this.kernels;
    const frame = fft.timePointer;
    const windowPointer = window instanceof KernelArray ? window.pointer : -1;
    if (kernels !== null && frame >= 0 && windowPointer >= 0) {
      const history = this.history.pointer;
      kernels.windowReal(frame, history + 8 * from, windowPointer, first);
      kernels.windowReal(frame + 4 * first, history, windowPointer + 8 * first, n - first);
    } else {
      const history = this.history.values;
      const values = window instanceof KernelArray ? window.values : window;
      const time = fft.timeBuffer();
      windowRun(time, 0, history, from, values, first);
      windowRun(time, first, history, 0, values, n - first);
    }
    fft.forwardTime(spectrum);
  }

  /** Forgets all input. */
  reset(): void {
    this.history.values.fill(0);
    this.writeIndex = 0;
    this.sinceLastFrame = 0;
    this.silentRun = this.historySize;
    this.frameDue = false;
  }
}

/**
 * Inverse STFT with overlap-add at 50% overlap (hop = half the frame): each frame in, `hopSize` finished
 * samples out. The first half of a frame completes the half pending from the last frame; its second half
 * becomes the pending one. Where the SIMD kernels run (simd-kernels.ts) and the transform is PFFFT's, a
 * kernel does it, reading the transform's time buffer in place; elsewhere a JavaScript loop does, with
 * the same samples.
 */
export class OverlapAddSynthesizer {
  readonly frameSize: number;
  readonly hopSize: number;
  private readonly window: Float64Array;
  /** The window times the last transform's {@link RealTransform.inverseTimeScale} (one multiply less per sample). */
  private readonly scaledWindow: KernelArray;
  private readonly windowScale = new Float64Array(1);
  /** The second half of the last frame, windowed: the first half of the next finished hop. */
  private readonly pending: KernelArray;
  private readonly finishedHop: KernelArray;
  /** The kernels, where they run and these arrays are in their memory; else null (the JavaScript loops). */
  private readonly kernels: SimdKernels | null;

  constructor(frameSize: number, hopSize: number) {
    if (hopSize * 2 !== frameSize) throw new RangeError(`overlap-add takes a hop of half the frame (${frameSize / 2}), not ${hopSize}`);
    this.frameSize = frameSize;
    this.hopSize = hopSize;
    this.window = sqrtHannWindow(frameSize);
    const kernels = simdKernels();
    this.scaledWindow = KernelArray.of(this.window, kernels);
    this.windowScale[0] = 1;
    this.pending = new KernelArray(hopSize, kernels);
    this.finishedHop = new KernelArray(hopSize, kernels);
    this.kernels = this.scaledWindow.pointer >= 0 && this.pending.pointer >= 0 && this.finishedHop.pointer >= 0 ? kernels : null;
  }

  /** The `hopSize` samples finished by the last {@link addFrame}. Reused: copy them before the next call. */
  get finished(): Float64Array {
    return this.finishedHop.values;
  }

  /**
   * Inverse-transforms a half spectrum, overlap-adds it, and fills {@link finished}. `bins`: where only
   * the first so many bins of `spectrum` are not zero (see {@link RealTransform.inverseTime}). Audio-thread safe.
   */
  addFrame(fft: RealTransform, spectrum: Float64Array, bins = spectrum.length / 2): void {
    const hop = this.hopSize;
    if (fft.inverseTimeScale !== this.windowScale[0]) this.scaleWindow(fft);
    // Read straight from the transform's buffer (for PFFFT, the module's memory: no copy out, no scaling pass).
    const frame = fft.inverseTime(spectrum, bins);
    const kernels = this.kernels;
    if (kernels !== null && fft.timePointer >= 0) {
      kernels.overlapAdd(this.finishedHop.pointer, this.pending.pointer, fft.timePointer, this.scaledWindow.pointer, hop);
      return;
    }
    const window = this.scaledWindow.values;
    const pending = this.pending.values;
    const finished = this.finishedHop.values;
    // Four samples a step (as windowRun), with a separate index into the frame's second half.
    let i = 0;
    for (const end4 = hop - 3; i < end4; i += 4) {
      finished[i] = pending[i] + frame[i] * window[i];
      finished[i + 1] = pending[i + 1] + frame[i + 1] * window[i + 1];
      finished[i + 2] = pending[i + 2] + frame[i + 2] * window[i + 2];
      finished[i + 3] = pending[i + 3] + frame[i + 3] * window[i + 3];
    }
    for (; i < hop; i++) finished[i] = pending[i] + frame[i] * window[i];
    i = 0;
    let j = hop;
    for (const end4 = hop - 3; i < end4; i += 4, j += 4) {
      pending[i] = frame[j] * window[j];
      pending[i + 1] = frame[j + 1] * window[j + 1];
      pending[i + 2] = frame[j + 2] * window[j + 2];
      pending[i + 3] = frame[j + 3] * window[j + 3];
    }
    for (; i < hop; i++, j++) pending[i] = frame[j] * window[j];
  }

  /** Takes the transform's scale into the window (once per transform kind: allocates nothing). */
  private scaleWindow(fft: RealTransform): void {
    const scale = fft.inverseTimeScale;
    this.windowScale[0] = scale;
    const scaled = this.scaledWindow.values;
    for (let i = 0; i < this.frameSize; i++) scaled[i] = scale * this.window[i];
  }

  /** Forgets all output in progress. */
  reset(): void {
    this.pending.values.fill(0);
  }
}
