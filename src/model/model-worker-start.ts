/**
 * Main thread: what makes a model Worker start fast. onnxruntime's 14 MB wasm is compiled once per page
 * (from a streamed response, which the browser also keeps compiled in its cache) and handed to every
 * Worker, which instantiates it instead of compiling its own copy; and a Worker may be started ahead of
 * its node (at page load or element creation: {@link startSpareWorker}), loading onnxruntime and the
 * model while the page waits for Play, for the next node to take.
 * @packageDocumentation
 */
import { isModelWorkerReport, type LoadModelMessage } from './model-messages.js';

const compiled = new Map<string, Promise<WebAssembly.Module | null>>();

/**
 * onnxruntime's wasm (beside the Worker module, where the build puts it), compiled once per page; null
 * where it cannot be (no streaming compilation, a server without the `application/wasm` type): then each
 * Worker compiles its own, as onnxruntime does by itself.
 */
export function compiledOrtWasm(workerUrl: string): Promise<WebAssembly.Module | null> {
  const url = new URL('./ort-wasm-simd-threaded.wasm', new URL(workerUrl, globalThis.location?.href)).href;
  let module = compiled.get(url);
  if (module === undefined) {
    module = typeof WebAssembly.compileStreaming === 'function' ? WebAssembly.compileStreaming(fetch(url)).catch(() => null) : Promise.resolve(null);
    compiled.set(url, module);
  }
  return module;
}

/** A Worker loading the model ahead of its node. */
export interface SpareWorker {
  readonly worker: Worker;
  /** Resolves with null once the model is loaded, or with why it could not be (never rejects). */
  readonly loaded: Promise<string | null>;
}

/** Started spares by model and Worker URL (at most one each). */
const spares = new Map<string, SpareWorker>();
const absolute = (url: string): string => new URL(url, globalThis.location?.href).href;
const spareKey = (modelUrl: string, workerUrl: string): string => `${absolute(modelUrl)}\n${absolute(workerUrl)}`;

/** Starts a Worker that loads onnxruntime and the model (`modelUrl`) and waits for a node; one per URL pair. */
export function startSpareWorker(modelUrl: string, workerUrl: string): void {
  const key = spareKey(modelUrl, workerUrl);
  if (spares.has(key)) return;
  let worker: Worker;
  try {
    worker = new Worker(workerUrl, { type: 'module' });
  } catch {
    return; // the node will start its own Worker, and report why it cannot
  }
  const loaded = new Promise<string | null>((resolve) => {
    worker.addEventListener('error', (event: ErrorEvent) => resolve(`the model worker failed (${event.message || `could not load ${workerUrl}`})`));
    worker.addEventListener('message', (event: MessageEvent) => {
      const report: unknown = event.data;
      if (!isModelWorkerReport(report)) return;
      if (report.type === 'loaded') resolve(null);
      else if (report.type === 'failed') resolve(`the cue model could not be loaded: ${report.message}`);
    });
  });
  spares.set(key, { worker, loaded });
  void compiledOrtWasm(workerUrl).then((wasmModule) => postLoad(worker, { type: 'load', modelUrl }, wasmModule));
}

/**
 * Posts `load` to `worker` with the compiled wasm where there is one, and without it where the browser
 * cannot send a WebAssembly.Module to a Worker (then the Worker compiles its own).
 */
export function postLoad(worker: Worker, load: LoadModelMessage, wasmModule: WebAssembly.Module | null, transfer: Transferable[] = []): void {
  if (wasmModule) {
    try {
      worker.postMessage({ ...load, wasmModule } satisfies LoadModelMessage, transfer);
      return;
    } catch {
      // DataCloneError: post it without the module
    }
  }
  worker.postMessage(load, transfer);
}

/** The spare Worker for these URLs, if one was started and not taken yet (it is the caller's from now on). */
export function takeSpareWorker(modelUrl: string, workerUrl: string): SpareWorker | undefined {
  const key = spareKey(modelUrl, workerUrl);
  const spare = spares.get(key);
  spares.delete(key);
  return spare;
}
