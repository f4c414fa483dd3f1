/**
 * The browser's `Worker`, as far as the style analysis uses it (module Workers, `postMessage` with
 * transfers, `message` and `error` events, `terminate`), on a Node worker thread running the module
 * through web-worker-scope.ts: Node tests and measurements run the real Worker module.
 */
import type { Worker as ThreadWorker } from 'node:worker_threads';
import { startWorker } from '../../src/cli/start-worker.js';

export class WorkerInThread extends EventTarget {
  private readonly thread: ThreadWorker;

  constructor(url: string | URL) {
    super();
    this.thread = startWorker(new URL('./web-worker-scope.ts', import.meta.url), { workerData: { url: String(url) } });
    this.thread.on('message', (data: unknown) => this.dispatchEvent(new MessageEvent('message', { data })));
    this.thread.on('error', (error: Error) => this.dispatchEvent(Object.assign(new Event('error'), { message: error.message })));
  }

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    this.thread.postMessage(message, transfer as never);
  }

  terminate(): void {
    void this.thread.terminate();
  }
}

/** Makes `Worker` this stand-in (Node has none); returns a function that puts back what was there. */
export function installWorkerInThread(): () => void {
  const scope = globalThis as unknown as { Worker?: unknown };
  const had = scope.Worker;
  scope.Worker = WorkerInThread;
  return () => {
    scope.Worker = had;
  };
}
