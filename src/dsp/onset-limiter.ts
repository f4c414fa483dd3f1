import type { BandLayout } from './bands.js';

/** A band's power may jump this far (power ratio, 6 dB) above its recent average before it is limited. */
const ONSET_RATIO = 4;
/** Time constant of the recent-average band power. */
const AVERAGE_SECONDS = 0.08;
const FLUSH = 1e-30;

/**
 * Keeps onsets out of the decorrelator: per band, a frame whose power jumps more than 6 dB over the
 * band's recent average is scaled down to that limit before it enters the all-pass chain. Onsets then
 * stay in the dry centre signal instead of ringing in the decorrelated side; steady material is
 * untouched (for noise in a band, such jumps are rare and the lost power tiny).
 */
export class OnsetLimiter {
  private readonly layout: BandLayout;
  private readonly powers: Float64Array;
  private readonly averages: Float64Array;
  private readonly gains: Float64Array;
  private readonly smoothing: number;
  private primed = false;

  constructor(layout: BandLayout, hopSize: number, sampleRate: number) {
    this.layout = layout;
    this.powers = new Float64Array(layout.bandCount);
    this.averages = new Float64Array(layout.bandCount);
    this.gains = new Float64Array(layout.bandCount);
    this.smoothing = 1 - Math.exp(-hopSize / (AVERAGE_SECONDS * sampleRate));
  }

  /** `output` = `input` with onset frames limited per band. Audio-thread safe. */
  process(input: Float64Array, output: Float64Array): void {
    const bands = this.layout.bandCount;
    this.layout.bandPowers(input, this.powers);
    for (let b = 0; b < bands; b++) {
      const power = this.powers[b];
      const average = this.primed ? this.averages[b] : power;
      const limit = ONSET_RATIO * average;
      this.gains[b] = power > limit && power > FLUSH ? Math.sqrt(limit / power) : 1;
      // The average follows the full power, so a sustained louder passage is let in within ~100 ms.
      const next = average + this.smoothing * (power - average);
      this.averages[b] = next < FLUSH ? 0 : next;
    }
    this.primed = true;
    const bandOfBin = this.layout.bandOfBin;
    for (let k = 0; k < this.layout.binCount; k++) {
      const g = this.gains[bandOfBin[k]];
      output[2 * k] = input[2 * k] * g;
      output[2 * k + 1] = input[2 * k + 1] * g;
    }
  }

  /** Forgets the band averages. */
  reset(): void {
    this.averages.fill(0);
    this.primed = false;
  }
}
