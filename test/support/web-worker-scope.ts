/**
 * Runs a browser Worker module in a Node worker thread: gives it the dedicated-worker scope it uses
 * (`postMessage`, `onmessage` with `event.data`), then imports it. Started by worker-in-thread.ts (a
 * stand-in for the browser's `Worker`).
 */
import { parentPort, workerData } from 'node:worker_threads';

const port = parentPort;
if (port === null) throw new Error('web-worker-scope.ts runs in a worker thread');
const scope = globalThis as unknown as { postMessage(message: unknown, transfer?: Transferable[]): void; onmessage: ((event: { data: unknown }) => void) | null };
scope.postMessage = (message, transfer) => port.postMessage(message, (transfer ?? []) as never);
// Messages that come while the module loads wait for it (a browser queues them too).
const early: unknown[] = [];
port.on('message', (data: unknown) => (scope.onmessage ? scope.onmessage({ data }) : early.push(data)));
await import((workerData as { url: string }).url);
for (const data of early.splice(0)) scope.onmessage?.({ data });
