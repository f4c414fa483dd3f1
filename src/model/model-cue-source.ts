/**
 * The learned model as a cue source. On the audio thread it computes the model's features from the mono
 * input, sends them through a {@link CueChannel}, and gives each frame the cues that came back for it.
 * It never waits: when a frame's cues are late it holds the last ones (the synthesis glides between cue
 * changes, so a hold is inaudible) and counts the frame; until the first cues arrive it uses the fixed
 * profile, and the glide makes the switch to the model smooth.
 *
 * Timing: cues for feature frame `t` need frame `t + lookahead`, and one more hop is left for the model
 * to answer, so frame `t` is wanted once frame `t + lookahead + 1` is analysed. In `quality` mode the
 * engine's frames are the feature frames and the engine synthesises exactly that frame (its lookahead
 * is lookahead + 1 frames); in `live` mode the audio does not wait and the newest such cues are used.
 * @packageDocumentation
 */
import type { BandLayout } from '../dsp/bands.js';
import { FixedCueSource, type CueSource, type FrameAnalysis, type SpatialCues } from '../dsp/cue-source.js';
import type { FrameConfig } from '../dsp/frame-config.js';
import type { ArrivedCues, CueChannel } from './cue-channel.js';
import { MODEL_LOOKAHEAD_FRAMES } from './feature-spec.js';
import { FEATURE_COUNT, FeatureAnalyzer, writeFeatures } from './features.js';
import { StyleAnchor } from './style-anchor.js';

/** A wanted frame no search is for (wanted frames are at least -1 - CUE_DELAY_FRAMES); a small integer. */
const NOT_SEARCHED = -1_000_000;
/** Arrived cue frames kept until they are used (enough for a burst of early answers). */
const CUE_SLOTS = 64;
/** Feature frames between a frame's analysis and its synthesis: its lookahead, plus one hop for the model to answer. */
export const CUE_DELAY_FRAMES = MODEL_LOOKAHEAD_FRAMES + 1;

/** What happened to the frames so far (counted per engine frame). */
export interface ModelCueStats {
  /** Frames that got their own model cues. */
  modelFrames: number;
  /** Frames whose cues had not arrived in time, so the last cues were held. */
  lateFrames: number;
  /** Frames before the model's first cues (or with the model off), which used the fixed profile. */
  fallbackFrames: number;
}

export class ModelCueSource implements CueSource {
  /** Counters, updated on the audio thread; read them from the same thread (or copy them into a report). */
  readonly stats: ModelCueStats = { modelFrames: 0, lateFrames: 0, fallbackFrames: 0 };
  private channel: CueChannel | null;
  private readonly fallback: CueSource;
  /** Own feature analysis, when the engine's frames are not the feature frames (live mode). */
  private analyzer: FeatureAnalyzer | null = null;
  /** When the engine's frames are the feature frames (quality mode), its band powers give the features. */
  private sharedFrameSize = 0;
  private readonly features = new Float32Array(FEATURE_COUNT);
  /** Feature frames finished so far. */
  private featureFrames = 0;
  /**
   * Whole feature hops seen by {@link observeInput}, and the samples after the last (to count frames when
   * the channel wants no features): a count of samples would leave V8's small-integer range after 2^30
   * (6.2 hours at 48 kHz in Chrome), and the add that first overflows it deoptimises the engine, which then
   * boxes numbers on the audio thread until it is optimised again.
   */
  private hopsObserved = 0;
  private samplesIntoHop = 0;
  private readonly arrived: ArrivedCues = { frameIndex: -1, iccs: new Float32Array(FEATURE_COUNT), ildMagnitudesDb: new Float32Array(FEATURE_COUNT) };
  private readonly slotFrame = new Int32Array(CUE_SLOTS).fill(-1);
  private readonly slotIccs = new Float32Array(CUE_SLOTS * FEATURE_COUNT);
  private readonly slotIlds = new Float32Array(CUE_SLOTS * FEATURE_COUNT);
  private readonly held: SpatialCues = { iccs: new Float64Array(FEATURE_COUNT), ildMagnitudesDb: new Float64Array(FEATURE_COUNT) };
  /**
   * The style id the feature frames sent from now on are stamped with (see style-history.ts): the
   * processor sets it in the render quantum a style change takes effect in. 0: the node's first style.
   */
  styleId = 0;
  /** Holds the cues' long-run mean at a preset's image; inactive unless a preset was chosen. */
  readonly styleAnchor = new StyleAnchor();
  /** Frame whose cues are in {@link held}, -1 before the model's first cues. */
  private heldFrame = -1;
  /** The last search of the slots in {@link next}: for which wanted frame, and what it found. */
  private bestSearchedFor = NOT_SEARCHED;
  private bestFound = -1;

  /**
   * @param channel - where features go and cues come from; null until the model is ready (see {@link attach}).
   * @param fallback - cues before the model's first ones; the fixed width profile if omitted.
   */
  constructor(channel: CueChannel | null = null, fallback: CueSource = new FixedCueSource()) {
    this.channel = channel;
    this.fallback = fallback;
  }

  /** Connects (or, with null, disconnects) the model. Called between render quanta, never inside one. */
  attach(channel: CueChannel | null): void {
    this.channel = channel;
    this.slotFrame.fill(-1);
    this.heldFrame = -1;
    this.bestSearchedFor = NOT_SEARCHED;
  }

  /** True once model cues have arrived; from then on, missing cues count as late (and the last are held). */
  get modelActive(): boolean {
    return this.heldFrame >= 0 && this.channel !== null;
  }

  /**
   * The engine's band powers are read only where they are the features (quality mode: the engine's frames
   * are the feature frames) and a channel takes them, or the fallback reads them.
   */
  get ignoresBandPowers(): boolean {
    return (this.sharedFrameSize === 0 || this.channel?.featuresUnused === true) && this.fallback.ignoresBandPowers === true;
  }

  prepare(config: FrameConfig, layout: BandLayout): void {
    if (layout.bandCount !== FEATURE_COUNT) throw new RangeError(`the model gives cues for ${FEATURE_COUNT} bands, the engine has ${layout.bandCount}`);
    const own = new FeatureAnalyzer(config.sampleRate);
    // Same frame, hop, window and bands: the engine's own analysis is the feature analysis (one FFT saved).
    const same = own.frameSize === config.frameSize && own.hopSize === config.hopSize;
    this.analyzer = same ? null : own;
    this.sharedFrameSize = same ? config.frameSize : 0;
    this.featureFrames = 0;
    this.bestSearchedFor = NOT_SEARCHED;
    this.hopsObserved = 0;
    this.samplesIntoHop = 0;
    this.styleAnchor.prepare(config.sampleRate / own.hopSize); // one model frame per feature hop
    this.fallback.prepare(config, layout);
  }

  observeInput(mono: Float64Array): void {
    const analyzer = this.analyzer;
    if (analyzer === null) return;
    let samplesIntoHop = this.samplesIntoHop + mono.length;
    while (samplesIntoHop >= analyzer.hopSize) {
      samplesIntoHop -= analyzer.hopSize;
      this.hopsObserved++;
    }
    this.samplesIntoHop = samplesIntoHop;
    if (this.channel?.featuresUnused) {
      // Nobody reads these features: only count the frames (frame j ends with sample (j + 1) * hop).
      this.featureFrames = this.hopsObserved;
      return;
    }
    for (let i = 0; i < mono.length; ) {
      i += analyzer.write(mono, i, mono.length - i);
      if (!analyzer.frameDue) continue;
      this.featureFrames = analyzer.frameCount;
      if (this.channel) this.channel.sendFeatures(analyzer.frameCount - 1, analyzer.features, this.styleId);
    }
  }

  /** Files every arrived cue frame into its slot; true if any arrived. */
  private drain(channel: CueChannel): boolean {
    let any = false;
    while (channel.receiveCues(this.arrived)) {
      const frame = this.arrived.frameIndex;
      if (!(frame >= 0)) continue; // not a frame (a corrupt record): ignore
      const slot = frame % CUE_SLOTS;
      this.slotFrame[slot] = frame;
      this.slotIccs.set(this.arrived.iccs, slot * FEATURE_COUNT);
      this.slotIlds.set(this.arrived.ildMagnitudesDb, slot * FEATURE_COUNT);
      any = true;
    }
    return any;
  }

  next(analysis: FrameAnalysis, out: SpatialCues): void {
    const channel = this.channel;
    if (this.sharedFrameSize > 0 && channel?.featuresUnused) {
      this.featureFrames = analysis.frameIndex + 1;
    } else if (this.sharedFrameSize > 0) {
      writeFeatures(analysis.bandPowers, this.sharedFrameSize, this.features);
      this.featureFrames = analysis.frameIndex + 1;
      if (channel) channel.sendFeatures(analysis.frameIndex, this.features, this.styleId);
    }
    const wanted = this.featureFrames - 1 - CUE_DELAY_FRAMES;
    let arrived = false;
    if (channel) {
      arrived = this.drain(channel);
      // Offline, a channel that can wait does, until this frame's own cues are in (or it gives up).
      if (wanted >= 0 && channel.waitForCues) {
        while (this.slotFrame[wanted % CUE_SLOTS] !== wanted && channel.waitForCues()) arrived = this.drain(channel) || arrived;
      }
    }
    // The wanted frame's cues, or else the newest that arrived for an earlier frame (late answers). The
    // slots change only when cues arrive: with none since the last search for the same frame (live mode:
    // several engine frames per feature frame), its answer stands.
    let best = this.bestFound;
    if (arrived || wanted !== this.bestSearchedFor) {
      best = -1;
      for (let slot = 0; slot < CUE_SLOTS; slot++) {
        const frame = this.slotFrame[slot];
        if (frame <= wanted && frame > best) best = frame;
      }
      this.bestFound = best;
      this.bestSearchedFor = wanted;
    }
    if (channel && best > this.heldFrame) {
      const base = (best % CUE_SLOTS) * FEATURE_COUNT;
      for (let b = 0; b < FEATURE_COUNT; b++) {
        this.held.iccs[b] = this.slotIccs[base + b];
        this.held.ildMagnitudesDb[b] = this.slotIlds[base + b];
      }
      this.styleAnchor.apply(this.held);
      this.heldFrame = best;
    }
    if (!channel || this.heldFrame < 0) {
      this.fallback.next(analysis, out);
      this.stats.fallbackFrames++;
      return;
    }
    if (this.heldFrame === wanted) this.stats.modelFrames++;
    else this.stats.lateFrames++;
    out.iccs.set(this.held.iccs);
    out.ildMagnitudesDb.set(this.held.ildMagnitudesDb);
  }
}
