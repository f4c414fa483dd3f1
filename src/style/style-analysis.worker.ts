/**
 * The style analysis Worker: analyses one reference mix as its chunks come (style-analysis-messages.ts)
 * with a {@link ReferenceAnalysis} (dual mono refused, then the style), hands each chunk's buffers back,
 * answers with the style or with why there is none, and is ended by its owner. It holds a frame of
 * samples and per tile sums, never the whole mix. Or it is given a file (a Blob), which it reads and
 * analyses a slice at a time (analyse-reference-file.ts): memory stays a few MB whatever its length. Off
 * the main thread (a long file takes a moment) and never on the audio thread.
 * @packageDocumentation
 */
import { ReferenceAnalysis } from './analyse-reference.js';
import { analyseReferenceFile, failure } from './analyse-reference-file.js';
import { isStyleAnalysisRequest, type ReferenceFileMessage, type StyleAnalysisReport, type StyleAnalysisRequest } from './style-analysis-messages.js';

/** The part of DedicatedWorkerGlobalScope used here (the DOM lib has no worker scope type). */
const scope = globalThis as unknown as { postMessage(message: unknown, transfer?: Transferable[]): void; onmessage: ((event: MessageEvent) => void) | null };

/** The reference being analysed; null before `start` and after an answer (later messages are ignored). */
let analysis: ReferenceAnalysis | null = null;

/** The answer to `request`, and the buffers it hands back. */
function answer(request: Exclude<StyleAnalysisRequest, ReferenceFileMessage>): [StyleAnalysisReport | null, Transferable[]] {
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
  if (request.type === 'file') {
    void analyseReferenceFile(request.file, request.name, request.maxSeconds).then((report) => scope.postMessage(report));
    return;
  }
  const [report, transfer] = answer(request);
  if (report !== null) scope.postMessage(report, transfer);
};
