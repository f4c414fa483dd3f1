/**
 * How the element makes an upmixer node itself (given a context, or to change a creation-time option
 * such as the latency mode on an existing node's context). Main thread only.
 * @packageDocumentation
 */
import { createUpmixer, type ControlValues, type InputKind, type LatencyMode, type StandardizedContext, type StyleArguments, type UpmixerOptions } from '../index.js';
import type { UpmixerNodeLike } from './upmixer-like.js';
import { isNativeContext } from '../audio-context-kind.js';

/** A native (Offline)AudioContext or one of standardized-audio-context's. */
export type UpmixerContext = BaseAudioContext | StandardizedContext;

/** Everything that is fixed when a node is made. */
export interface NodeRecipe {
  readonly mode: LatencyMode;
  readonly variation: number;
  readonly controls: Partial<ControlValues>;
  readonly workletUrl?: string | URL;
  /** Use the learned model (true), or only the fixed profile (false). */
  readonly model: boolean;
  /** Where the model file is, if not the packaged one. */
  readonly modelUrl?: string;
  /** The output's peak limiter (at the `ceilingDb` control). */
  readonly ceiling?: boolean;
  /** What the input is taken for (default `auto`). */
  readonly input?: InputKind;
  /** The style (that of the node it replaces), with a reference's name. Default: `default`. */
  readonly style?: StyleArguments;
}

/** `createUpmixer`'s options, with the learned model's `model` option (ignored by versions without it). */
type OptionsWithModel = UpmixerOptions & { model?: boolean | { url: string } };

/** Creates an upmixer node on `context` from a recipe. */
export async function createNodeFor(context: UpmixerContext, recipe: NodeRecipe): Promise<UpmixerNodeLike> {
  const options: OptionsWithModel = {
    mode: recipe.mode,
    variation: recipe.variation,
    controls: recipe.controls,
    model: recipe.model ? (recipe.modelUrl ? { url: recipe.modelUrl } : true) : false,
    ceiling: recipe.ceiling ?? false,
    input: recipe.input ?? 'auto',
    ...(recipe.style ? { style: recipe.style.style } : {}),
  };
  if (recipe.workletUrl !== undefined) options.workletUrl = recipe.workletUrl;
  const node = isNativeContext(context) ? await createUpmixer(context, options) : await createUpmixer(context, options);
  // The option carries the numbers; the reference's name comes with setStyle.
  if (recipe.style?.referenceName !== undefined) node.setStyle(recipe.style.style, recipe.style.referenceName);
  return node as unknown as UpmixerNodeLike;
}
