/**
 * A style as fixed cues: every frame gets the style's own per-band ICC and |ILD|. This is what a style
 * means without a model (the CLI's `--no-model --style`, `--profile`): the style is the profile.
 * @packageDocumentation
 */
import { bandEdges, bandIndexOf } from '../dsp/bands.js';
import { FixedCueSource } from '../dsp/cue-source.js';
import type { Style } from './style.js';

/** A cue source giving `style`'s per-band values in every frame (each engine band takes its cue band's value). */
export function styleCueSource(style: Style): FixedCueSource {
  const edges = bandEdges();
  return new FixedCueSource({ icc: (f) => style.icc[bandIndexOf(f, edges)], ildMagnitudeDb: (f) => style.ildDb[bandIndexOf(f, edges)] });
}
