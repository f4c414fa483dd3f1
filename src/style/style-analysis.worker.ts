/**
 * The style analysis Worker: analyses one reference mix (two channels, transferred) with
 * {@link analyseReference} (dual mono refused, then analyseStyle), answers with its style or with why it
 * has none, and is ended by its owner.
 * Off the main thread (a long file takes a moment) and never on the audio thread.
 * @packageDocumentation
 */
import { analyseReference } from './analyse-reference.js';
import { StyleError } from './presets.js';
import type { AnalyseReferenceMessage, StyleAnalysisReport } from './style-analysis-messages.js';

/** The part of DedicatedWorkerGlobalScope used here (the DOM lib has no worker scope type). */
const scope = globalThis as unknown as { postMessage(message: unknown): void; onmessage: ((event: MessageEvent) => void) | null };

function analyse(message: AnalyseReferenceMessage): StyleAnalysisReport {
  try {
    return { type: 'style', style: analyseReference(message.left, message.right, message.sampleRate) };
  } catch (error) {
    return { type: 'failed', message: error instanceof StyleError ? error.message : `the style analysis failed (${String(error)})` };
  }
}

scope.onmessage = (event: MessageEvent) => {
  const data = event.data as AnalyseReferenceMessage | undefined;
  if (data?.type === 'analyse' && data.left instanceof Float32Array && data.right instanceof Float32Array && typeof data.sampleRate === 'number') {
    scope.postMessage(analyse(data));
  }
};
