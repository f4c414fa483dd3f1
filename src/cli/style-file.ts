/**
 * A style from a JSON file, `{ "icc": [24 numbers], "ildDb": [24 numbers] }` (`--style FILE.json`, and
 * `--profile FILE`, which is the same file used as fixed cues): the training set's mean image, a flat ICC
 * for a baseline, or a user's own taste. The numbers are checked by the one style check (presets.ts).
 * @packageDocumentation
 */
import { readFile } from 'node:fs/promises';
import { checkStyle, StyleError } from '../style/presets.js';
import type { Style } from '../style/style.js';
import { InputError } from './errors.js';

/** Reads and checks a style file; every error is one line naming the file and the fix. */
export async function readStyleFile(path: string): Promise<Style> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read the style ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError(`${path} is not valid JSON: a style is {"icc": [24 numbers 0..1], "ildDb": [24 numbers 0..40]}`);
  }
  try {
    return checkStyle(path, json);
  } catch (error) {
    throw error instanceof StyleError ? new InputError(error.message) : error;
  }
}
