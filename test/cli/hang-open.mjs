/**
 * Test preload (`node --import`) for the interrupt tests: the CLI's open() of a file named
 * $UPMIX_TEST_HANG_NAME never returns, as on a network drive that does not answer. It really blocks: it
 * opens instead the FIFO $UPMIX_TEST_HANG_FIFO, which no one writes, without O_NONBLOCK, so a thread of
 * libuv's pool waits in open(2) for good. $UPMIX_TEST_HANG_MARK is made just before (the call is under way).
 * Worker threads started from a file inherit the preload with the process's options; those started from
 * code (the CLI's from its TypeScript sources, see start-worker.ts) load it first here.
 */
import { writeFileSync } from 'node:fs';
import fsPromises from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { basename } from 'node:path';
import workerThreads from 'node:worker_threads';

const { UPMIX_TEST_HANG_NAME: name, UPMIX_TEST_HANG_FIFO: fifo, UPMIX_TEST_HANG_MARK: mark } = process.env;
const open = fsPromises.open;
fsPromises.open = (path, ...rest) => {
  if (name === undefined || basename(String(path)) !== name) return open(path, ...rest);
  writeFileSync(mark, '');
  return open(fifo, 'r');
};
const { Worker } = workerThreads;
workerThreads.Worker = class extends Worker {
  constructor(code, options) {
    super(options?.eval ? `import(${JSON.stringify(import.meta.url)}).then(() => { ${code} })` : code, options);
  }
};
syncBuiltinESMExports();
