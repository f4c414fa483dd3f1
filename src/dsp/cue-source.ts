import type { BandLayout } from './bands.js';
import type { FrameConfig } from './frame-config.js';

/**
 * Per-band spatial cues for one frame: what a stereo mix looks like, band by band.
 * `iccs` in 0..1 (1 = identical channels), `ildMagnitudesDb` >= 0 (how far off-centre). Which side a band
 * leans to is not a cue: it comes from the pan layout (the "variation" seed), so it never flips.
 */
export interface SpatialCues {
  readonly iccs: Float64Array;
  readonly ildMagnitudesDb: Float64Array;
}

/** Allocates cues for `bandCount` bands (construction time only). */
export function createCues(bandCount: number): SpatialCues {
  return { iccs: new Float64Array(bandCount), ildMagnitudesDb: new Float64Array(bandCount) };
}

/** What the engine hands a cue source for every analysed frame. Reused: read it, do not keep it. */
export interface FrameAnalysis {
  /** Index of the analysed frame (0, 1, 2, ...). */
  readonly frameIndex: number;
  /** Power of the mono input per band for this frame. */
  readonly bandPowers: Float64Array;
}

/**
 * Where cues come from: a fixed profile, or the learned model (which plugs in here).
 * The engine calls {@link CueSource.prepare} once at construction, then {@link CueSource.next} once per
 * frame on the audio thread; `next` must not allocate or block.
 */
export interface CueSource {
  /** Called once, before audio runs, with the engine's framing and band layout. */
  prepare(config: FrameConfig, layout: BandLayout): void;
  /**
   * Receives the newest analysed frame and writes into `out` the cues for the frame being synthesised
   * now, which is `analysis.frameIndex - config.lookaheadFrames`. Audio-thread safe.
   */
  next(analysis: FrameAnalysis, out: SpatialCues): void;
  /**
   * Optional: sees every render quantum of the mono input (after bad samples were zeroed), before the
   * engine analyses it; for sources with an analysis of their own (the model's features). Reused block:
   * read it, do not keep it. Audio-thread safe.
   */
  observeInput?(mono: Float64Array): void;
  /**
   * Optional: true for a source that never reads {@link FrameAnalysis.bandPowers}; the engine then skips
   * computing them (a pass over the bins every frame). Left out, they are computed.
   */
  readonly ignoresBandPowers?: boolean;
}

/** Width profile of the fixed cue source: coherent bass, wider highs, a little level difference. */
export interface FixedProfile {
  /** ICC per band centre frequency. */
  icc(frequency: number): number;
  /** |ILD| in dB per band centre frequency. */
  ildMagnitudeDb(frequency: number): number;
}

/**
 * A sensible default stereo image for music when no model is there: coherence falls from 0.9 in the
 * bass to 0.45 above 4 kHz (log-frequency ramp), and every band sits 2 dB off-centre.
 */
export const DEFAULT_PROFILE: FixedProfile = {
  icc(frequency) {
    const t = Math.min(1, Math.max(0, Math.log2(frequency / 150) / Math.log2(4000 / 150)));
    return 0.9 - 0.45 * t;
  },
  ildMagnitudeDb() {
    return 2;
  },
};

/** A cue source that gives the same cues for every frame: its profile's, or per-band values set later (a style). */
export class FixedCueSource implements CueSource {
  /** Its cues do not depend on the input. */
  readonly ignoresBandPowers = true;
  private readonly profile: FixedProfile;
  private iccs: Float64Array = new Float64Array(0);
  private ilds: Float64Array = new Float64Array(0);
  /** The profile's own cues, to go back to from a style. */
  private profileIccs: Float64Array = new Float64Array(0);
  private profileIlds: Float64Array = new Float64Array(0);

  /** @param profile - cues as functions of a band's centre frequency; {@link DEFAULT_PROFILE} if omitted. */
  constructor(profile: FixedProfile = DEFAULT_PROFILE) {
    this.profile = profile;
  }

  /** A source with the same ICC and |ILD| in every band (tests and baselines). */
  static uniform(icc: number, ildMagnitudeDb: number): FixedCueSource {
    return new FixedCueSource({ icc: () => icc, ildMagnitudeDb: () => ildMagnitudeDb });
  }

  prepare(_config: FrameConfig, layout: BandLayout): void {
    this.profileIccs = new Float64Array(layout.bandCount);
    this.profileIlds = new Float64Array(layout.bandCount);
    for (let b = 0; b < layout.bandCount; b++) {
      this.profileIccs[b] = this.profile.icc(layout.centres[b]);
      this.profileIlds[b] = this.profile.ildMagnitudeDb(layout.centres[b]);
    }
    this.iccs = Float64Array.from(this.profileIccs);
    this.ilds = Float64Array.from(this.profileIlds);
  }

  /**
   * Gives these per-band cues from the next frame on (a style: one value per band of the prepared layout;
   * ICCs clamped to 0..1, |ILD|s to 0..40 dB, a NaN keeps the profile's value). The synthesis
   * glides to them. Copies into the arrays made by `prepare`: audio-thread safe, allocates nothing.
   */
  setBandCues(iccs: ArrayLike<number>, ildMagnitudesDb: ArrayLike<number>): void {
    const bands = Math.min(this.iccs.length, iccs.length, ildMagnitudesDb.length);
    for (let b = 0; b < bands; b++) {
      const icc = iccs[b];
      const ild = ildMagnitudesDb[b];
      // Comparisons are false for NaN: a NaN keeps the profile's value.
      this.iccs[b] = icc >= 0 ? Math.min(1, icc) : icc < 0 ? 0 : this.profileIccs[b];
      this.ilds[b] = ild >= 0 ? Math.min(40, ild) : ild < 0 ? 0 : this.profileIlds[b];
    }
  }

  /** Back to the profile's own cues (gliding). Audio-thread safe. */
  resetBandCues(): void {
    this.iccs.set(this.profileIccs);
    this.ilds.set(this.profileIlds);
  }

  next(_analysis: FrameAnalysis, out: SpatialCues): void {
    out.iccs.set(this.iccs);
    out.ildMagnitudesDb.set(this.ilds);
  }
}
