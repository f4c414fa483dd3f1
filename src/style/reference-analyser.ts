/**
 * Main thread: analyses reference mixes' styles in a Worker (style-analysis.worker.ts), one short-lived
 * Worker per reference, so a long file never holds up the page and never touches the audio thread.
 * The reference goes to the Worker in chunks, copies of slices of the AudioBuffer, at most
 * {@link MAX_CHUNKS_IN_FLIGHT} at a time, whose buffers the Worker hands back for the next ones: the
 * analysis adds a few MB to the page whatever the reference's length (a whole copy of ten minutes at
 * 192 kHz would be 920 MB). A reference file (a Blob) goes to the Worker as it is, which reads and decodes
 * it a slice at a time ({@link ReferenceAnalyser.analyseFile}). Owned by a node: {@link ReferenceAnalyser.dispose} ends every Worker still
 * running.
 * @packageDocumentation
 */
import { checkStyle, StyleError } from './presets.js';
import { MAX_REFERENCE_SECONDS, type Style } from './style.js';
import { isStyleAnalysisReport, MONO_REFERENCE_MESSAGE, type StyleAnalysisRequest } from './style-analysis-messages.js';

/** What is read from a reference: a native AudioBuffer, or standardized-audio-context's. */
export interface AudioBufferLike {
  readonly numberOfChannels: number;
  readonly length: number;
  readonly sampleRate: number;
  copyFromChannel(destination: Float32Array<ArrayBuffer>, channelNumber: number, bufferOffset?: number): void;
}

/** Frames per chunk posted to the Worker (512 KiB a channel). */
export const CHUNK_FRAMES = 1 << 17;

/** Chunks posted and not yet handed back, at most: enough to keep the Worker busy, few enough to bound memory. */
export const MAX_CHUNKS_IN_FLIGHT = 3;

/** What {@link ReferenceAnalyser.analyseFile} gives: the file's style, or why the Worker cannot read it. */
export type AnalysedFile =
  | { readonly type: 'style'; readonly style: Style; readonly analysedSeconds?: number }
  | { readonly type: 'unsupported'; readonly reason: string; readonly known: boolean };

export class ReferenceAnalyser {
  private readonly running = new Map<Worker, (error: unknown) => void>();
  private disposedBy: Error | null = null;

  /**
   * @param workerUrl - the built `style-analysis.worker.js`.
   * @param maxSeconds - how much of a reference's start is analysed.
   * @param chunkFrames - frames per chunk posted to the Worker.
   */
  constructor(
    private readonly workerUrl: string,
    private readonly maxSeconds = MAX_REFERENCE_SECONDS,
    private readonly chunkFrames = CHUNK_FRAMES,
  ) {}

  /**
   * The reference's style (of its first `maxSeconds`). Rejects with a {@link StyleError} saying what is
   * wrong with the reference (mono, too short, silent, …) or why it could not be analysed, with the
   * reason once disposed, and with `signal`'s reason when it aborts (the Worker ends at once).
   */
  analyse(buffer: AudioBufferLike, signal?: AbortSignal): Promise<Style> {
    if (buffer.numberOfChannels < 2) return Promise.reject(new StyleError(MONO_REFERENCE_MESSAGE));
    const length = Math.min(buffer.length, Math.round(this.maxSeconds * buffer.sampleRate));
    return this.run(signal, (worker, post, stop) => {
      /** Buffers handed back by the Worker, for the next chunks (at most MAX_CHUNKS_IN_FLIGHT pairs are ever made). */
      const spare: [Float32Array<ArrayBuffer>, Float32Array<ArrayBuffer>][] = [];
      let inFlight = 0;
      let offset = 0;
      /** Posts chunks until MAX_CHUNKS_IN_FLIGHT are out, and the end after the last; a buffer that cannot be read stops it all. */
      const sendChunks = (): void => {
        try {
          while (inFlight < MAX_CHUNKS_IN_FLIGHT && offset < length) {
            const pair = spare.pop() ?? [new Float32Array(Math.min(this.chunkFrames, length)), new Float32Array(Math.min(this.chunkFrames, length))];
            const count = Math.min(pair[0].length, length - offset);
            const left = pair[0].subarray(0, count);
            const right = pair[1].subarray(0, count);
            buffer.copyFromChannel(left, 0, offset);
            buffer.copyFromChannel(right, 1, offset);
            offset += count;
            inFlight++;
            post({ type: 'chunk', left, right }, [left.buffer, right.buffer]);
            if (offset === length) post({ type: 'end' });
          }
        } catch (error) {
          stop(new StyleError(`the reference could not be read (${String(error)})`));
        }
      };
      worker.addEventListener('message', (event: MessageEvent) => {
        const report: unknown = event.data;
        if (isStyleAnalysisReport(report) && report.type === 'consumed') {
          inFlight--;
          spare.push([new Float32Array(report.left.buffer as ArrayBuffer), new Float32Array(report.right.buffer as ArrayBuffer)]);
          sendChunks();
        }
      });
      post({ type: 'start', sampleRate: buffer.sampleRate });
      if (length === 0) post({ type: 'end' });
      sendChunks();
    }).then((answer) => (answer.type === 'style' ? answer.style : Promise.reject(new StyleError('the style analysis worker answered a buffer as a file'))));
  }

  /**
   * The style of a reference file (a `Blob`: a dropped or chosen `File`), read and decoded in the Worker a
   * slice at a time at the file's own rate (WAV, AIFF, FLAC, MP3, Ogg Vorbis, Ogg Opus): the file is never
   * in memory whole, decoded or not. Resolves with the style and, for a file longer than `maxSeconds`, the
   * seconds analysed; or with `unsupported` (why, and whether the format was recognised) when the Worker
   * cannot read it, for the caller to decode it another way. Rejects as {@link analyse} does.
   */
  analyseFile(file: Blob, name: string, signal?: AbortSignal): Promise<AnalysedFile> {
    return this.run(signal, (_worker, post) => post({ type: 'file', file, name, maxSeconds: this.maxSeconds })).then((answer) =>
      answer.type === 'style' ? { type: 'style', style: answer.style, analysedSeconds: answer.analysedSeconds } : answer,
    );
  }

  /**
   * Starts a Worker, lets `begin` talk to it, and settles with its answer (a style, checked, or a file it
   * cannot read); a `failed` answer, a malformed message, a Worker error, an abort and `dispose` reject.
   * The Worker ends with the answer.
   */
  private run(
    signal: AbortSignal | undefined,
    begin: (worker: Worker, post: (message: StyleAnalysisRequest, transfer?: Transferable[]) => void, stop: (error: unknown) => void) => void,
  ): Promise<AnalysedFile> {
    if (this.disposedBy !== null) return Promise.reject(this.disposedBy);
    if (signal?.aborted) return Promise.reject(signal.reason);
    let worker: Worker;
    try {
      worker = new Worker(this.workerUrl, { type: 'module' });
    } catch (error) {
      return Promise.reject(new StyleError(`the style analysis worker could not start from ${this.workerUrl}: ${String(error)}`));
    }
    return new Promise<AnalysedFile>((resolve, reject) => {
      const onAbort = (): void => stop(signal?.reason);
      const end = (): void => {
        worker.terminate();
        this.running.delete(worker);
        signal?.removeEventListener('abort', onAbort);
      };
      const stop = (error: unknown): void => {
        end();
        reject(error);
      };
      this.running.set(worker, stop);
      signal?.addEventListener('abort', onAbort);
      worker.addEventListener('message', (event: MessageEvent) => {
        const report: unknown = event.data;
        if (!isStyleAnalysisReport(report)) {
          stop(new StyleError('the style analysis worker answered with a malformed message'));
        } else if (report.type === 'failed') {
          stop(new StyleError(report.message));
        } else if (report.type === 'unsupported') {
          end();
          resolve(report);
        } else if (report.type === 'style') {
          end();
          try {
            resolve({ type: 'style', style: checkStyle('the reference', report.style), analysedSeconds: report.analysedSeconds });
          } catch (error) {
            reject(error as Error);
          }
        }
      });
      worker.addEventListener('error', (event: ErrorEvent) => {
        stop(new StyleError(`the style analysis worker failed (${event.message || `could not load ${this.workerUrl}`})`));
      });
      try {
        begin(worker, (message, transfer = []) => worker.postMessage(message, transfer), stop);
      } catch (error) {
        // A reference that cannot be sent (a Blob the platform cannot clone to a Worker).
        stop(new StyleError(`the reference could not be sent to the style analysis worker (${String(error)})`));
      }
    });
  }

  /** Ends every running analysis (its promise rejects with `reason`) and refuses new ones. Calling it again does nothing. */
  dispose(reason: Error): void {
    if (this.disposedBy !== null) return;
    this.disposedBy = reason;
    for (const stop of [...this.running.values()]) stop(reason);
  }
}
