/**
 * The decorrelator: makes D, a copy of the mono signal with the same power spectrum but (nearly) no
 * correlation with it within each cue band. Time-domain, after the MPEG-4 Parametric Stereo structure:
 * a fixed pre-delay, then three cascaded Schroeder all-pass links with PS's coefficients (0.65144,
 * 0.56472, 0.48954) on mutually prime delays. Each link has magnitude exactly 1 at every frequency, so
 * D is uncoloured; the pre-delay moves the cascade's direct tap out of the cue analysis window, so D and
 * M are uncorrelated at the cue resolution in every band (measured by test/dsp/cue-accuracy.test.ts).
 *
 * It is causal, so it cannot pre-echo; onsets are kept out of its tail by {@link OnsetDucker}.
 * @packageDocumentation
 */
import type { Hertz, Seconds } from './units.js';

const PRE_DELAY: Seconds = 0.02;
const LINK_DELAYS: readonly Seconds[] = [0.0092, 0.0123, 0.0153];
const LINK_COEFFICIENTS: readonly number[] = [0.65144, 0.56472, 0.48954];
/** States below this are flushed to zero, so long silences never run into denormal arithmetic. */
const FLUSH = 1e-30;

/** A circular delay line of fixed length. */
class DelayLine {
  private readonly buffer: Float64Array;
  private index = 0;

  constructor(length: number) {
    this.buffer = new Float64Array(length);
  }
  /** The sample written `length` calls ago. */
  get oldest(): number {
    return this.buffer[this.index];
  }
  /** Replaces the oldest sample with `sample`. */
  push(sample: number): void {
    this.buffer[this.index] = sample;
    this.index = this.index + 1 === this.buffer.length ? 0 : this.index + 1;
  }
  clear(): void {
    this.buffer.fill(0);
    this.index = 0;
  }
}

export class Decorrelator {
  private readonly preDelay: DelayLine;
  private readonly links: DelayLine[];

  constructor(sampleRate: Hertz) {
    this.preDelay = new DelayLine(Math.round(PRE_DELAY * sampleRate));
    this.links = LINK_DELAYS.map((seconds) => new DelayLine(Math.round(seconds * sampleRate)));
  }

  /** Decorrelates one sample. Audio-thread safe. */
  next(input: number): number {
    let x = this.preDelay.oldest;
    this.preDelay.push(input);
    for (let l = 0; l < this.links.length; l++) {
      // w[n] = x[n] + a w[n-m]; y[n] = -a w[n] + w[n-m]: transfer (z^-m - a) / (1 - a z^-m).
      const link = this.links[l];
      const a = LINK_COEFFICIENTS[l];
      const delayed = link.oldest;
      let w = x + a * delayed;
      if (Math.abs(w) < FLUSH) w = 0;
      link.push(w);
      x = delayed - a * w;
    }
    return x;
  }

  /** Forgets all history. */
  reset(): void {
    this.preDelay.clear();
    for (const link of this.links) link.clear();
  }
}
