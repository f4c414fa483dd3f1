/**
 * What the UI needs from an upmixer node and its context, stated structurally so that the native node
 * (`UpmixerNode`) and standardized-audio-context's (`StandardizedUpmixerNode`, as Tone.js uses) both fit.
 * Main thread only.
 * @packageDocumentation
 */
import type { AudioBufferLike, InputKind, InputPath, ModelStatus, Style, UpmixerMembers } from '../index.js';

export type { ModelStatus, ModelStatusDetail } from '../index.js';

/**
 * What the element shows as the source of the cues: the node's {@link ModelStatus}, or `fixed-profile`
 * while it has no node or its node has no model support.
 */
export type CueSourceStatus = ModelStatus | 'fixed-profile';

/** An AudioParam of either library, as far as the UI reads and writes it. */
export interface UpmixerParamLike {
  value: number;
  readonly defaultValue: number;
  readonly minValue: number;
  readonly maxValue: number;
}

/** Anything with connect/disconnect (an AudioNode of either library). */
export interface ConnectableLike {
  connect(destination: never, output?: number, input?: number): unknown;
  disconnect(): void;
}

/** An AnalyserNode of either library. */
export interface AnalyserLike extends ConnectableLike {
  fftSize: number;
  smoothingTimeConstant: number;
  getFloatTimeDomainData(array: Float32Array<ArrayBuffer>): void;
}

/** The factory methods and clock of a (native or standardized) BaseAudioContext that the UI uses. */
export interface ContextLike {
  readonly currentTime: number;
  readonly sampleRate: number;
  /** Decodes a file's bytes (a reference mix for the style). */
  decodeAudioData(data: ArrayBuffer): Promise<AudioBufferLike>;
  createChannelSplitter(numberOfOutputs?: number): ConnectableLike;
  createGain(): ConnectableLike & { channelCount: number; channelCountMode: ChannelCountMode; channelInterpretation: ChannelInterpretation };
  createAnalyser(): AnalyserLike;
}

/** Counters of the node, as far as the UI reads them. */
export interface UpmixerStatsLike {
  readonly quanta: number;
  /** Frames whose model cues were late (the last cues were held). */
  readonly lateFrames?: number;
  readonly modelFrames?: number;
  readonly fallbackFrames?: number;
}

type UsedMembers = 'mode' | 'latencySamples' | 'latencySeconds' | 'width' | 'bassMonoHz' | 'mix' | 'bypass' | 'ceilingDb' | 'spread' | 'setVariation' | 'readCueMeters' | 'meterTransport';

/** An upmixer node of either library, as the UI drives it. */
export interface UpmixerNodeLike extends Pick<UpmixerMembers<UpmixerParamLike>, UsedMembers>, ConnectableLike {
  readonly context: ContextLike;
  /** The variation seed in use, where the node tracks it (the WAM plugin's node does). */
  readonly variation?: number;
  /** True if the node has the output's peak limiter (the `ceilingDb` control acts). */
  readonly ceiling?: boolean;
  /** The learned model's state (absent on a node without model support: the fixed profile). */
  readonly modelStatus?: ModelStatus;
  /** Why the model failed. */
  readonly modelError?: string;
  /** What the input is taken for, where the node can say (`auto`, `mono`, `stereo`). */
  readonly input?: InputKind;
  /** Chooses what the input is taken for, where the node can. */
  setInput?(input: InputKind): void;
  /** The style aimed at, where the node has styles. */
  readonly style?: Style;
  /** The style's name (`default`, a preset's, `custom`, `reference: NAME`), where the node has styles. */
  readonly styleName?: string;
  /** Aims at a preset (or `default`), where the node has styles; fires `stylechange`. */
  setStyle?(style: Style | string, referenceName?: string): void;
  /**
   * Aims at a reference mix's style (decoded audio, or a file the node reads a slice at a time), where the
   * node has styles; a bad one fires `styleerror` and rejects.
   */
  setReference?(reference: AudioBufferLike | Blob, name?: string): Promise<unknown>;
  /** The path the input takes now (the node fires `inputpathchange` when it changes). */
  readonly inputPath?: InputPath;
  getStats(): Promise<UpmixerStatsLike>;
  /** Ends the node (its processor and model Worker). */
  dispose?(): void;
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
}

