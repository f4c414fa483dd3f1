/**
 * The AudioWorkletProcessor adapter: feeds each render quantum to one {@link UpmixEngine}, reads the
 * controls from k-rate AudioParams and takes the rest (variation, input kind, style, stats) over the port.
 *
 * Runs in AudioWorkletGlobalScope; build.mjs bundles it into one self-contained module.
 * @packageDocumentation
 */
import { checkSettings, CONTROL_SPECS } from '../dsp/controls.js';
import { FixedCueSource } from '../dsp/cue-source.js';
import { UpmixEngine } from '../dsp/engine.js';
import { RENDER_QUANTUM } from '../dsp/frame-config.js';
import { fftImplementation, type FftImplementation } from '../dsp/wasm-fft.js';
import type { AudioParamDescriptor, AudioWorkletGlobalScope, AudioWorkletProcessorOptions } from './audio-worklet-global-scope.js';
import { ModelCueSource } from '../model/model-cue-source.js';
import { PortCueChannel } from '../model/port-cue-channel.js';
import { SharedCueChannel } from '../model/shared-cue-channel.js';
import { CueMeterWriter } from './cue-meter-buffer.js';
import { checkRenderQuantumSize, QuantumAdapter } from './quantum-adapter.js';
import { isUpmixerCommand, type UpmixerProcessorOptions, type UpmixerReport } from './messages.js';
import type { InputPath } from '../dsp/input-kind.js';
import { UPMIXER_PROCESSOR_NAME } from './processor-name.js';
import { TimedSettings, type TimedSetting } from './timed-settings.js';
import { controlParameterDescriptors } from './parameter-descriptors.js';

const scope = globalThis as unknown as AudioWorkletGlobalScope;

/**
 * Upmixer processors that ran per render quantum in this context (one global scope per context): the
 * frame being counted, the count so far for it, and the count of the last finished quantum. A typed
 * array, so the per-quantum update allocates nothing.
 */
const processorCensus = new Float64Array([-1, 0, 0]);
const CENSUS_FRAME = 0;
const CENSUS_COUNTING = 1;
const CENSUS_LAST = 2;

/** Counts this processor in the current render quantum's census. Audio thread. */
function countProcessor(): void {
  const frame = scope.currentFrame;
  if (frame !== processorCensus[CENSUS_FRAME]) {
    processorCensus[CENSUS_LAST] = processorCensus[CENSUS_COUNTING];
    processorCensus[CENSUS_COUNTING] = 0;
    processorCensus[CENSUS_FRAME] = frame;
  }
  processorCensus[CENSUS_COUNTING]++;
}

/** Reads and checks `processorOptions`; throws (the node then fires `processorerror`) if they are wrong. */
function readProcessorOptions(options: AudioWorkletProcessorOptions | undefined): UpmixerProcessorOptions {
  const given = (options?.processorOptions ?? {}) as Partial<UpmixerProcessorOptions>;
  const { mode, variation, input } = checkSettings(given);
  const meterBuffer = typeof SharedArrayBuffer === 'function' && given.meterBuffer instanceof SharedArrayBuffer ? given.meterBuffer : undefined;
  const renderQuantumSize = checkRenderQuantumSize(given.renderQuantumSize ?? RENDER_QUANTUM);
  const style = given.style && Array.isArray(given.style.iccs) && Array.isArray(given.style.ildsDb) ? given.style : undefined;
  return { mode, variation, input, meterBuffer, model: given.model, renderQuantumSize, ceiling: given.ceiling === true, style };
}

class UpmixerProcessor extends scope.AudioWorkletProcessor {
  static get parameterDescriptors(): AudioParamDescriptor[] {
    return controlParameterDescriptors();
  }

  private readonly engine: UpmixEngine;
  /** Cuts the context's render quanta into the engine's 128-sample blocks. */
  private readonly adapter: QuantumAdapter;
  /** Control names in CONTROL_SPECS order, read by index in process() (no iterator per quantum). */
  private readonly controlNames: string[];
  /** Last value given to the engine per control: setControl runs only on change. */
  private readonly appliedControls: Float64Array;
  /** Stands in for a disconnected input (zero input channels). */
  private readonly silence: Float32Array;
  private quanta = 0;
  /** Port messages that were not valid commands. */
  private malformedMessages = 0;
  /** After `dispose`: process() returns false, and the processor can be collected. */
  private disposed = false;
  /** Meters: the shared buffer's writer (cross-origin isolated pages), else null and `get-meters` messages. */
  private readonly meterWriter: CueMeterWriter | null;
  /** Meters: publish every this many quanta (one STFT hop), counted by `quantaToMeter`. */
  private readonly meterInterval: number;
  private quantaToMeter = 0;
  /** Meters: the reused answer to `get-meters` (its arrays are copied by postMessage, not transferred). */
  private readonly meterReport: { type: 'meters'; requestId: number; iccs: Float32Array; ildsDb: Float32Array };

  /** The path last reported to the main thread, and the two reports (made once: no allocation on a change). */
  private reportedPath: InputPath | null = null;
  private readonly pathReports: { readonly mono: UpmixerReport; readonly stereo: UpmixerReport } = {
    mono: { type: 'input-path', path: 'mono' },
    stereo: { type: 'input-path', path: 'stereo' },
  };

  /** The fixed cues (the profile, or a style's values): the cue source without a model, the model's fallback with one. */
  private readonly fixedCues: FixedCueSource;
  /** The model's cue source (null: fixed profile only), and its shared channel until it is attached. */
  private readonly modelCues: ModelCueSource | null;
  private pendingSharedChannel: SharedCueChannel | null = null;
  /** The channel in use, if it is the shared one (its `degraded` flag goes into the stats). */
  private sharedChannel: SharedCueChannel | null = null;
  /** The channel in use, if it is a port (closed on detach and dispose). */
  private portChannel: PortCueChannel | null = null;
  /** The FFT the engine's transforms run (for the stats). */
  private readonly fft: FftImplementation;
  /** Variation, input-kind and style changes waiting for their frame. */
  private readonly timedSettings = new TimedSettings();

  constructor(options?: AudioWorkletProcessorOptions) {
    super(options);
    const { mode, variation, input, meterBuffer, model, renderQuantumSize, ceiling, style } = readProcessorOptions(options);
    // One fixed cue source: the cues without a model, and the model's fallback (before it is ready, after it is lost).
    this.fixedCues = new FixedCueSource();
    this.modelCues = model ? new ModelCueSource(null, this.fixedCues) : null;
    if (model?.shared) this.pendingSharedChannel = new SharedCueChannel(model.shared, model.waitMs);
    this.fft = fftImplementation(); // what the engine's transforms, built next, will run
    // The initial AudioParam values build the engine, so that e.g. an initial bypass starts bypassed
    // instead of crossfading in the first 10 ms.
    this.engine = new UpmixEngine({
      sampleRate: scope.sampleRate,
      mode,
      variation,
      controls: options?.parameterData ?? {},
      cueSource: this.modelCues ?? this.fixedCues,
      ceiling,
      input,
    });
    // After the engine prepared the source (its arrays exist now).
    if (style) this.applyStyle(style.iccs, style.ildsDb, style.hold);
    this.adapter = new QuantumAdapter(this.engine, renderQuantumSize ?? RENDER_QUANTUM);
    this.silence = new Float32Array(this.adapter.renderQuantumSize);
    this.controlNames = CONTROL_SPECS.map((spec) => spec.name);
    this.appliedControls = new Float64Array(this.controlNames.length).fill(Number.NaN);
    this.meterInterval = Math.max(1, Math.round(this.engine.config.hopSize / RENDER_QUANTUM));
    const bands = this.engine.layout.bandCount;
    this.meterReport = { type: 'meters', requestId: -1, iccs: new Float32Array(bands), ildsDb: new Float32Array(bands) };
    const writer = meterBuffer ? new CueMeterWriter(meterBuffer) : null;
    this.meterWriter = writer !== null && writer.bandCount === bands ? writer : null;
    this.port.onmessage = (event: MessageEvent) => this.receive(event.data);
  }

  /**
   * A style: the fixed cues become it, and with `hold` (a preset, or a model without a style input) the
   * model's cues are held at it on the long run (otherwise it is a hint to the model). Copied into the
   * sources' own arrays: nothing allocated beyond the message.
   */
  private applyStyle(iccs: ArrayLike<number>, ildsDb: ArrayLike<number>, hold: boolean): void {
    this.fixedCues.setBandCues(iccs, ildsDb);
    if (hold) this.modelCues?.styleAnchor.setTarget(iccs, ildsDb);
    else this.modelCues?.styleAnchor.clear();
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][], parameters: Record<string, Float32Array>): boolean {
    if (this.disposed) return false;
    countProcessor();
    this.applyControls(parameters);
    for (let due = this.timedSettings.takeDue(scope.currentFrame); due !== null; due = this.timedSettings.takeDue(scope.currentFrame)) this.applySetting(due);
    if (this.pendingSharedChannel !== null && this.pendingSharedChannel.modelReady) {
      this.modelCues!.attach(this.pendingSharedChannel);
      this.sharedChannel = this.pendingSharedChannel;
      this.pendingSharedChannel = null;
    }
    const input = inputs[0];
    const output = outputs[0];
    const channels = input === undefined ? 0 : input.length;
    const inputLeft = channels === 0 ? this.silence : input[0];
    const inputRight = channels >= 2 ? input[1] : null;
    this.adapter.process(inputLeft, inputRight, output[0], output[1]);
    this.quanta++;
    const path = this.engine.inputPath;
    if (path !== this.reportedPath) {
      // Rare (a change of path, with a hold against flapping): the reports are made once, posting one
      // costs a structured clone, as the meters' answers do.
      this.reportedPath = path;
      this.port.postMessage(path === 'stereo' ? this.pathReports.stereo : this.pathReports.mono);
    }
    if (this.meterWriter !== null) this.publishMeters(this.meterWriter);
    return true;
  }

  /**
   * Meters over shared memory: once per STFT hop, the cues in use go into the shared buffer (a few dozen
   * stores between two atomic increments; no allocation, no message). Audio thread.
   */
  private publishMeters(writer: CueMeterWriter): void {
    if (++this.quantaToMeter < this.meterInterval) return;
    this.quantaToMeter = 0;
    writer.publish(this.engine);
  }

  /**
   * Meters over messages (no shared memory): answers one `get-meters` request with the cues in use.
   * The report object and its arrays are made at construction and reused; postMessage still
   * structured-clones them, which is why the main thread asks only while a meter is visible, at most
   * ~30 times a second.
   */
  private answerMeters(requestId: number): void {
    this.meterReport.requestId = requestId;
    this.engine.readCues(this.meterReport.iccs, this.meterReport.ildsDb);
    this.port.postMessage(this.meterReport);
  }

  private applyControls(parameters: Record<string, Float32Array>): void {
    const names = this.controlNames;
    for (let i = 0; i < names.length; i++) {
      const values = parameters[names[i]];
      if (values === undefined || values.length === 0) continue;
      // k-rate: one value per quantum. Comparing first keeps setControl (which looks the name up) off
      // the path of quanta whose controls did not move.
      if (values[0] === this.appliedControls[i]) continue;
      this.appliedControls[i] = values[0];
      this.engine.setControlFrom(i, values);
    }
  }

  /** Handles one port message. Never throws: a malformed message is counted and ignored. Audio thread. */
  private receive(data: unknown): void {
    if (this.disposed) return;
    if (!isUpmixerCommand(data)) {
      this.malformedMessages++;
      return;
    }
    switch (data.type) {
      case 'set-variation':
      case 'set-input':
      case 'set-style':
      case 'clear-style':
        // One for a later frame waits for it (automation scheduled ahead); a full queue applies it now.
        if (data.atFrame === undefined || data.atFrame <= scope.currentFrame || !this.timedSettings.hold(data, data.atFrame)) this.applySetting(data);
        break;
      case 'get-stats': {
        const report: UpmixerReport = {
          type: 'stats',
          requestId: data.requestId,
          badInputSamples: this.engine.badInputSamples,
          quanta: this.quanta,
          modelFrames: this.modelCues?.stats.modelFrames ?? 0,
          lateFrames: this.modelCues?.stats.lateFrames ?? 0,
          fallbackFrames: this.modelCues?.stats.fallbackFrames ?? 0,
          malformedMessages: this.malformedMessages,
          runningProcessors: processorCensus[CENSUS_LAST],
          degraded: this.sharedChannel?.degraded ?? false,
          fft: this.fft,
        };
        this.port.postMessage(report);
        break;
      }
      case 'get-meters':
        this.answerMeters(data.requestId);
        break;
      case 'attach-model':
        this.detachModel();
        this.portChannel = new PortCueChannel(data.port);
        this.modelCues?.attach(this.portChannel);
        break;
      case 'detach-model':
        this.detachModel();
        break;
      case 'dispose':
        this.detachModel();
        this.disposed = true;
        this.port.onmessage = null;
        break;
    }
  }

  /**
   * Applies a variation, input-kind or style change (the engine glides or crossfades to it; a style's id
   * stamps the feature frames sent from now on, so the model Worker conditions exactly those on it). Audio thread.
   */
  private applySetting(setting: TimedSetting): void {
    switch (setting.type) {
      case 'set-variation':
        this.engine.setVariation(setting.variation);
        break;
      case 'set-input':
        this.engine.setInputKind(setting.input);
        break;
      case 'set-style':
        this.applyStyle(setting.iccs, setting.ildsDb, setting.hold);
        if (setting.styleId !== undefined && this.modelCues !== null) this.modelCues.styleId = setting.styleId;
        break;
      case 'clear-style':
        this.fixedCues.resetBandCues();
        this.modelCues?.styleAnchor.clear();
        if (setting.styleId !== undefined && this.modelCues !== null) this.modelCues.styleId = setting.styleId;
        break;
    }
  }

  /** Back to the fixed profile (the synthesis glides to it): the model's channel is closed. */
  private detachModel(): void {
    this.pendingSharedChannel = null;
    this.sharedChannel = null;
    this.portChannel?.close();
    this.portChannel = null;
    this.modelCues?.attach(null);
  }
}

scope.registerProcessor(UPMIXER_PROCESSOR_NAME, UpmixerProcessor);
