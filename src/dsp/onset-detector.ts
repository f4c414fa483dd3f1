/**
 * Finds onsets: when the short-term power of the input jumps more than 10 dB above its recent average,
 * {@link OnsetDetector.next} returns the gain that would hold it to that limit (1 otherwise). The engine
 * uses it twice: to keep onsets out of the decorrelator (so its all-pass tail does not smear them), and,
 * held and looked ahead, to keep the side signal quiet around them (see {@link SideDucker}), so a click
 * stays a dry centred click. Steady material, noise included, never reaches the limit.
 * @packageDocumentation
 */
import type { Hertz, Seconds } from './units.js';

/** Power ratio (10 dB) the short-term power may rise above the recent average before it counts: above
 * the beating of sustained chords, below any real attack. */
const ONSET_RATIO = 10;
const FAST: Seconds = 0.001;
const SLOW: Seconds = 0.05;
const FLUSH = 1e-30;

export class OnsetDetector {
  private readonly fastCoefficient: number;
  private readonly slowCoefficient: number;
  /** Fast and slow power envelopes (a typed array: a double field can box on every store in V8). */
  private readonly envelopes = new Float64Array(2);

  constructor(sampleRate: Hertz) {
    this.fastCoefficient = 1 - Math.exp(-1 / (FAST * sampleRate));
    this.slowCoefficient = 1 - Math.exp(-1 / (SLOW * sampleRate));
  }

  /**
   * Writes the onset gain of each of `count` input samples into `gains`: 1 in steady material, less
   * than 1 in an onset; and, where `gated` is given, the input times its gain into it (the engine's feed
   * of the decorrelator, in the same pass). Returns how many samples were in an onset (0: every gain is
   * 1). Audio-thread safe.
   */
  process(input: Float64Array, gains: Float64Array, count: number, gated: Float64Array | null = null): number {
    let onsets = 0;
    let fast = this.envelopes[0];
    let slow = this.envelopes[1];
    for (let i = 0; i < count; i++) {
      const x = input[i];
      const power = x * x;
      // The limit comes from the average before this sample, so a lone click after silence counts fully.
      const limit = ONSET_RATIO * slow;
      fast += this.fastCoefficient * (power - fast);
      slow += this.slowCoefficient * (power - slow);
      if (fast < FLUSH) fast = 0;
      if (slow < FLUSH) slow = 0;
      let gain = 1;
      if (fast > limit) {
        gain = Math.sqrt(limit / fast);
        onsets++;
      }
      gains[i] = gain;
      if (gated !== null) gated[i] = gain * x;
    }
    this.envelopes[0] = fast;
    this.envelopes[1] = slow;
    return onsets;
  }

  /** Forgets the envelopes. */
  reset(): void {
    this.envelopes.fill(0);
  }
}
