/**
 * The stereo path (design section 8): keeps a stereo mix's own image instead of throwing it away by
 * downmixing. Per bin, the input side S = (L-R)/2 splits into a direct part a*M (a from smoothed
 * cross-spectra of S and M: the part of S that moves with M, i.e. amplitude- or phase-panned sources)
 * and an ambient rest S - a*M. The direct part is scaled by `spread` (a source at pan position u moves
 * to spread*u), the ambience is kept, bass mono clears both below its cutoff (the same bin weights w as
 * the mono path's synthesis):
 *
 *     S' = k * w * (S - (1 - spread) * a * M)      (k: 0 on the mono path .. 1 on the stereo path)
 *
 * S' leaves as a time signal that the engine adds to the mono path's side, so (L+R)/2 stays the input's.
 *
 * DC and the band below 5 Hz: the split runs on S and M without it ({@link DcBlocker}, the same filter on
 * both, as the engine's side is made of M without it), and S's own part below 5 Hz (S minus the blocked
 * S, DC included) goes round the STFT as a time signal, delayed by the latency and scaled by k * w(DC) *
 * spread. Why: M's DC cannot be told from a panned source's subsonic part by the split, so an estimate a
 * of the lowest bins taken from M with its DC carried (1 - spread) a times M's DC into the side (1.1 % of
 * it in live mode at spread 0, bench/side-dc.ts); now M's DC reaches nothing here. S's part below 5 Hz
 * (a DC difference between the channels included) is scaled by spread as a whole, as a panned source's
 * direct part is: spread 0 then still centres a panned source exactly (its part below 5 Hz too), a DC on
 * one channel only comes to the centre with it, and spread 1 leaves it as it is (with width 0 and bass
 * mono off the output is the input). Bass mono (w(DC) = 0) removes it.
 * The new width p*M + q*D of the mono path is kept only where the mix is much narrower than the cues
 * ask, by a share per band from the powers of M and S' (see {@link NewWidthShare}).
 *
 * Switching path (input kind `auto`, or a live change) glides k over {@link STEREO_GLIDE_SECONDS}; the
 * input is analysed only while k or its target is above 0, so mono input costs nothing more.
 * @packageDocumentation
 */
import type { BandLayout } from './bands.js';
import { writeBassMonoWeights } from './bass-mono.js';
import type { ControlValues } from './controls.js';
import type { SpatialCues } from './cue-source.js';
import { RENDER_QUANTUM, type FrameConfig } from './frame-config.js';
import { glideTowards } from './glide.js';
import type { InputKind, InputPath } from './input-kind.js';
import type { RealTransform } from './real-fft.js';
import { SampleFifo } from './sample-fifo.js';
import { BlockDelay } from './block-delay.js';
import { DcBlocker } from './dc-blocker.js';
import { NewWidthShare } from './new-width-share.js';
import { StereoInputDetector } from './stereo-input-detector.js';
import { OverlapAddSynthesizer, StftAnalyzer } from './stft.js';

/** Time constant of the path switch and of the spread and new-width glides. */
export const STEREO_GLIDE_SECONDS = 0.04;
/** Time constant of the per-bin cross-spectra that estimate the direct part's a. */
const DIRECT_SECONDS = 0.06;
/** Keeps a = C / (P + floor) finite in silent bins. */
const POWER_FLOOR = 1e-24;
/** Finished hops of silence after which the synthesis is idle (its overlap-add tail has been flushed). */
const FLUSH_FRAMES = 2;

/** Glide state slots (a typed array: double fields can box on store in V8). */
const STEREO_AMOUNT = 0;
const SPREAD = 1;
/** Slots of the low part's gain ramp. */
const LOW_GAIN = 0;
const LOW_STEP = 1;
const LOW_LEFT = 2;
const LOW_TARGET = 3;

export class StereoPath {
  /** What the input is taken for (see {@link InputKind}); change it with {@link setInputKind}. */
  inputKind: InputKind;
  private readonly layout: BandLayout;
  private readonly config: FrameConfig;
  private readonly detector: StereoInputDetector;
  private readonly analyzer: StftAnalyzer;
  private readonly synthesizer: OverlapAddSynthesizer;
  private readonly fifo: SampleFifo;
  /** (L-R)/2 of the current quantum. */
  private readonly sideBlock = new Float64Array(RENDER_QUANTUM);
  /** True when the current quantum came in mono: its side is silence, not computed. */
  private sideSilent = false;
  /** Analysed spectra of S, in the engine's slots (kept until the frame is synthesised). */
  private readonly spectra: Float64Array[];
  /** S' of the frame being synthesised. */
  private readonly shaped: Float64Array;
  /** Per bin, smoothed S conj(M) and |M|^2. */
  private readonly crossRe: Float64Array;
  private readonly crossIm: Float64Array;
  private readonly monoPower: Float64Array;
  /** The share of the new width per band, from the powers of M and S' of the frame being synthesised. */
  private readonly newWidth: NewWidthShare;
  private readonly bassTarget: Float64Array;
  private readonly bassWeight: Float64Array;
  private readonly bassMonoHz = Float64Array.of(-1);
  /** True while the bass-mono weights sit on their target (their glide is skipped until it moves). */
  private bassLanded = false;
  /** S is analysed without its DC and its band below 5 Hz. */
  private readonly dcBlocker: DcBlocker;
  /** S's part below 5 Hz (S less the blocked S), delayed by the latency to line up with the synthesis. */
  private readonly lowSide: BlockDelay;
  /** The delayed block of {@link lowSide} for the current quantum (null while the line holds only silence). */
  private lowSideDelayed: Float64Array | null = null;
  /** Samples until {@link lowSide} holds only silence (0: it does; nothing is written then). */
  private lowSidePending = 0;
  /**
   * The gain on S's part below 5 Hz, k * w(DC) * spread as glided at the frames, ramped linearly over
   * each hop: the gain now, its step per sample, samples left to the frame's value, and that value.
   */
  private readonly lowGain = new Float64Array(4);
  /** Stereo amount k and spread: targets and glided values. */
  private readonly glideTarget = new Float64Array(2);
  private readonly glided = new Float64Array(2);
  private readonly glideStep: Float64Array;
  private readonly directSmoothing: number;
  private silentFrames = FLUSH_FRAMES;
  /** Samples to read before the FIFO holds only the zeros of idle frames (0: all of it is silence). */
  private soundQueued = 0;
  /** False until the first quantum with sound after a reset. */
  private decided = false;

  constructor(layout: BandLayout, config: FrameConfig, inputKind: InputKind, controls: ControlValues) {
    const { sampleRate, frameSize, hopSize, lookaheadFrames } = config;
    this.layout = layout;
    this.config = config;
    this.inputKind = inputKind;
    this.detector = new StereoInputDetector(sampleRate);
    this.analyzer = new StftAnalyzer(frameSize, hopSize);
    this.synthesizer = new OverlapAddSynthesizer(frameSize, hopSize);
    this.fifo = new SampleFifo(2 * (hopSize + RENDER_QUANTUM));
    const bins = layout.binCount;
    this.spectra = [];
    for (let i = 0; i <= lookaheadFrames; i++) this.spectra.push(new Float64Array(2 * bins));
    this.shaped = new Float64Array(2 * bins);
    this.crossRe = new Float64Array(bins);
    this.crossIm = new Float64Array(bins);
    this.monoPower = new Float64Array(bins);
    this.newWidth = new NewWidthShare(layout, config, STEREO_GLIDE_SECONDS);
    this.bassTarget = new Float64Array(bins);
    this.bassWeight = new Float64Array(bins);
    this.glideStep = Float64Array.of(1 - Math.exp(-hopSize / (STEREO_GLIDE_SECONDS * sampleRate)));
    this.directSmoothing = 1 - Math.exp(-hopSize / (DIRECT_SECONDS * sampleRate));
    this.dcBlocker = new DcBlocker(sampleRate);
    this.lowSide = new BlockDelay(config.latency, RENDER_QUANTUM);
    this.reset(controls);
  }

  /**
   * Per band, the share (0..1) of the mono path's new width that is in use: 1 on the mono path, less
   * where a stereo mix is already wide (see {@link scaleNewWidth}). Read only; for meters.
   */
  get newWidthShares(): Float64Array {
    return this.newWidth.shares;
  }

  /** True while the stereo path sounds or is on its way in or out (its side is not zero). Audio-thread safe. */
  get running(): boolean {
    return this.glideTarget[STEREO_AMOUNT] > 0 || this.glided[STEREO_AMOUNT] > 0;
  }

  /** The path the engine takes now (its target: the switch to it glides). */
  get inputPath(): InputPath {
    return this.glideTarget[STEREO_AMOUNT] > 0 ? 'stereo' : 'mono';
  }

  /** True while the stereo path is the target; the boolean twin of {@link inputPath} for the audio thread. */
  get stereoTarget(): boolean {
    return this.inputKind === 'stereo' || (this.inputKind === 'auto' && this.detector.stereo);
  }

  /** Chooses what the input is taken for; the change glides. Audio-thread safe. */
  setInputKind(kind: InputKind): void {
    this.inputKind = kind;
    this.glideTarget[STEREO_AMOUNT] = this.stereoTarget ? 1 : 0;
  }

  /**
   * Takes the current quantum's (cleaned) input channels: updates the stereo detector and keeps
   * (L-R)/2 for {@link write}. `monoInput`: the input came in one channel (`right` is a copy of `left`),
   * so the side is silence. Audio-thread safe.
   */
  observe(left: Float64Array, right: Float64Array, count: number, monoInput: boolean): void {
    // Mono input, once heard and taken for mono, cannot change the detector's mind (its side is zero):
    // the pass over the block is skipped.
    if (!monoInput || !this.detector.heard || this.detector.stereo) this.detector.observe(left, right, count);
    this.glideTarget[STEREO_AMOUNT] = this.stereoTarget ? 1 : 0;
    if (!this.decided && this.detector.heard) {
      // The first sound after a reset: nothing of the input has left the delay yet, so the path can be
      // taken at once instead of gliding in (a stereo file starts on the stereo path).
      this.decided = true;
      this.glided[STEREO_AMOUNT] = this.glideTarget[STEREO_AMOUNT];
    }
    // A mono quantum's side is silence; the DC blocker still rings out, as for a stereo quantum of silence.
    const side = this.sideBlock;
    this.sideSilent = monoInput && this.dcBlocker.atRest;
    if (this.sideSilent) {
      this.delayLowSide(null, count);
      return;
    }
    if (monoInput) side.fill(0, 0, count);
    else for (let i = 0; i < count; i++) side[i] = 0.5 * (left[i] - right[i]);
    const low = this.lowSide.input;
    for (let i = 0; i < count; i++) low[i] = side[i];
    this.dcBlocker.process(side, side, count);
    for (let i = 0; i < count; i++) low[i] -= side[i];
    this.delayLowSide(low, count);
  }

  /** Feeds `count` samples of the quantum's side from `start` to the analysis, in step with the engine's. Audio-thread safe. */
  write(start: number, count: number): void {
    if (this.sideSilent) this.analyzer.writeSilence(count);
    else this.analyzer.write(this.sideBlock, start, count);
  }

  /**
   * One frame, at the engine's frame boundary: analyses the newest side frame into slot
   * `frameIndex % slots`, updates the direct-part estimate from it and the newest mid spectrum, and
   * shapes the side of the frame being synthesised (slot `(frameIndex + 1) % slots`, with `currentMono`,
   * its mid spectrum) into the next finished hop. The mid spectra are of M without its DC, as S is
   * analysed. Also sets the new width's gains per band from the cues (see {@link scaleNewWidth}).
   * Audio-thread safe.
   */
  processFrame(
    fft: RealTransform,
    frameIndex: number,
    newestMono: Float64Array,
    currentMono: Float64Array,
    cues: SpatialCues,
    directions: Float64Array,
    controls: ControlValues,
  ): void {
    const slots = this.spectra.length;
    const newest = this.spectra[frameIndex % slots];
    const current = this.spectra[(frameIndex + 1) % slots];
    this.glideTarget[SPREAD] = controls.spread;
    if (controls.bassMonoHz !== this.bassMonoHz[0]) this.setBassMono(controls);
    if (this.running) {
      this.analyzer.analyse(fft, newest);
      this.observeDirect(newest, newestMono);
    } else {
      newest.fill(0);
    }
    glideTowards(this.glided, this.glideTarget, this.glideStep);
    if (!this.bassLanded) this.bassLanded = glideTowards(this.bassWeight, this.bassTarget, this.glideStep);
    this.rampLowGain();
    // No double is passed to a call here (V8 may box it): the callees read the glides themselves.
    const stereo = this.glided[STEREO_AMOUNT] > 0;
    if (stereo) this.shape(current, currentMono);
    else this.shaped.fill(0);
    this.newWidth.update(stereo, cues, directions, controls);
    if (stereo) this.silentFrames = 0;
    else if (this.silentFrames < FLUSH_FRAMES) this.silentFrames++;
    if (this.silentFrames < FLUSH_FRAMES) {
      this.synthesizer.addFrame(fft, this.shaped);
      this.fifo.write(this.synthesizer.finished);
      this.soundQueued = this.fifo.length;
    } else {
      // Idle: the overlap-add tail is flushed, so the finished hop would be silence.
      this.fifo.writeZeros(this.config.hopSize);
    }
  }

  /**
   * Scales the mono path's new side (p*M + q*D, a half spectrum) per bin by how much width the mix
   * lacks. Call after {@link processFrame} on the same frame. Audio-thread safe.
   */
  scaleNewWidth(side: Float64Array): void {
    this.newWidth.scale(side);
  }

  /**
   * Reads the next `count` samples of S' (time domain, aligned with the engine's dry delay) into `target`
   * and returns true; or, where they are all silence (the path idle), returns false and leaves `target`
   * as it is (the caller's block of zeros need not be written again). Audio-thread safe.
   */
  read(target: Float64Array, count: number): boolean {
    const low = this.lowSideDelayed;
    const lowGain = this.lowGain;
    const lowSounds = low !== null && (lowGain[LOW_GAIN] !== 0 || lowGain[LOW_LEFT] > 0);
    if (this.soundQueued === 0 && !lowSounds) {
      this.fifo.discard(count);
      this.landLowGain();
      return false;
    }
    this.fifo.read(target, count);
    this.soundQueued = Math.max(0, this.soundQueued - count);
    if (!lowSounds) {
      this.landLowGain();
      return true;
    }
    let gain = lowGain[LOW_GAIN];
    let left = lowGain[LOW_LEFT];
    const step = lowGain[LOW_STEP];
    for (let i = 0; i < count; i++) {
      if (left > 0) {
        left--;
        gain = left === 0 ? lowGain[LOW_TARGET] : gain + step;
      }
      target[i] += gain * low[i];
    }
    lowGain[LOW_GAIN] = gain;
    lowGain[LOW_LEFT] = left;
    return true;
  }

  /** Forgets all input and state; the glides start at their targets (`controls`: the current controls). */
  reset(controls: ControlValues): void {
    const { hopSize } = this.config;
    this.detector.reset();
    this.analyzer.reset();
    this.synthesizer.reset();
    for (const spectrum of this.spectra) spectrum.fill(0);
    this.crossRe.fill(0);
    this.crossIm.fill(0);
    this.monoPower.fill(0);
    this.newWidth.reset();
    this.fifo.clear();
    // The same priming as the engine's side FIFO: its first finished hop lines up with the dry delay.
    this.fifo.fill(0, hopSize - Math.min(hopSize, RENDER_QUANTUM));
    this.silentFrames = FLUSH_FRAMES;
    this.soundQueued = 0;
    this.decided = false;
    this.glideTarget[STEREO_AMOUNT] = this.stereoTarget ? 1 : 0;
    this.glided[STEREO_AMOUNT] = this.glideTarget[STEREO_AMOUNT];
    this.glided[SPREAD] = this.glideTarget[SPREAD] = controls.spread;
    this.setBassMono(controls);
    this.bassWeight.set(this.bassTarget);
    this.dcBlocker.reset();
    this.lowSide.clear();
    this.lowSideDelayed = null;
    this.lowSidePending = 0;
    this.lowGain.fill(0);
    this.lowGain[LOW_GAIN] = this.lowGain[LOW_TARGET] = this.glided[STEREO_AMOUNT] * this.bassWeight[0] * this.glided[SPREAD];
  }

  /**
   * Writes S's part below 5 Hz (`low`, the line's input block; null: silence) into its delay line and
   * keeps the delayed block for {@link read}. Once the line holds only silence it is left alone.
   */
  private delayLowSide(low: Float64Array | null, count: number): void {
    if (low === null) {
      if (this.lowSidePending <= 0) {
        this.lowSideDelayed = null;
        return;
      }
      this.lowSide.input.fill(0, 0, count);
      this.lowSidePending -= count;
    } else {
      this.lowSidePending = this.lowSide.delay + count;
    }
    this.lowSideDelayed = this.lowSide.commit();
  }

  /**
   * At a frame: the gain on S's part below 5 Hz heads for k * w(DC) * spread as just glided, linearly over
   * the coming hop (the frame's overlap-add fades its spectral gains over that time too).
   */
  private rampLowGain(): void {
    const lowGain = this.lowGain;
    const target = this.glided[STEREO_AMOUNT] * this.bassWeight[0] * this.glided[SPREAD];
    const hop = this.config.hopSize;
    lowGain[LOW_TARGET] = target;
    if (target === lowGain[LOW_GAIN]) {
      lowGain[LOW_LEFT] = 0;
      return;
    }
    lowGain[LOW_STEP] = (target - lowGain[LOW_GAIN]) / hop;
    lowGain[LOW_LEFT] = hop;
  }

  /**
   * Samples not read (the path idle, or its part below 5 Hz silent): the gain, which would multiply
   * silence, lands on its target at once. A ramp lasts one hop and the line's first block after silence
   * is its delay's silence, so the output is the same as ramping sample by sample; but this code runs
   * only while a glide is under way with the low part silent, too rarely to be optimised soon, and
   * unoptimised arithmetic on fractional gains boxes numbers on the audio thread (55 kB in the stereo
   * allocation test). Copying within the array and storing the integer 0 box nothing.
   */
  private landLowGain(): void {
    const lowGain = this.lowGain;
    if (lowGain[LOW_LEFT] === 0) return;
    lowGain.copyWithin(LOW_GAIN, LOW_TARGET, LOW_TARGET + 1);
    lowGain[LOW_LEFT] = 0;
  }

  /** The bass-mono weight of each bin, as the mono path's (see {@link writeBassMonoWeights}). */
  private setBassMono(controls: ControlValues): void {
    this.bassMonoHz[0] = controls.bassMonoHz;
    writeBassMonoWeights(controls, this.config.sampleRate, this.config.frameSize, this.bassTarget);
    this.bassLanded = false;
  }

  /** Smoothed S conj(M) and |M|^2 per bin, from the newest frame (a short look ahead in `quality` mode). */
  private observeDirect(side: Float64Array, mono: Float64Array): void {
    const amount = this.directSmoothing;
    const { crossRe, crossIm, monoPower } = this;
    for (let k = 0; k < monoPower.length; k++) {
      const sr = side[2 * k];
      const si = side[2 * k + 1];
      const mr = mono[2 * k];
      const mi = mono[2 * k + 1];
      crossRe[k] += amount * (sr * mr + si * mi - crossRe[k]);
      crossIm[k] += amount * (si * mr - sr * mi - crossIm[k]);
      monoPower[k] += amount * (mr * mr + mi * mi - monoPower[k]);
    }
  }

  /** S' = k w (S - (1 - spread) a M) per bin; band powers of M and S' for the width measure. */
  private shape(side: Float64Array, mono: Float64Array): void {
    const stereoAmount = this.glided[STEREO_AMOUNT];
    const narrowing = 1 - this.glided[SPREAD];
    const { crossRe, crossIm, monoPower, bassWeight, shaped } = this;
    const { frameMonoPower, frameSidePower } = this.newWidth;
    const bandOfBin = this.layout.bandOfBin;
    frameMonoPower.fill(0);
    frameSidePower.fill(0);
    for (let k = 0; k < monoPower.length; k++) {
      const mr = mono[2 * k];
      const mi = mono[2 * k + 1];
      let sr = side[2 * k];
      let si = side[2 * k + 1];
      if (narrowing !== 0) {
        const scale = narrowing / (monoPower[k] + POWER_FLOOR);
        const ar = crossRe[k] * scale;
        const ai = crossIm[k] * scale;
        sr -= ar * mr - ai * mi;
        si -= ar * mi + ai * mr;
      }
      const gain = stereoAmount * bassWeight[k];
      sr *= gain;
      si *= gain;
      shaped[2 * k] = sr;
      shaped[2 * k + 1] = si;
      const band = bandOfBin[k];
      frameMonoPower[band] += mr * mr + mi * mi;
      frameSidePower[band] += sr * sr + si * si;
    }
  }
}
