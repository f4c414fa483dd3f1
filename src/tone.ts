/**
 * The upmixer as a Tone.js node, on Tone's own context (a standardized-audio-context context):
 *
 * ```ts
 * const upmixer = await UpmixerTone.create({ mode: 'live' });
 * player.chain(upmixer, Tone.getDestination());
 * upmixer.width.rampTo(1.5, 2);
 * ```
 *
 * Creation is asynchronous because the worklet module must be loaded into the context first (once per
 * context). Main thread only.
 * @packageDocumentation
 */
import { getContext, Param, ToneAudioBuffer, ToneAudioNode, type BaseContext, type ToneAudioNodeOptions } from 'tone';
import { controlSpec, type ControlValues } from './dsp/controls.js';
import { createUpmixer, StyleError, type AudioBufferLike, type StandardizedContext, type Style, type UpmixerMembers, type UpmixerOptions } from './index.js';
import { isNativeContext } from './audio-context-kind.js';
import type { LatencyMode } from './dsp/frame-config.js';
import type { InputKind, InputPath } from './dsp/input-kind.js';
import type { Samples, Seconds } from './dsp/units.js';

/** A time in Tone's notation (seconds, `'+2'`, `'4m'`, …), as Tone's own `toSeconds` takes it. */
export type ToneTime = Parameters<ToneAudioNode['toSeconds']>[0];

/** Options of {@link UpmixerTone.create}: `createUpmixer`'s, plus the Tone context (default `Tone.getContext()`). */
export interface UpmixerToneOptions extends UpmixerOptions {
  context?: BaseContext;
}

/** The AudioWorkletNode under the Tone node (standardized-audio-context's, or native if Tone runs on a native context). */
export type UpmixerToneNode = AudioWorkletNode & UpmixerMembers<AudioParam>;

/**
 * A Tone.js node that upmixes its input to stereo. Its controls are Tone `Param`s wrapping the node's
 * AudioParams, so Tone's scheduling (`rampTo`, `setValueAtTime`, `linearRampTo`, LFO connections, …)
 * applies. Make it with {@link UpmixerTone.create}.
 */
export class UpmixerTone extends ToneAudioNode<ToneAudioNodeOptions> {
  readonly name: string = 'UpmixerTone';
  readonly input: ToneAudioNode['input'];
  readonly output: ToneAudioNode['output'];
  /** The underlying upmixer node (for `<stereo-upmixer>`'s `node`, `getStats`, `readCueMeters`). */
  readonly node: UpmixerToneNode;
  /** Width, 0 (mono) to 2 (extra wide), default 1. */
  readonly width: Param<'number'>;
  /** Below this frequency the output stays mono, 0 to 500 Hz, default 120 (note names work too). */
  readonly bassMonoHz: Param<'frequency'>;
  /** Dry/wet, 0 (delayed input) to 1 (fully upmixed), default 1. */
  readonly mix: Param<'normalRange'>;
  /** 1 crossfades to the delayed input (latency unchanged), 0 processes. */
  readonly bypass: Param<'normalRange'>;
  /** Peak ceiling of the output in dBFS (-40 to 0, default -1), where the node has the limiter (option `ceiling`). */
  readonly ceilingDb: Param<'decibels'>;
  /** Stereo input: 1 keeps the mix's panned sources where they are, 0 brings them to the centre (u to spread * u), default 1. */
  readonly spread: Param<'normalRange'>;

  /**
   * Loads the worklet module into the Tone context (if needed) and creates the node. Rejects like
   * `createUpmixer` (RangeError for bad options or an unsupported sample rate).
   */
  static async create(options: UpmixerToneOptions = {}): Promise<UpmixerTone> {
    const { context = getContext(), ...upmixerOptions } = options;
    const raw: unknown = context.rawContext;
    const node = isNativeContext(raw)
      ? await createUpmixer(raw, upmixerOptions)
      : await createUpmixer(raw as StandardizedContext, upmixerOptions);
    return new UpmixerTone(context, node as unknown as UpmixerToneNode);
  }

  private constructor(context: BaseContext, node: UpmixerToneNode) {
    super({ context });
    this.node = node;
    this.input = node;
    this.output = node;
    const param = <U extends 'number' | 'frequency' | 'normalRange' | 'decibels'>(name: keyof ControlValues, units: U): Param<U> => {
      const spec = controlSpec(name);
      return new Param<U>({ context, param: node[name], units, convert: units === 'frequency', minValue: spec.min, maxValue: spec.max });
    };
    this.width = param('width', 'number');
    this.bassMonoHz = param('bassMonoHz', 'frequency');
    this.mix = param('mix', 'normalRange');
    this.bypass = param('bypass', 'normalRange');
    this.ceilingDb = param('ceilingDb', 'decibels');
    this.spread = param('spread', 'normalRange');
  }

  /** What the input is taken for (`auto`, `mono` or `stereo`; option `input` of {@link UpmixerTone.create}). */
  get inputKind(): InputKind {
    return this.node.input;
  }

  /** The path the input takes now (`mono` or `stereo`); the underlying node fires `inputpathchange` on a change. */
  get inputPath(): InputPath {
    return this.node.inputPath;
  }

  /**
   * Chooses what the input is taken for; a change of path crossfades. `time` (Tone's time, e.g. `'+2'` or
   * `'4m'`): when it applies, landing in its render quantum (the processor holds it until then); default:
   * at once.
   */
  setInput(input: InputKind, time?: ToneTime): this {
    this.node.setInput(input, time === undefined ? undefined : this.toSeconds(time));
    return this;
  }

  /** The latency mode the node was created with. */
  get mode(): LatencyMode {
    return this.node.mode;
  }

  /** Exact latency in samples (output lags input by this much). */
  get latencySamples(): Samples {
    return this.node.latencySamples;
  }

  /** {@link latencySamples} in seconds. */
  get latencySeconds(): Seconds {
    return this.node.latencySeconds;
  }

  /** Chooses another pan layout (integer seed); the change glides. `time`: as for {@link setInput}. */
  setVariation(variation: number, time?: ToneTime): this {
    this.node.setVariation(variation, time === undefined ? undefined : this.toSeconds(time));
    return this;
  }

  /** The style aimed at (per band mean ICC and |ILD| dB); see `UpmixerMembers.style`. */
  get style(): Style {
    return this.node.style;
  }

  /** What {@link style} is: `default`, a preset's name, `custom` or `reference: NAME`. */
  get styleName(): string {
    return this.node.styleName;
  }

  /**
   * Aims at a preset (by name, `default`) or a style's numbers (named `reference: NAME` with
   * `referenceName`); the change glides and fires `stylechange` on {@link node} when called. `time`: as
   * for {@link setInput} (the fixed cues and the model's condition change from that render quantum on, so
   * an offline render with timed styles is the same every time). Throws a `StyleError` for an unknown
   * name or numbers out of range.
   */
  setStyle(style: Style | string, referenceName?: string, time?: ToneTime): this {
    this.node.setStyle(style, referenceName, time === undefined ? undefined : this.toSeconds(time));
    return this;
  }

  /**
   * Aims at the style of a reference mix: a stereo `ToneAudioBuffer` (loaded) or AudioBuffer, analysed
   * in a Worker (posted in chunks), or a file as a `Blob`/`File`, read and decoded in the Worker a slice
   * at a time (see the node's `setReference`). Resolves with the style; a reference that gives none fires
   * `styleerror` on {@link node} and rejects with a `StyleError` (the style in use stays). A later
   * `setStyle` or `setReference` stops it: it then rejects with an `AbortError`.
   */
  async setReference(buffer: ToneAudioBuffer | AudioBufferLike | Blob, name?: string): Promise<Style> {
    const audio = buffer instanceof ToneAudioBuffer ? buffer.get() : buffer;
    if (audio === undefined) throw new StyleError('the reference ToneAudioBuffer is not loaded yet: await its load first');
    return this.node.setReference(audio, name);
  }

  override dispose(): this {
    super.dispose();
    this.width.dispose();
    this.bassMonoHz.dispose();
    this.mix.dispose();
    this.bypass.dispose();
    this.ceilingDb.dispose();
    this.spread.dispose();
    this.node.disconnect();
    this.node.dispose(); // ends the processor and the model Worker
    return this;
  }
}
