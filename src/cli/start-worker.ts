/**
 * Starting the CLI's worker threads from its built files, or from the TypeScript sources (tests,
 * development), where the worker loads its entry through tsx as the main thread does.
 * @packageDocumentation
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** A worker thread running the module `entry` (a `.ts` entry through tsx). */
export function startWorker(entry: URL, options: WorkerOptions): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const load = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ tsImport }) => tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`;
  return new Worker(load, { ...options, eval: true });
}
