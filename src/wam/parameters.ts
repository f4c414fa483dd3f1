/**
 * The WAM plugin's descriptor, parameters and saved state. Main thread only.
 * @packageDocumentation
 */
import type { WamDescriptor, WamParameterConfiguration } from '@webaudiomodules/api';
import { CONTROL_SPECS, SETTING_SPECS, type ControlValues } from '../dsp/controls.js';
import { LATENCY_MODES, type LatencyMode } from '../dsp/frame-config.js';
import { INPUT_KINDS } from '../dsp/input-kind.js';

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
 * Parameter ids: the node's AudioParams, plus the variation seed and the input kind (a choice:
 * index 0 `auto`, 1 `mono`, 2 `stereo`, in {@link INPUT_KINDS} order).
 */
export type UpmixerWamParameterId = keyof ControlValues | 'variation' | 'input';

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
}

/** Reads a state object that may come from an older version or a hand-written preset; unknown fields are ignored. */
export function readState(state: unknown): { mode?: LatencyMode; model?: boolean; ceiling?: boolean; parameters: Partial<Record<UpmixerWamParameterId, number>> } {
  if (typeof state !== 'object' || state === null) return { parameters: {} };
  const given = state as { mode?: unknown; model?: unknown; ceiling?: unknown; parameters?: unknown };
  const mode = LATENCY_MODES.find((candidate) => candidate === given.mode);
  const parameters: Partial<Record<UpmixerWamParameterId, number>> = {};
  if (typeof given.parameters === 'object' && given.parameters !== null) {
    for (const id of Object.keys(parameterConfigurations()) as UpmixerWamParameterId[]) {
      const value = (given.parameters as Record<string, unknown>)[id];
      if (typeof value === 'number' && Number.isFinite(value)) parameters[id] = value;
    }
  }
  return {
    parameters,
    ...(mode === undefined ? {} : { mode }),
    ...(typeof given.model === 'boolean' ? { model: given.model } : {}),
    ...(typeof given.ceiling === 'boolean' ? { ceiling: given.ceiling } : {}),
  };
}
