/**
 * The settings of a run that every file shares (and that a batch hands to its worker threads, so they
 * are plain data), and loading what they name: the cue model, a profile or a style.
 * @packageDocumentation
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import type { CueModel } from '../model/cue-model.js';
import type { CliArguments } from './args.js';
import { InputError } from './errors.js';
import { InferenceThread } from './inference-thread.js';
import { loadModelFile } from './model-file.js';
import { resolveStyleChoice, type ChosenStyle } from './style-choice.js';
import { readStyleFile } from './style-file.js';
import type { UpmixFileOptions } from './upmix-file.js';

/** What every file of a run is upmixed with: the arguments' shared settings, the style resolved once. */
export type RunSettings = Pick<CliArguments, 'mode' | 'input' | 'channel' | 'variation' | 'controls' | 'container' | 'outputEncoding' | 'ceilingDb' | 'model'> & {
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
    channel: args.channel,
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

/** The model of a run: in a thread of its own, or loaded in the thread that runs the engine. */
export type RunModel = InferenceThread | CueModel;

/**
 * Whether each of `jobs` engines gets its model in a thread of its own: when the machine has a core for
 * it (two per job). Then the model's work overlaps the engine's; without a free core the thread would
 * only add its start and the switching between threads.
 */
export function modelThreadPerJob(jobs: number, cores = availableParallelism()): boolean {
  return 2 * jobs <= cores;
}

/**
 * With `ownThread`, starts loading the model the settings name (none for `off`) in a thread of its own
 * ({@link InferenceThread}): call it early, so that loading overlaps the main thread's checks. Then
 * {@link settingsModelReady} (which loads the model in this thread when there is no thread).
 */
export function startSettingsModel(settings: Pick<RunSettings, 'model'>, ownThread: boolean): InferenceThread | undefined {
  if (settings.model === 'off' || !ownThread) return undefined;
  return InferenceThread.start(settings.model === 'bundled' ? undefined : settings.model.path);
}

/**
 * The model the settings name: the thread's once it has loaded, else loaded here (none for `off`). A
 * model that cannot be loaded is an input error (and the thread is closed).
 */
export async function settingsModelReady(settings: RunSettings, thread: InferenceThread | undefined): Promise<RunModel | undefined> {
  if (settings.model === 'off') return undefined;
  try {
    if (thread) {
      await thread.ready;
      return thread;
    }
    return (await loadModelFile(settings.model === 'bundled' ? undefined : settings.model.path)).model;
  } catch (error) {
    await thread?.close();
    throw new InputError((error as Error).message);
  }
}

/** The options of {@link upmixFile} for one file. */
export function fileOptions(settings: RunSettings, model: RunModel | undefined): UpmixFileOptions {
  return {
    ...(model instanceof InferenceThread ? { modelThread: model } : { model }),
    style: settings.style?.style,
    holdStyle: settings.style?.preset,
    mode: settings.mode,
    input: settings.input,
    channel: settings.channel,
    variation: settings.variation,
    controls: settings.controls,
    container: settings.container,
    outputEncoding: settings.outputEncoding,
    ceilingDb: settings.ceilingDb,
    overwrite: settings.overwrite,
  };
}

/**
 * What the input was taken as, in words for the summary: `input auto`, or `left channel only` (--channel;
 * `inputChannels`: the file's channels where one file is described, so that a mono file is not said to be cut).
 */
export function describeInputChoice(settings: Pick<RunSettings, 'input' | 'channel'>, inputChannels = 2): string {
  return settings.channel !== undefined && inputChannels === 2 ? `${settings.channel} channel only` : `input ${settings.input}`;
}

/** Which cues a run uses, in words (with the style's name when one was chosen). */
export function describeCues(settings: RunSettings, modelTakesStyle?: boolean): string {
  const cues = settings.model !== 'off' ? 'learned cues' : settings.style ? 'fixed cues' : 'fixed width profile';
  if (!settings.style) return cues;
  // A preset is held anyway; other styles only because the model cannot take a hint.
  const held = modelTakesStyle === false && !settings.style.preset ? ' (held: the model has no style input)' : '';
  return `${cues}, style: ${settings.style.label}${held}`;
}
