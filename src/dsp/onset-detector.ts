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
  private fast = 0;
  private slow = 0;

  constructor(sampleRate: Hertz) {
    this.fastCoefficient = 1 - Math.exp(-1 / (FAST * sampleRate));
    this.slowCoefficient = 1 - Math.exp(-1 / (SLOW * sampleRate));
  }

  /** The onset gain for this input sample: 1 in steady material, less than 1 in an onset. Audio-thread safe. */
  next(sample: number): number {
    const power = sample * sample;
    // The limit comes from the average before this sample, so a lone click after silence counts fully.
    const limit = ONSET_RATIO * this.slow;
    this.fast += this.fastCoefficient * (power - this.fast);
    this.slow += this.slowCoefficient * (power - this.slow);
    if (this.fast < FLUSH) this.fast = 0;
    if (this.slow < FLUSH) this.slow = 0;
    return this.fast > limit ? Math.sqrt(limit / this.fast) : 1;
  }

  /** Forgets the envelopes. */
  reset(): void {
    this.fast = 0;
    this.slow = 0;
  }
}
