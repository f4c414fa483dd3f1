/**
 * Messages between the main thread and the style analysis Worker (style-analysis.worker.ts), which
 * analyses a reference mix's style off the main thread and off the audio thread. The mix goes in chunks
 * (a few in flight, their buffers handed back for the next ones), so a long reference never sits in
 * memory twice: `start`, then `chunk`s in order, then `end`; the Worker answers each chunk with `consumed`
 * and the end with `style` or `failed` (`failed` may also come early, for a chunk it could not take).
 * @packageDocumentation
 */
import type { Style } from './style.js';

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

/** What the main thread sends the style analysis Worker. */
export type StyleAnalysisRequest = StartReferenceMessage | ReferenceChunkMessage | EndReferenceMessage;

/** Worker to main thread: a chunk is analysed; its buffers come back (transferred) for the next chunks. */
export interface ChunkConsumedReport {
  readonly type: 'consumed';
  readonly left: Float32Array;
  readonly right: Float32Array;
}

/** Worker to main thread: a chunk was taken, the reference's style, or why there is none. */
export type StyleAnalysisReport =
  | ChunkConsumedReport
  | { readonly type: 'style'; readonly style: Style }
  | { readonly type: 'failed'; readonly message: string };

/** True if `data` is a well-formed {@link StyleAnalysisRequest}. */
export function isStyleAnalysisRequest(data: unknown): data is StyleAnalysisRequest {
  if (typeof data !== 'object' || data === null) return false;
  const request = data as Record<string, unknown>;
  return (
    (request.type === 'start' && typeof request.sampleRate === 'number') ||
    (request.type === 'chunk' && request.left instanceof Float32Array && request.right instanceof Float32Array) ||
    request.type === 'end'
  );
}

/** True if `data` is a well-formed {@link StyleAnalysisReport} (the style's numbers are checked by the receiver). */
export function isStyleAnalysisReport(data: unknown): data is StyleAnalysisReport {
  if (typeof data !== 'object' || data === null) return false;
  const report = data as Record<string, unknown>;
  return (
    (report.type === 'consumed' && report.left instanceof Float32Array && report.right instanceof Float32Array) ||
    (report.type === 'style' && typeof report.style === 'object' && report.style !== null) ||
    (report.type === 'failed' && typeof report.message === 'string')
  );
}
