/**
 * What crosses the thread boundary between an upmixer node and its processor, besides the AudioParams:
 * the construction options and the typed port messages (discriminated unions on `type`).
 * @packageDocumentation
 */
import { BAND_COUNT } from '../dsp/bands.js';
import type { LatencyMode } from '../dsp/frame-config.js';
import { INPUT_KINDS, INPUT_PATHS, type InputKind, type InputPath } from '../dsp/input-kind.js';
import type { FftImplementation } from '../dsp/wasm-fft.js';
import type { SharedCueBuffers } from '../model/shared-cue-channel.js';
import { MAX_STYLE_ID } from '../model/style-history.js';

/** `processorOptions` of the upmixer's AudioWorkletNode; fixed for the node's lifetime. */
export interface UpmixerProcessorOptions {
  /** Framing and latency of the engine. */
  readonly mode: LatencyMode;
  /** Initial pan-layout seed (integer). */
  readonly variation: number;
  /** What the input is taken for at first (`auto` when absent); `set-input` changes it. */
  readonly input?: InputKind;
  /**
   * The context's render quantum in samples (default 128); sizes that are not multiples of 128 add 128
   * samples of latency (see quantum-adapter.ts).
   */
  readonly renderQuantumSize?: number;
  /**
   * Where the processor publishes the cues in use once per frame for meters (see cue-meter-buffer.ts);
   * only given where the page is cross-origin isolated. Without it, meters use `get-meters` messages.
   */
  readonly meterBuffer?: SharedArrayBuffer;
  /**
   * The learned model's cues: absent = fixed profile only. `shared` rings when the page is cross-origin
   * isolated (the processor attaches once the Worker flags its model ready), otherwise the Worker's
   * MessagePort arrives in an `attach-model` command. `waitMs` > 0 (offline rendering with shared rings
   * only) makes each frame wait up to that long for its own cues, so renders do not depend on speed.
   */
  readonly model?: { readonly shared?: SharedCueBuffers; readonly waitMs: number };
  /** The output's peak limiter at the `ceilingDb` AudioParam (adds its look-ahead to the latency). */
  readonly ceiling?: boolean;
  /**
   * The style of the fixed cues from the first quantum (per band ICC and |ILD| dB); absent: the built-in
   * profile. `hold`: the model's cues are held at it too (see `set-style`). `set-style` changes it.
   */
  readonly style?: { readonly iccs: readonly number[]; readonly ildsDb: readonly number[]; readonly hold: boolean };
}

/** Main thread to processor. */
export type UpmixerCommand =
  /**
   * Chooses another pan layout; the change glides. With `atFrame` (a context frame), from the first
   * render quantum that starts there or later (held until then); without, at once.
   */
  | { readonly type: 'set-variation'; readonly variation: number; readonly atFrame?: number }
  /** Chooses what the input is taken for; a change of path crossfades. `atFrame` as for `set-variation`. */
  | { readonly type: 'set-input'; readonly input: InputKind; readonly atFrame?: number }
  /**
   * A style (per band ICC and |ILD| in dB, one value per band each) for the fixed cues: they are the fixed
   * profile while there is no model (model off, not loaded yet, or lost). The processor copies them into
   * arrays it already has; the synthesis glides to them. `hold`: the model's cues are held at the style
   * over the long run too (a preset, or any style when the model has no style input to take it as a hint).
   * `atFrame` as for `set-variation`. `styleId`: the id under which the main thread sent the same style
   * to the model Worker; from the quantum the style applies in, the processor stamps the feature frames
   * it sends with it, and the Worker conditions the model by each frame's stamp (absent: the stamp stays).
   */
  | { readonly type: 'set-style'; readonly iccs: Float32Array; readonly ildsDb: Float32Array; readonly hold: boolean; readonly atFrame?: number; readonly styleId?: number }
  /** Back to the built-in fixed profile (the default style on the fixed path), gliding. `atFrame` and `styleId` as for `set-style`. */
  | { readonly type: 'clear-style'; readonly atFrame?: number; readonly styleId?: number }
  /** Asks for an {@link UpmixerReport} of type `stats`, echoing `requestId`. */
  | { readonly type: 'get-stats'; readonly requestId: number }
  /**
   * Asks for an {@link UpmixerReport} of type `meters` (the cues in use), echoing `requestId`. Only the
   * main thread initiates it, and only while a meter is shown (~30 Hz at most): each answer costs the
   * audio thread a structured clone, which the shared meter buffer avoids where it is available.
   */
  | { readonly type: 'get-meters'; readonly requestId: number }
  /** Connects the model Worker's MessagePort (no shared memory), once its model is loaded. */
  | { readonly type: 'attach-model'; readonly port: MessagePort }
  /** The model is gone (its Worker died): back to the fixed profile, gliding; the node keeps sounding. */
  | { readonly type: 'detach-model' }
  /** The node was disposed: the processor drops the model and `process()` returns false from then on. */
  | { readonly type: 'dispose' };

/**
 * Processor to main thread: answers to commands, and `input-path` when the path the input takes changes
 * (never per render quantum).
 */
export type UpmixerReport =
  | {
      readonly type: 'stats';
      readonly requestId: number;
      /** Input samples replaced by silence because they were NaN, infinite or absurdly large. */
      readonly badInputSamples: number;
      /** Render quanta processed so far. */
      readonly quanta: number;
      /** Frames that got their own model cues. */
      readonly modelFrames: number;
      /** Frames whose model cues were late (the last cues were held). */
      readonly lateFrames: number;
      /** Frames on the fixed profile (model off, or not loaded yet). */
      readonly fallbackFrames: number;
      /** Port messages that were not valid commands (ignored). */
      readonly malformedMessages: number;
      /**
       * Upmixer processors this context ran in the last finished render quantum, this one included:
       * how many instances the audio thread carries (a disposed node no longer counts).
       */
      readonly runningProcessors: number;
      /**
       * Offline rendering: true once a frame waited for its cues in vain; from then on no frame waits (the
       * last cues are held), so the rest of the render is not the model's exact output.
       */
      readonly degraded: boolean;
      /**
       * The FFT the engine runs: `wasm-simd` (PFFFT's WebAssembly SIMD build), or `js` (fft.js) where
       * the browser lacks WebAssembly SIMD, with the engine's other SIMD kernels off too: about 2 times
       * the engine's cost in live mode, 3 times in quality mode.
       */
      readonly fft: FftImplementation;
    }
  | {
      readonly type: 'meters';
      readonly requestId: number;
      /** Per band: the output's ICC (1 = mono), as the engine's `readCues` writes it. */
      readonly iccs: Float32Array;
      /** Per band: the output's signed ILD in dB (positive = left louder). */
      readonly ildsDb: Float32Array;
    }
  /** The path the input takes now changed (sent once at start too); unsolicited, so it has no request id. */
  | { readonly type: 'input-path'; readonly path: InputPath };

const isRequestId = (value: unknown): boolean => Number.isInteger(value) && (value as number) >= 0;
const isCount = (value: unknown): boolean => typeof value === 'number' && value >= 0;
const isFrameOrAbsent = (value: unknown): boolean => value === undefined || (Number.isInteger(value) && (value as number) >= 0);
const isStyleIdOrAbsent = (value: unknown): boolean => value === undefined || (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_STYLE_ID);

/** True if `data` (from a MessageEvent) is a well-formed {@link UpmixerReport}. Safe anywhere. */
export function isUpmixerReport(data: unknown): data is UpmixerReport {
  if (typeof data !== 'object' || data === null) return false;
  const report = data as Record<string, unknown>;
  if (report.type === 'input-path') return INPUT_PATHS.includes(report.path as InputPath);
  if (!isRequestId(report.requestId)) return false;
  switch (report.type) {
    case 'stats':
      return (
        isCount(report.badInputSamples) &&
        isCount(report.quanta) &&
        isCount(report.modelFrames) &&
        isCount(report.lateFrames) &&
        isCount(report.fallbackFrames) &&
        isCount(report.malformedMessages) &&
        isCount(report.runningProcessors) &&
        typeof report.degraded === 'boolean' &&
        (report.fft === 'wasm-simd' || report.fft === 'js')
      );
    case 'meters':
      return report.iccs instanceof Float32Array && report.ildsDb instanceof Float32Array;
    default:
      return false;
  }
}

/**
 * True if `data` (from a MessageEvent) is a well-formed {@link UpmixerCommand}: the type and every field
 * it needs, with the right type. Safe on the audio thread (no allocation).
 */
export function isUpmixerCommand(data: unknown): data is UpmixerCommand {
  if (typeof data !== 'object' || data === null) return false;
  const command = data as Record<string, unknown>;
  switch (command.type) {
    case 'set-variation':
      return Number.isInteger(command.variation) && isFrameOrAbsent(command.atFrame);
    case 'set-input':
      return INPUT_KINDS.includes(command.input as InputKind) && isFrameOrAbsent(command.atFrame);
    case 'set-style':
      return (
        command.iccs instanceof Float32Array &&
        command.ildsDb instanceof Float32Array &&
        command.iccs.length === BAND_COUNT &&
        command.ildsDb.length === BAND_COUNT &&
        typeof command.hold === 'boolean' &&
        isFrameOrAbsent(command.atFrame) &&
        isStyleIdOrAbsent(command.styleId)
      );
    case 'clear-style':
      return isFrameOrAbsent(command.atFrame) && isStyleIdOrAbsent(command.styleId);
    case 'get-stats':
    case 'get-meters':
      return isRequestId(command.requestId);
    case 'attach-model':
      return typeof MessagePort === 'function' && command.port instanceof MessagePort;
    case 'detach-model':
    case 'dispose':
      return true;
    default:
      return false;
  }
}
