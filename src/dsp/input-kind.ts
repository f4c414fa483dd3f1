/**
 * What an upmixer takes its input for, and which path it is on: a module of its own because the
 * controls table, the engine, the worklet's messages and every face share these names.
 * @packageDocumentation
 */

/**
 * `auto`: mono and dual-mono input (L = R within -90 dB) go the mono path, real stereo the stereo path,
 * decided continuously; `mono`: always downmix to (L + R) / 2 and upmix that; `stereo`: always keep the
 * mix's own image (re-spread, widened only where it is narrower than the cues ask).
 */
export type InputKind = 'auto' | 'mono' | 'stereo';

export const INPUT_KINDS: readonly InputKind[] = ['auto', 'mono', 'stereo'];

/** The path the engine currently takes. */
export type InputPath = 'mono' | 'stereo';

export const INPUT_PATHS: readonly InputPath[] = ['mono', 'stereo'];
