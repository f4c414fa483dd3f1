/**
 * The side signal of the lowest bands at twice the frequency resolution, for quality mode. Below about
 * 600 Hz the main path's frames (1024 samples at 44.1 kHz: 43 Hz per bin) give a cue band one to three
 * bins; a steady partial fills a bin, so there D's projection on M cannot be removed tile by tile, and the
 * output stays more coherent than asked at low ICCs (test/dsp/realisation.test.ts). This path analyses M
 * and D again with frames of twice the size (hop: the main frame), with no lookahead frames: its latency,
 * `2 F - min(F, quantum)`, is the main path's `F - min(F / 2, quantum) + 2 F / 2` for the main frame F, so
 * the reported latency is unchanged (test/dsp/low-band-path.test.ts checks the two line up).
 *
 * Its side (the same synthesis, S = p M + c (D - alpha M), with short projection windows, the side's
 * power matched frame by frame and a spill guard: see {@link LOW_BAND_WINDOWS}, {@link LOW_BAND_POWER_FRAMES},
 * {@link LOW_BAND_SPILL_GUARD}) is kept below {@link CROSSOVER_LOW} and faded out by {@link CROSSOVER_HIGH};
 * the main path's side gets the complementary weight (the two weights sum to 1). The engine adds it to the
 * main path's side: L = M + S and R = M - S as before, so mono compatibility is untouched.
 * @packageDocumentation
 */
import { BandLayout } from './bands.js';
import { BandOrthogonalizer, type OrthogonalizerWindows } from './band-orthogonalizer.js';
import type { ControlValues } from './controls.js';
import type { SpatialCues } from './cue-source.js';
import { RENDER_QUANTUM, type FrameConfig } from './frame-config.js';
import type { RealTransform } from './real-fft.js';
import { createRealFft } from './wasm-fft.js';
import { SampleFifo } from './sample-fifo.js';
import { SideSynthesis } from './side-synthesis.js';
import { KernelArray } from './simd-kernels.js';
import { OverlapAddSynthesizer, sqrtHannWindow, type StftAnalyzer } from './stft.js';
import type { Hertz } from './units.js';

/**
 * Below this the side comes from this path alone (the edge between cue bands 6 and 7). The fade lies in
 * band 7, not in band 6 where the main path's frames still hold few bins: there the two sides, partly
 * uncorrelated (different projections), sum to less power than either, and on the music-like fixture
 * band 6 measured ICC 0.348 for 0.3 with the fade in band 6, 0.338 with it in band 7.
 */
export const CROSSOVER_LOW: Hertz = 739;
/** Above this the side comes from the main path alone (the edge between cue bands 7 and 8). */
export const CROSSOVER_HIGH: Hertz = 921;
/**
 * Projection windows of this path: about 50 ms and 8 bin-frames (the main path's 93 ms and 32). With no
 * lookahead the window ends at the synthesised frame; a long one then mostly describes the past. On the
 * music-like fixture (whole engine at 2048 points without lookahead, a scratch measurement) ICC 0.3 in
 * 347-456 Hz measured 0.41 with the main path's windows, 0.36 with these, 0.33 with these and the power
 * matching.
 */
export const LOW_BAND_WINDOWS: OrthogonalizerWindows = { window: 0.05, minBinFrames: 8 };
/** Frames the side's power is matched over (see SideSynthesisOptions.powerMatchFrames): about 70 ms. */
export const LOW_BAND_POWER_FRAMES = 3;
/** The spill guard's factor (SideSynthesisOptions.spillGuard): full speed unless a neighbour is 20 dB quieter. */
export const LOW_BAND_SPILL_GUARD = 10;

/**
 * Weight of a frequency in the low path (1 below {@link CROSSOVER_LOW}, 0 above {@link CROSSOVER_HIGH},
 * a raised-cosine fade between); the main path's weight is its complement. The two sides are mostly the
 * same signal (both p M + c (D - alpha M) from the same M and D), so their amplitudes sum to 1.
 */
export function lowPathWeight(frequency: Hertz): number {
  if (frequency <= CROSSOVER_LOW) return 1;
  if (frequency >= CROSSOVER_HIGH) return 0;
  const c = Math.cos((0.5 * Math.PI * (frequency - CROSSOVER_LOW)) / (CROSSOVER_HIGH - CROSSOVER_LOW));
  return c * c;
}

/** The complement of {@link lowPathWeight} for the main path. */
export function mainPathWeight(frequency: Hertz): number {
  return 1 - lowPathWeight(frequency);
}

/**
 * Construct off the audio thread; {@link advance}, {@link addTo}, {@link weightMainSide} and {@link reset}
 * are audio-thread safe (they allocate nothing).
 */
export class LowBandPath {
  /** FFT size of this path: twice the main frame. */
  readonly frameSize: number;
  readonly hopSize: number;
  private readonly layout: BandLayout;
  private readonly fft: RealTransform;
  /**
   * The inverse transform's own: its frequency buffer keeps the zeros above the crossover from frame
   * to frame, so they are neither converted nor cleared again (RealTransform.inverseTime's bin count).
   */
  private readonly inverseFft: RealTransform;
  /**
   * The main path's analysers of M and D, whose histories hold this path's longer frames: this path
   * windows them from there, so no sample is copied twice.
   */
  private readonly monoSource: StftAnalyzer;
  private readonly decorrelatedSource: StftAnalyzer;
  private readonly window: KernelArray;
  /** Samples since this path's last frame. */
  private sinceFrame = 0;
  private readonly orthogonalizer: BandOrthogonalizer;
  private readonly sideSynthesis: SideSynthesis;
  private readonly synthesizer: OverlapAddSynthesizer;
  private readonly fifo: SampleFifo;
  private readonly mono: Float64Array;
  private readonly decorrelated: Float64Array;
  private readonly side: Float64Array;
  /** Per bin of this path: its weight; and per bin of the main path: the main side's weight. */
  private readonly lowWeights: Float64Array;
  private readonly mainWeights: Float64Array;
  /** Main-path bins below this have a weight other than 1 (above the crossover the main side stays as it is). */
  private readonly mainWeightedBins: number;
  /** The last bin of this path with a weight above 0 (the synthesis loop stops there). */
  private readonly lastBin: number;
  /** Bins this path measures and synthesises. */
  private readonly binLimit: number;
  /** The stereo path's new-width shares spread over this path's bins. */
  private readonly shares: Float64Array;

  /**
   * `config`: the main path's framing (quality mode); `mono` and `decorrelated`: the main path's analysers
   * of M and D, with a history of at least {@link LowBandPath.historySize} samples.
   */
  constructor(config: FrameConfig, mono: StftAnalyzer, decorrelated: StftAnalyzer) {
    const { sampleRate } = config;
    this.frameSize = LowBandPath.historySize(config);
    this.hopSize = config.frameSize;
    if (mono.historySize < this.frameSize || decorrelated.historySize < this.frameSize) {
      throw new RangeError(`the low-band path reads frames of ${this.frameSize} samples from the main analysers' histories`);
    }
    this.layout = new BandLayout(sampleRate, this.frameSize);
    this.fft = createRealFft(this.frameSize);
    this.inverseFft = createRealFft(this.frameSize);
    this.monoSource = mono;
    this.decorrelatedSource = decorrelated;
    this.window = KernelArray.of(sqrtHannWindow(this.frameSize));
    this.synthesizer = new OverlapAddSynthesizer(this.frameSize, this.hopSize);
    this.fifo = new SampleFifo(2 * (this.hopSize + RENDER_QUANTUM));
    this.mono = new Float64Array(this.fft.halfSpectrumLength);
    this.decorrelated = new Float64Array(this.fft.halfSpectrumLength);
    this.side = new Float64Array(this.fft.halfSpectrumLength);
    const bins = this.layout.binCount;
    this.lowWeights = new Float64Array(bins);
    let lastBin = 0;
    for (let k = 0; k < bins; k++) {
      this.lowWeights[k] = lowPathWeight((k * sampleRate) / this.frameSize);
      if (this.lowWeights[k] > 0) lastBin = k;
    }
    this.lastBin = lastBin;
    // Only the bins up to the crossover's top and the band beyond it (the spill guard compares a band
    // with its neighbours) are measured and synthesised: a twentieth of the spectrum at 44.1 kHz.
    const lastBand = this.layout.bandOfBin[lastBin] + 1;
    let binLimit = 0;
    while (binLimit < bins && this.layout.bandOfBin[binLimit] <= lastBand) binLimit++;
    this.binLimit = binLimit;
    // D's tail does not stay in the side when M stops (OrthogonalizerWindows.followDeparture).
    this.orthogonalizer = new BandOrthogonalizer(this.layout, sampleRate, this.frameSize, this.hopSize, 0, { ...LOW_BAND_WINDOWS, binLimit, followDeparture: true });
    this.sideSynthesis = new SideSynthesis(this.layout, sampleRate, this.frameSize, this.hopSize, {
      powerMatchFrames: LOW_BAND_POWER_FRAMES,
      spillGuard: LOW_BAND_SPILL_GUARD,
      binLimit,
    });
    this.mainWeights = new Float64Array(config.frameSize / 2 + 1);
    let mainWeightedBins = 0;
    for (let k = 0; k < this.mainWeights.length; k++) {
      this.mainWeights[k] = mainPathWeight((k * sampleRate) / config.frameSize);
      if (this.mainWeights[k] !== 1) mainWeightedBins = k + 1;
    }
    this.mainWeightedBins = mainWeightedBins;
    this.shares = new Float64Array(bins);
    this.reset();
  }

  /** The history the main path's analysers need for this path's frames: twice the main frame. */
  static historySize(config: FrameConfig): number {
    return 2 * config.frameSize;
  }

  /**
   * Counts `count` more samples of M and D, already written to the main analysers (at most up to the
   * next main frame boundary, which every boundary of this path is one of), and synthesises a frame when
   * one is due, with the cues the main path uses now.
   */
  advance(count: number, cues: SpatialCues, directions: Float64Array, controls: ControlValues, newWidthShares: Float64Array): void {
    const since = this.sinceFrame + count;
    if (since > this.hopSize) throw new RangeError('LowBandPath.advance crossed a frame boundary (a framing bug)');
    if (since < this.hopSize) {
      this.sinceFrame = since;
      return;
    }
    this.sinceFrame = 0;
    this.processFrame(cues, directions, controls, newWidthShares);
  }

  /** Adds the next `count` samples of this path's side to `side`. */
  addTo(side: Float64Array, count: number): void {
    this.fifo.readAdding(side, count);
  }

  /** Weighs the main path's side half spectrum by its share of the crossover. */
  weightMainSide(side: Float64Array): void {
    const weights = this.mainWeights;
    for (let k = 0; k < this.mainWeightedBins; k++) {
      side[2 * k] *= weights[k];
      side[2 * k + 1] *= weights[k];
    }
  }

  /** Forgets all input and state. */
  reset(): void {
    this.sinceFrame = 0;
    this.orthogonalizer.reset();
    this.sideSynthesis.reset();
    this.synthesizer.reset();
    this.fifo.clear();
    // As the engine's side FIFO: the first finished hop lines up with the dry delay.
    this.fifo.fill(0, this.hopSize - Math.min(this.hopSize, RENDER_QUANTUM));
  }

  private processFrame(cues: SpatialCues, directions: Float64Array, controls: ControlValues, newWidthShares: Float64Array): void {
    this.monoSource.analyseLast(this.fft, this.mono, this.window);
    this.decorrelatedSource.analyseLast(this.fft, this.decorrelated, this.window);
    this.orthogonalizer.observe(this.mono, this.decorrelated);
    const side = this.side;
    this.sideSynthesis.process(cues, directions, controls, this.orthogonalizer, this.mono, this.decorrelated, side);
    this.layout.spreadToBins(newWidthShares, this.shares, this.lastBin + 1);
    const weights = this.lowWeights;
    const shares = this.shares;
    for (let k = 0; k <= this.lastBin; k++) {
      const weight = weights[k] * shares[k];
      side[2 * k] *= weight;
      side[2 * k + 1] *= weight;
    }
    side.fill(0, 2 * (this.lastBin + 1));
    this.synthesizer.addFrame(this.inverseFft, side, this.lastBin + 1);
    this.fifo.write(this.synthesizer.finished);
  }
}
