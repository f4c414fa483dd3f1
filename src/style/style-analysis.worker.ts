/**
 * The style analysis Worker: analyses one reference mix as its chunks come (style-analysis-messages.ts)
 * with a {@link ReferenceAnalysis} (dual mono refused, then the style), hands each chunk's buffers back,
 * answers with the style or with why there is none, and is ended by its owner. It holds a frame of
 * samples and per tile sums, never the whole mix. Off the main thread (a long file takes a moment) and
 * never on the audio thread.
 * @packageDocumentation
 */
import { ReferenceAnalysis } from './analyse-reference.js';
import { StyleError } from './presets.js';
import { isStyleAnalysisRequest, type StyleAnalysisReport, type StyleAnalysisRequest } from './style-analysis-messages.js';

/** The part of DedicatedWorkerGlobalScope used here (the DOM lib has no worker scope type). */
const scope = globalThis as unknown as { postMessage(message: unknown, transfer?: Transferable[]): void; onmessage: ((event: MessageEvent) => void) | null };

/** The reference being analysed; null before `start` and after an answer (later messages are ignored). */
let analysis: ReferenceAnalysis | null = null;

function failure(error: unknown): StyleAnalysisReport {
  return { type: 'failed', message: error instanceof StyleError ? error.message : `the style analysis failed (${String(error)})` };
}

/** The answer to `request`, and the buffers it hands back. */
function answer(request: StyleAnalysisRequest): [StyleAnalysisReport | null, Transferable[]] {
  try {
    if (request.type === 'start') {
      analysis = new ReferenceAnalysis(request.sampleRate);
      return [null, []];
    }
    if (analysis === null) return [null, []];
    if (request.type === 'chunk') {
      analysis.push(request.left, request.right);
      return [{ type: 'consumed', left: request.left, right: request.right }, [request.left.buffer, request.right.buffer]];
    }
    const style = analysis.finish();
    analysis = null;
    return [{ type: 'style', style }, []];
  } catch (error) {
    analysis = null;
    return [failure(error), []];
  }
}

scope.onmessage = (event: MessageEvent) => {
  const request: unknown = event.data;
  if (!isStyleAnalysisRequest(request)) return;
  const [report, transfer] = answer(request);
  if (report !== null) scope.postMessage(report, transfer);
};
