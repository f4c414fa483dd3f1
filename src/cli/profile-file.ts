/**
 * A fixed per-band cue profile from a JSON file, `{ "icc": [24 numbers], "ildDb": [24 numbers] }`: the
 * training set's mean image, a flat ICC for a baseline, or a user's own taste.
 * @packageDocumentation
 */
import { readFile } from 'node:fs/promises';
import { BAND_COUNT, bandEdges, bandIndexOf } from '../dsp/bands.js';
import { FixedCueSource } from '../dsp/cue-source.js';
import { InputError } from './errors.js';

/** Per-band ICC (0..1) and |ILD| (dB, 0..40) for the 24 cue bands. */
export interface BandProfile {
  readonly icc: readonly number[];
  readonly ildDb: readonly number[];
}

function checkBandValues(path: string, key: string, values: unknown, max: number): readonly number[] {
  if (!Array.isArray(values) || values.length !== BAND_COUNT) {
    throw new InputError(`${path}: "${key}" must be an array of ${BAND_COUNT} numbers, one per band`);
  }
  values.forEach((value, band) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
      throw new InputError(`${path}: "${key}"[${band}] is ${JSON.stringify(value)}; use a number from 0 to ${max}`);
    }
  });
  return values as number[];
}

/** Checks a parsed profile and says what is wrong with it. */
export function parseBandProfile(path: string, json: unknown): BandProfile {
  if (typeof json !== 'object' || json === null) throw new InputError(`${path}: expected an object with "icc" and "ildDb"`);
  const { icc, ildDb } = json as Record<string, unknown>;
  return { icc: checkBandValues(path, 'icc', icc, 1), ildDb: checkBandValues(path, 'ildDb', ildDb, 40) };
}

/** A cue source giving the profile's cues in every frame. */
export function bandProfileCueSource(profile: BandProfile): FixedCueSource {
  const edges = bandEdges();
  return new FixedCueSource({ icc: (f) => profile.icc[bandIndexOf(f, edges)], ildMagnitudeDb: (f) => profile.ildDb[bandIndexOf(f, edges)] });
}

/** Reads and checks a profile file. */
export async function readBandProfile(path: string): Promise<BandProfile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read the profile ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InputError(`${path} is not valid JSON`);
  }
  return parseBandProfile(path, json);
}
