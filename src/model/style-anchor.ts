/**
 * Holds the model's cues to a preset's image. A conditioned model blends the style it is given with what
 * it hears in the audio: right for a reference mix (a hint), wrong for a preset, which promises an image.
 * With a target set, every new frame's cues are shifted per band by (target - running mean of the
 * model's cues), so their long-run mean is the preset's while their movement from frame to frame is the
 * model's. Audio-thread safe: no allocation after construction.
 */
import type { SpatialCues } from '../dsp/cue-source.js';
import { FEATURE_SPEC } from './feature-spec.js';
import { FEATURE_COUNT } from './features.js';

/** Seconds the running mean reaches back once it has filled: a piece's image, not a phrase's. */
const MEAN_SECONDS = 10;

export class StyleAnchor {
  private readonly targetIccs = new Float64Array(FEATURE_COUNT);
  private readonly targetIlds = new Float64Array(FEATURE_COUNT);
  private readonly meanIccs = new Float64Array(FEATURE_COUNT);
  private readonly meanIlds = new Float64Array(FEATURE_COUNT);
  private frames = 0;
  private meanFrames = 1;
  private active = false;

  /** The frame rate the cues come at (frames per second): sets how many frames the mean spans. */
  prepare(framesPerSecond: number): void {
    this.meanFrames = Math.max(1, Math.round(MEAN_SECONDS * framesPerSecond));
  }

  /** Holds the cues' mean at these per-band values from the next frame on (copied). */
  setTarget(iccs: ArrayLike<number>, ildsDb: ArrayLike<number>): void {
    for (let b = 0; b < FEATURE_COUNT; b++) {
      this.targetIccs[b] = iccs[b];
      this.targetIlds[b] = ildsDb[b];
    }
    this.frames = 0;
    this.active = true;
  }

  /** Leaves the model's cues as they are. */
  clear(): void {
    this.active = false;
  }

  /** Shifts one new frame's cues in place (call once per frame of the model's). */
  apply(cues: SpatialCues): void {
    if (!this.active) return;
    // A running average over the frames so far, then an exponential one over meanFrames.
    this.frames = Math.min(this.frames + 1, this.meanFrames);
    const rate = 1 / this.frames;
    for (let b = 0; b < FEATURE_COUNT; b++) {
      this.meanIccs[b] += rate * (cues.iccs[b] - this.meanIccs[b]);
      this.meanIlds[b] += rate * (cues.ildMagnitudesDb[b] - this.meanIlds[b]);
      cues.iccs[b] = Math.min(1, Math.max(0, cues.iccs[b] + this.targetIccs[b] - this.meanIccs[b]));
      cues.ildMagnitudesDb[b] = Math.min(FEATURE_SPEC.ildCapDb, Math.max(0, cues.ildMagnitudesDb[b] + this.targetIlds[b] - this.meanIlds[b]));
    }
  }
}
