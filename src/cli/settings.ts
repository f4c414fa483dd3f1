/**
 * The settings of a run that every file shares (and that a batch hands to its worker threads, so they
 * are plain data), and loading what they name: the cue model or a profile.
 * @packageDocumentation
 */
import type { CueSource } from '../dsp/cue-source.js';
import type { CueModel } from '../model/cue-model.js';
import type { CliArguments } from './args.js';
import { InputError } from './errors.js';
import { loadModelFile } from './model-file.js';
import { bandProfileCueSource, readBandProfile, type BandProfile } from './profile-file.js';
import type { UpmixFileOptions } from './upmix-file.js';

/** What every file of a run is upmixed with: the arguments' shared settings, the profile read once. */
export type RunSettings = Pick<CliArguments, 'mode' | 'input' | 'variation' | 'controls' | 'container' | 'outputEncoding' | 'ceilingDb' | 'model'> & {
  readonly overwrite: boolean;
  readonly profile?: BandProfile;
};

export async function settingsOf(args: CliArguments): Promise<RunSettings> {
  return {
    mode: args.mode,
    input: args.input,
    variation: args.variation,
    controls: args.controls,
    container: args.container,
    outputEncoding: args.outputEncoding,
    ceilingDb: args.ceilingDb,
    overwrite: args.force,
    model: args.model,
    profile: args.profilePath ? await readBandProfile(args.profilePath) : undefined,
  };
}

/** Loads the model the settings name (none for `off`); a model that cannot be loaded is an input error. */
export async function loadSettingsModel(settings: RunSettings): Promise<CueModel | undefined> {
  if (settings.model === 'off') return undefined;
  try {
    return (await loadModelFile(settings.model === 'bundled' ? undefined : settings.model.path)).model;
  } catch (error) {
    throw new InputError((error as Error).message);
  }
}

/** The options of {@link upmixFile} for one file (a new cue source per file). */
export function fileOptions(settings: RunSettings, model: CueModel | undefined): UpmixFileOptions {
  const cueSource: CueSource | undefined = settings.profile ? bandProfileCueSource(settings.profile) : undefined;
  return {
    model,
    cueSource,
    mode: settings.mode,
    input: settings.input,
    variation: settings.variation,
    controls: settings.controls,
    container: settings.container,
    outputEncoding: settings.outputEncoding,
    ceilingDb: settings.ceilingDb,
    overwrite: settings.overwrite,
  };
}

/** Which cues a run uses, in words. */
export function describeCues(settings: RunSettings): string {
  return settings.model !== 'off' ? 'learned cues' : settings.profile ? 'cue profile' : 'fixed width profile';
}
