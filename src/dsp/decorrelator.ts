/**
 * The decorrelator: makes D, a copy of the mono signal with the same power spectrum but (nearly) no
 * correlation with it within each cue band. Time-domain, after the MPEG-4 Parametric Stereo structure:
 * a fixed pre-delay, then three cascaded Schroeder all-pass links with PS's coefficients (0.65144,
 * 0.56472, 0.48954) on mutually prime delays. Each link has magnitude exactly 1 at every frequency, so
 * D is uncoloured; the 20 ms pre-delay moves the cascade's direct tap out of the cue analysis window,
 * so D and M are uncorrelated at the cue resolution in every band (test/dsp/cue-accuracy.test.ts).
 *
 * It is causal, so it cannot pre-echo; onsets are kept out of its tail by the engine's onset gain.
 * @packageDocumentation
 */
import type { Hertz, Seconds } from './units.js';

const PRE_DELAY: Seconds = 0.02;
const LINK_DELAYS: readonly Seconds[] = [0.0092, 0.0123, 0.0153];
const LINK_COEFFICIENTS: readonly number[] = [0.65144, 0.56472, 0.48954];
/** States below this are flushed to zero, so long silences never run into denormal arithmetic. */
const FLUSH = 1e-30;

/** A circular buffer of a fixed delay, read and written a sample at a time inside block loops. */
interface Ring {
  readonly buffer: Float64Array;
  index: number;
}

function ring(length: number): Ring {
  return { buffer: new Float64Array(length), index: 0 };
}

export class Decorrelator {
  private readonly preDelay: Ring;
  private readonly links: Ring[];

  constructor(sampleRate: Hertz) {
    this.preDelay = ring(Math.round(PRE_DELAY * sampleRate));
    this.links = LINK_DELAYS.map((seconds) => ring(Math.round(seconds * sampleRate)));
  }

  /** Decorrelates `count` samples of `input` into `output` (may be the same array). Audio-thread safe. */
  process(input: Float64Array, output: Float64Array, count: number): void {
    const pre = this.preDelay;
    let index = pre.index;
    for (let i = 0; i < count; i++) {
      const delayed = pre.buffer[index];
      pre.buffer[index] = input[i];
      output[i] = delayed;
      index = index + 1 === pre.buffer.length ? 0 : index + 1;
    }
    pre.index = index;
    for (let l = 0; l < this.links.length; l++) {
      // w[n] = x[n] + a w[n-m]; y[n] = -a w[n] + w[n-m]: transfer (z^-m - a) / (1 - a z^-m).
      const link = this.links[l];
      const a = LINK_COEFFICIENTS[l];
      const buffer = link.buffer;
      let at = link.index;
      for (let i = 0; i < count; i++) {
        const delayed = buffer[at];
        let w = output[i] + a * delayed;
        if (w < FLUSH && w > -FLUSH) w = 0;
        buffer[at] = w;
        output[i] = delayed - a * w;
        at = at + 1 === buffer.length ? 0 : at + 1;
      }
      link.index = at;
    }
  }

  /** Forgets all history. */
  reset(): void {
    for (const r of [this.preDelay, ...this.links]) {
      r.buffer.fill(0);
      r.index = 0;
    }
  }
}
