/**
 * A decorrelator on STFT frames, after the MPEG-4 Parametric Stereo one: per bin, a fixed delay and three
 * cascaded all-pass links (delays of 3, 4, 5 frames; coefficients 0.65144, 0.56472, 0.48954; a
 * fractional-delay phase factor per link). Each link is all-pass along the frame axis, so the output has
 * the input's power spectrum while being (nearly) uncorrelated with it.
 *
 * The fixed delay is one whole frame length (2 hops at 50% overlap), so no output frame overlaps input
 * that came before a transient: the decorrelated signal cannot pre-echo. Transients are kept out of the
 * all-pass tails by an onset limiter on its input (see {@link OnsetLimiter}): a click stays a dry click.
 * @packageDocumentation
 */
import type { BandLayout } from './bands.js';
import { OnsetLimiter } from './onset-limiter.js';

const LINK_DELAYS = [3, 4, 5] as const;
const LINK_COEFFICIENTS = [0.65144, 0.56472, 0.48954] as const;
/** Fractional delays (in hops) of the phase factors, as in MPEG PS. */
const LINK_FRACTIONS = [0.43, 0.75, 0.347] as const;
const FIXED_FRACTION = 0.39;
/** Whole frames of fixed delay before the links: one frame length at 50% overlap. */
const FIXED_DELAY_FRAMES = 2;
/** States below this are flushed to zero, so long silences never run into denormal arithmetic. */
const FLUSH = 1e-30;

/** Complex ring buffer of `frames` half spectra. */
class SpectrumRing {
  readonly data: Float64Array;
  private readonly stride: number;
  private readonly frames: number;
  private head = 0;

  constructor(frames: number, binCount: number) {
    this.frames = frames;
    this.stride = 2 * binCount;
    this.data = new Float64Array(frames * this.stride);
  }
  /** Offset of the spectrum written `age` frames ago (age 1..frames) or the slot to write now (age 0). */
  offset(age: number): number {
    const slot = (this.head - age + 2 * this.frames) % this.frames;
    return slot * this.stride;
  }
  advance(): void {
    this.head = (this.head + 1) % this.frames;
  }
}

/** Per-bin frame-domain decorrelator with onset limiting. Allocation-free after construction. */
export class Decorrelator {
  private readonly binCount: number;
  private readonly limiter: OnsetLimiter;
  private readonly limited: Float64Array;
  private readonly fixedDelay: SpectrumRing;
  private readonly links: SpectrumRing[];
  /** Per link, per bin: cos and sin of the phase factor. */
  private readonly linkPhases: Float64Array[];
  private readonly fixedPhase: Float64Array;

  constructor(layout: BandLayout, hopSize: number, sampleRate: number) {
    const bins = layout.binCount;
    this.binCount = bins;
    this.limiter = new OnsetLimiter(layout, hopSize, sampleRate);
    this.limited = new Float64Array(2 * bins);
    this.fixedDelay = new SpectrumRing(FIXED_DELAY_FRAMES + 1, bins);
    this.links = LINK_DELAYS.map((d) => new SpectrumRing(d + 1, bins));
    // A delay of f hops at bin k (hop = half the frame) turns the phase by -pi * f * k.
    const phases = (fraction: number): Float64Array => {
      const p = new Float64Array(2 * bins);
      for (let k = 0; k < bins; k++) {
        p[2 * k] = Math.cos(-Math.PI * fraction * k);
        p[2 * k + 1] = Math.sin(-Math.PI * fraction * k);
      }
      return p;
    };
    this.linkPhases = LINK_FRACTIONS.map(phases);
    this.fixedPhase = phases(FIXED_FRACTION);
  }

  /**
   * Writes into `output` the decorrelated version of `input` (half spectra of one frame each, in frame
   * order). Audio-thread safe.
   */
  process(input: Float64Array, output: Float64Array): void {
    this.limiter.process(input, this.limited);
    // Fixed delay with its phase factor.
    const fixed = this.fixedDelay;
    fixed.data.set(this.limited, fixed.offset(0));
    const from = fixed.offset(FIXED_DELAY_FRAMES);
    const fp = this.fixedPhase;
    for (let k = 0; k < this.binCount; k++) {
      const re = fixed.data[from + 2 * k];
      const im = fixed.data[from + 2 * k + 1];
      output[2 * k] = re * fp[2 * k] - im * fp[2 * k + 1];
      output[2 * k + 1] = re * fp[2 * k + 1] + im * fp[2 * k];
    }
    fixed.advance();
    for (let l = 0; l < LINK_DELAYS.length; l++) this.allPassLink(l, output);
  }

  /**
   * One link in place on `signal`: w[f] = x[f] + a*phi*w[f-m]; y[f] = -a*w[f] + phi*w[f-m].
   * Transfer (phi z^-m - a) / (1 - a phi z^-m): magnitude 1 at every frame-rate frequency.
   */
  private allPassLink(link: number, signal: Float64Array): void {
    const ring = this.links[link];
    const a = LINK_COEFFICIENTS[link];
    const phase = this.linkPhases[link];
    const now = ring.offset(0);
    const past = ring.offset(LINK_DELAYS[link]);
    const w = ring.data;
    for (let k = 0; k < this.binCount; k++) {
      const pr = phase[2 * k];
      const pi = phase[2 * k + 1];
      const dr = w[past + 2 * k];
      const di = w[past + 2 * k + 1];
      // phi * w[f-m]
      const er = dr * pr - di * pi;
      const ei = dr * pi + di * pr;
      let wr = signal[2 * k] + a * er;
      let wi = signal[2 * k + 1] + a * ei;
      if (Math.abs(wr) < FLUSH) wr = 0;
      if (Math.abs(wi) < FLUSH) wi = 0;
      w[now + 2 * k] = wr;
      w[now + 2 * k + 1] = wi;
      signal[2 * k] = er - a * wr;
      signal[2 * k + 1] = ei - a * wi;
    }
    ring.advance();
  }

  /** Forgets all history. */
  reset(): void {
    this.limiter.reset();
    this.fixedDelay.data.fill(0);
    for (const ring of this.links) ring.data.fill(0);
  }
}
