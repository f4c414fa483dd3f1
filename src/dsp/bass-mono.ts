/**
 * The bass-mono weight of each STFT bin: 0 up to the cutoff, then a raised-cosine fade up to 1 at
 * {@link BASS_MONO_FADE_RATIO} times the cutoff. One definition for the mono path's synthesis and the
 * stereo path, so that both centre the same bins.
 * @packageDocumentation
 */
import type { Hertz } from './units.js';

/** Bass mono fades the side in from the cutoff up to this multiple of it (raised cosine). */
export const BASS_MONO_FADE_RATIO = 1.5;

/**
 * Writes the weight of every bin of `out` (bins `sampleRate / frameSize` Hz apart); a cutoff of 0 (off)
 * gives 1 everywhere. Reads the cutoff from `controls`, not a number argument (V8 may box a double passed
 * to a call). Audio-thread safe.
 */
export function writeBassMonoWeights(controls: { readonly bassMonoHz: Hertz }, sampleRate: Hertz, frameSize: number, out: Float64Array): void {
  const cutoff = controls.bassMonoHz;
  const top = cutoff * BASS_MONO_FADE_RATIO;
  for (let k = 0; k < out.length; k++) {
    const f = (k * sampleRate) / frameSize;
    let w = 1;
    if (cutoff > 0 && f <= cutoff) w = 0;
    else if (cutoff > 0 && f < top) w = 0.5 - 0.5 * Math.cos((Math.PI * (f - cutoff)) / (top - cutoff));
    out[k] = w;
  }
}
