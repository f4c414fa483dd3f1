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
import { KernelArray, simdKernels, type SimdKernels } from './simd-kernels.js';
import type { Hertz, Seconds } from './units.js';

const PRE_DELAY: Seconds = 0.02;
const LINK_DELAYS: readonly Seconds[] = [0.0092, 0.0123, 0.0153];
const LINK_COEFFICIENTS: readonly number[] = [0.65144, 0.56472, 0.48954];
/** States below this are flushed to zero, so long silences never run into denormal arithmetic. */
const FLUSH = 1e-30;

/**
 * A circular buffer of a fixed delay, read and written a sample at a time inside block loops (in the
 * kernels' memory where they run).
 */
interface Ring {
  readonly buffer: KernelArray;
  index: number;
}

/**
 * Where the SIMD kernels run (simd-kernels.ts), {@link Decorrelator.processBlock} runs the links in the
 * allpassRun kernel, two samples at once (same samples bit for bit); elsewhere in a JavaScript loop.
 */
export class Decorrelator {
  private readonly preDelay: Ring;
  private readonly links: Ring[];
  /** The link coefficients, where the kernel reads them. */
  private readonly coefficients: KernelArray;
  /** The kernels, where they run and the rings are in their memory; else null. */
  private readonly kernels: SimdKernels | null;

  constructor(sampleRate: Hertz) {
    const kernels = simdKernels();
    const ring = (length: number): Ring => ({ buffer: new KernelArray(length, kernels), index: 0 });
    this.preDelay = ring(Math.round(PRE_DELAY * sampleRate));
    this.links = LINK_DELAYS.map((seconds) => ring(Math.round(seconds * sampleRate)));
    this.coefficients = KernelArray.of(LINK_COEFFICIENTS, kernels);
    const inMemory = [this.preDelay, ...this.links].every((r) => r.buffer.pointer >= 0) && this.coefficients.pointer >= 0;
    this.kernels = inMemory ? kernels : null;
  }

  /**
   * Decorrelates the first `count` samples of `block` in place (the engine's call): in the kernel where
   * it runs and `block` is in its memory, else as {@link process}. Audio-thread safe.
   */
  processBlock(block: KernelArray, count: number): void {
    const kernels = this.kernels;
    if (kernels === null || block.pointer < 0) {
      const values = block.values;
      this.process(values, values, count);
      return;
    }
    const pre = this.preDelay;
    const link1 = this.links[0];
    const link2 = this.links[1];
    const link3 = this.links[2];
    const preLength = pre.buffer.length;
    const length1 = link1.buffer.length;
    const length2 = link2.buffer.length;
    const length3 = link3.buffer.length;
    let p = pre.index;
    let at1 = link1.index;
    let at2 = link2.index;
    let at3 = link3.index;
    // In runs that end where a ring wraps, as process does.
    for (let i = 0; i < count; ) {
      const run = Math.min(count - i, preLength - p, length1 - at1, length2 - at2, length3 - at3);
      kernels.allpassRun(
        block.pointer + 8 * i,
        pre.buffer.pointer + 8 * p,
        link1.buffer.pointer + 8 * at1,
        link2.buffer.pointer + 8 * at2,
        link3.buffer.pointer + 8 * at3,
        run,
        this.coefficients.pointer,
      );
      i += run;
      p = p + run === preLength ? 0 : p + run;
      at1 = at1 + run === length1 ? 0 : at1 + run;
      at2 = at2 + run === length2 ? 0 : at2 + run;
      at3 = at3 + run === length3 ? 0 : at3 + run;
    }
    pre.index = p;
    link1.index = at1;
    link2.index = at2;
    link3.index = at3;
  }

  /**
   * Decorrelates `count` samples of `input` into `output` (may be the same array). The pre-delay and the
   * three links run in one loop per sample, in runs that end where a ring wraps: one pass over the
   * block and no wrap test per sample (the links are independent recursions, so the samples are the
   * same as link after link). Audio-thread safe.
   */
  process(input: Float64Array, output: Float64Array, count: number): void {
    const pre = this.preDelay.buffer.values;
    const ring1 = this.links[0].buffer.values;
    const ring2 = this.links[1].buffer.values;
    const ring3 = this.links[2].buffer.values;
    const a1 = LINK_COEFFICIENTS[0];
    const a2 = LINK_COEFFICIENTS[1];
    const a3 = LINK_COEFFICIENTS[2];
    let p = this.preDelay.index;
    let at1 = this.links[0].index;
    let at2 = this.links[1].index;
    let at3 = this.links[2].index;
    for (let i = 0; i < count; ) {
      const end = i + Math.min(count - i, pre.length - p, ring1.length - at1, ring2.length - at2, ring3.length - at3);
      for (; i < end; i++, p++, at1++, at2++, at3++) {
        const x = pre[p];
        pre[p] = input[i];
        // Each link: w[n] = x[n] + a w[n-m]; y[n] = -a w[n] + w[n-m]: transfer (z^-m - a) / (1 - a z^-m).
        // The flush tests the magnitude: a test on the sign first (w < FLUSH && w > -FLUSH) is a coin toss
        // on noise that the branch predictor loses half the time (three times the cost of the loop).
        const d1 = ring1[at1];
        let w1 = x + a1 * d1;
        if (Math.abs(w1) < FLUSH) w1 = 0;
        ring1[at1] = w1;
        const y1 = d1 - a1 * w1;
        const d2 = ring2[at2];
        let w2 = y1 + a2 * d2;
        if (Math.abs(w2) < FLUSH) w2 = 0;
        ring2[at2] = w2;
        const y2 = d2 - a2 * w2;
        const d3 = ring3[at3];
        let w3 = y2 + a3 * d3;
        if (Math.abs(w3) < FLUSH) w3 = 0;
        ring3[at3] = w3;
        output[i] = d3 - a3 * w3;
      }
      if (p === pre.length) p = 0;
      if (at1 === ring1.length) at1 = 0;
      if (at2 === ring2.length) at2 = 0;
      if (at3 === ring3.length) at3 = 0;
    }
    this.preDelay.index = p;
    this.links[0].index = at1;
    this.links[1].index = at2;
    this.links[2].index = at3;
  }

  /** Forgets all history. */
  reset(): void {
    for (const r of [this.preDelay, ...this.links]) {
      r.buffer.values.fill(0);
      r.index = 0;
    }
  }
}
