/**
 * The cue model in a worker thread of its own, for the CLI: the thread loads onnxruntime and the model
 * as soon as it starts (while the main thread opens and checks the files), then answers each chunk's
 * feature frames with their cues (`ChunkCueModel`, as the in-thread path does) while the main thread
 * runs the engine on an earlier chunk. The features are computed in the main thread, whose FFT code the
 * engine keeps warm (`FeatureLookahead`); only they go over (24 numbers a frame) and the cue frames come
 * back. The cues are those of the in-thread path, so the output is byte for byte the same
 * (test/model/batched-inference.test.ts).
 *
 * The thread keeps the process alive only while an answer is awaited, so a thread that is not closed
 * never holds the process open; {@link InferenceThread.close} ends it at once.
 * @packageDocumentation
 */
import type { Worker } from 'node:worker_threads';
import type { FeatureFrames } from '../model/chunk-cue-model.js';
import type { ChunkCueFrames, ChunkCueSupply } from '../model/chunk-cues.js';
import { CueModelError } from '../model/cue-model-error.js';
import { FeatureLookahead } from '../model/feature-lookahead.js';
import type { Hertz } from '../dsp/units.js';
import type { Style } from '../style/style.js';
import { startWorker } from './start-worker.js';

/** What the thread starts with. */
export interface InferenceWorkerStart {
  /** The model file; undefined: the bundled model. */
  readonly modelPath?: string;
}

/** Messages to the thread. */
export type ToInferenceWorker =
  | { type: 'open'; file: number; sampleRate: Hertz; style?: Style }
  | { type: 'chunk'; file: number; request: number; frames: FeatureFrames }
  | { type: 'close'; file: number };

/** Messages from the thread. */
export type FromInferenceWorker =
  | { type: 'loaded'; path: string; takesStyle: boolean }
  | { type: 'load-failed'; message: string }
  | { type: 'cues'; request: number; frames: ChunkCueFrames }
  | { type: 'failed'; request: number; message: string; modelError: boolean };

/** The loaded model, as the main thread knows it. */
export interface LoadedModelInfo {
  readonly path: string;
  /** Whether the model has a style input (see `CueModel.takesStyle`). */
  readonly takesStyle: boolean;
}

/** The worker's module: built beside the CLI (build.mjs), or the TypeScript source. */
const WORKER_ENTRY = new URL(new URL(import.meta.url).pathname.endsWith('.ts') ? './inference.worker.ts' : './cli-inference.worker.js', import.meta.url);

interface Waiting {
  readonly file: number;
  resolve(frames: ChunkCueFrames): void;
  reject(error: Error): void;
}

/** The cue model in a worker thread: start it early, await {@link InferenceThread.ready}, open a supply per file, close it at the end. */
export class InferenceThread {
  /**
   * Settles once the model is loaded (its path and whether it takes a style), or rejects with the
   * `CueModelError` that loading it in this thread would have thrown (`loadModelFile`'s messages).
   */
  readonly ready: Promise<LoadedModelInfo>;
  private readonly worker: Worker;
  private readonly waiting = new Map<number, Waiting>();
  private loading = true;
  private nextRequest = 0;
  private nextFile = 0;
  /** Set when the thread failed or was closed: every later request rejects with it. */
  private failure: Error | undefined;

  private constructor(modelPath: string | undefined) {
    this.worker = startWorker(WORKER_ENTRY, { workerData: { modelPath } satisfies InferenceWorkerStart });
    let settle!: { resolve(info: LoadedModelInfo): void; reject(error: Error): void };
    this.ready = new Promise<LoadedModelInfo>((resolve, reject) => (settle = { resolve, reject }));
    // Not awaited by a caller that fails before it needs the model: that is no unhandled rejection.
    this.ready.catch(() => undefined);
    this.worker.on('message', (message: FromInferenceWorker) => {
      if (message.type === 'loaded') {
        this.loading = false;
        settle.resolve({ path: message.path, takesStyle: message.takesStyle });
      } else if (message.type === 'load-failed') {
        this.loading = false;
        this.fail(new CueModelError(message.message));
        settle.reject(this.failure!);
      } else {
        const waiting = this.waiting.get(message.request);
        if (!waiting) return;
        this.waiting.delete(message.request);
        if (message.type === 'cues') waiting.resolve(message.frames);
        else waiting.reject(message.modelError ? new CueModelError(message.message) : new Error(message.message));
      }
      this.updateRef();
    });
    const stopped = (error: Error): void => {
      this.fail(error);
      if (this.loading) {
        this.loading = false;
        settle.reject(error);
      }
      this.updateRef();
    };
    this.worker.on('error', (error) => stopped(new Error(`the model thread failed: ${error.message.split('\n')[0]}`)));
    this.worker.on('exit', (code) => stopped(new Error(`the model thread stopped (exit code ${code})`)));
  }

  /** Starts a thread that loads the model file at `modelPath` (default: the model shipped with the package). */
  static start(modelPath?: string): InferenceThread {
    return new InferenceThread(modelPath);
  }

  /**
   * A supply of cues for one file at `sampleRate`, conditioned on `style` (default: the model's default
   * style). Close it when the file is done; several may be open at once.
   */
  open(sampleRate: Hertz, style?: Style): ChunkCueSupply {
    const file = this.nextFile++;
    this.post({ type: 'open', file, sampleRate, style });
    const lookahead = new FeatureLookahead(sampleRate);
    let closed = false;
    return {
      request: (left, right) => {
        if (this.failure) return Promise.reject(this.failure);
        if (closed) return Promise.reject(new Error('the cue supply is closed'));
        const request = this.nextRequest++;
        const answer = new Promise<ChunkCueFrames>((resolve, reject) => this.waiting.set(request, { file, resolve, reject }));
        const frames = lookahead.write(left, right);
        this.post({ type: 'chunk', file, request, frames }, [frames.features.buffer as ArrayBuffer]);
        this.updateRef();
        return answer;
      },
      close: () => {
        if (closed) return;
        closed = true;
        for (const [request, waiting] of this.waiting) {
          if (waiting.file !== file) continue;
          this.waiting.delete(request);
          waiting.reject(new Error('the cue supply is closed'));
        }
        this.post({ type: 'close', file });
        this.updateRef();
      },
    };
  }

  /** Ends the thread at once (what it was doing is dropped). Safe to call more than once. */
  async close(): Promise<void> {
    this.fail(new Error('the model thread is closed'));
    this.loading = false;
    await this.worker.terminate();
  }

  private post(message: ToInferenceWorker, transfer: ArrayBuffer[] = []): void {
    if (this.failure) return;
    this.worker.postMessage(message, transfer);
  }

  /** Rejects everything waiting with `error`, and every later request (the first failure wins). */
  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(this.failure);
    this.waiting.clear();
  }

  /** The thread keeps the process alive only while something waits for it. */
  private updateRef(): void {
    if (this.loading || this.waiting.size > 0) this.worker.ref();
    else this.worker.unref();
  }
}
