/**
 * Main thread: starts the model Worker for one upmixer node and connects it to the node's processor,
 * over shared rings where the page is cross-origin isolated and a MessagePort elsewhere. Reports the
 * model's status on the node as `modelstatus` events (and `modelerror` when loading fails; the node keeps
 * sounding with the fixed profile).
 * @packageDocumentation
 */
import type { CueTransport, LoadModelMessage, ModelWorkerReport } from './model-messages.js';
import type { SharedCueBuffers } from './shared-cue-channel.js';

/** Where the model is and how it runs. Every field is optional. */
export interface ModelOptions {
  /** The ONNX file. Default: `cue-model.onnx` beside this module (the one shipped with the package). */
  url?: string | URL;
  /** The built Worker module. Default: `cue-model.worker.js` beside this module. */
  workerUrl?: string | URL;
  /** Testing: the Worker waits this long before each answer (a slow device). Default 0. */
  answerDelayMs?: number;
}

/**
 * The model's state: `off` (not asked for), `loading`, `model` (its cues are in use), `failed` (the node
 * runs on the fixed profile; the event's detail says why).
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

export class ModelConnection {
  status: ModelStatus = 'loading';
  error: string | undefined;
  /** Resolves when the model is ready or has failed (never rejects). */
  readonly settled: Promise<ModelStatus>;
  private worker: Worker | null = null;

  constructor(node: ConnectableNode, options: ModelOptions, shared: SharedCueBuffers | null) {
    const modelUrl = String(options.url ?? new URL('./cue-model.onnx', import.meta.url));
    const workerUrl = String(options.workerUrl ?? new URL('./cue-model.worker.js', import.meta.url));
    this.settled = new Promise((resolve) => {
      const settle = (status: ModelStatus, error?: string): void => {
        if (this.status !== 'loading') return;
        this.status = status;
        this.error = error;
        const detail: ModelStatusDetail = error === undefined ? { status } : { status, error };
        node.dispatchEvent(new CustomEvent('modelstatus', { detail }));
        if (error !== undefined) {
          node.dispatchEvent(new CustomEvent('modelerror', { detail }));
          this.dispose();
        }
        resolve(status);
      };
      let worker: Worker;
      try {
        worker = new Worker(workerUrl, { type: 'module' });
      } catch (error) {
        queueMicrotask(() => settle('failed', `the model worker could not start from ${workerUrl}: ${String(error)}`));
        return;
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
      worker.addEventListener('error', (event: ErrorEvent) => {
        settle('failed', `the model worker failed (${event.message || `could not load ${workerUrl}`})`);
      });
      worker.addEventListener('message', (event: MessageEvent<ModelWorkerReport>) => {
        const report = event.data;
        if (report.type === 'failed') {
          settle('failed', `the cue model could not be loaded: ${report.message}`);
        } else if (report.type === 'ready') {
          if (processorPort) node.port.postMessage({ type: 'attach-model', port: processorPort }, [processorPort]);
          settle('model');
        }
      });
      const load: LoadModelMessage = { type: 'load', modelUrl, transport, answerDelayMs: options.answerDelayMs ?? 0 };
      worker.postMessage(load, transport.kind === 'port' ? [transport.port] : []);
    });
  }

  /** Stops the Worker (the node keeps the cues it has and falls back to holding them). */
  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
  }
}
