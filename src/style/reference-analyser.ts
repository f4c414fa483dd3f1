/**
 * Main thread: analyses reference mixes' styles in a Worker (style-analysis.worker.ts), one short-lived
 * Worker per reference, so a long file never holds up the page and never touches the audio thread.
 * Owned by a node: {@link ReferenceAnalyser.dispose} ends every Worker still running.
 * @packageDocumentation
 */
import { checkStyle, StyleError } from './presets.js';
import { MAX_REFERENCE_SECONDS, type Style } from './style.js';
import { isStyleAnalysisReport, type AnalyseReferenceMessage } from './style-analysis-messages.js';

/** What is read from a reference: a native AudioBuffer, or standardized-audio-context's. */
export interface AudioBufferLike {
  readonly numberOfChannels: number;
  readonly length: number;
  readonly sampleRate: number;
  copyFromChannel(destination: Float32Array<ArrayBuffer>, channelNumber: number, bufferOffset?: number): void;
}

export class ReferenceAnalyser {
  private readonly running = new Map<Worker, (error: Error) => void>();
  private disposedBy: Error | null = null;

  /**
   * @param workerUrl - the built `style-analysis.worker.js`.
   * @param maxSeconds - how much of a reference's start is analysed.
   */
  constructor(
    private readonly workerUrl: string,
    private readonly maxSeconds = MAX_REFERENCE_SECONDS,
  ) {}

  /**
   * The reference's style (of its first `maxSeconds`). Rejects with a {@link StyleError} saying what is wrong with the reference (mono,
   * too short, silent, …) or why it could not be analysed, and with the reason once disposed.
   */
  analyse(buffer: AudioBufferLike): Promise<Style> {
    if (this.disposedBy !== null) return Promise.reject(this.disposedBy);
    if (buffer.numberOfChannels < 2) return Promise.reject(new StyleError('the reference has one channel: a style comes from a stereo mix'));
    // Copies (the buffer stays the caller's), transferred to the Worker.
    const length = Math.min(buffer.length, Math.round(this.maxSeconds * buffer.sampleRate));
    const left = new Float32Array(length);
    const right = new Float32Array(length);
    buffer.copyFromChannel(left, 0);
    buffer.copyFromChannel(right, 1);
    let worker: Worker;
    try {
      worker = new Worker(this.workerUrl, { type: 'module' });
    } catch (error) {
      return Promise.reject(new StyleError(`the style analysis worker could not start from ${this.workerUrl}: ${String(error)}`));
    }
    return new Promise<Style>((resolve, reject) => {
      const end = (): void => {
        worker.terminate();
        this.running.delete(worker);
      };
      this.running.set(worker, (error) => {
        end();
        reject(error);
      });
      worker.addEventListener('message', (event: MessageEvent) => {
        end();
        const report: unknown = event.data;
        if (!isStyleAnalysisReport(report)) reject(new StyleError('the style analysis worker answered with a malformed message'));
        else if (report.type === 'failed') reject(new StyleError(report.message));
        else {
          try {
            resolve(checkStyle('the reference', report.style));
          } catch (error) {
            reject(error as Error);
          }
        }
      });
      worker.addEventListener('error', (event: ErrorEvent) => {
        end();
        reject(new StyleError(`the style analysis worker failed (${event.message || `could not load ${this.workerUrl}`})`));
      });
      const message: AnalyseReferenceMessage = { type: 'analyse', left, right, sampleRate: buffer.sampleRate };
      worker.postMessage(message, [left.buffer, right.buffer]);
    });
  }

  /** Ends every running analysis (its promise rejects with `reason`) and refuses new ones. Calling it again does nothing. */
  dispose(reason: Error): void {
    if (this.disposedBy !== null) return;
    this.disposedBy = reason;
    for (const stop of [...this.running.values()]) stop(reason);
  }
}
