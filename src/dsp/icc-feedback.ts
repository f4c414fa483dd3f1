/**
 * Closed-loop realisation of the ICC cues: measures the ICC the output really has, per band, the way the
 * metrics measure it (design section 5: Hann frames of about 46 ms, 2048 samples at 44.1 kHz), and
 * corrects the cues that the side synthesis is given, slowly.
 *
 * The meter takes half section 5's transforms: it hops half a frame, where section 5 hops a quarter
 * frame. Its tile advances by 4 frames (4096 samples at 44.1 kHz, as section 5's 8 frames do) and sums 5
 * frames, the oldest and the newest at weight 1/2: they are shared with the neighbouring tiles, so every
 * frame weighs 1 in all, as every frame of section 5 belongs to one tile. The plain 4-frame tile averages
 * fewer independent looks (Welch's overlap correction for Hann: about 3.8 frames' worth at 50% overlap
 * against 4.4 for section 5's 8 at 75%), so its ICC reads higher, most in bands of few bins (up to +0.02 at
 * ICC 0.3), and the loop, holding the meter's mean to the cue, would deliver section-5 ICCs below the cue.
 * The weighted tile's mean ICC stays within 0.015 of section 5's per band from 170 Hz and within 0.004 on
 * average (test/dsp/icc-feedback.test.ts); training/realisation.py measures the result with section 5's
 * tiles. Each frame transforms M and S together, as one complex FFT of M + iS (with fft.js cheaper
 * than two real ones: bench/icc-meter-cost.ts), and the band sums split the two spectra as they read them.
 *
 * Why: the orthogonalised D is uncorrelated with M over the orthogonaliser's sliding window, but not in
 * every tile the measurement sees (other frame size, other window, other alignment), and in tiles that
 * one steady partial fills D stays coherent with M (design section 3). Both leave the measured ICC above
 * the cue, most in the low bands with few bins (up to +0.25 at ICC 0.3 on music-like material). The loop
 * scales each band's asked decorrelation 1 - ICC by a factor k that it adapts until the measured tile ICC
 * equals the cue on average over tiles:
 *     ICC' = 1 - k (1 - ICC),   k += rate * (ICC_measured - ICC_asked) / (1 - ICC_asked)
 * (the step divided by the sensitivity of the measured ICC to k). The rate starts at 1/n over the first
 * tiles (a running mean, so a piece settles within a second or so) and settles at a time constant of
 * {@link FEEDBACK_SECONDS}, so k drifts but never pumps with the music. k is one number per band: ICC 1
 * stays exactly 1 (width 0 is exactly mono), and the output is M + S, M - S as before, so the mono sum is
 * untouched. Bands that the bass-mono control narrows, bands asked for nearly 1 (nothing to correct) and
 * silent tiles do not move k.
 * @packageDocumentation
 */
import FFT from 'fft.js';
import { bandRunsOf } from './band-sums.js';
import { BandLayout } from './bands.js';
import type { ControlValues } from './controls.js';
import type { SpatialCues } from './cue-source.js';
import type { Hertz, Seconds } from './units.js';
import { KernelArray, simdKernels, type SimdKernels } from './simd-kernels.js';
import { WasmComplexFft } from './wasm-fft.js';

/** Length of the measuring frame at 44.1 kHz (design section 5); scaled to the nearest power of two. */
const MEASURE_FRAME_44K = 2048;
/** Frames summed per measuring tile: the newest and the oldest weigh 1/2 (see above). */
export const FEEDBACK_TILE_FRAMES = 5;
/** Frames a tile advances by (the sum of the weights): 4096 samples at 44.1 kHz, as section 5's tiles. */
const TILE_STRIDE_FRAMES = FEEDBACK_TILE_FRAMES - 1;
/** The meter's hop as a fraction of its frame (section 5: 1/4; 50% overlap halves the transforms). */
const HOP_FRACTION = 1 / 2;
/** The asked ICC is averaged over about this many calls of {@link IccFeedback.correct} (engine hops: a tile). */
const ASKED_SMOOTHING_CALLS = 8;
/** Time constant of the correction once settled. */
export const FEEDBACK_SECONDS: Seconds = 1.5;
/** The first updates average over at least this many steps, one tile's span (1 / (n + this)). */
const FIRST_STEPS = TILE_STRIDE_FRAMES;
/** Bounds of the correction factor k. */
export const MIN_DECORRELATION_SCALE = 0.5;
export const MAX_DECORRELATION_SCALE = 3;
/** Bands asked for an ICC above this have too little decorrelation to measure a correction on. */
const MAX_CORRECTED_ICC = 0.97;
/** The step's divisor 1 - ICC is at least this (the sensitivity near ICC 1 is measured badly). */
const MIN_SENSITIVITY = 0.1;
/** A tile-band counts as silent below this share of the tile's total power, or this power per sample. */
const RELATIVE_SILENCE = 1e-6;
const ABSOLUTE_SILENCE = 1e-12;
/**
 * Bass mono fades the side in up to this multiple of its cutoff (as side-synthesis.ts): bands centred
 * below that are narrowed on purpose and not corrected.
 */
const BASS_MONO_FADE_RATIO = 1.5;

/**
 * `frame[2 (at + m)] = mid[from + m] w[at + m]` and `frame[2 (at + m) + 1] = side[from + m] w[at + m]` for
 * `m < count`: the windowed complex samples M + iS, two a step.
 */
function windowPairs(frame: Float32Array | Float64Array, at: number, mid: Float64Array, side: Float64Array, from: number, window: Float64Array, count: number): void {
  let i = at;
  let j = from;
  const end = from + count;
  for (const end2 = end - 1; j < end2; i += 2, j += 2) {
    const w0 = window[i];
    const w1 = window[i + 1];
    frame[2 * i] = mid[j] * w0;
    frame[2 * i + 1] = side[j] * w0;
    frame[2 * i + 2] = mid[j + 1] * w1;
    frame[2 * i + 3] = side[j + 1] * w1;
  }
  for (; j < end; i++, j++) {
    frame[2 * i] = mid[j] * window[i];
    frame[2 * i + 1] = side[j] * window[i];
  }
}

/**
 * Measures the output's ICC per band and tile and adapts a per-band correction of the ICC cues.
 * Construct off the audio thread; {@link measure}, {@link correct} and {@link reset} are audio-thread safe.
 */
export class IccFeedback {
  /** k per band: the factor on the asked decorrelation 1 - ICC. */
  readonly decorrelationScales: Float64Array;
  /** The last tile's measured ICC per band (NaN before the first tile), for tests and meters. */
  readonly measuredIccs: Float64Array;
  readonly frameSize: number;
  readonly hopSize: number;
  private readonly layout: BandLayout;
  /** Complex FFT of the frame's M + iS: PFFFT (float32, wasm-fft.ts) where it runs, else fft.js. */
  private readonly wasmFft: WasmComplexFft | null;
  private readonly fft: FFT | null;
  private readonly window: KernelArray;
  /** The last frame of the output's M and of its S, as rings ending at the write index. */
  private readonly midHistory: KernelArray;
  private readonly sideHistory: KernelArray;
  /** The SIMD kernels (windowPairs), where they run with PFFFT and the rings are in their memory; else null. */
  private readonly kernels: SimdKernels | null;
  /**
   * The windowed frame as complex samples M + iS, and its spectrum (frameSize bins, interleaved): for
   * PFFFT its own buffers in the module's memory (re-read before each use: see WasmComplexFft).
   */
  private frame: Float32Array | Float64Array;
  private spectrum: Float32Array | Float64Array;
  /** Per frame of the tile ring and band: sum |M|^2, sum |S|^2, Re and Im of sum S conj(M). */
  private readonly frameStats: KernelArray;
  /**
   * For the bandSums kernel: per run of one band's bins (0..n/2), its first bin, its end and the byte
   * offset of the band's statistics in a frame's (float64 triples: the kernels' arrays are float64).
   */
  private readonly bandRuns: KernelArray;
  /** The asked ICC per band, averaged over about a tile (the tile measured lags the cue). */
  private readonly asked: Float64Array;
  /** 1 where the band is being corrected: above the bass-mono fade, asked at most MAX_CORRECTED_ICC. */
  private readonly eligible: Uint8Array;
  /** Tile updates per band so far (for the 1/n start). */
  private readonly updates: Float64Array;
  private readonly askedSmoothing: number;
  private readonly settledRate: number;
  /** False until the first {@link correct} (the asked ICC starts where the cues are, not at 1). */
  private primed = false;
  private writeIndex = 0;
  private sinceFrame = 0;
  private framesSeen = 0;
  /** Frames measured before the output is worth measuring (the engine's latency: the dry start). */
  private readonly warmUpFrames: number;

  /**
   * @param sampleRate - the engine's rate.
   * @param latency - the engine's latency in samples: tiles that reach into the dry start are not used.
   */
  constructor(sampleRate: Hertz, latency: number) {
    this.frameSize = MEASURE_FRAME_44K * 2 ** Math.round(Math.log2(sampleRate / 44_100));
    this.hopSize = this.frameSize * HOP_FRACTION;
    this.layout = new BandLayout(sampleRate, this.frameSize);
    const bands = this.layout.bandCount;
    this.wasmFft = WasmComplexFft.create(this.frameSize);
    this.fft = this.wasmFft === null ? new FFT(this.frameSize) : null;
    const kernels = this.wasmFft !== null ? simdKernels() : null;
    this.window = new KernelArray(this.frameSize, kernels);
    const window = this.window.values;
    for (let n = 0; n < this.frameSize; n++) window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / this.frameSize);
    this.midHistory = new KernelArray(this.frameSize, kernels);
    this.sideHistory = new KernelArray(this.frameSize, kernels);
    this.frameStats = new KernelArray(4 * bands * FEEDBACK_TILE_FRAMES, kernels);
    this.bandRuns = KernelArray.of(bandRunsOf(this.layout.bandOfBin, this.frameSize / 2 + 1), kernels);
    const inMemory = [this.window, this.midHistory, this.sideHistory, this.frameStats, this.bandRuns].every((array) => array.pointer >= 0);
    this.kernels = inMemory ? kernels : null;
    this.frame = this.wasmFft?.timeBuffer() ?? new Float64Array(2 * this.frameSize);
    this.spectrum = this.wasmFft?.frequency ?? new Float64Array(2 * this.frameSize);
    this.asked = new Float64Array(bands);
    this.eligible = new Uint8Array(bands);
    this.updates = new Float64Array(bands);
    this.decorrelationScales = new Float64Array(bands);
    this.measuredIccs = new Float64Array(bands);
    this.askedSmoothing = 1 - Math.exp(-1 / ASKED_SMOOTHING_CALLS);
    this.settledRate = this.hopSize / (FEEDBACK_SECONDS * sampleRate);
    this.warmUpFrames = Math.ceil((latency + this.frameSize) / this.hopSize) + TILE_STRIDE_FRAMES;
    this.reset();
  }

  /**
   * Writes the corrected ICC cues (ICC' = 1 - k (1 - ICC) per band, not below 0 unless ICC itself is) into
   * `out` for the side synthesis, and notes the asked ICC (after the width control) that the measured
   * tiles are held to. ILDs are copied. Audio-thread safe.
   */
  correct(cues: SpatialCues, controls: ControlValues, out: SpatialCues): void {
    const width = controls.width;
    const top = BASS_MONO_FADE_RATIO * controls.bassMonoHz;
    const centres = this.layout.centres;
    for (let b = 0; b < this.asked.length; b++) {
      const icc = cues.iccs[b];
      const k = this.decorrelationScales[b];
      // Math.min/max (not ternaries on module constants): no double is boxed on the audio thread.
      out.iccs[b] = Math.max(Math.min(icc, 0), 1 - k * (1 - icc));
      out.ildMagnitudesDb[b] = cues.ildMagnitudesDb[b];
      const asked = Math.min(1, Math.max(0, 1 - width * (1 - icc)));
      this.asked[b] += (this.primed ? this.askedSmoothing : 1) * (asked - this.asked[b]);
      this.eligible[b] = asked <= MAX_CORRECTED_ICC && (controls.bassMonoHz <= 0 || centres[b] >= top) ? 1 : 0;
    }
    this.primed = true;
  }

  /**
   * Takes `count` samples of the output's mid (M) and side (S, as it is added: L = M + S, R = M - S),
   * and at every measuring hop measures the tile that ends there and updates k. Audio-thread safe.
   */
  measure(mid: Float64Array, side: Float64Array, count: number): void {
    const n = this.frameSize;
    const midHistory = this.midHistory.values;
    const sideHistory = this.sideHistory.values;
    let i = 0;
    // In runs that end at a measuring hop or at the ring's end: no wrap or hop test per sample.
    while (i < count) {
      const run = Math.min(count - i, this.hopSize - this.sinceFrame, n - this.writeIndex);
      const at = this.writeIndex;
      if (i === 0 && run === mid.length && run === side.length) {
        // Whole blocks (the engine's case): the native copy.
        midHistory.set(mid, at);
        sideHistory.set(side, at);
      } else {
        for (let k = 0; k < run; k++) {
          midHistory[at + k] = mid[i + k];
          sideHistory[at + k] = side[i + k];
        }
      }
      i += run;
      this.writeIndex = at + run === n ? 0 : at + run;
      this.sinceFrame += run;
      if (this.sinceFrame === this.hopSize) {
        this.sinceFrame = 0;
        this.measureFrame();
      }
    }
  }

  private measureFrame(): void {
    const n = this.frameSize;
    const bands = this.layout.bandCount;
    const stride = 4 * bands;
    const slot = this.framesSeen % FEEDBACK_TILE_FRAMES;
    this.framesSeen++;
    this.transformFrame();
    const stats = this.frameStats.values;
    const base = stride * slot;
    stats.fill(0, base, base + stride);
    this.addFrameSums(stats, base);
    if (this.framesSeen < this.warmUpFrames) return;
    // The tile: the last FEEDBACK_TILE_FRAMES frames, the newest and the oldest at weight 1/2. L = M + S and
    // R = M - S give, summed over it, |L|^2 = Pm + Ps + 2 Re X, |R|^2 = Pm + Ps - 2 Re X,
    // L conj(R) = Pm - Ps + 2i Im X (X = sum S conj(M)).
    const oldest = this.framesSeen % FEEDBACK_TILE_FRAMES;
    let total = 0;
    for (let f = 0; f < FEEDBACK_TILE_FRAMES; f++) {
      const weight = f === slot || f === oldest ? 0.5 : 1;
      for (let i = stride * f; i < stride * (f + 1); i += 4) total += weight * (stats[i] + stats[i + 1]);
    }
    const silent = Math.max(RELATIVE_SILENCE * total, ABSOLUTE_SILENCE * n * n * TILE_STRIDE_FRAMES);
    for (let b = 0; b < bands; b++) {
      let pm = 0;
      let ps = 0;
      let xr = 0;
      let xi = 0;
      for (let f = 0; f < FEEDBACK_TILE_FRAMES; f++) {
        const at = stride * f + 4 * b;
        const weight = f === slot || f === oldest ? 0.5 : 1;
        pm += weight * stats[at];
        ps += weight * stats[at + 1];
        xr += weight * stats[at + 2];
        xi += weight * stats[at + 3];
      }
      const pl = pm + ps + 2 * xr;
      const pr = pm + ps - 2 * xr;
      if (!(pm + ps > silent) || !(pl * pr > 0)) {
        this.measuredIccs[b] = Number.NaN;
        continue;
      }
      const icc = Math.min(1, Math.sqrt(((pm - ps) * (pm - ps) + 4 * xi * xi) / (pl * pr)));
      this.measuredIccs[b] = icc;
      if (this.eligible[b] === 0) continue;
      const updates = this.updates[b] + 1;
      this.updates[b] = updates;
      const rate = Math.max(this.settledRate, 1 / (updates + FIRST_STEPS));
      const asked = this.asked[b];
      const step = (rate * (icc - asked)) / Math.max(MIN_SENSITIVITY, 1 - asked);
      this.decorrelationScales[b] = Math.min(MAX_DECORRELATION_SCALE, Math.max(MIN_DECORRELATION_SCALE, this.decorrelationScales[b] + step));
    }
  }

  /** Hann-windows the last frame of the (M, S) ring and transforms it as the complex signal M + iS. */
  private transformFrame(): void {
    const n = this.frameSize;
    const wasmFft = this.wasmFft;
    if (wasmFft !== null) {
      this.frame = wasmFft.timeBuffer();
      this.spectrum = wasmFft.frequency;
    }
    // The rings from the write index (oldest) to their end, then from their start: two runs, no wrap test.
    const split = n - this.writeIndex;
    const kernels = this.kernels;
    if (kernels !== null && wasmFft !== null) {
      const mid = this.midHistory.pointer;
      const side = this.sideHistory.pointer;
      const window = this.window.pointer;
      const from = 8 * this.writeIndex;
      kernels.windowPairs(wasmFft.timePointer, mid + from, side + from, window, split);
      kernels.windowPairs(wasmFft.timePointer + 8 * split, mid, side, window + 8 * split, n - split);
    } else {
      // Two samples a step (V8 runs it faster than one: fewer loop tests).
      const midHistory = this.midHistory.values;
      const sideHistory = this.sideHistory.values;
      const window = this.window.values;
      windowPairs(this.frame, 0, midHistory, sideHistory, this.writeIndex, window, split);
      windowPairs(this.frame, split, midHistory, sideHistory, 0, window, n - split);
    }
    if (wasmFft !== null) wasmFft.forwardTime();
    else this.fft?.transform(this.spectrum, this.frame);
  }

  /**
   * Adds per band |M|^2, |S|^2 and the real and imaginary parts of S conj(M) over the bins 0..n/2 to
   * `stats[base + 4 * band + 0..3]`. Z = FFT(M + iS) holds both: with B = conj Z[n - k],
   * M[k] = (Z[k] + B) / 2 and S[k] = (Z[k] - B) / 2i.
   */
  private addFrameSums(stats: Float64Array, base: number): void {
    const n = this.frameSize;
    const kernels = this.kernels;
    if (kernels !== null && this.wasmFft !== null) {
      // The same sums in the bandSums kernel, from PFFFT's frequency buffer in place.
      kernels.bandSums(this.frameStats.pointer + 8 * base, this.wasmFft.frequencyPointer, this.bandRuns.pointer, this.bandRuns.length / 3, n);
      return;
    }
    const z = this.spectrum;
    const bandOfBin = this.layout.bandOfBin;
    const last = n / 2;
    // Per run of bins of one band (they are contiguous): with Z = Z[k] and B = conj Z[n - k], sums of
    // |Z|^2, |B|^2 and Z conj(B) in locals, and the four statistics from them once at the run's end:
    // |M|^2 = (|Z|^2 + |B|^2 + 2 Re Z conj B) / 4, |S|^2 = (|Z|^2 + |B|^2 - 2 Re Z conj B) / 4 and
    // S conj(M) = (Im Z conj B) / 2 - i (|Z|^2 - |B|^2) / 4 (half the multiplies of splitting each bin).
    let k = 0;
    while (k <= last) {
      const band = bandOfBin[k];
      let pz = 0;
      let pb = 0;
      let cr = 0;
      let ci = 0;
      for (; k <= last && bandOfBin[k] === band; k++) {
        const mirror = (n - k) & (n - 1); // n - k, and 0 for k = 0
        const zr = z[2 * k];
        const zi = z[2 * k + 1];
        const br = z[2 * mirror];
        const bi = -z[2 * mirror + 1];
        pz += zr * zr + zi * zi;
        pb += br * br + bi * bi;
        // Z conj(B) = (zr + i zi)(br - i bi).
        cr += zr * br + zi * bi;
        ci += zi * br - zr * bi;
      }
      if (band < 0) continue;
      const at = base + 4 * band;
      stats[at] += 0.25 * (pz + pb + 2 * cr);
      stats[at + 1] += 0.25 * (pz + pb - 2 * cr);
      stats[at + 2] += 0.5 * ci;
      stats[at + 3] += -0.25 * (pz - pb);
    }
  }

  /** Forgets the measurements and the correction (k = 1). Audio-thread safe. */
  reset(): void {
    this.midHistory.values.fill(0);
    this.sideHistory.values.fill(0);
    this.frameStats.values.fill(0);
    this.asked.fill(1);
    this.eligible.fill(0);
    this.updates.fill(0);
    this.decorrelationScales.fill(1);
    this.measuredIccs.fill(Number.NaN);
    this.writeIndex = 0;
    this.sinceFrame = 0;
    this.framesSeen = 0;
    this.primed = false;
  }
}
