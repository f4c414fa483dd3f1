/**
 * The user controls of the effect: one table that the engine, the worklet's AudioParams, the CLI's flags
 * and the UI all read, so a range or default is stated once.
 * @packageDocumentation
 */
import { LATENCY_MODES, type LatencyMode } from './frame-config.js';
import { INPUT_KINDS, type InputKind } from './input-kind.js';

/** Automatable controls (AudioParams in the worklet, k-rate). */
export interface ControlValues {
  /** 0 = mono, 1 = the cues as predicted (natural), up to 2 = extra wide. */
  width: number;
  /** Below this frequency the output stays mono (Hz); 0 turns bass-mono off. */
  bassMonoHz: number;
  /** Dry/wet: 0 = the (delayed) input, 1 = fully upmixed. */
  mix: number;
  /** 1 bypasses (crossfades to the delayed input, latency unchanged), 0 processes. */
  bypass: number;
  /** Peak ceiling of the output in dBFS, where the node has the limiter (option `ceiling`). */
  ceilingDb: number;
  /**
   * Stereo input only: how far the mix's own panned sources stay out, 1 = where they are, 0 = all in the
   * centre (a source at pan position u moves to spread * u); ambience is kept either way.
   */
  spread: number;
}

/** Range and default of one control. */
export interface ControlSpec {
  readonly name: keyof ControlValues;
  readonly min: number;
  readonly max: number;
  readonly defaultValue: number;
  readonly unit: string;
  readonly label: string;
}

/** Every automatable control, in display order. */
export const CONTROL_SPECS: readonly ControlSpec[] = [
  { name: 'width', min: 0, max: 2, defaultValue: 1, unit: '', label: 'Width' },
  { name: 'bassMonoHz', min: 0, max: 500, defaultValue: 120, unit: 'Hz', label: 'Bass mono below' },
  { name: 'mix', min: 0, max: 1, defaultValue: 1, unit: '', label: 'Mix' },
  { name: 'bypass', min: 0, max: 1, defaultValue: 0, unit: '', label: 'Bypass' },
  { name: 'ceilingDb', min: -40, max: 0, defaultValue: -1, unit: 'dBFS', label: 'Ceiling' },
  { name: 'spread', min: 0, max: 1, defaultValue: 1, unit: '', label: 'Spread' },
];

/** The default value of every control. */
export function defaultControls(): ControlValues {
  return new ControlState();
}

/**
 * Control values that the audio thread may change without allocating. A class of its own, so that its
 * objects never share V8's hidden class with plain objects of the same keys (a record of AudioParam
 * arrays, say, which would make the fields hold any value); and its fields start as non-integers, so
 * that they are doubles from the start: storing a new value then updates the field in place instead
 * of boxing the number on the heap.
 */
export class ControlState implements ControlValues {
  width = 0.5;
  bassMonoHz = 0.5;
  mix = 0.5;
  bypass = 0.5;
  ceilingDb = 0.5;
  spread = 0.5;

  constructor() {
    for (const spec of CONTROL_SPECS) this[spec.name] = spec.defaultValue;
  }
}

/** Looks a control up by name; throws a RangeError naming the known controls if there is none. */
export function controlSpec(name: string): ControlSpec {
  // A plain loop: this runs on the audio thread when a control moves, and a find() callback allocates.
  let spec: ControlSpec | undefined;
  for (let i = 0; i < CONTROL_SPECS.length; i++) if (CONTROL_SPECS[i].name === name) spec = CONTROL_SPECS[i];
  if (!spec) {
    throw new RangeError(`unknown control "${name}": use one of ${CONTROL_SPECS.map((s) => s.name).join(', ')}`);
  }
  return spec;
}

/** Clamps a value into a control's range (non-finite values give the default). Audio-thread safe. */
export function clampControl(spec: ControlSpec, value: number): number {
  if (!Number.isFinite(value)) return spec.defaultValue;
  return value < spec.min ? spec.min : value > spec.max ? spec.max : value;
}

/**
 * The settings that are not AudioParams, beside {@link CONTROL_SPECS} so that every face reads one
 * range and default: the latency mode (fixed per node) and the pan-layout seed ("variation", an integer;
 * any integer works, UIs and the WAM parameter offer `min` to `max`).
 */
export const SETTING_SPECS = {
  mode: { values: LATENCY_MODES, defaultValue: 'quality' as LatencyMode, label: 'Mode' },
  variation: { min: 1, max: 64, defaultValue: 1, label: 'Variation' },
  /**
   * The output's peak limiter (at the `ceilingDb` control): off by default in the node (it adds its
   * look-ahead to the latency), on in the CLI for PCM output. Fixed per node.
   */
  ceiling: { defaultValue: false, label: 'Ceiling limiter' },
  /**
   * What the input is taken for: `auto` sends mono and dual-mono input down the mono path and real
   * stereo down the stereo path (deciding continuously), `mono` downmixes, `stereo` keeps the mix's image.
   * Can change while the node runs.
   */
  input: { values: INPUT_KINDS, defaultValue: 'auto' as InputKind, label: 'Input' },
} as const;

/**
 * Checks a node's settings, filling in the defaults; throws a RangeError that says what is wrong.
 * Safe anywhere (the worklet checks its processorOptions with it too).
 */
export function checkSettings(given: { mode?: unknown; variation?: unknown; input?: unknown }): { mode: LatencyMode; variation: number; input: InputKind } {
  const mode = given.mode ?? SETTING_SPECS.mode.defaultValue;
  if (!LATENCY_MODES.includes(mode as LatencyMode)) throw new RangeError(`latency mode "${String(mode)}" is not known: use "live" or "quality"`);
  const variation = given.variation ?? SETTING_SPECS.variation.defaultValue;
  if (!Number.isInteger(variation)) throw new RangeError(`variation must be an integer, not ${String(variation)}`);
  return { mode: mode as LatencyMode, variation: variation as number, input: checkInputKind(given.input ?? SETTING_SPECS.input.defaultValue) };
}

/** Checks an input kind (`auto`, `mono` or `stereo`); throws a RangeError that says what to use. Safe anywhere. */
export function checkInputKind(input: unknown): InputKind {
  if (!INPUT_KINDS.includes(input as InputKind)) throw new RangeError(`input "${String(input)}" is not known: use ${INPUT_KINDS.join(', ')}`);
  return input as InputKind;
}
