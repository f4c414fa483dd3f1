/**
 * A linked look-ahead peak limiter: one gain for both channels, so an upmix's mono sum (L+R)/2 stays a
 * scaled copy of the input (g * M) and nothing combs, and the stereo image does not wander.
 *
 * How it guarantees the ceiling: each sample's required gain is min(1, ceiling / max(|L|, |R|)). The gain
 * applied is a moving minimum of the required gains over the look-ahead window, released slowly (a
 * one-pole rise that never exceeds that minimum), then averaged over the same window (a box filter, so
 * the gain moves smoothly into a peak instead of jumping). Every value averaged for a sample is at most
 * its required gain, so the average is too: with the audio delayed by the window, no output sample
 * exceeds the ceiling (sample peaks; inter-sample peaks of a later conversion are not measured).
 *
 * Allocation-free after construction; any block length.
 * @packageDocumentation
 */

/** Options of a {@link PeakLimiter}. */
export interface PeakLimiterOptions {
  readonly sampleRate: number;
  /** Ceiling in dBFS (at most 0). */
  readonly ceilingDb: number;
  /** Look-ahead (and attack) time in milliseconds; default 5 ms. */
  readonly lookaheadMs?: number;
  /** Time for the gain to recover most of the way after a peak, in milliseconds; default 80 ms. */
  readonly releaseMs?: number;
}

const BOX_SUM = 0;
const RELEASED = 1;
const SMALLEST_GAIN = 2;
const CEILING = 3;
/** Samples processed (a double: exact far beyond the 2^30 where a small integer field would become a boxed number). */
const TIME = 4;

/** The default look-ahead (and attack) of the limiter, ms. */
export const LIMITER_LOOKAHEAD_MS = 5;

/** Samples of latency a limiter with the default look-ahead adds at `sampleRate`. Safe anywhere. */
export function limiterLatency(sampleRate: number): number {
  return Math.max(1, Math.round((LIMITER_LOOKAHEAD_MS / 1000) * sampleRate)) - 1;
}

/** Converts dBFS to a linear amplitude. */
export function dbToGain(db: number): number {
  return 10 ** (db / 20);
}

export class PeakLimiter {
  /** Samples the output is delayed by (the look-ahead). */
  readonly latency: number;
  private readonly window: number;
  private readonly releaseCoefficient: number;
  // Delay lines for the audio (ring buffers of `window` samples).
  private readonly delayLeft: Float32Array;
  private readonly delayRight: Float32Array;
  // Monotonic deque of (time, required gain) for the moving minimum.
  private readonly dequeTime: Float64Array;
  private readonly dequeGain: Float64Array;
  private dequeHead = 0;
  private dequeLength = 0;
  // Box filter over the released gain.
  private readonly boxValues: Float64Array;
  /**
   * The running values, in a typed array (in V8 a double in an object field can be boxed on every store,
   * which would allocate per sample on the audio thread): box sum, released gain, smallest gain, ceiling, time.
   */
  private readonly state = new Float64Array(5);

  constructor(options: PeakLimiterOptions) {
    const lookahead = Math.max(1, Math.round(((options.lookaheadMs ?? LIMITER_LOOKAHEAD_MS) / 1000) * options.sampleRate));
    this.window = lookahead;
    this.latency = lookahead - 1;
    this.state[CEILING] = dbToGain(Math.min(0, options.ceilingDb));
    this.releaseCoefficient = 1 - Math.exp(-1 / (((options.releaseMs ?? 80) / 1000) * options.sampleRate));
    this.delayLeft = new Float32Array(lookahead);
    this.delayRight = new Float32Array(lookahead);
    this.dequeTime = new Float64Array(lookahead + 1);
    this.dequeGain = new Float64Array(lookahead + 1);
    this.boxValues = new Float64Array(lookahead).fill(1);
    this.state[BOX_SUM] = lookahead;
    this.state[RELEASED] = 1;
    this.state[SMALLEST_GAIN] = 1;
  }

  /**
   * Sets the ceiling to `values[0]` dBFS: the audio thread's way (an array, since in V8 a number passed
   * to a call that is not inlined is boxed). Allocation-free.
   */
  setCeilingFrom(values: Float64Array): void {
    const db = values[0];
    // dbToGain of min(0, db), written out: a call's double result can be boxed when it is not inlined.
    this.state[CEILING] = Math.exp((Math.LN10 / 20) * (db < 0 ? db : 0));
  }

  /** The largest gain reduction so far, in dB (0 when the limiter never acted). */
  get maxGainReductionDb(): number {
    const smallest = this.state[SMALLEST_GAIN];
    return smallest >= 1 ? 0 : -20 * Math.log10(smallest);
  }

  /**
   * Limits `frames` samples of `left` and `right` in place (`right` null: mono). The output is delayed by
   * {@link latency} samples. `gains`, when given, receives the gain applied to each output sample.
   */
  process(left: Float32Array, right: Float32Array | null, frames = left.length, gains?: Float32Array): void {
    const window = this.window;
    const capacity = this.dequeTime.length;
    const state = this.state;
    const ceiling = state[CEILING];
    let boxSum = state[BOX_SUM];
    let released = state[RELEASED];
    let smallestGain = state[SMALLEST_GAIN];
    let time = state[TIME];
    for (let i = 0; i < frames; i++) {
      const inLeft = left[i];
      const inRight = right ? right[i] : 0;
      const peak = Math.max(Math.abs(inLeft), Math.abs(inRight));
      // NaN or infinity: silence is the only safe gain.
      const required = peak > ceiling ? ceiling / peak : Number.isFinite(peak) ? 1 : 0;
      const t = time++;
      // Moving minimum over the last `window` required gains.
      while (this.dequeLength > 0 && this.dequeGain[(this.dequeHead + this.dequeLength - 1) % capacity] >= required) this.dequeLength--;
      const slot = (this.dequeHead + this.dequeLength) % capacity;
      this.dequeTime[slot] = t;
      this.dequeGain[slot] = required;
      this.dequeLength++;
      if (this.dequeTime[this.dequeHead] <= t - window) {
        this.dequeHead = (this.dequeHead + 1) % capacity;
        this.dequeLength--;
      }
      const held = this.dequeGain[this.dequeHead];
      // Release: fall at once, rise slowly, never above the held minimum.
      released = held < released ? held : released + (held - released) * this.releaseCoefficient;
      // Box average over the window.
      const box = t % window;
      boxSum += released - this.boxValues[box];
      this.boxValues[box] = released;
      // Recompute the sum now and then, so rounding never drifts.
      if (box === window - 1) {
        let sum = 0;
        for (let k = 0; k < window; k++) sum += this.boxValues[k];
        boxSum = sum;
      }
      const gain = Math.min(1, boxSum / window);
      if (gain < smallestGain) smallestGain = gain;
      // The delayed sample, `latency` samples ago.
      const delayed = (t + 1) % window;
      const outLeft = window === 1 ? inLeft : this.delayLeft[delayed];
      const outRight = window === 1 ? inRight : this.delayRight[delayed];
      this.delayLeft[t % window] = inLeft;
      this.delayRight[t % window] = inRight;
      // Rounding of the average can leave it a hair above the bound: never let a sample pass the ceiling.
      let applied = gain;
      const outPeak = Math.max(Math.abs(outLeft), Math.abs(outRight)) * applied;
      if (outPeak > ceiling) applied *= ceiling / outPeak;
      if (!Number.isFinite(outLeft) || !Number.isFinite(outRight)) applied = 0;
      left[i] = applied === 0 ? 0 : outLeft * applied;
      if (right) right[i] = applied === 0 ? 0 : outRight * applied;
      if (gains) gains[i] = applied;
    }
    state[BOX_SUM] = boxSum;
    state[RELEASED] = released;
    state[SMALLEST_GAIN] = smallestGain;
    state[TIME] = time;
  }

  /** Back to the start: empty delay lines, no gain reduction. */
  reset(): void {
    this.delayLeft.fill(0);
    this.delayRight.fill(0);
    this.dequeHead = 0;
    this.dequeLength = 0;
    this.boxValues.fill(1);
    this.state[BOX_SUM] = this.window;
    this.state[RELEASED] = 1;
    this.state[TIME] = 0;
    this.state[SMALLEST_GAIN] = 1;
  }
}
