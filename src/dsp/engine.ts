/**
 * The upmix engine: mono or stereo in, mono-compatible stereo out, one render quantum at a time. Pure TypeScript with no Web Audio types: the worklet, the CLI and the tests drive
 * the same code and get the same samples.
 *
 * Only the side signal S goes through the STFT; the centre M is a plain delay line of exactly the
 * reported latency. L = M + S and R = M - S, so (L + R) / 2 is the delayed input to the last bit of
 * rounding, whatever the cues, the controls or the decorrelator do. The side is made from the input
 * without its DC (dc-blocker.ts), so an offset in the input never puts opposite offsets on L and R.
 * Stereo input keeps its own image through the {@link StereoPath}, whose re-spread side adds to the
 * synthesised one (design section 8).
 * @packageDocumentation
 */
import { BandLayout } from './bands.js';
import { BandOrthogonalizer } from './band-orthogonalizer.js';
import { CONTROL_SPECS, defaultControls, controlSpec, type ControlValues } from './controls.js';
import { createCues, FixedCueSource, type CueSource, type FrameAnalysis, type SpatialCues } from './cue-source.js';
import { CueReadout } from './cue-readout.js';
import { Decorrelator } from './decorrelator.js';
import { IccFeedback } from './icc-feedback.js';
import { LowBandPath } from './low-band-path.js';
import { conditionInput } from './input-conditioning.js';
import { DcBlocker } from './dc-blocker.js';
import { OnsetDetector } from './onset-detector.js';
import { SideDucker } from './side-ducker.js';
import { checkQuantumArrays, frameConfigFor, RENDER_QUANTUM, type FrameConfig, type LatencyMode } from './frame-config.js';
import { PanLayout } from './pan-layout.js';
import { PeakLimiter } from './peak-limiter.js';
import type { RealTransform } from './real-fft.js';
import { createRealFft } from './wasm-fft.js';
import { BlockDelay } from './block-delay.js';
import { SampleFifo } from './sample-fifo.js';
import { SideSynthesis } from './side-synthesis.js';
import type { InputKind, InputPath } from './input-kind.js';
import { StereoPath } from './stereo-path.js';
import { KernelArray } from './simd-kernels.js';
import { OverlapAddSynthesizer, StftAnalyzer } from './stft.js';
import type { Hertz, Samples } from './units.js';

export { MAX_INPUT_MAGNITUDE } from './input-conditioning.js';
/** The unit of the bad-input count's whole part (see `UpmixEngine.badInputSamples`). */
const BAD_INPUT_UNIT = 1024;
/** Time constant of the dry/wet and bypass crossfade. */
const MIX_SECONDS = 0.01;

/** How to build an engine. */
export interface UpmixEngineOptions {
  sampleRate: Hertz;
  /** Framing and latency; default `quality`. */
  mode?: LatencyMode;
  /** Where the per-band cues come from; default the fixed width profile. */
  cueSource?: CueSource;
  /** Pan-layout seed; default 1. */
  variation?: number;
  /**
   * An explicit lean per band (+1 left, -1 right) instead of the seeded layout, for hosts with their own
   * layout and for measurements; {@link UpmixEngine.setVariation} replaces it with a seeded one again.
   */
  panDirections?: ArrayLike<number>;
  /** Initial control values; the rest take their defaults. */
  controls?: Partial<ControlValues>;
  /**
   * A linked peak limiter on the output at the `ceilingDb` control (one gain for both channels, so
   * (L+R)/2 stays a scaled copy of the input); adds its look-ahead to {@link UpmixEngine.latency}.
   * Default false.
   */
  ceiling?: boolean;
  /** What the input is taken for: `auto` (default), `mono` or `stereo` (see {@link InputKind}). */
  input?: InputKind;
  /**
   * Closed-loop ICC (icc-feedback.ts): measure the output's ICC per band on tiles equivalent to section 5's
   * and correct the cues until the mean tile ICC equals the asked one. Default on in `quality` mode (the
   * model's cues and the metrics are tile ICCs), off in `live` mode (its 256-sample frames own no bin in
   * the lowest bands, so there the loop could only push on a neighbour's coefficients). Off, a cue is
   * realised as the long-run coherence of each band (what cue-accuracy.test.ts checks on noise).
   */
  iccFeedback?: boolean;
  /**
   * The side below 739 Hz (faded out by 921 Hz) from frames of twice the size, at the same latency
   * (low-band-path.ts).
   * Default on in `quality` mode; not available in `live` mode (its latency has no room for it).
   */
  lowBandPath?: boolean;
}

export class UpmixEngine {
  /** Framing of this instance; `config.latency` is the exact latency in samples. */
  readonly config: FrameConfig;
  readonly layout: BandLayout;
  /** Current control values (read once per quantum). Set them with {@link setControl}. */
  readonly controls: ControlValues;
  /**
   * The bad-input count as whole units of {@link BAD_INPUT_UNIT} samples and the rest, both small
   * integers for ever: one count would leave V8's small-integer range after 2^30 bad samples (3.1 hours
   * of NaN stereo input at 48 kHz in Chrome), and the add that first overflows it deoptimises
   * {@link process}, which then boxes numbers on the audio thread until it is optimised again.
   */
  private badInputUnits = 0;
  private badInputRest = 0;
  /** {@link setControl}'s value on its way to {@link setControlFrom}. */
  private readonly controlScratch = new Float64Array(1);

  private readonly cueSource: CueSource;
  private readonly fft: RealTransform;
  /**
   * The side is made from the input without its DC: an offset would otherwise reach the side through
   * the window's spread over the lowest bins (dc-blocker.ts). The mid, the delayed input, keeps it.
   */
  private readonly inputDcBlocker: DcBlocker;
  /** Analyses the input without its DC, for the side. */
  private readonly analyzer: StftAnalyzer;
  /**
   * Analyses the input as it is, for a cue source that reads band powers (the model's features are
   * defined on it); only while it needs them. The newest frame only: band powers are read at once.
   */
  private readonly rawAnalyzer: StftAnalyzer;
  private readonly rawSpectrum: Float64Array;
  private readonly decorrelatedAnalyzer: StftAnalyzer;
  private readonly onsetDetector: OnsetDetector;
  private readonly sideDucker: SideDucker;
  private readonly synthesizer: OverlapAddSynthesizer;
  private readonly decorrelator: Decorrelator;
  private readonly orthogonalizer: BandOrthogonalizer;
  private readonly sideSynthesis: SideSynthesis;
  private readonly stereoPath: StereoPath;
  private readonly panLayout: PanLayout;
  private readonly cues: SpatialCues;
  /** The cues as the side synthesis gets them: ICC corrected by the measured output (icc-feedback.ts). */
  private readonly correctedCues: SpatialCues;
  private readonly iccFeedback: IccFeedback | null;
  /**
   * The loop measures the side against the mid without its DC, as the side is made from it: the input
   * without its DC, delayed by the latency (with the loop only). The same samples as a second DC blocker
   * on the mid would give, bit for bit (the same filter on the same samples, the latency being a whole
   * number of quanta), for a copy instead of a filter.
   */
  private readonly blockedMid: BlockDelay | null;
  private readonly lowBandPath: LowBandPath | null;
  private readonly analysis: { frameIndex: number; bandPowers: Float64Array };
  /**
   * Analysed spectra of M and D, kept `lookaheadFrames` frames until they are synthesised (in the kernels'
   * memory, where the orthogonaliser's band sums read them; through `values` everywhere else).
   */
  private readonly spectra: KernelArray[];
  private readonly decorrelatedSpectra: KernelArray[];
  private readonly side: KernelArray;
  private readonly sideFifo: SampleFifo;
  /** The input channels delayed by the latency, written and read in place. */
  private readonly dryLeft: BlockDelay;
  private readonly dryRight: BlockDelay;
  private readonly mixSmoothing: number;
  /** Scratch blocks of one render quantum each. */
  private readonly blocks = {
    mono: new Float64Array(RENDER_QUANTUM),
    /** The mono input without its DC (what the side is made from). */
    withoutDc: new Float64Array(RENDER_QUANTUM),
    onsetGains: new Float64Array(RENDER_QUANTUM),
    /** The decorrelator's block: in the kernels' memory where they run (it decorrelates it in place there). */
    decorrelated: new KernelArray(RENDER_QUANTUM),
    side: new Float64Array(RENDER_QUANTUM),
    sideGains: new Float64Array(RENDER_QUANTUM),
    stereoSide: new Float64Array(RENDER_QUANTUM),
  };
  /** True while `blocks.stereoSide` holds the zeros of an idle stereo path. */
  private stereoSideSilent = false;
  private variation: number;
  /** The current dry/wet gain; in a typed array because a double field can box on every store in V8. */
  private readonly mixGain = new Float64Array(1);
  private frameIndex = 0;
  /** Scratch of {@link readCues} (meters only). */
  private readonly cueReadout: CueReadout;
  /** The output's peak limiter (option `ceiling`), and the ceiling it was last given. */
  private readonly limiter: PeakLimiter | null;
  private readonly limiterCeiling = new Float64Array(1);

  constructor(options: UpmixEngineOptions) {
    this.config = frameConfigFor(options.sampleRate, options.mode ?? 'quality');
    const { sampleRate, frameSize, hopSize, lookaheadFrames, latency } = this.config;
    this.layout = new BandLayout(sampleRate, frameSize);
    this.controls = defaultControls();
    for (const [name, value] of Object.entries(options.controls ?? {})) this.setControl(name, value);
    this.cueSource = options.cueSource ?? new FixedCueSource();
    this.cueSource.prepare(this.config, this.layout);
    this.fft = createRealFft(frameSize);
    const lowBandPath = this.config.mode === 'quality' && (options.lowBandPath ?? true);
    // With the low-band path, the analysers keep its longer frames too (it reads them from there).
    const historySize = lowBandPath ? LowBandPath.historySize(this.config) : frameSize;
    this.inputDcBlocker = new DcBlocker(sampleRate);
    this.analyzer = new StftAnalyzer(frameSize, hopSize, historySize);
    this.rawAnalyzer = new StftAnalyzer(frameSize, hopSize);
    this.decorrelatedAnalyzer = new StftAnalyzer(frameSize, hopSize, historySize);
    this.onsetDetector = new OnsetDetector(sampleRate);
    // Look ahead over the half frame a zero-phase side gain can spread a click back in time.
    this.sideDucker = new SideDucker(sampleRate, latency, frameSize / 2);
    this.synthesizer = new OverlapAddSynthesizer(frameSize, hopSize);
    this.decorrelator = new Decorrelator(sampleRate);
    // Live mode's window of g trails the frame synthesised: there it counts M only where D had arrived.
    // Both modes: g allows for D_perp's share in phase with M after an onset, and follows M out when it stops.
    this.orthogonalizer = new BandOrthogonalizer(this.layout, sampleRate, frameSize, hopSize, lookaheadFrames, { weighByArrival: this.config.mode === 'live', crossShares: true, followDeparture: true });
    this.sideSynthesis = new SideSynthesis(this.layout, sampleRate, frameSize, hopSize);
    this.stereoPath = new StereoPath(this.layout, this.config, options.input ?? 'auto', this.controls);
    this.variation = options.variation ?? 1;
    this.panLayout = new PanLayout(this.layout.centres, this.variation);
    if (options.panDirections) {
      if (options.panDirections.length !== this.layout.bandCount) {
        throw new RangeError(`panDirections has ${options.panDirections.length} values: give one per band (${this.layout.bandCount})`);
      }
      for (let b = 0; b < this.layout.bandCount; b++) this.panLayout.directions[b] = options.panDirections[b] < 0 ? -1 : 1;
    }
    this.cues = createCues(this.layout.bandCount);
    this.correctedCues = createCues(this.layout.bandCount);
    this.iccFeedback = (options.iccFeedback ?? this.config.mode === 'quality') ? new IccFeedback(sampleRate, latency) : null;
    this.blockedMid = this.iccFeedback !== null ? new BlockDelay(latency, RENDER_QUANTUM) : null;
    this.lowBandPath = lowBandPath ? new LowBandPath(this.config, this.analyzer, this.decorrelatedAnalyzer) : null;
    this.cueReadout = new CueReadout(this.layout.bandCount);
    this.analysis = { frameIndex: 0, bandPowers: new Float64Array(this.layout.bandCount) };
    this.spectra = [];
    this.decorrelatedSpectra = [];
    for (let i = 0; i <= lookaheadFrames; i++) {
      this.spectra.push(new KernelArray(this.fft.halfSpectrumLength));
      this.decorrelatedSpectra.push(new KernelArray(this.fft.halfSpectrumLength));
    }
    this.rawSpectrum = new Float64Array(this.fft.halfSpectrumLength);
    this.side = new KernelArray(this.fft.halfSpectrumLength);
    // The side FIFO starts with the zeros that line its first finished hop up with the dry delay.
    this.sideFifo = new SampleFifo(2 * (hopSize + RENDER_QUANTUM));
    this.dryLeft = new BlockDelay(latency, RENDER_QUANTUM);
    this.dryRight = new BlockDelay(latency, RENDER_QUANTUM);
    this.mixSmoothing = 1 - Math.exp(-1 / (MIX_SECONDS * sampleRate));
    this.limiter = options.ceiling ? new PeakLimiter({ sampleRate, ceilingDb: this.controls.ceilingDb }) : null;
    this.limiterCeiling[0] = this.controls.ceilingDb;
    this.reset();
  }

  /** Exact algorithmic latency in samples (the framing's, plus the limiter's look-ahead where there is one). */
  get latency(): Samples {
    return this.config.latency + (this.limiter?.latency ?? 0);
  }

  /** The largest gain reduction of the limiter so far, in dB (0 without a limiter or when it never acted). */
  get ceilingReductionDb(): number {
    return this.limiter?.maxGainReductionDb ?? 0;
  }

  /** Count of input samples replaced by silence because they were NaN, infinite or absurdly large. */
  get badInputSamples(): number {
    return this.badInputUnits * BAD_INPUT_UNIT + this.badInputRest;
  }

  /** What the input is taken for (`auto`, `mono` or `stereo`); set it with {@link setInputKind}. */
  get inputKind(): InputKind {
    return this.stereoPath.inputKind;
  }

  /**
   * The path the input takes now: `mono` (downmixed and upmixed) or `stereo` (its own image re-spread).
   * Under `auto` it follows what the input is (dual mono or real stereo). Audio-thread safe.
   */
  get inputPath(): InputPath {
    return this.stereoPath.inputPath;
  }

  /** Chooses what the input is taken for; a change of path crossfades. Audio-thread safe. */
  setInputKind(kind: InputKind): void {
    this.stereoPath.setInputKind(kind);
  }

  /** Which way each band leans (+1 left, -1 right) under the current variation. Read only. */
  get panDirections(): Float64Array {
    return this.panLayout.directions;
  }

  /** Sets a control by name, clamped to its range. Audio-thread safe. */
  setControl(name: string, value: number): void {
    const spec = controlSpec(name);
    this.controlScratch[0] = value;
    for (let index = 0; index < CONTROL_SPECS.length; index++) if (CONTROL_SPECS[index] === spec) this.setControlFrom(index, this.controlScratch);
  }

  /**
   * Sets control number `index` (in {@link CONTROL_SPECS} order) to `values[0]`, clamped: the worklet's
   * path, which hands over its k-rate AudioParam array rather than a number, because in V8 a double
   * passed to a call that is not inlined is boxed on the heap. Audio-thread safe: allocates nothing.
   */
  setControlFrom(index: number, values: Float32Array | Float64Array): void {
    const spec = CONTROL_SPECS[index];
    let value = values[0];
    // As clampControl, inline (its double return value would be boxed if the call were not inlined).
    if (!(value >= spec.min && value <= spec.max)) value = !Number.isFinite(value) ? spec.defaultValue : value < spec.min ? spec.min : spec.max;
    // Named stores: in V8 a keyed store of a double (controls[name] = x) boxes it on the heap.
    switch (spec.name) {
      case 'width':
        this.controls.width = value;
        break;
      case 'bassMonoHz':
        this.controls.bassMonoHz = value;
        break;
      case 'mix':
        this.controls.mix = value;
        break;
      case 'bypass':
        this.controls.bypass = value;
        break;
      case 'ceilingDb':
        this.controls.ceilingDb = value;
        break;
      case 'spread':
        this.controls.spread = value;
        break;
    }
  }

  /** Chooses the pan layout (which side each band leans to); changes glide. Audio-thread safe. */
  setVariation(variation: number): void {
    if (!Number.isFinite(variation) || variation === this.variation) return;
    this.variation = variation;
    this.panLayout.setVariation(variation);
  }

  /**
   * Processes one render quantum (128 samples). `inputRight` is null for mono input; stereo input is
   * downmixed to (L + R) / 2 on the mono path and keeps its image on the stereo path (see
   * {@link inputPath}). Output is always finite. Audio-thread safe: allocates nothing.
   * @throws RangeError if an array does not hold exactly 128 samples.
   */
  process(inputLeft: Float32Array, inputRight: Float32Array | null, outputLeft: Float32Array, outputRight: Float32Array): void {
    checkQuantumArrays(inputLeft, inputRight, outputLeft, outputRight);
    // Hot loops work on preallocated blocks and call nothing that returns a double: in V8 a
    // non-inlined call returning a double boxes it on the heap (garbage on the audio thread).
    const n = RENDER_QUANTUM;
    const { mono, onsetGains, side, sideGains, stereoSide } = this.blocks;
    const decorrelatedBlock = this.blocks.decorrelated;
    const decorrelated = decorrelatedBlock.values;
    // The cleaned input goes straight into the dry delay lines (read back `latency` later, in place).
    const left = this.dryLeft.input;
    const right = this.dryRight.input;
    // At most 2 * 128 bad samples a quantum: one carry is enough.
    let badRest = this.badInputRest + conditionInput(inputLeft, inputRight, left, right, mono, n);
    if (badRest >= BAD_INPUT_UNIT) {
      badRest -= BAD_INPUT_UNIT;
      this.badInputUnits++;
    }
    this.badInputRest = badRest;
    this.stereoPath.observe(left, right, n, inputRight === null);
    this.cueSource.observeInput?.(mono);
    const dryLeft = this.dryLeft.commit();
    const dryRight = this.dryRight.commit();
    // Written where the ICC loop reads it back `latency` later, when it runs.
    const withoutDc = this.blockedMid !== null ? this.blockedMid.input : this.blocks.withoutDc;
    this.inputDcBlocker.process(mono, withoutDc, n);
    const blockedMid = this.blockedMid !== null ? this.blockedMid.commit() : null;
    // The decorrelator's input is the mono input held down in onsets (written in the detector's pass).
    const onsets = this.onsetDetector.process(withoutDc, onsetGains, n, decorrelated);
    this.sideDucker.push(onsetGains, n, onsets === 0);
    this.decorrelator.processBlock(decorrelatedBlock, n);
    // Block-wise up to each frame boundary (no sample crosses a call: see StftAnalyzer.write).
    for (let i = 0; i < n; ) {
      const taken = this.analyzer.write(withoutDc, i, n - i);
      this.rawAnalyzer.write(mono, i, taken);
      this.decorrelatedAnalyzer.write(decorrelated, i, taken);
      this.stereoPath.write(i, taken);
      if (this.analyzer.frameDue) this.processFrame();
      // After the main frame: the low path's frame (every other one) takes the cues just updated.
      this.lowBandPath?.advance(taken, this.iccFeedback !== null ? this.correctedCues : this.cues, this.panLayout.directions, this.controls, this.stereoPath.newWidthShares);
      i += taken;
    }

    this.sideFifo.read(side, n);
    this.lowBandPath?.addTo(side, n);
    this.sideDucker.read(sideGains, n);
    // While the stereo path is idle its side is silence: the block is zeroed once, not copied every quantum.
    if (this.stereoPath.read(stereoSide, n)) this.stereoSideSilent = false;
    else if (!this.stereoSideSilent) {
      for (let i = 0; i < n; i++) stereoSide[i] = 0;
      this.stereoSideSilent = true;
    }
    const target = this.controls.bypass >= 0.5 ? 0 : this.controls.mix;
    const smoothing = this.mixSmoothing;
    let mixGain = this.mixGain[0];
    // Settled (the usual case), the glide would add 0 every sample: skipped, so that no sample waits on
    // the one before (the glide is a chain of dependent multiply-adds).
    const gliding = mixGain !== target;
    for (let i = 0; i < n; i++) {
      if (gliding) mixGain += smoothing * (target - mixGain);
      // The transient ducking acts on the synthesised side only: the mix's own side is not smeared.
      const s = side[i] * sideGains[i] + stereoSide[i];
      const mid = 0.5 * (dryLeft[i] + dryRight[i]);
      // Kept for the ICC measurement.
      side[i] = s;
      let outL = dryLeft[i] + mixGain * (mid + s - dryLeft[i]);
      let outR = dryRight[i] + mixGain * (mid - s - dryRight[i]);
      // NaN, infinities and denormal-range values become 0 (the comparisons are false for NaN); one
      // range test on the magnitude, not four comparisons.
      const magnitudeL = Math.abs(outL);
      const magnitudeR = Math.abs(outR);
      if (!(magnitudeL > 1e-30 && magnitudeL < 1e30)) outL = 0;
      if (!(magnitudeR > 1e-30 && magnitudeR < 1e30)) outR = 0;
      outputLeft[i] = outL;
      outputRight[i] = outR;
    }
    this.mixGain[0] = Math.abs(mixGain - target) < 1e-9 ? target : mixGain;
    // The loop learns on the mono path only: on the stereo path the output's ICC is mostly the mix's own,
    // which the cues do not describe (it would push the new width to make up for the mix).
    // An offset would count in the lowest band's ICC (the DC bin belongs to it) and move its correction:
    // the mid is measured without its DC.
    if (this.iccFeedback !== null && blockedMid !== null && !this.stereoPath.running) this.iccFeedback.measure(blockedMid, side, n);
    const limiter = this.limiter;
    if (limiter !== null) {
      if (this.controls.ceilingDb !== this.limiterCeiling[0]) {
        this.limiterCeiling[0] = this.controls.ceilingDb;
        limiter.setCeilingFrom(this.limiterCeiling);
      }
      limiter.process(outputLeft, outputRight, n);
    }
  }

  /**
   * For meters: writes the cues in use per band, as the output's ICC (1 = mono) into `iccs` and signed
   * ILD in dB (positive = left louder) into `ildsDb`, after width, bass mono and mix (see
   * {@link CueReadout}). One value per band (`layout.bandCount`). Not part of the signal path; call it
   * at most once per frame. Audio-thread safe: allocates nothing.
   */
  readCues(iccs: Float32Array, ildsDb: Float32Array): void {
    if (this.frameIndex === 0) {
      // No frame synthesised yet: the output is the dry input, mono.
      iccs.fill(1);
      ildsDb.fill(0);
      return;
    }
    this.cueReadout.write(this.cues, this.panLayout.directions, this.controls, this.layout.centres, this.mixGain, this.stereoPath.newWidthShares, iccs, ildsDb);
  }

  /** Returns the engine to its initial state (silence in every buffer). */
  reset(): void {
    const { hopSize } = this.config;
    this.inputDcBlocker.reset();
    this.analyzer.reset();
    this.rawAnalyzer.reset();
    this.decorrelatedAnalyzer.reset();
    this.onsetDetector.reset();
    this.sideDucker.reset();
    this.synthesizer.reset();
    this.decorrelator.reset();
    this.orthogonalizer.reset();
    this.sideSynthesis.reset();
    this.stereoPath.reset(this.controls);
    this.iccFeedback?.reset();
    this.blockedMid?.clear();
    this.lowBandPath?.reset();
    for (const spectrum of this.spectra) spectrum.values.fill(0);
    for (const spectrum of this.decorrelatedSpectra) spectrum.values.fill(0);
    this.rawSpectrum.fill(0);
    this.sideFifo.clear();
    this.sideFifo.fill(0, hopSize - Math.min(hopSize, RENDER_QUANTUM));
    this.dryLeft.clear();
    this.dryRight.clear();
    this.frameIndex = 0;
    this.mixGain[0] = this.controls.bypass >= 0.5 ? 0 : this.controls.mix;
  }

  private processFrame(): void {
    const slots = this.spectra.length;
    const newestArray = this.spectra[this.frameIndex % slots];
    const newestDecorrelatedArray = this.decorrelatedSpectra[this.frameIndex % slots];
    const newest = newestArray.values;
    this.analyzer.analyse(this.fft, newest);
    this.decorrelatedAnalyzer.analyse(this.fft, newestDecorrelatedArray.values);
    // D's projection on M and its level over the window that ends with the newest frame (it reaches the
    // lookahead frames past the frame synthesised now).
    this.orthogonalizer.observe(newestArray, newestDecorrelatedArray);
    if (this.cueSource.ignoresBandPowers !== true) {
      this.rawAnalyzer.analyse(this.fft, this.rawSpectrum);
      this.layout.bandPowers(this.rawSpectrum, this.analysis.bandPowers);
    }
    this.analysis.frameIndex = this.frameIndex;
    this.cueSource.next(this.analysis as FrameAnalysis, this.cues);
    // The frame synthesised now is `lookaheadFrames` older than the newest (its slot is the next one).
    const current = (this.frameIndex + 1) % slots;
    const feedback = this.iccFeedback;
    if (feedback !== null) feedback.correct(this.cues, this.controls, this.correctedCues);
    this.sideSynthesis.process(feedback !== null ? this.correctedCues : this.cues, this.panLayout.directions, this.controls, this.orthogonalizer, this.spectra[current], this.decorrelatedSpectra[current], this.side);
    // The stereo path weighs the mix's width against the cues as asked (not as corrected for realisation).
    this.stereoPath.processFrame(this.fft, this.frameIndex, newest, this.spectra[current].values, this.cues, this.panLayout.directions, this.controls);
    const side = this.side.values;
    this.stereoPath.scaleNewWidth(side);
    this.lowBandPath?.weightMainSide(side);
    this.synthesizer.addFrame(this.fft, side);
    this.sideFifo.write(this.synthesizer.finished);
    this.frameIndex++;
  }
}
