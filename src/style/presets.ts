/**
 * The default style and the named presets of `presets.json`, one list shared by the element, the WAM
 * plugin, the Tone node and the CLI, and the check every style from outside goes through.
 * @packageDocumentation
 */
import { BAND_COUNT } from '../dsp/bands.js';
import presetFile from './presets.json';
import type { Style } from './style.js';

/** A named style and what it sounds like, in one line. */
export interface StylePreset {
  readonly name: string;
  readonly description: string;
  readonly style: Style;
}

/** A style value that is not 24 ICCs in 0..1 and 24 |ILD|s in 0..40 dB; the message says which number. */
export class StyleError extends Error {
  override name = 'StyleError';
}

function checkBandValues(source: string, key: string, values: unknown, max: number): readonly number[] {
  if (!Array.isArray(values) || values.length !== BAND_COUNT) {
    throw new StyleError(`${source}: "${key}" must be an array of ${BAND_COUNT} numbers, one per band`);
  }
  values.forEach((value, band) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
      throw new StyleError(`${source}: "${key}"[${band}] is ${JSON.stringify(value)}; use a number from 0 to ${max}`);
    }
  });
  return values as number[];
}

/** Checks a parsed style (`{ "icc": [24], "ildDb": [24] }`) and says what is wrong with it. */
export function checkStyle(source: string, value: unknown): Style {
  if (typeof value !== 'object' || value === null) throw new StyleError(`${source}: expected an object with "icc" and "ildDb"`);
  const { icc, ildDb } = value as Record<string, unknown>;
  return { icc: checkBandValues(source, 'icc', icc, 1), ildDb: checkBandValues(source, 'ildDb', ildDb, 40) };
}

/** The unconditioned style: the training corpus's mean image. */
export const DEFAULT_STYLE: Style = checkStyle('presets.json default', presetFile.default);

/** The named presets, in the order a menu shows them. */
export const STYLE_PRESETS: readonly StylePreset[] = (presetFile.presets as { name: string; description: string }[]).map((preset) => ({
  name: preset.name,
  description: preset.description,
  style: checkStyle(`presets.json "${preset.name}"`, preset),
}));

/** The preset called `name` (case-insensitive), or undefined. */
export function findStylePreset(name: string): StylePreset | undefined {
  const wanted = name.toLowerCase();
  return STYLE_PRESETS.find((preset) => preset.name.toLowerCase() === wanted);
}
