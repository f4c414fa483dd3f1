/**
 * Tells real stereo input from mono sent on two channels (dual mono), per render quantum: the side power
 * (L-R)/2 against the mid power (L+R)/2. Stereo as soon as a quantum's side rises above -90 dB of its
 * mid; mono again once the side has stayed below -96 dB for {@link MONO_HOLD_SECONDS} in a row (hysteresis
 * and a hold, so that a mix hovering at the threshold does not flip path every quantum). Silent quanta keep
 * the last decision.
 * @packageDocumentation
 */
import { RENDER_QUANTUM } from './frame-config.js';
import type { Hertz } from './units.js';

/** How long the side must stay below the mono threshold before the input counts as mono again. */
export const MONO_HOLD_SECONDS = 0.1;
/** Side to mid power ratio above which the input is stereo (-90 dB). */
const STEREO_ABOVE = 1e-9;
/** Side to mid power ratio below which stereo input counts as mono (-96 dB). */
const MONO_BELOW = 10 ** -9.6;

export class StereoInputDetector {
  /** True while the input is real stereo. */
  stereo = false;
  /** True once any sound came in (since construction or {@link reset}). */
  heard = false;
  /** Quanta in a row that looked mono, and how many make the input mono. */
  private monoQuanta = 0;
  private readonly monoHoldQuanta: number;

  constructor(sampleRate: Hertz) {
    this.monoHoldQuanta = Math.ceil((MONO_HOLD_SECONDS * sampleRate) / RENDER_QUANTUM);
  }

  /** Takes one block of `count` samples of both channels. Audio-thread safe: allocates nothing. */
  observe(left: Float64Array, right: Float64Array, count: number): void {
    let side = 0;
    let mid = 0;
    for (let i = 0; i < count; i++) {
      const s = left[i] - right[i];
      const m = left[i] + right[i];
      side += s * s;
      mid += m * m;
    }
    if (side + mid === 0) return; // silence: no evidence either way
    this.heard = true;
    if (side > STEREO_ABOVE * mid) {
      this.stereo = true;
      this.monoQuanta = 0;
    } else if (!(side < MONO_BELOW * mid)) {
      // Between the thresholds: the side has not stayed below -96 dB, so the hold starts again (counting
      // on across such quanta let a side hovering there flip the path about once a second).
      this.monoQuanta = 0;
    } else if (this.stereo && ++this.monoQuanta >= this.monoHoldQuanta) {
      this.stereo = false;
      this.monoQuanta = 0;
    }
  }

  /** Forgets the input (mono until stereo is seen). */
  reset(): void {
    this.stereo = false;
    this.heard = false;
    this.monoQuanta = 0;
  }
}
