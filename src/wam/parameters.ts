/**
 * The WAM plugin's descriptor, parameters and saved state. Main thread only.
 * @packageDocumentation
 */
import type { WamDescriptor, WamParameterConfiguration, WamParameterInfo } from '@webaudiomodules/api';
import { getWamParameterInfo } from '@webaudiomodules/sdk';
import { CONTROL_SPECS, SETTING_SPECS, type ControlValues } from '../dsp/controls.js';
import { LATENCY_MODES, type LatencyMode } from '../dsp/frame-config.js';
import { INPUT_KINDS } from '../dsp/input-kind.js';
import { checkStyle } from '../style/presets.js';
import type { Style } from '../style/style.js';
import { CUSTOM_STYLE_NAME, REFERENCE_PREFIX, selectStyle, styleArguments, styleNames, type StyleArguments } from '../style/style-selection.js';

/** Highest variation seed the plugin's `variation` parameter reaches (seeds are integers from 1). */
export const WAM_VARIATION_MAX = SETTING_SPECS.variation.max;

/** What the plugin says about itself to a host. */
export function upmixerDescriptor(version: string): WamDescriptor {
  return {
    identifier: 'com.github.mono-upmix.stereo-upmixer',
    name: 'Stereo Upmixer',
    vendor: 'mono-upmix',
    description: 'Mono to mono-compatible stereo: per-band width and pan from a learned model or a fixed profile.',
    version,
    apiVersion: '2.0.0',
    thumbnail: '',
    keywords: ['stereo', 'upmix', 'widener', 'spatial', 'mono'],
    isInstrument: false,
    website: '',
    hasAudioInput: true,
    hasAudioOutput: true,
    hasAutomationInput: true,
    hasAutomationOutput: false,
    hasMidiInput: false,
    hasMidiOutput: false,
    hasMpeInput: false,
    hasMpeOutput: false,
    hasOscInput: false,
    hasOscOutput: false,
    hasSysexInput: false,
    hasSysexOutput: false,
  };
}

/**
 * Parameter ids: the node's AudioParams, plus the variation seed, the input kind (a choice: index 0
 * `auto`, 1 `mono`, 2 `stereo`, in {@link INPUT_KINDS} order) and the style (a choice of
 * {@link styleChoices}: `default`, the presets, and last `custom`, which stands for a style given as
 * numbers or analysed from a reference: choosing it keeps the style in use).
 */
export type UpmixerWamParameterId = keyof ControlValues | 'variation' | 'input' | 'style';

/** The `style` parameter's choices: `default`, every preset, then `custom`. */
export function styleChoices(): string[] {
  return [...styleNames(), CUSTOM_STYLE_NAME];
}

/** Every parameter's configuration, from the controls table (ranges and defaults stated once). */
export function parameterConfigurations(): Record<UpmixerWamParameterId, WamParameterConfiguration> {
  const configs = {} as Record<UpmixerWamParameterId, WamParameterConfiguration>;
  for (const spec of CONTROL_SPECS) {
    configs[spec.name] =
      spec.name === 'bypass'
        ? { label: spec.label, type: 'boolean', defaultValue: spec.defaultValue }
        : { label: spec.label, type: 'float', defaultValue: spec.defaultValue, minValue: spec.min, maxValue: spec.max, units: spec.unit };
  }
  configs.variation = { label: 'Variation', type: 'int', defaultValue: SETTING_SPECS.variation.defaultValue, minValue: SETTING_SPECS.variation.min, maxValue: WAM_VARIATION_MAX, discreteStep: 1 };
  configs.input = { label: SETTING_SPECS.input.label, type: 'choice', choices: [...INPUT_KINDS], defaultValue: INPUT_KINDS.indexOf(SETTING_SPECS.input.defaultValue) };
  configs.style = { label: 'Style', type: 'choice', choices: styleChoices(), defaultValue: 0 };
  return configs;
}

/** What `getState` returns and `setState` takes (plain JSON). */
export interface UpmixerWamState {
  /** Format version of this object. */
  readonly format: 1;
  /** Latency mode: fixed when the instance is created (give it in `createInstance`'s initial state). */
  readonly mode: LatencyMode;
  /** Learned model on (default) or the fixed profile only: fixed when the instance is created, like `mode`. */
  readonly model: boolean;
  /** The output's peak limiter (at the `ceilingDb` parameter; off by default): fixed when the instance is created. */
  readonly ceiling?: boolean;
  /** Parameter values, denormalized, by id. */
  readonly parameters: Readonly<Record<UpmixerWamParameterId, number>>;
  /**
   * The style: `{ name }` for `default` or a preset; with its numbers (`icc`, `ildDb`, 24 each) for a
   * style that is not a preset (`name` is then `custom` or `reference: NAME`, the reference's name kept).
   */
  readonly style?: UpmixerWamStyle;
}

/** The style in a saved state. */
export interface UpmixerWamStyle {
  readonly name: string;
  readonly icc?: readonly number[];
  readonly ildDb?: readonly number[];
}

/** The state's form of a node's style. */
export function wamStyle(name: string, style: Style): UpmixerWamStyle {
  return styleNames().includes(name) ? { name } : { name, icc: [...style.icc], ildDb: [...style.ildDb] };
}

/**
 * A saved style back to `setStyle`'s arguments: its numbers where it has them (a reference keeps its
 * name), else its preset's name. Undefined (with a warning) for one that this version cannot use.
 */
function readStyle(given: unknown): StyleArguments | undefined {
  if (typeof given !== 'object' || given === null) return undefined;
  const { name, icc, ildDb } = given as { name?: unknown; icc?: unknown; ildDb?: unknown };
  try {
    if (icc !== undefined || ildDb !== undefined) {
      const style = checkStyle('the saved style', { icc, ildDb });
      return styleArguments(typeof name === 'string' && name.startsWith(REFERENCE_PREFIX) ? name : CUSTOM_STYLE_NAME, style);
    }
    if (typeof name === 'string') return { style: selectStyle(name).name };
  } catch (error) {
    console.warn(`stereo upmixer: the saved style is not used: ${error instanceof Error ? error.message : String(error)}`);
  }
  return undefined;
}

/** One WamParameterInfo per parameter, made with the sdk's class (ranges of choices and switches, normalize, denormalize, valueString). */
export function parameterInfos(): Record<UpmixerWamParameterId, WamParameterInfo> {
  const ParameterInfo = getWamParameterInfo();
  const infos = {} as Record<UpmixerWamParameterId, WamParameterInfo>;
  for (const [id, config] of Object.entries(parameterConfigurations())) infos[id as UpmixerWamParameterId] = new ParameterInfo(id, config);
  return infos;
}

/** `value` brought into the parameter's range, and to a whole number for the integer, choice and boolean ones. */
export function withinRange(info: Pick<WamParameterInfo, 'type' | 'minValue' | 'maxValue'>, value: number): number {
  const clamped = Math.min(info.maxValue, Math.max(info.minValue, value));
  return info.type === 'float' ? clamped : Math.round(clamped);
}

/**
 * Reads a state object that may come from an older version or a hand-written preset; unknown fields are
 * ignored, and parameter values are brought into their ranges.
 */
export function readState(state: unknown): {
  mode?: LatencyMode;
  model?: boolean;
  ceiling?: boolean;
  style?: StyleArguments;
  parameters: Partial<Record<UpmixerWamParameterId, number>>;
} {
  if (typeof state !== 'object' || state === null) return { parameters: {} };
  const given = state as { mode?: unknown; model?: unknown; ceiling?: unknown; style?: unknown; parameters?: unknown };
  const style = readStyle(given.style);
  const mode = LATENCY_MODES.find((candidate) => candidate === given.mode);
  const parameters: Partial<Record<UpmixerWamParameterId, number>> = {};
  if (typeof given.parameters === 'object' && given.parameters !== null) {
    // In range as setting them on the node makes them: an initial state then gives what setState gives.
    for (const [id, info] of Object.entries(parameterInfos()) as [UpmixerWamParameterId, WamParameterInfo][]) {
      const value = (given.parameters as Record<string, unknown>)[id];
      if (typeof value === 'number' && Number.isFinite(value)) parameters[id] = withinRange(info, value);
    }
  }
  return {
    parameters,
    ...(mode === undefined ? {} : { mode }),
    ...(typeof given.model === 'boolean' ? { model: given.model } : {}),
    ...(typeof given.ceiling === 'boolean' ? { ceiling: given.ceiling } : {}),
    ...(style === undefined ? {} : { style }),
  };
}
