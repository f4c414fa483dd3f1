/**
 * How much of the mono path's new width (p*M + q*D) a stereo mix gets, per band (design section 8: new
 * width only where the input is narrower than the cues ask). With W = side/mid power ratio, W_in of the
 * mix's (re-spread) side and W_cue = p^2 + q^2 of the cues, the share is sqrt(max(0, 1 - W_in / (k W_cue))),
 * k = {@link WIDE_ENOUGH}. W = (1 - c sqrt(1-t^2)) / (1 + c sqrt(1-t^2)) for coherence c and level ratio t,
 * so it weighs ICC and ILD as design section 3 does: a hard-panned source counts as wide, a mono band as
 * narrow. A mono input gets all of the new width (the mono path's image); a band with at least 35 % of
 * the cues' width gets none: the cues are a guess from M alone, and a real mix that is already reasonably
 * wide is the producer's choice, not a defect to correct (on the synthesised mixes of
 * test/dsp/stereo-path.test.ts, k = 0.5 still widened a mix of ICC 0.79 by 0.06; 0.35 by 0.01).
 * @packageDocumentation
 */
import type { BandLayout } from './bands.js';
import type { ControlValues } from './controls.js';
import type { SpatialCues } from './cue-source.js';
import type { FrameConfig } from './frame-config.js';
import { glideTowards } from './glide.js';
import { writeSideGains } from './side-gains.js';

/** A mix with at least this share of the cues' width (W_in / W_cue) counts as wide enough: no new width. */
export const WIDE_ENOUGH = 0.35;
/** Time constant of the per-band powers that measure how wide the mix already is. */
const WIDTH_SECONDS = 0.2;
/** Keeps W_in finite in silent bands. */
const POWER_FLOOR = 1e-24;

export class NewWidthShare {
  /** This frame's power of M and of the mix's side per band: the stereo path adds into them. */
  readonly frameMonoPower: Float64Array;
  readonly frameSidePower: Float64Array;
  private readonly layout: BandLayout;
  private readonly bandMonoPower: Float64Array;
  private readonly bandSidePower: Float64Array;
  private readonly cueP: Float64Array;
  private readonly cueQ: Float64Array;
  private readonly target: Float64Array;
  private readonly glided: Float64Array;
  private readonly perBin: Float64Array;
  private readonly smoothing: number;
  private readonly glideStep: Float64Array;
  /** True while a share differs from 1 somewhere (else {@link scale} has nothing to do). */
  private active = false;

  /** `glideSeconds`: how fast the shares follow (as the stereo path's other glides). */
  constructor(layout: BandLayout, config: FrameConfig, glideSeconds: number) {
    const bands = layout.bandCount;
    this.layout = layout;
    this.frameMonoPower = new Float64Array(bands);
    this.frameSidePower = new Float64Array(bands);
    this.bandMonoPower = new Float64Array(bands);
    this.bandSidePower = new Float64Array(bands);
    this.cueP = new Float64Array(bands);
    this.cueQ = new Float64Array(bands);
    this.target = new Float64Array(bands);
    this.glided = new Float64Array(bands);
    this.perBin = new Float64Array(layout.binCount);
    this.smoothing = 1 - Math.exp(-config.hopSize / (WIDTH_SECONDS * config.sampleRate));
    this.glideStep = Float64Array.of(1 - Math.exp(-config.hopSize / (glideSeconds * config.sampleRate)));
    this.reset();
  }

  /** Per band, the share (0..1) of the new width in use. Read only; for meters. */
  get shares(): Float64Array {
    return this.glided;
  }

  /**
   * One frame: on the stereo path (`stereo`, with this frame's powers added in), the shares from the
   * mix's width against the cues'; on the mono path, all of the new width. Audio-thread safe.
   */
  update(stereo: boolean, cues: SpatialCues, directions: Float64Array, controls: ControlValues): void {
    if (!stereo) {
      // The shares glide back to 1, then stay out of the way.
      if (!this.active) return;
      this.target.fill(1);
    } else {
      writeSideGains(cues.ildMagnitudesDb, cues.iccs, directions, controls, this.cueP, this.cueQ);
      const amount = this.smoothing;
      const { bandMonoPower, bandSidePower, frameMonoPower, frameSidePower, target, cueP, cueQ } = this;
      for (let b = 0; b < target.length; b++) {
        bandMonoPower[b] += amount * (frameMonoPower[b] - bandMonoPower[b]);
        bandSidePower[b] += amount * (frameSidePower[b] - bandSidePower[b]);
        const cueWidth = cueP[b] * cueP[b] + cueQ[b] * cueQ[b];
        const inputWidth = bandSidePower[b] / (bandMonoPower[b] + POWER_FLOOR);
        const lack = cueWidth > 0 ? 1 - inputWidth / (WIDE_ENOUGH * cueWidth) : 1;
        target[b] = lack > 0 ? Math.sqrt(lack) : 0;
      }
    }
    glideTowards(this.glided, this.target, this.glideStep);
    let active = false;
    for (let b = 0; b < this.glided.length; b++) if (this.glided[b] !== 1) active = true;
    this.active = active;
    if (active) this.layout.spreadToBins(this.glided, this.perBin);
  }

  /** Scales the new side (a half spectrum) by the shares, per bin. Audio-thread safe. */
  scale(side: Float64Array): void {
    if (!this.active) return;
    const gains = this.perBin;
    for (let k = 0; k < gains.length; k++) {
      side[2 * k] *= gains[k];
      side[2 * k + 1] *= gains[k];
    }
  }

  /** Forgets the measured widths (all of the new width again). */
  reset(): void {
    this.frameMonoPower.fill(0);
    this.frameSidePower.fill(0);
    this.bandMonoPower.fill(0);
    this.bandSidePower.fill(0);
    this.glided.fill(1);
    this.perBin.fill(1);
    this.active = false;
  }
}
