/**
 * The cue model's feature and tensor definition, read from `feature-spec.json`: the one file that the
 * Python training code and this TypeScript engine both read, so features mean the same on both sides.
 * @packageDocumentation
 */
import spec from './feature-spec.json';
import type { Hertz, Samples } from '../dsp/units.js';

/** The parsed feature spec (see the JSON's `description` for the definition in words). */
export const FEATURE_SPEC = spec;

/** Frames of features one model call sees: context, the frame the cues are for, lookahead. */
export const MODEL_WINDOW_FRAMES: number = spec.windowFrames;
/** Row of the model window that the cues describe. */
export const MODEL_TARGET_ROW: number = spec.targetRow;
/** Feature frames the model looks ahead of the frame it gives cues for. */
export const MODEL_LOOKAHEAD_FRAMES: number = spec.lookaheadFrames;
/** Value of window rows before the first frame of a stream. */
export const START_PADDING_VALUE: number = spec.startPaddingValue;
/** Name of the full-window format's input, the whole window `[batch, MODEL_WINDOW_FRAMES, 24]`. */
export const MODEL_INPUT_NAME: string = spec.tensors.input.name;
/** Name of the head format's input of the window's last rows `[batch, recentFrames, 24]` (recentFrames fixed by the model). */
export const MODEL_RECENT_INPUT_NAME: string = spec.tensors.recent.name;
/** Name of the head format's input of the window's running statistics `[batch, STATISTICS_LENGTH]`. */
export const MODEL_STATS_INPUT_NAME: string = spec.tensors.stats.name;
/** Name of the model's optional second input, the style condition `[batch, STYLE_VECTOR_LENGTH]`. */
export const MODEL_STYLE_INPUT_NAME: string = spec.tensors.style.name;
/** Names of the model's output tensors. */
export const MODEL_OUTPUT_NAMES: readonly [icc: string, ildDb: string] = [spec.tensors.outputs[0].name, spec.tensors.outputs[1].name];

/** The window statistics read every this many rows, back from the newest (spec `statistics`). */
export const STATISTICS_STRIDE: number = spec.statistics.stride;
/** Frames of the window's second statistics scale (its newest ones). */
export const STATISTICS_MID_FRAMES: number = spec.statistics.midFrames;
/** A feature counts as sound (not padding or silence) above this. */
export const STATISTICS_VALID_ABOVE: number = spec.statistics.validAbove;
/** Numbers in the window statistics: 2 scales, 4 kinds, one per band. */
export const STATISTICS_LENGTH: number = spec.statistics.length;

/** Feature frame size at a sample rate: the base size scaled by the nearest power of two of the rate ratio. */
export function featureFrameSize(sampleRate: Hertz): Samples {
  return spec.baseFrameSize * 2 ** Math.round(Math.log2(sampleRate / spec.baseSampleRate));
}

/** Samples between feature frames at a sample rate. */
export function featureHopSize(sampleRate: Hertz): Samples {
  return featureFrameSize(sampleRate) * spec.hopFraction;
}
