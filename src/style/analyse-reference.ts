/**
 * A reference mix's style: {@link analyseStyle}, after refusing a mix whose two channels are one mono
 * signal twice (its style would be mono, which is never what a user giving a "mix to match" means). The
 * one rule every face applies to a reference (the CLI's `--reference`, the node's `setReference`), for a
 * whole mix ({@link analyseReference}) or one given in pieces ({@link ReferenceAnalysis}).
 * @packageDocumentation
 */
import { StyleAnalysis } from './analyse-style.js';
import { StyleError } from './presets.js';
import type { Style } from './style.js';

/** Channels that differ by less than this (relative RMS, -90 dB) are one mono signal twice. */
const DUAL_MONO_RATIO = 10 ** (-90 / 20);

/** Whether a mix is one mono signal twice (as `--input auto` decides), from its samples in pieces. */
class DualMonoTest {
  private power = 0;
  private difference = 0;

  push(left: Float32Array, right: Float32Array): void {
    let power = this.power;
    let difference = this.difference;
    for (let i = 0; i < left.length; i++) {
      power += left[i] * left[i] + right[i] * right[i];
      difference += (left[i] - right[i]) ** 2;
    }
    this.power = power;
    this.difference = difference;
  }

  /** True if the right channel so far is the left within -90 dB. */
  get dualMono(): boolean {
    return this.power > 0 && this.difference <= DUAL_MONO_RATIO * DUAL_MONO_RATIO * 0.5 * this.power;
  }
}

/** True if `right` is `left` within -90 dB (a mono mix in two channels), as `--input auto` decides. */
export function isDualMono(left: Float32Array, right: Float32Array): boolean {
  const test = new DualMonoTest();
  test.push(left, right);
  return test.dualMono;
}

/**
 * A reference's style measured as it comes: {@link ReferenceAnalysis.push} its channels in order (pieces
 * of any length), then {@link ReferenceAnalysis.finish}. Holds a frame and per tile sums, never the mix;
 * the style is exactly {@link analyseReference}'s of the whole.
 */
export class ReferenceAnalysis {
  private readonly style: StyleAnalysis;
  private readonly dualMono = new DualMonoTest();

  /** Throws {@link StyleError} for a sample rate that is not a positive number. */
  constructor(sampleRate: number) {
    this.style = new StyleAnalysis(sampleRate);
  }

  /** Samples per channel given so far. */
  get length(): number {
    return this.style.length;
  }

  /** The reference's next samples (both channels, the same count); throws {@link StyleError} if the counts differ. */
  push(left: Float32Array, right: Float32Array): void {
    this.style.push(left, right);
    this.dualMono.push(left, right);
  }

  /** The style of everything pushed; throws {@link StyleError} for dual mono, a short or a silent mix. */
  finish(): Style {
    if (this.dualMono.dualMono) throw new StyleError('both channels of the reference are the same (a mono mix): a style comes from a stereo mix');
    return this.style.finish();
  }
}

/** The style of the stereo mix `left`, `right`; throws {@link StyleError} for dual mono, a short or a silent mix. */
export function analyseReference(left: Float32Array, right: Float32Array, sampleRate: number): Style {
  const analysis = new ReferenceAnalysis(sampleRate);
  analysis.push(left, right);
  return analysis.finish();
}
