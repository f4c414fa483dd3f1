/**
 * Builds the side spectrum S = p*M + q*g*(D - alpha*M) of one frame from per-band cues: maps cues to
 * gains, smooths the gains over time (cue changes, width and variation changes are click-free), takes
 * D's projection alpha on M and the gain g of the remainder from the {@link BandOrthogonalizer} (so the
 * decorrelated part is uncorrelated with M and as loud as M over the measuring window), spreads the
 * per-band coefficients over the bins (constant in a band, faded over a few bins at its edges) and applies
 * the bass-mono weight.
 * @packageDocumentation
 */
import type { BandLayout } from './bands.js';
import type { BandOrthogonalizer } from './band-orthogonalizer.js';
import type { SpatialCues } from './cue-source.js';
import { writeSideGains } from './side-gains.js';
import { glideTowards } from './glide.js';
import { writeBassMonoWeights } from './bass-mono.js';
import type { ControlValues } from './controls.js';
import type { Hertz } from './units.js';

/** Time constant of the gain smoothing (cue and control changes glide over about this long). */
const GAIN_SECONDS = 0.04;
/** A glide step that goes straight to the target. */
const STRAIGHT = Float64Array.of(1);

export class SideSynthesis {
  private readonly layout: BandLayout;
  private readonly sampleRate: Hertz;
  private readonly frameSize: number;
  /** The glide's step per frame, in an array for {@link glideTowards}. */
  private readonly smoothing: Float64Array;
  private readonly targetP: Float64Array;
  private readonly targetQ: Float64Array;
  private readonly bandP: Float64Array;
  private readonly bandQ: Float64Array;
  /** Per band and per bin: S = (a + i b) M + c D, a = p - q g Re(alpha), b = -q g Im(alpha), c = q g. */
  private readonly bandA: Float64Array;
  private readonly bandB: Float64Array;
  private readonly bandC: Float64Array;
  private readonly binA: Float64Array;
  private readonly binB: Float64Array;
  private readonly binC: Float64Array;
  private readonly bassTarget: Float64Array;
  private readonly bassWeight: Float64Array;
  private bassMonoHz = -1;
  private primed = false;

  constructor(layout: BandLayout, sampleRate: Hertz, frameSize: number, hopSize: number) {
    this.layout = layout;
    this.sampleRate = sampleRate;
    this.frameSize = frameSize;
    this.smoothing = Float64Array.of(1 - Math.exp(-hopSize / (GAIN_SECONDS * sampleRate)));
    const bands = layout.bandCount;
    const bins = layout.binCount;
    this.targetP = new Float64Array(bands);
    this.targetQ = new Float64Array(bands);
    this.bandP = new Float64Array(bands);
    this.bandQ = new Float64Array(bands);
    this.bandA = new Float64Array(bands);
    this.bandB = new Float64Array(bands);
    this.bandC = new Float64Array(bands);
    this.binA = new Float64Array(bins);
    this.binB = new Float64Array(bins);
    this.binC = new Float64Array(bins);
    this.bassTarget = new Float64Array(bins);
    this.bassWeight = new Float64Array(bins);
  }

  /**
   * Writes the side half spectrum for one frame. `mono` and `decorrelated` are half spectra of the same
   * frame; `directions` holds +1/-1 per band; `controls` gives width and bass-mono cutoff; `orthogonalizer`
   * holds alpha and g for the window around this frame. Audio-thread safe.
   */
  process(
    cues: SpatialCues,
    directions: Float64Array,
    controls: ControlValues,
    orthogonalizer: BandOrthogonalizer,
    mono: Float64Array,
    decorrelated: Float64Array,
    side: Float64Array,
  ): void {
    writeSideGains(cues.ildMagnitudesDb, cues.iccs, directions, controls, this.targetP, this.targetQ);
    if (controls.bassMonoHz !== this.bassMonoHz) this.updateBassTarget(controls);
    this.glide(this.bandP, this.targetP);
    this.glide(this.bandQ, this.targetQ);
    this.glide(this.bassWeight, this.bassTarget);
    this.primed = true;
    const { projectionRe, projectionIm, gains } = orthogonalizer;
    for (let b = 0; b < this.bandA.length; b++) {
      const qg = this.bandQ[b] * gains[b];
      this.bandA[b] = this.bandP[b] - qg * projectionRe[b];
      this.bandB[b] = -qg * projectionIm[b];
      this.bandC[b] = qg;
    }
    this.layout.spreadToBins(this.bandA, this.binA);
    this.layout.spreadToBins(this.bandB, this.binB);
    this.layout.spreadToBins(this.bandC, this.binC);
    for (let k = 0; k < this.layout.binCount; k++) {
      const weight = this.bassWeight[k];
      const a = this.binA[k] * weight;
      const b = this.binB[k] * weight;
      const c = this.binC[k] * weight;
      const mr = mono[2 * k];
      const mi = mono[2 * k + 1];
      side[2 * k] = a * mr - b * mi + c * decorrelated[2 * k];
      side[2 * k + 1] = a * mi + b * mr + c * decorrelated[2 * k + 1];
    }
  }

  private updateBassTarget(controls: ControlValues): void {
    this.bassMonoHz = controls.bassMonoHz;
    writeBassMonoWeights(controls, this.sampleRate, this.frameSize, this.bassTarget);
    if (!this.primed) this.bassWeight.set(this.bassTarget);
  }

  /** One step of each value's glide towards its target (straight to it on the first frame). */
  private glide(current: Float64Array, target: Float64Array): void {
    glideTowards(current, target, this.primed ? this.smoothing : STRAIGHT);
  }

  /** Forgets the smoothing state (the next frame starts at its targets). */
  reset(): void {
    this.primed = false;
    this.bassMonoHz = -1;
  }
}


