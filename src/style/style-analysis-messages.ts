/**
 * Messages between the main thread and the style analysis Worker (style-analysis.worker.ts), which
 * analyses a reference mix's style off the main thread and off the audio thread.
 * @packageDocumentation
 */
import type { Style } from './style.js';

/** Main thread to Worker: analyse these two channels (transferred). */
export interface AnalyseReferenceMessage {
  readonly type: 'analyse';
  readonly left: Float32Array;
  readonly right: Float32Array;
  readonly sampleRate: number;
}

/** Worker to main thread: the reference's style, or why there is none. */
export type StyleAnalysisReport = { readonly type: 'style'; readonly style: Style } | { readonly type: 'failed'; readonly message: string };

/** True if `data` is a well-formed {@link StyleAnalysisReport} (the style's numbers are checked by the receiver). */
export function isStyleAnalysisReport(data: unknown): data is StyleAnalysisReport {
  if (typeof data !== 'object' || data === null) return false;
  const report = data as Record<string, unknown>;
  return (report.type === 'style' && typeof report.style === 'object' && report.style !== null) || (report.type === 'failed' && typeof report.message === 'string');
}
