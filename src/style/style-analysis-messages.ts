/**
 * Messages between the main thread and the style analysis Worker (style-analysis.worker.ts), which
 * analyses a reference mix's style off the main thread and off the audio thread. The mix goes in chunks
 * (a few in flight, their buffers handed back for the next ones), so a long reference never sits in
 * memory twice: `start`, then `chunk`s in order, then `end`; the Worker answers each chunk with `consumed`
 * and the end with `style` or `failed` (`failed` may also come early, for a chunk it could not take).
 * Or a `file` (a Blob: a dropped File), which the Worker reads and decodes itself a slice at a time
 * (src/audio-file) and answers with `style` or `failed`, or with `unsupported` when it cannot read that
 * format (the main thread then decodes it with `decodeAudioData` and sends it in chunks).
 * @packageDocumentation
 */
import type { Style } from './style.js';

/** Why a one-channel reference gives no style (said the same way for a buffer and for a file). */
export const MONO_REFERENCE_MESSAGE = 'the reference has one channel: a style comes from a stereo mix';

/** Main thread to Worker: a reference at this sample rate follows. */
export interface StartReferenceMessage {
  readonly type: 'start';
  readonly sampleRate: number;
}

/** Main thread to Worker: the reference's next samples, both channels the same length (transferred). */
export interface ReferenceChunkMessage {
  readonly type: 'chunk';
  readonly left: Float32Array;
  readonly right: Float32Array;
}

/** Main thread to Worker: that was the whole reference; answer with its style. */
export interface EndReferenceMessage {
  readonly type: 'end';
}

/** Main thread to Worker: a whole reference file to read, decode and analyse (its first `maxSeconds`). */
export interface ReferenceFileMessage {
  readonly type: 'file';
  readonly file: Blob;
  /** The file's name, for messages. */
  readonly name: string;
  readonly maxSeconds: number;
}

/** What the main thread sends the style analysis Worker. */
export type StyleAnalysisRequest = StartReferenceMessage | ReferenceChunkMessage | EndReferenceMessage | ReferenceFileMessage;

/** Worker to main thread: a chunk is analysed; its buffers come back (transferred) for the next chunks. */
export interface ChunkConsumedReport {
  readonly type: 'consumed';
  readonly left: Float32Array;
  readonly right: Float32Array;
}

/**
 * Worker to main thread: a chunk was taken; the reference's style (with the seconds analysed when a file
 * was longer: its start only); why there is none; or, for a file, that the Worker cannot read it
 * (`reason`; `known`: the format was recognised, so the reason says more than a browser's decoder would).
 */
export type StyleAnalysisReport =
  | ChunkConsumedReport
  | { readonly type: 'style'; readonly style: Style; readonly analysedSeconds?: number }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'unsupported'; readonly reason: string; readonly known: boolean };

/** True if `data` is a well-formed {@link StyleAnalysisRequest}. */
export function isStyleAnalysisRequest(data: unknown): data is StyleAnalysisRequest {
  if (typeof data !== 'object' || data === null) return false;
  const request = data as Record<string, unknown>;
  return (
    (request.type === 'start' && typeof request.sampleRate === 'number') ||
    (request.type === 'chunk' && request.left instanceof Float32Array && request.right instanceof Float32Array) ||
    request.type === 'end' ||
    (request.type === 'file' && typeof Blob !== 'undefined' && request.file instanceof Blob && typeof request.name === 'string' && typeof request.maxSeconds === 'number')
  );
}

/** True if `data` is a well-formed {@link StyleAnalysisReport} (the style's numbers are checked by the receiver). */
export function isStyleAnalysisReport(data: unknown): data is StyleAnalysisReport {
  if (typeof data !== 'object' || data === null) return false;
  const report = data as Record<string, unknown>;
  return (
    (report.type === 'consumed' && report.left instanceof Float32Array && report.right instanceof Float32Array) ||
    (report.type === 'style' && typeof report.style === 'object' && report.style !== null) ||
    (report.type === 'failed' && typeof report.message === 'string') ||
    (report.type === 'unsupported' && typeof report.reason === 'string' && typeof report.known === 'boolean')
  );
}
