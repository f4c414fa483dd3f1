/**
 * Messages of the model Worker: with the main thread (loading, status) and, when there is no shared
 * memory, with the audio thread over a MessagePort (features out, cues back). Discriminated on `type`.
 * @packageDocumentation
 */
import type { Style } from '../style/style.js';
import type { SharedCueBuffers } from './shared-cue-channel.js';

/** How the Worker talks to the audio thread. */
export type CueTransport =
  | { readonly kind: 'shared'; readonly buffers: SharedCueBuffers }
  | { readonly kind: 'port'; readonly port: MessagePort };

/** Main thread to Worker. */
export interface LoadModelMessage {
  readonly type: 'load';
  /** Where the ONNX file is (fetched by the Worker). */
  readonly modelUrl: string;
  /** How to reach the audio thread; absent for a Worker started ahead of its node (a {@link ConnectMessage} follows). */
  readonly transport?: CueTransport;
  /** onnxruntime's wasm, compiled once per page: the Worker instantiates it instead of compiling its own copy. */
  readonly wasmModule?: WebAssembly.Module;
  /** Testing: wait this long before each answer (one model call, for the frames waiting) (a slow device), default 0. */
  readonly answerDelayMs?: number;
  /** Testing: the Worker ends itself after answering this many frames (a crash), default never. */
  readonly exitAfterFrames?: number;
}

/** Main thread to a Worker loaded without a transport: serve this node (answered with `ready`). */
export interface ConnectMessage {
  readonly type: 'connect';
  readonly transport: CueTransport;
}

/** Main thread to Worker: are you alive? (answered with `pong`, echoing `id`). */
export interface PingMessage {
  readonly type: 'ping';
  readonly id: number;
}

/**
 * Main thread to Worker: the style with id `id` (a model without a style input ignores it). The model
 * conditions the windows of the feature frames stamped with that id on it (see style-history.ts), so a
 * timed style is sent at once, ahead of its time. May come before `load` or `connect`: the Worker keeps it.
 */
export interface SetStyleMessage {
  readonly type: 'set-style';
  readonly id: number;
  readonly style: Style;
}

/** Main thread to Worker. */
export type ModelWorkerCommand = LoadModelMessage | ConnectMessage | PingMessage | SetStyleMessage;

/**
 * Worker to main thread: `loaded` (model loaded, no transport yet), `ready` (serving a node; whether the
 * model has a style input), `failed`, `pong`.
 */
export type ModelWorkerReport =
  | { readonly type: 'loaded' }
  | { readonly type: 'ready'; readonly takesStyle: boolean }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'pong'; readonly id: number };

/** True if `data` is a well-formed {@link ModelWorkerReport}. */
export function isModelWorkerReport(data: unknown): data is ModelWorkerReport {
  if (typeof data !== 'object' || data === null) return false;
  const report = data as Record<string, unknown>;
  switch (report.type) {
    case 'loaded':
      return true;
    case 'ready':
      return typeof report.takesStyle === 'boolean';
    case 'failed':
      return typeof report.message === 'string';
    case 'pong':
      return Number.isInteger(report.id);
    default:
      return false;
  }
}

/** Audio thread to Worker (port transport). */
export interface FeaturesMessage {
  readonly type: 'features';
  frameIndex: number;
  /** The style id in force when the frame was sent (see style-history.ts). */
  styleId: number;
  readonly features: Float32Array;
}

/** Worker to audio thread (port transport). */
export interface CuesMessage {
  readonly type: 'cues';
  readonly frameIndex: number;
  readonly iccs: Float32Array;
  /** Per band |ILD| in dB. */
  readonly ildMagnitudesDb: Float32Array;
}

/** True if `data` is a well-formed {@link CuesMessage}. Audio thread: allocation-free. */
export function isCuesMessage(data: unknown): data is CuesMessage {
  if (typeof data !== 'object' || data === null) return false;
  const message = data as Record<string, unknown>;
  return message.type === 'cues' && Number.isInteger(message.frameIndex) && message.iccs instanceof Float32Array && message.ildMagnitudesDb instanceof Float32Array;
}

/** True if `data` is a well-formed {@link FeaturesMessage}. */
export function isFeaturesMessage(data: unknown): data is FeaturesMessage {
  if (typeof data !== 'object' || data === null) return false;
  const message = data as Record<string, unknown>;
  return message.type === 'features' && Number.isInteger(message.frameIndex) && Number.isInteger(message.styleId) && message.features instanceof Float32Array;
}
