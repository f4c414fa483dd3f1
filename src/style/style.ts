/**
 * A style: the target stereo image the upmix aims at (design section 9), per cue band the mean ICC and
 * the mean |ILD| in dB over a mix's active tiles. It conditions the cue model, and without a model it is
 * the fixed profile itself. Presets and the default (the training corpus's mean) live in `presets.json`.
 * @packageDocumentation
 */
import { BAND_COUNT } from '../dsp/bands.js';

/** Per-band mean ICC (0..1) and mean |ILD| (dB, 0..40) for the 24 cue bands. */
export interface Style {
  readonly icc: readonly number[];
  readonly ildDb: readonly number[];
}

/** Numbers in a style as the model sees it: the 24 ICCs, then the 24 |ILD|s in dB. */
export const STYLE_VECTOR_LENGTH = 2 * BAND_COUNT;

/** The style as the model's condition vector: ICCs first, then |ILD|s in dB. */
export function styleVector(style: Style, into = new Float32Array(STYLE_VECTOR_LENGTH)): Float32Array {
  for (let band = 0; band < BAND_COUNT; band++) {
    into[band] = style.icc[band];
    into[BAND_COUNT + band] = style.ildDb[band];
  }
  return into;
}

/**
 * At most this much of a reference is analysed (its start), on every face: a style is a whole-mix mean,
 * which ten minutes settle, and the analysis takes time in proportion (its memory does not grow with
 * the mix: it keeps per tile sums, about 6 MB for ten minutes).
 */
export const MAX_REFERENCE_SECONDS = 600;
