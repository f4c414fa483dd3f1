/**
 * The style a run aims for, from the command line's choice (a preset, a JSON file, a reference mix), with
 * the name the summary gives it. Resolved once per run, in the main thread: a batch's worker threads get
 * the numbers, so a reference is analysed once.
 * @packageDocumentation
 */
import { basename } from 'node:path';
import { findStylePreset, STYLE_PRESETS } from '../style/presets.js';
import type { Style } from '../style/style.js';
import type { StyleChoice } from './args.js';
import { formatDuration } from './progress.js';
import { referenceStyle } from './reference-style.js';
import { readStyleFile } from './style-file.js';

/** A style and how the summary line names it (`modern wide`, `reference mix.wav`, `file mine.json`). */
export interface ChosenStyle {
  readonly style: Style;
  readonly label: string;
  /** A preset: the model's long-run cues are held at it (a file's or a reference's numbers are a hint the model blends). */
  readonly preset: boolean;
}

/** The style `choice` names; a bad file or reference throws an InputError with one line. */
export async function resolveStyleChoice(choice: StyleChoice): Promise<ChosenStyle> {
  if ('preset' in choice) {
    const preset = findStylePreset(choice.preset);
    if (!preset) throw new Error(`no preset "${choice.preset}" (args.ts checks the name)`);
    return { style: preset.style, label: preset.name, preset: true };
  }
  if ('file' in choice) return { style: await readStyleFile(choice.file), label: `file ${basename(choice.file)}`, preset: false };
  const reference = await referenceStyle(choice.reference);
  const part = reference.analysedSeconds !== undefined ? ` (its first ${formatDuration(reference.analysedSeconds)})` : '';
  return { style: reference.style, label: `reference ${basename(choice.reference)}${part}`, preset: false };
}

/** The text of `--list-styles`: every preset with its line, and the other ways to give a style. */
export function listStyles(): string {
  const width = Math.max(0, ...STYLE_PRESETS.map((preset) => preset.name.length));
  const lines = STYLE_PRESETS.map((preset) => `  ${preset.name.padEnd(width)}  ${preset.description}`);
  return [
    'Styles (upmix IN OUT --style NAME, the name in any case):',
    ...(lines.length > 0 ? lines : ['  (none in this version)']),
    '',
    'Or aim for the image of a stereo mix: upmix IN OUT --reference MIX (a WAV, AIFF, FLAC, MP3 or Ogg file)',
    'or of your own numbers: upmix IN OUT --style FILE.json ({"icc": [24 numbers 0..1], "ildDb": [24 numbers 0..40]}).',
    'With --no-model a style is used as fixed per-band cues.',
  ].join('\n');
}
