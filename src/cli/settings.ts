/**
 * The settings of a run that every file shares (and that a batch hands to its worker threads, so they
 * are plain data), and loading what they name: the cue model, a profile or a style.
 * @packageDocumentation
 */
import { basename } from 'node:path';
import type { CliArguments } from './args.js';
import { InputError } from './errors.js';
import { InferenceThread } from './inference-thread.js';
import { resolveStyleChoice, type ChosenStyle } from './style-choice.js';
import { readStyleFile } from './style-file.js';
import type { UpmixFileOptions } from './upmix-file.js';

/** What every file of a run is upmixed with: the arguments' shared settings, the style resolved once. */
export type RunSettings = Pick<CliArguments, 'mode' | 'input' | 'variation' | 'controls' | 'container' | 'outputEncoding' | 'ceilingDb' | 'model'> & {
  readonly overwrite: boolean;
  /**
   * The style: the model's condition, or without a model the fixed cues (`--profile FILE` is a style
   * file used without the model). Undefined: the model's default, or the engine's fixed width profile.
   */
  readonly style?: ChosenStyle;
};

export async function settingsOf(args: CliArguments): Promise<RunSettings> {
  let style: ChosenStyle | undefined;
  if (args.profilePath !== undefined) style = { style: await readStyleFile(args.profilePath), label: `profile ${basename(args.profilePath)}`, preset: false };
  else if (args.style) style = await resolveStyleChoice(args.style);
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
    style,
  };
}

/**
 * Starts loading the model the settings name (none for `off`) in a thread of its own
 * ({@link InferenceThread}): call it early, so that loading overlaps the main thread's checks, then
 * {@link modelThreadReady} before the first file.
 */
export function startSettingsModel(settings: Pick<RunSettings, 'model'>): InferenceThread | undefined {
  if (settings.model === 'off') return undefined;
  return InferenceThread.start(settings.model === 'bundled' ? undefined : settings.model.path);
}

/**
 * Waits for the thread's model; a model that cannot be loaded, or one without a style input when a
 * style was asked for, is an input error (and the thread is closed).
 */
export async function modelThreadReady(thread: InferenceThread | undefined, settings: RunSettings): Promise<void> {
  if (!thread) return;
  let loaded;
  try {
    loaded = await thread.ready;
  } catch (error) {
    await thread.close();
    throw new InputError((error as Error).message);
  }
  if (settings.style && !loaded.takesStyle) {
    await thread.close();
    const fix = settings.model === 'bundled' ? 'reinstall the package' : 'use the shipped model (no --model)';
    throw new InputError(`model ${loaded.path} has no style input, so it cannot follow --style or --reference: ${fix}, or add --no-model to use the style as fixed cues`);
  }
}

/** The options of {@link upmixFile} for one file. */
export function fileOptions(settings: RunSettings, modelThread: InferenceThread | undefined): UpmixFileOptions {
  return {
    modelThread,
    style: settings.style?.style,
    holdStyle: settings.style?.preset,
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

/** Which cues a run uses, in words (with the style's name when one was chosen). */
export function describeCues(settings: RunSettings): string {
  const cues = settings.model !== 'off' ? 'learned cues' : settings.style ? 'fixed cues' : 'fixed width profile';
  return settings.style ? `${cues}, style: ${settings.style.label}` : cues;
}
