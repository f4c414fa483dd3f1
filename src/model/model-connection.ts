/**
 * Main thread: starts the model Worker for one upmixer node and connects it to the node's processor,
 * over shared rings where the page is cross-origin isolated and a MessagePort elsewhere. Reports the
 * model's status on the node as `modelstatus` events (and `modelerror` when loading fails, or when the
 * Worker dies later: then the node goes back to the fixed profile, gliding, and keeps sounding).
 * @packageDocumentation
 */
import type { Style } from '../style/style.js';
import { isModelWorkerReport, type ConnectMessage, type CueTransport, type LoadModelMessage, type PingMessage, type SetStyleMessage } from './model-messages.js';
import { compiledOrtWasm, postLoad, takeSpareWorker } from './model-worker-start.js';
import type { SharedCueBuffers } from './shared-cue-channel.js';

/** Where the model is and how it runs. Every field is optional. */
export interface ModelOptions {
  /**
   * The ONNX file. Default: `cue-model.onnx` beside this module (the one shipped with the package). A
   * custom model may be in either format training/export.py writes (the head format, or the whole-window
   * format of `--full-window` and earlier versions): the Worker tells them apart by their inputs.
   */
  url?: string | URL;
  /** The built Worker module. Default: `cue-model.worker.js` beside this module. */
  workerUrl?: string | URL;
  /** Testing: the Worker waits this long before each answer (a slow device). Default 0. */
  answerDelayMs?: number;
  /** Testing: the Worker ends itself after this many answers (a crash). Default never. */
  exitAfterFrames?: number;
  /**
   * In an OfflineAudioContext, how long `createUpmixer` waits for the model to load (ms, default 60 000):
   * a download that stalls, or a Worker that never answers, then fails (`modelerror`) and the render uses
   * the fixed profile, instead of never starting. A live context's node never waits: no limit there.
   */
  loadTimeoutMs?: number;
}

/** Default of {@link ModelOptions.loadTimeoutMs}. */
export const OFFLINE_MODEL_LOAD_TIMEOUT_MS = 60_000;

/** Once the model runs, the Worker is asked every this many ms whether it is alive. */
const HEARTBEAT_MS = 1000;
/** A Worker that has not answered a heartbeat for this long is taken for dead. */
const HEARTBEAT_TIMEOUT_MS = 10_000;

/**
 * The model's state: `off` (not asked for, or given up before it ran: the node was disposed of, or its
 * processor failed, while the model loaded), `loading`, `model` (its cues are in use; once the node has
 * ended, they were in use until then), `failed` (the node runs on the fixed profile; the event's detail
 * says why).
 */
export type ModelStatus = 'off' | 'loading' | 'model' | 'failed';

/** `detail` of the `modelstatus` event (and of `modelerror`, with `error` set). */
export interface ModelStatusDetail {
  readonly status: ModelStatus;
  readonly error?: string;
}

/** The part of a node the connection needs (native and standardized-audio-context nodes alike). */
interface ConnectableNode {
  readonly port: MessagePort;
  dispatchEvent(event: Event): boolean;
}

/** What the node hears from its {@link ModelConnection}, besides the events it dispatches. */
export interface ModelConnectionHandlers {
  /** The model runs (its cues are in use); `takesStyle`: whether it has a style input. */
  onReady?(takesStyle: boolean): void;
  /** A running model's Worker died (after `modelerror`): the node should go back to the fixed profile. */
  onLost?(): void;
}

export class ModelConnection {
  status: ModelStatus = 'loading';
  error: string | undefined;
  /** Resolves when the model is ready or has failed (never rejects). */
  readonly settled: Promise<ModelStatus>;
  private worker: Worker | null = null;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private readonly node: ConnectableNode;
  private readonly handlers: ModelConnectionHandlers;
  /** Ends the loading with a status (and an error): no effect once it has ended. */
  private settle: (status: ModelStatus, error?: string) => void = () => {};

  /**
   * @param loadTimeoutMs - after this long still loading, the model fails (something waits for it: an
   * offline render); undefined: no limit.
   */
  constructor(node: ConnectableNode, options: ModelOptions, shared: SharedCueBuffers | null, handlers: ModelConnectionHandlers = {}, loadTimeoutMs?: number) {
    this.node = node;
    this.handlers = handlers;
    const modelUrl = String(options.url ?? new URL('./cue-model.onnx', import.meta.url));
    const workerUrl = String(options.workerUrl ?? new URL('./cue-model.worker.js', import.meta.url));
    this.settled = new Promise((resolve) => {
      let loadTimer: ReturnType<typeof setTimeout> | null = null;
      const settle = (this.settle = (status: ModelStatus, error?: string): void => {
        if (this.status !== 'loading') return;
        if (loadTimer !== null) clearTimeout(loadTimer);
        this.status = status;
        this.error = error;
        const detail: ModelStatusDetail = error === undefined ? { status } : { status, error };
        node.dispatchEvent(new CustomEvent('modelstatus', { detail }));
        if (error !== undefined) {
          node.dispatchEvent(new CustomEvent('modelerror', { detail }));
          this.dispose();
        }
        resolve(status);
      });
      if (loadTimeoutMs !== undefined) {
        loadTimer = setTimeout(() => settle('failed', `the cue model did not load within ${loadTimeoutMs / 1000} s (${modelUrl}, Worker ${workerUrl})`), loadTimeoutMs);
      }
      // A Worker started ahead (page load, element creation) that loaded this model already, if any;
      // testing options need a Worker of their own.
      const testing = (options.answerDelayMs ?? 0) > 0 || options.exitAfterFrames !== undefined;
      const spare = testing ? undefined : takeSpareWorker(modelUrl, workerUrl);
      let worker: Worker;
      if (spare) {
        worker = spare.worker;
      } else {
        try {
          worker = new Worker(workerUrl, { type: 'module' });
        } catch (error) {
          queueMicrotask(() => settle('failed', `the model worker could not start from ${workerUrl}: ${String(error)}`));
          return;
        }
      }
      this.worker = worker;
      let transport: CueTransport;
      let processorPort: MessagePort | null = null;
      if (shared) {
        transport = { kind: 'shared', buffers: shared };
      } else {
        const channel = new MessageChannel();
        transport = { kind: 'port', port: channel.port1 };
        processorPort = channel.port2;
      }
      let lastPong = 0;
      worker.addEventListener('error', (event: ErrorEvent) => {
        const reason = `the model worker failed (${event.message || `could not load ${workerUrl}`})`;
        if (this.status === 'loading') settle('failed', reason);
        else this.lose(reason);
      });
      worker.addEventListener('message', (event: MessageEvent) => {
        const report: unknown = event.data;
        if (!isModelWorkerReport(report)) return;
        if (report.type === 'failed') {
          settle('failed', `the cue model could not be loaded: ${report.message}`);
        } else if (report.type === 'ready' && this.status === 'loading' && this.worker === worker) {
          // (Not for a Worker already given up on: it failed, timed out or was disposed of.)
          if (processorPort) node.port.postMessage({ type: 'attach-model', port: processorPort }, [processorPort]);
          handlers.onReady?.(report.takesStyle);
          settle('model');
          lastPong = performance.now();
          let id = 0;
          this.heartbeat = setInterval(() => {
            if (performance.now() - lastPong > HEARTBEAT_TIMEOUT_MS) {
              this.lose(`the model worker stopped answering (no sign of life for ${HEARTBEAT_TIMEOUT_MS / 1000} s)`);
              return;
            }
            worker.postMessage({ type: 'ping', id: id++ } satisfies PingMessage);
          }, HEARTBEAT_MS);
        } else if (report.type === 'pong') {
          lastPong = performance.now();
        }
      });
      const transfer = transport.kind === 'port' ? [transport.port] : [];
      if (spare) {
        void spare.loaded.then((failure) => {
          if (failure !== null) settle('failed', failure);
          else worker.postMessage({ type: 'connect', transport } satisfies ConnectMessage, transfer);
        });
        return;
      }
      void compiledOrtWasm(workerUrl).then((wasmModule) => {
        const load: LoadModelMessage = {
          type: 'load',
          modelUrl,
          transport,
          answerDelayMs: options.answerDelayMs ?? 0,
          ...(options.exitAfterFrames !== undefined ? { exitAfterFrames: options.exitAfterFrames } : {}),
        };
        postLoad(worker, load, wasmModule, transfer);
      });
    });
  }

  /**
   * Sends `style` to the Worker under `id` (see style-history.ts): the model is conditioned on it for the
   * feature frames the processor stamps with that id, i.e. from the render quantum where the processor
   * applies the `set-style` (or `clear-style`) of the same id. Send it before (or with) that command; a
   * timed one at once, ahead of its time. Does nothing once the Worker has ended.
   */
  setStyle(style: Style, id: number): void {
    this.worker?.postMessage({ type: 'set-style', id, style: { icc: [...style.icc], ildDb: [...style.ildDb] } } satisfies SetStyleMessage);
  }

  /** A running model's Worker died: report it, end it, and send the node back to the fixed profile. */
  private lose(reason: string): void {
    if (this.status !== 'model') return;
    this.status = 'failed';
    this.error = reason;
    const detail: ModelStatusDetail = { status: 'failed', error: reason };
    this.node.dispatchEvent(new CustomEvent('modelstatus', { detail }));
    this.node.dispatchEvent(new CustomEvent('modelerror', { detail }));
    this.dispose();
    this.handlers.onLost?.();
  }

  /**
   * Stops the Worker and its heartbeat. A model still loading will never run: its status becomes `off`
   * (a `modelstatus` event says so, {@link ModelConnection.settled} resolves, a load time limit no longer
   * applies). Calling it again does nothing.
   */
  dispose(): void {
    this.settle('off');
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.worker?.terminate();
    this.worker = null;
  }
}
