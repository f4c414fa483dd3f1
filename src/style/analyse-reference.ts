/**
 * A reference mix's style: {@link analyseStyle}, after refusing a mix whose two channels are one mono
 * signal twice (its style would be mono, which is never what a user giving a "mix to match" means). The
 * one rule every face applies to a reference (the CLI's `--reference`, the node's `setReference`).
 * @packageDocumentation
 */
import { analyseStyle } from './analyse-style.js';
import { StyleError } from './presets.js';
import type { Style } from './style.js';

/** Channels that differ by less than this (relative RMS, -90 dB) are one mono signal twice. */
const DUAL_MONO_RATIO = 10 ** (-90 / 20);

/** True if `right` is `left` within -90 dB (a mono mix in two channels), as `--input auto` decides. */
export function isDualMono(left: Float32Array, right: Float32Array): boolean {
  let power = 0;
  let difference = 0;
  for (let i = 0; i < left.length; i++) {
    power += left[i] * left[i] + right[i] * right[i];
    difference += (left[i] - right[i]) ** 2;
  }
  return power > 0 && difference <= DUAL_MONO_RATIO * DUAL_MONO_RATIO * 0.5 * power;
}

/** The style of the stereo mix `left`, `right`; throws {@link StyleError} for dual mono, a short or a silent mix. */
export function analyseReference(left: Float32Array, right: Float32Array, sampleRate: number): Style {
  if (isDualMono(left, right)) throw new StyleError('both channels of the reference are the same (a mono mix): a style comes from a stereo mix');
  return analyseStyle(left, right, sampleRate);
}
