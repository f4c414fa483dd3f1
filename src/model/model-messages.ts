/**
 * Messages of the model Worker: with the main thread (loading, status) and, when there is no shared
 * memory, with the audio thread over a MessagePort (features out, cues back). Discriminated on `type`.
 * @packageDocumentation
 */
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
  readonly transport: CueTransport;
  /** Testing: wait this long before answering each frame (a slow device), default 0. */
  readonly answerDelayMs?: number;
}

/** Worker to main thread. */
export type ModelWorkerReport =
  | { readonly type: 'ready' }
  | { readonly type: 'failed'; readonly message: string };

/** Audio thread to Worker (port transport). */
export interface FeaturesMessage {
  readonly type: 'features';
  frameIndex: number;
  readonly features: Float32Array;
}

/** Worker to audio thread (port transport). */
export interface CuesMessage {
  readonly type: 'cues';
  readonly frameIndex: number;
  readonly iccs: Float32Array;
  readonly ildsDb: Float32Array;
}

export function isCuesMessage(data: unknown): data is CuesMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'cues';
}

export function isFeaturesMessage(data: unknown): data is FeaturesMessage {
  return typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'features';
}
