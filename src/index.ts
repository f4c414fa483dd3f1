/**
 * Main-thread API: creates the upmixer as an AudioWorkletNode, on a native (Offline)AudioContext or on
 * one of standardized-audio-context's contexts.
 *
 * Everything here runs on the main thread (or wherever the context lives); nothing here runs on the
 * audio thread.
 * @packageDocumentation
 */
import type { IAudioContext, IAudioParam, IAudioWorkletNode, IOfflineAudioContext } from 'standardized-audio-context';
import { CueMeterClient, type CueMeterReading, type MeterTransport } from './cue-meters.js';
import { BAND_COUNT } from './dsp/bands.js';
import { checkInputKind, checkSettings, CONTROL_SPECS, clampControl, controlSpec, SETTING_SPECS, type ControlValues } from './dsp/controls.js';
import { limiterLatency } from './dsp/peak-limiter.js';
import { frameConfigFor, type LatencyMode } from './dsp/frame-config.js';
import type { InputKind, InputPath } from './dsp/input-kind.js';
import type { Samples, Seconds } from './dsp/units.js';
import type { UpmixerProcessorOptions } from './worklet/messages.js';
import { quantumLatency, checkRenderQuantumSize } from './worklet/quantum-adapter.js';
import { UpmixerPortClient, type UpmixerStats } from './upmixer-port-client.js';
import { canShareMemory, isNativeContext, isOfflineContext } from './audio-context-kind.js';
import { UPMIXER_PROCESSOR_NAME } from './worklet/processor-name.js';
import { createCueMeterBuffer } from './worklet/cue-meter-buffer.js';
import { ModelConnection, OFFLINE_MODEL_LOAD_TIMEOUT_MS, type ModelOptions, type ModelStatus } from './model/model-connection.js';
import { startSpareWorker } from './model/model-worker-start.js';
import { createSharedCueBuffers } from './model/shared-cue-channel.js';
import { nextStyleId } from './model/style-history.js';
import { StyleError } from './style/presets.js';
import { ReferenceAnalyser, type AudioBufferLike } from './style/reference-analyser.js';
import { MAX_REFERENCE_SECONDS, type Style } from './style/style.js';
import { DEFAULT_SELECTION, REFERENCE_PREFIX, selectStyle, type StyleSelection } from './style/style-selection.js';

export { createCueMeterReading, type CueMeterReading, type MeterTransport } from './cue-meters.js';
export { BAND_COUNT, bandEdges } from './dsp/bands.js';
export { INPUT_KINDS, INPUT_PATHS, type InputKind, type InputPath } from './dsp/input-kind.js';
export { CONTROL_SPECS, SETTING_SPECS, checkSettings, checkInputKind, clampControl, defaultControls, type ControlSpec, type ControlValues } from './dsp/controls.js';
export { frameConfigFor, LATENCY_MODES, RENDER_QUANTUM, type FrameConfig, type LatencyMode } from './dsp/frame-config.js';
export type { Decibels, Hertz, Samples, Seconds } from './dsp/units.js';
export { UPMIXER_PROCESSOR_NAME } from './worklet/processor-name.js';
export type { UpmixerCommand, UpmixerProcessorOptions, UpmixerReport } from './worklet/messages.js';
export type { ModelOptions, ModelStatus, ModelStatusDetail } from './model/model-connection.js';
export type { UpmixerStats } from './upmixer-port-client.js';
export { MAX_REFERENCE_SECONDS, STYLE_VECTOR_LENGTH, styleVector, type Style } from './style/style.js';
export { DEFAULT_STYLE, STYLE_PRESETS, StyleError, checkStyle, findStylePreset, type StylePreset } from './style/presets.js';
export { CUSTOM_STYLE_NAME, DEFAULT_STYLE_NAME, REFERENCE_PREFIX, selectStyle, styleArguments, styleNames, type StyleArguments, type StyleSelection } from './style/style-selection.js';
export type { AudioBufferLike } from './style/reference-analyser.js';

/** How to create an upmixer. Every field is optional. */
export interface UpmixerOptions {
  /** `live` (about 5 ms) or `quality` (about 40 ms, the default). Fixed for the node's lifetime. */
  mode?: LatencyMode;
  /** Initial pan-layout seed (integer, default 1); change it later with `setVariation`. */
  variation?: number;
  /**
   * What the input is taken for: `auto` (default) sends mono and dual-mono input (L = R within -90 dB)
   * down the mono path and real stereo down the stereo path, which keeps the mix's own image (see
   * `spread`); `mono` always downmixes; `stereo` always keeps the image. Change it later with `setInput`.
   */
  input?: InputKind;
  /** Initial AudioParam values; out-of-range values are clamped, unknown names throw a RangeError. */
  controls?: Partial<ControlValues>;
  /**
   * Where the built worklet module is. Default: `upmixer.worklet.js` beside this module
   * (`new URL('./upmixer.worklet.js', import.meta.url)`), which bundlers that follow that pattern copy.
   */
  workletUrl?: string | URL;
  /**
   * The learned cue model (default `true`: the model shipped with the package). It loads in a Worker
   * while the node already sounds with the fixed width profile, then takes over smoothly; `false` keeps
   * the fixed profile. In an OfflineAudioContext, `createUpmixer` resolves only once the model is ready
   * (or has failed, or has not loaded within `loadTimeoutMs`, 60 s by default), and on cross-origin isolated pages each frame waits for its own cues, so a render
   * never depends on how fast the Worker was.
   */
  model?: boolean | ModelOptions;
  /**
   * A peak limiter on the output at the `ceilingDb` AudioParam (default -1 dBFS): one gain for both
   * channels, so (L+R)/2 stays a scaled copy of the input and nothing combs. Off by default; on, it adds
   * its 5 ms look-ahead to `latencySamples`. Fixed for the node's lifetime.
   */
  ceiling?: boolean;
  /**
   * The style to aim at from the start: a preset's name, `default` (the default) or a style's numbers
   * (see {@link UpmixerMembers.setStyle}).
   */
  style?: Style | string;
  /**
   * Where the built style analysis Worker is (for {@link UpmixerMembers.setReference}). Default:
   * `style-analysis.worker.js` beside this module.
   */
  styleWorkerUrl?: string | URL;
}

/**
 * The node's own state: `running`; `failed` (its processor threw: the node is silent, the
 * `upmixererror` event said why); `disposed`.
 */
export type ProcessorStatus = 'running' | 'failed' | 'disposed';

/** `detail` of the `inputpathchange` event: the path the input takes now. */
export interface InputPathDetail {
  readonly path: InputPath;
}

/** `detail` of the `stylechange` event: the style aimed at now and its name (as {@link UpmixerMembers.styleName}). */
export interface StyleChangeDetail {
  readonly style: Style;
  readonly name: string;
  /** For a reference longer than {@link MAX_REFERENCE_SECONDS}: the seconds of its start that were analysed. */
  readonly analysedSeconds?: number;
}

/** `detail` of the `styleerror` event: why a reference gave no style (the style in use did not change). */
export interface StyleErrorDetail {
  readonly error: string;
  /** The name the reference was given. */
  readonly reference: string;
}

/** `detail` of the `upmixererror` event. */
export interface UpmixerErrorDetail {
  readonly error: string;
}

/**
 * What the upmixer adds to its AudioWorkletNode. `P` is the AudioParam type of the context's library
 * (the native `AudioParam`, or standardized-audio-context's `IAudioParam`).
 */
export interface UpmixerMembers<P> {
  /** The latency mode the node was created with. */
  readonly mode: LatencyMode;
  /** Exact algorithmic latency in samples (output lags input by this much, in every mode and control state). */
  readonly latencySamples: Samples;
  /** {@link UpmixerMembers.latencySamples} in seconds at the context's sample rate. */
  readonly latencySeconds: Seconds;
  /** Width, 0 (mono) to 2 (extra wide), default 1. k-rate. */
  readonly width: P;
  /** Below this frequency (Hz) the output stays mono, 0 to 500, default 120. k-rate. */
  readonly bassMonoHz: P;
  /** Dry/wet, 0 (delayed input) to 1 (fully upmixed), default 1. k-rate. */
  readonly mix: P;
  /** 1 crossfades to the delayed input (latency unchanged), 0 processes. k-rate. */
  readonly bypass: P;
  /** Peak ceiling of the output, -40 to 0 dBFS, default -1; acts only where the node has the limiter (`ceiling`). k-rate. */
  readonly ceilingDb: P;
  /**
   * Stereo input: 1 keeps the mix's panned sources where they are, 0 brings them to the centre (a source
   * at pan position u moves to spread * u; ambience is kept), default 1. k-rate.
   */
  readonly spread: P;
  /** True if the node was made with the peak limiter (option `ceiling`). */
  readonly ceiling: boolean;
  /** What the input is taken for (`auto`, `mono` or `stereo`: the kind last asked for); change it with {@link UpmixerMembers.setInput}. */
  readonly input: InputKind;
  /**
   * Chooses what the input is taken for; a change of path crossfades (no click). `when`: the context
   * time (seconds) it applies from, as an AudioParam's `setValueAtTime` (from the first render quantum
   * that starts then or later; the processor holds it until then, so automation scheduled ahead, or a
   * whole offline bounce's before `startRendering`, lands in time); default: at once. Throws a
   * RangeError for an unknown kind or a `when` that is not a time. Main thread; posts one message.
   */
  setInput(input: InputKind, when?: Seconds): void;
  /**
   * The path the input takes now, as the processor last reported it: `mono` (downmixed and upmixed) or
   * `stereo` (the mix's own image, re-spread). Each change also fires an `inputpathchange` CustomEvent on
   * the node (`detail: { path }`).
   */
  readonly inputPath: InputPath;
  /**
   * Chooses another pan layout (integer seed); the change glides. `when`: as for
   * {@link UpmixerMembers.setInput}. Main thread; posts one message.
   */
  setVariation(variation: number, when?: Seconds): void;
  /**
   * The style aimed at: per band mean ICC and |ILD| (dB). With the model, the model is conditioned on it;
   * without (model off, not loaded yet, or lost), it is the fixed profile itself, except that `default`
   * keeps the built-in profile there. The last style asked for, also when it was timed for later.
   */
  readonly style: Style;
  /** What {@link UpmixerMembers.style} is: `default`, a preset's name, `custom` or `reference: NAME`. */
  readonly styleName: string;
  /**
   * Aims at another style: a preset's name (`STYLE_PRESETS`, any case), `default`, or a style's numbers
   * (named `custom`, or `reference: NAME` with `referenceName`, e.g. a reference's style saved earlier).
   * With the model, a preset also holds its cues at the preset's image over the long run (numbers stay a
   * hint the model weighs against the music; with a custom model that has no `style` input, which cannot
   * take a hint, every style is held as a preset is). The change glides (no click). `when`: the context
   * time (seconds) it applies from, as for {@link UpmixerMembers.setInput}: the fixed cues and the hold
   * change in the first render quantum that starts then or later, and the model is conditioned on the
   * style exactly for the feature frames sent from that quantum on (so an offline render with timed style
   * changes gives the same samples every time); default: at once. Fires `stylechange` (`detail: { style, name }`)
   * when called, and {@link UpmixerMembers.style} is the style asked for from then on, even one timed
   * later. Throws a `StyleError` for an unknown name or numbers out of range, and a RangeError for a
   * `when` that is not a time. Does nothing after `dispose()`. Main thread; posts a message (and one to the model Worker).
   */
  setStyle(style: Style | string, referenceName?: string, when?: Seconds): void;
  /**
   * Aims at the style of a reference mix, analysed in a Worker of its own (never on the audio thread), then
   * applied as {@link UpmixerMembers.setStyle} does, named `reference: NAME` (`name` default: a File's
   * name, else `reference`). The reference is a stereo AudioBuffer (e.g. from `decodeAudioData`), sent to
   * the Worker in chunks (a few MB in flight, whatever its length; the buffer stays the caller's); or a
   * file as a `Blob`/`File`, which the Worker reads a 64 KiB slice at a time and decodes itself at the
   * file's own rate (WAV, AIFF, FLAC, MP3, Ogg Vorbis, Ogg Opus), so memory stays a few MB however long the
   * file is. A file in another format (AAC, WebM…) is decoded whole with the context's `decodeAudioData`
   * (at the context's rate: 8 bytes a frame) and then sent in chunks. Only the first
   * {@link MAX_REFERENCE_SECONDS} are analysed (`stylechange`'s `analysedSeconds` says so). Resolves with
   * the style. A reference that gives no style (one channel, too short, silent, not audio, …) fires
   * `styleerror` (`detail: { error, reference }`) and rejects with a `StyleError` saying why; the style in
   * use stays. The last style asked for wins: a later `setStyle` or `setReference` stops a reference still
   * being analysed (its Worker ends) and its promise rejects with a `DOMException` named `AbortError` (no
   * `styleerror`).
   */
  setReference(reference: AudioBufferLike | Blob, name?: string): Promise<Style>;
  /**
   * Reads the processor's counters. Main thread; resolves once the audio thread answers (it must be
   * running); rejects after 10 s without an answer, after `dispose()` and after a processor error.
   */
  getStats(): Promise<UpmixerStats>;
  /**
   * For meters: copies the cues in use (per band output ICC and signed ILD, after width, bass mono and
   * mix) into `out` (from `createCueMeterReading()`); resolves true if they are new. Main thread.
   *
   * Where the page is cross-origin isolated (COOP/COEP headers), the processor publishes them once per
   * STFT frame into a SharedArrayBuffer and this reads it at once: no message, no allocation on the
   * audio thread. Elsewhere (e.g. a plugin in a host page without those headers) it posts a `get-meters`
   * message and resolves on the answer, which costs the audio thread a structured clone per call, so it
   * asks at most ~30 times a second: a call sooner, or while one is in flight, resolves false without
   * asking. Call it only while a meter is visible.
   */
  readCueMeters(out: CueMeterReading): Promise<boolean>;
  /** How {@link UpmixerMembers.readCueMeters} gets its data: `shared-memory` or `messages`. */
  readonly meterTransport: MeterTransport;
  /**
   * The learned model's state; each change also fires a `modelstatus` CustomEvent on the node
   * (`detail: { status, error? }`), and a failure a `modelerror` event. A node disposed of (or whose
   * processor failed) while its model was loading reports `off`: that model will never run.
   */
  readonly modelStatus: ModelStatus;
  /** Why the model failed, when {@link UpmixerMembers.modelStatus} is `failed`. */
  readonly modelError: string | undefined;
  /**
   * `running`, `failed` (the processor threw; an `upmixererror` event with `detail.error` said why; the
   * node outputs silence) or `disposed`.
   */
  readonly processorStatus: ProcessorStatus;
  /**
   * Ends the node: its processor stops (`process()` returns false, so the audio thread no longer runs it),
   * the model Worker and any style analysis Worker end, pending requests are rejected and the port is no longer listened to. Call it
   * when the node is discarded (after `disconnect()`); calling it again does nothing. Afterwards `setStyle`, `setVariation`,
   * `setInput` and the AudioParams do nothing, and `getStats` and `setReference` reject. Main thread.
   */
  dispose(): void;
}

/** The upmixer on a native context: an AudioWorkletNode that connects like any other, plus its members. */
export type UpmixerNode = AudioWorkletNode & UpmixerMembers<AudioParam>;

/** The standardized-audio-context contexts that the upmixer accepts (those with `audioWorklet`). */
export type StandardizedContext = IAudioContext | IOfflineAudioContext;

/** The upmixer on a standardized-audio-context context. */
export type StandardizedUpmixerNode<T extends StandardizedContext> = IAudioWorkletNode<T> & UpmixerMembers<IAudioParam>;

type AnyContext = BaseAudioContext | StandardizedContext;
type AnyWorkletNode = AudioWorkletNode | IAudioWorkletNode<StandardizedContext>;

/** One addModule per context: later calls (and concurrent ones) share its promise. */
const moduleLoads = new WeakMap<object, Promise<void>>();

/**
 * Creates an upmixer node on `context` (native or standardized-audio-context), loading the worklet
 * module into the context first if this is the context's first upmixer.
 *
 * Input: mono or stereo (by option `input`: stereo keeps its own image, dual mono is upmixed); output:
 * 2 channels. Main thread only.
 * Rejects with a RangeError for bad options or an unsupported sample rate (22.05 to 192 kHz), with a
 * StyleError for an unknown `style`, and with an Error for a closed context. Closing the context later
 * disposes of the node (a finished offline render ends its Workers; its stats stay readable).
 */
export function createUpmixer(context: BaseAudioContext, options?: UpmixerOptions): Promise<UpmixerNode>;
export function createUpmixer<T extends StandardizedContext>(context: T, options?: UpmixerOptions): Promise<StandardizedUpmixerNode<T>>;
export async function createUpmixer(context: AnyContext, options: UpmixerOptions = {}): Promise<UpmixerMembers<unknown>> {
  // Chromium's own error says "no execution context"; standardized-audio-context's makes a node that never runs.
  if (context.state === 'closed') throw new Error('the AudioContext is closed (or the OfflineAudioContext has rendered): create the upmixer on an open context');
  // Meters over shared memory where the page allows it (null elsewhere: messages then).
  const meterBuffer = createCueMeterBuffer(BAND_COUNT);
  const modelOptions = options.model === false ? null : options.model === true || options.model === undefined ? {} : options.model;
  const sharedCues = modelOptions && canShareMemory() ? createSharedCueBuffers() : null;
  const offline = isOfflineContext(context);
  // A wrong style throws before anything is made.
  const initialStyle = options.style === undefined ? DEFAULT_SELECTION : selectStyle(options.style);
  const processorOptions: UpmixerProcessorOptions = {
    ...checkSettings(options),
    // In the processor from its first quantum (a message could come a few quanta late in an offline render).
    ...(initialStyle.isDefault ? {} : { style: { iccs: [...initialStyle.style.icc], ildsDb: [...initialStyle.style.ildDb], hold: initialStyle.isPreset } }),
    ...(meterBuffer ? { meterBuffer } : {}),
    ...(modelOptions ? { model: { ...(sharedCues ? { shared: sharedCues } : {}), waitMs: offline && sharedCues ? OFFLINE_MODEL_WAIT_MS : 0 } } : {}),
  };
  const parameterData = initialControls(options.controls ?? {});
  // Throws for unsupported rates and quantum sizes before anything is loaded.
  const renderQuantumSize = checkRenderQuantumSize((context as { renderQuantumSize?: number }).renderQuantumSize ?? 128);
  const ceiling = options.ceiling ?? SETTING_SPECS.ceiling.defaultValue;
  const latency =
    frameConfigFor(context.sampleRate, processorOptions.mode).latency + quantumLatency(renderQuantumSize) + (ceiling ? limiterLatency(context.sampleRate) : 0);
  await loadWorkletModule(context, options.workletUrl ?? new URL('./upmixer.worklet.js', import.meta.url));
  const nodeOptions = {
    numberOfInputs: 1,
    numberOfOutputs: 1,
    outputChannelCount: [2],
    channelCount: 2,
    channelCountMode: 'explicit' as const,
    channelInterpretation: 'speakers' as const,
    parameterData,
    processorOptions: { ...processorOptions, renderQuantumSize, ceiling },
  };
  let node: AnyWorkletNode;
  if (isNativeContext(context)) {
    node = new AudioWorkletNode(context, UPMIXER_PROCESSOR_NAME, nodeOptions);
  } else {
    const { AudioWorkletNode: StandardizedAudioWorkletNode } = await import('standardized-audio-context');
    if (StandardizedAudioWorkletNode === undefined) throw noAudioWorklet();
    node = new StandardizedAudioWorkletNode(context, UPMIXER_PROCESSOR_NAME, nodeOptions);
  }
  const client = new UpmixerPortClient(node.port);
  /** A model without a style input cannot take a style as a hint: every style is then held, as a preset is. */
  let modelIgnoresStyle = false;
  const model = modelOptions
    ? new ModelConnection(node, modelOptions, sharedCues, {
        onReady: (takesStyle) => {
          modelIgnoresStyle = !takesStyle;
          // A style the model was to take as a hint (set before it ran) is held instead (at its time, if it had one).
          if (modelIgnoresStyle && !style.isDefault && !style.isPreset) sendStyle(style, styleId, styleAtFrame);
        },
        onLost: () => client.send({ type: 'detach-model' }),
      }, offline ? (modelOptions.loadTimeoutMs ?? OFFLINE_MODEL_LOAD_TIMEOUT_MS) : undefined)
    : null;
  let processorStatus: ProcessorStatus = 'running';
  const onProcessorError = (event: Event): void => {
    if (processorStatus !== 'running') return;
    processorStatus = 'failed';
    const message = (event as ErrorEvent).message || 'the audio thread threw an exception';
    const error = `the upmixer's processor failed (${message}); the node is silent: create a new one`;
    client.close(new Error(error));
    model?.dispose();
    node.dispatchEvent(new CustomEvent<UpmixerErrorDetail>('upmixererror', { detail: { error } }));
  };
  node.addEventListener('processorerror', onProcessorError);
  const members = upmixerMembers(node, client, processorOptions.mode, latency, context.sampleRate, meterBuffer, ceiling);
  const references = new ReferenceAnalyser(String(options.styleWorkerUrl ?? new URL('./style-analysis.worker.js', import.meta.url)));
  let style: StyleSelection = initialStyle;
  /**
   * The id of the last style asked for (the initial style's is 0, as the processor's first stamp), and
   * the frame it was timed at: the Worker conditions each frame on the style of the id the processor
   * stamped it with (see src/model/style-history.ts).
   */
  let styleId = 0;
  let styleAtFrame: { atFrame?: number } = {};
  // The Worker gets it before its first features (it keeps it until its model runs).
  model?.setStyle(initialStyle.style, styleId);
  /** The reference being analysed, if any: a later style or reference stops it (the last one asked for wins). */
  let referenceAnalysis: AbortController | null = null;
  const overtakeReference = (): void => {
    referenceAnalysis?.abort(new DOMException('a later setStyle or setReference overtook this reference', 'AbortError'));
    referenceAnalysis = null;
  };
  /**
   * The style to the processor (at `atFrame`, or at once): its fixed cues, and the model's held at it for
   * a preset (or any style, see above); from then on it stamps the model's frames with `id`.
   */
  const sendStyle = (selection: StyleSelection, id: number, atFrame: { atFrame?: number }): void => {
    if (selection.isDefault) client.send({ type: 'clear-style', styleId: id, ...atFrame });
    else client.send({ type: 'set-style', iccs: Float32Array.from(selection.style.icc), ildsDb: Float32Array.from(selection.style.ildDb), hold: selection.isPreset || modelIgnoresStyle, styleId: id, ...atFrame });
  };
  const applyStyle = (selection: StyleSelection, atFrame: { atFrame?: number }, analysedSeconds?: number): void => {
    style = selection;
    styleId = nextStyleId(styleId);
    styleAtFrame = atFrame;
    // The Worker first: it has the style by the time frames stamped with its id come (a timed one, long before).
    model?.setStyle(selection.style, styleId);
    sendStyle(selection, styleId, atFrame);
    const detail: StyleChangeDetail = { style: selection.style, name: selection.name, ...(analysedSeconds === undefined ? {} : { analysedSeconds }) };
    node.dispatchEvent(new CustomEvent<StyleChangeDetail>('stylechange', { detail }));
  };
  members.setStyle = (next: Style | string, referenceName?: string, when?: Seconds): void => {
    const selection = selectStyle(next, referenceName);
    const atFrame = frameAt(when, context.sampleRate);
    if (processorStatus === 'disposed') return; // as a reference analysed after dispose: not applied, no event
    overtakeReference();
    applyStyle(selection, atFrame);
  };
  /** A reference's style, and the seconds analysed when it was longer than that: a file streamed in the Worker, or decoded here. */
  const analyseReference = async (reference: AudioBufferLike | Blob, name: string, signal: AbortSignal): Promise<{ style: Style; analysedSeconds?: number }> => {
    let buffer: AudioBufferLike;
    if (isBlob(reference)) {
      const read = await references.analyseFile(reference, name, signal);
      if (read.type === 'style') return read;
      // A format the Worker does not read: the browser's decoder, whole, at the context's rate.
      try {
        buffer = await context.decodeAudioData(await reference.arrayBuffer());
      } catch (error) {
        throw new StyleError(read.known ? read.reason : `not an audio file this browser can decode (${error instanceof Error ? error.message || error.name : String(error)})`);
      }
      if (signal.aborted) throw signal.reason;
    } else {
      buffer = reference;
    }
    const style = await references.analyse(buffer, signal);
    const analysedFrames = Math.round(MAX_REFERENCE_SECONDS * buffer.sampleRate);
    return buffer.length > analysedFrames ? { style, analysedSeconds: analysedFrames / buffer.sampleRate } : { style };
  };
  members.setReference = async (reference: AudioBufferLike | Blob, name = referenceName(reference)): Promise<Style> => {
    overtakeReference();
    const analysis = new AbortController();
    referenceAnalysis = analysis;
    let analysed: { style: Style; analysedSeconds?: number };
    try {
      analysed = await analyseReference(reference, name, analysis.signal);
    } catch (error) {
      // Overtaken: not this reference's fault, so no styleerror.
      if (analysis.signal.aborted) throw analysis.signal.reason;
      const message = error instanceof Error ? error.message : String(error);
      if (processorStatus !== 'disposed') node.dispatchEvent(new CustomEvent<StyleErrorDetail>('styleerror', { detail: { error: message, reference: name } }));
      throw error instanceof StyleError ? error : new StyleError(message);
    } finally {
      if (referenceAnalysis === analysis) referenceAnalysis = null;
    }
    // (Overtaken after its answer came, before this ran: as overtaken before.)
    if (analysis.signal.aborted) throw analysis.signal.reason;
    if (processorStatus !== 'disposed') applyStyle({ style: analysed.style, name: `${REFERENCE_PREFIX}${name}`, isDefault: false, isPreset: false }, {}, analysed.analysedSeconds);
    return analysed.style;
  };
  let input = processorOptions.input;
  let inputPath: InputPath = input === 'stereo' ? 'stereo' : 'mono';
  client.onInputPath = (path) => {
    if (path === inputPath) return;
    inputPath = path;
    node.dispatchEvent(new CustomEvent<InputPathDetail>('inputpathchange', { detail: { path } }));
  };
  members.setInput = (kind: InputKind, when?: Seconds): void => {
    const atFrame = frameAt(when, context.sampleRate);
    input = checkInputKind(kind);
    client.send({ type: 'set-input', input, ...atFrame });
  };
  // A closed context never runs the node again: a live one's node is disposed, and a finished offline
  // render ends its Workers (its stats stay readable: the processor still answers).
  const contextEvents = context as unknown as EventTarget;
  const onContextState = (): void => {
    if (context.state !== 'closed') return;
    if (!offline) {
      members.dispose();
      return;
    }
    contextEvents.removeEventListener('statechange', onContextState);
    model?.dispose();
    references.dispose(new Error('the offline render is finished'));
  };
  contextEvents.addEventListener('statechange', onContextState);
  members.dispose = () => {
    if (processorStatus === 'disposed') return;
    const wasRunning = processorStatus === 'running';
    processorStatus = 'disposed';
    contextEvents.removeEventListener('statechange', onContextState);
    node.removeEventListener('processorerror', onProcessorError);
    if (wasRunning) client.send({ type: 'dispose' });
    client.close(new Error('the upmixer was disposed'));
    model?.dispose();
    references.dispose(new Error('the upmixer was disposed'));
  };
  const upmixer = Object.assign(node, members);
  // Live getters (Object.assign would copy their values once).
  Object.defineProperties(upmixer, {
    modelStatus: { get: () => model?.status ?? 'off', enumerable: true },
    modelError: { get: () => model?.error, enumerable: true },
    processorStatus: { get: () => processorStatus, enumerable: true },
    input: { get: () => input, enumerable: true },
    inputPath: { get: () => inputPath, enumerable: true },
    style: { get: () => style.style, enumerable: true },
    styleName: { get: () => style.name, enumerable: true },
  });
  // Offline, the render must not start before the model can answer (it would start on the fixed profile).
  if (offline && model) await model.settled;
  return upmixer;
}

/** Where {@link preloadUpmixer} finds the files; the same defaults as {@link createUpmixer}. */
export interface PreloadOptions {
  workletUrl?: string | URL;
  /** The model Worker and the model file (`false`: only the worklet module). */
  model?: boolean | Pick<ModelOptions, 'url' | 'workerUrl'>;
}

/**
 * Starts downloading what the first upmixer will need (the worklet module, the model Worker, the model,
 * onnxruntime's script and wasm) into the browser's HTTP cache, before there is an AudioContext (which
 * needs a user gesture to sound): call it at page load, and the model is ready sooner after Play. Resolves
 * once every file is in (rejects with the first failure). Needs a server that lets the browser cache them
 * (validators, no `no-store`: see the README); the files are fetched once per page however often it is called.
 * With the model, it also starts the first node's model Worker, which compiles onnxruntime and loads the
 * model while the page waits (one per page; the next node created takes it, and it lives until then).
 * Main thread.
 */
export function preloadUpmixer(options: PreloadOptions = {}): Promise<void> {
  const model = options.model === false ? null : options.model === true || options.model === undefined ? {} : options.model;
  const urls = [String(options.workletUrl ?? new URL('./upmixer.worklet.js', import.meta.url))];
  if (model) {
    const workerUrl = new URL(String(model.workerUrl ?? new URL('./cue-model.worker.js', import.meta.url)), globalThis.location?.href);
    const modelUrl = String(model.url ?? new URL('./cue-model.onnx', import.meta.url));
    // The Worker loads onnxruntime from beside itself.
    urls.push(workerUrl.href, modelUrl);
    urls.push(new URL('./ort-wasm-simd-threaded.mjs', workerUrl).href, new URL('./ort-wasm-simd-threaded.wasm', workerUrl).href);
    // And the first node's Worker starts now: onnxruntime compiled, the model loaded, before Play.
    startSpareWorker(modelUrl, workerUrl.href);
  }
  return Promise.all(urls.map(preloadOnce)).then(() => undefined);
}

/** One download per URL and page (a failed one may be tried again). */
const preloads = new Map<string, Promise<void>>();

/** True for a file given as a reference (a `Blob` or `File`), false for decoded audio. */
function isBlob(reference: AudioBufferLike | Blob): reference is Blob {
  return typeof Blob !== 'undefined' && reference instanceof Blob;
}

/** A reference's default name: a File's own, else `reference`. */
function referenceName(reference: AudioBufferLike | Blob): string {
  return typeof File !== 'undefined' && reference instanceof File && reference.name !== '' ? reference.name : 'reference';
}

function preloadOnce(url: string): Promise<void> {
  const absolute = new URL(url, globalThis.location?.href).href;
  let load = preloads.get(absolute);
  if (load === undefined) {
    load = fetch(absolute).then(async (response) => {
      if (!response.ok) throw new Error(`cannot preload ${absolute}: HTTP ${response.status}`);
      await response.arrayBuffer();
    });
    load.catch(() => preloads.delete(absolute));
    preloads.set(absolute, load);
  }
  return load;
}

/** How long an offline frame waits for its cues before it holds the last ones (a stalled Worker). */
const OFFLINE_MODEL_WAIT_MS = 5000;


/**
 * Why a context has no AudioWorklet. Browsers give it to secure pages only: one served over plain http
 * from another address than localhost (a LAN address, `--host 0.0.0.0`) lacks it in every browser.
 */
function noAudioWorklet(): Error {
  return new Error(
    globalThis.isSecureContext === false
      ? 'AudioWorklet is only available on secure pages: serve the page over https, or open it as http://localhost'
      : 'this browser has no AudioWorklet support',
  );
}

function loadWorkletModule(context: AnyContext, url: string | URL): Promise<void> {
  const cached = moduleLoads.get(context);
  if (cached !== undefined) return cached;
  const worklet = context.audioWorklet;
  if (worklet === undefined) return Promise.reject(noAudioWorklet());
  const load = worklet.addModule(String(url));
  // A failed load (wrong URL, network) must not poison the cache: the next call tries again.
  load.catch(() => moduleLoads.delete(context));
  moduleLoads.set(context, load);
  return load;
}


/** `{ atFrame }` for a setting timed at context time `when` (seconds), `{}` for one at once; RangeError for a `when` that is no time. */
function frameAt(when: Seconds | undefined, sampleRate: number): { atFrame?: number } {
  if (when === undefined) return {};
  if (!(Number.isFinite(when) && when >= 0)) throw new RangeError(`a setting's time must be a context time in seconds (0 or more), not ${String(when)}`);
  return { atFrame: Math.ceil(when * sampleRate - 1e-6) };
}

/** Every control's initial value (defaults where not given), clamped: AudioWorkletNode throws on out-of-range parameterData. */
function initialControls(controls: Partial<ControlValues>): Record<string, number> {
  const values: Record<string, number> = {};
  for (const spec of CONTROL_SPECS) values[spec.name] = spec.defaultValue;
  for (const [name, value] of Object.entries(controls)) {
    if (value === undefined) continue;
    const spec = controlSpec(name);
    values[spec.name] = clampControl(spec, value);
  }
  return values;
}

function upmixerMembers(
  node: AnyWorkletNode,
  client: UpmixerPortClient,
  mode: LatencyMode,
  latency: Samples,
  sampleRate: number,
  meterBuffer: SharedArrayBuffer | null,
  ceiling: boolean,
): UpmixerMembers<unknown> {
  const param = (name: keyof ControlValues): unknown => {
    const found = node.parameters.get(name);
    if (found === undefined) throw new Error(`the upmixer processor has no "${name}" parameter: is the worklet module out of date?`);
    return found;
  };
  const meters = new CueMeterClient(meterBuffer, () => client.getMeters());
  return {
    mode,
    latencySamples: latency,
    latencySeconds: latency / sampleRate,
    width: param('width'),
    bassMonoHz: param('bassMonoHz'),
    mix: param('mix'),
    bypass: param('bypass'),
    ceilingDb: param('ceilingDb'),
    spread: param('spread'),
    ceiling,
    input: 'auto',
    setInput(): void {},
    inputPath: 'mono',
    setVariation(variation: number, when?: Seconds): void {
      checkSettings({ variation });
      client.send({ type: 'set-variation', variation, ...frameAt(when, sampleRate) });
    },
    style: DEFAULT_SELECTION.style,
    styleName: DEFAULT_SELECTION.name,
    setStyle(): void {},
    setReference: (): Promise<Style> => Promise.reject(new Error('unreachable')),
    getStats: (): Promise<UpmixerStats> => client.getStats(),
    readCueMeters: (out: CueMeterReading): Promise<boolean> => meters.read(out),
    meterTransport: meters.transport,
    modelStatus: 'off',
    modelError: undefined,
    processorStatus: 'running',
    dispose(): void {},
  };
}
