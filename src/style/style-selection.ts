/**
 * What a face (node, element, Tone node, WAM plugin) is told to aim at: a preset's name, `default`, or a
 * style's numbers (given, or analysed from a reference mix), resolved to the style and the name it shows.
 * Main thread; no Web Audio types.
 * @packageDocumentation
 */
import { DEFAULT_STYLE, STYLE_PRESETS, StyleError, checkStyle, findStylePreset } from './presets.js';
import type { Style } from './style.js';

/** The name of the unconditioned style (the training corpus's mean; the built-in profile on the fixed path). */
export const DEFAULT_STYLE_NAME = 'default';
/** The name shown for a style given as numbers. */
export const CUSTOM_STYLE_NAME = 'custom';
/** How a reference's style is named: `reference: NAME`. */
export const REFERENCE_PREFIX = 'reference: ';

/** A resolved style and what it is called. */
export interface StyleSelection {
  readonly style: Style;
  /** `default`, a preset's name, `custom`, or `reference: NAME`. */
  readonly name: string;
  /** True for `default`: the model's unconditioned condition, and the built-in profile on the fixed path. */
  readonly isDefault: boolean;
  /** True for a preset: a promised image, so the model's long-run cues are held at it (a reference or numbers are a hint the model blends with what it hears). */
  readonly isPreset: boolean;
}

/** The selection before any style is chosen. */
export const DEFAULT_SELECTION: StyleSelection = { style: DEFAULT_STYLE, name: DEFAULT_STYLE_NAME, isDefault: true, isPreset: false };

/** Every name {@link selectStyle} takes, in menu order: `default`, then the presets. */
export function styleNames(): string[] {
  return [DEFAULT_STYLE_NAME, ...STYLE_PRESETS.map((preset) => preset.name)];
}

/** `setStyle`'s arguments that give a style back with its name (e.g. on a new node, or from a saved state). */
export interface StyleArguments {
  readonly style: Style | string;
  readonly referenceName?: string;
}

/**
 * The {@link StyleArguments} for a style called `name`: the name alone for `default` and the presets, the
 * numbers for the rest (with the reference's name for `reference: NAME`).
 */
export function styleArguments(name: string, style: Style): StyleArguments {
  if (styleNames().includes(name)) return { style: name };
  return name.startsWith(REFERENCE_PREFIX) ? { style, referenceName: name.slice(REFERENCE_PREFIX.length) } : { style };
}

/**
 * Resolves `default`, a preset's name (any case) or a style's numbers. With numbers and `referenceName`,
 * the style is named as a reference's (`reference: NAME`, e.g. one analysed earlier and saved); without,
 * `custom`. Throws {@link StyleError} for an unknown name or numbers out of range.
 */
export function selectStyle(style: Style | string, referenceName?: string): StyleSelection {
  if (typeof style === 'string') {
    if (style.toLowerCase() === DEFAULT_STYLE_NAME) return DEFAULT_SELECTION;
    const preset = findStylePreset(style);
    if (preset === undefined) throw new StyleError(`style "${style}" is not known: use one of ${styleNames().join(', ')}, or a style's numbers`);
    return { style: preset.style, name: preset.name, isDefault: false, isPreset: true };
  }
  const checked = checkStyle('style', style);
  return { style: checked, name: referenceName === undefined ? CUSTOM_STYLE_NAME : `${REFERENCE_PREFIX}${referenceName}`, isDefault: false, isPreset: false };
}
