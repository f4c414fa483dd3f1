/**
 * The model Worker's side of the shared rings in a thread of its own (worker_threads), for the
 * allocation test: answers every feature frame with fixed cues until the parent posts 'stop'. While the
 * parent holds `paused[0]` at 1 it reads nothing, as a Worker descheduled on a loaded machine: the rings
 * fill and the processor drops frames and holds its cues.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { FEATURE_COUNT } from '../../../src/model/features.js';
import { FEATURE_RECORD, readRecordFrame, SharedCueEndpoint, type SharedCueBuffers } from '../../../src/model/shared-cue-channel.js';

const { paused, ...buffers } = workerData as SharedCueBuffers & { paused: Int32Array };
const endpoint = new SharedCueEndpoint(buffers);
const record = new Float32Array(FEATURE_RECORD);
const iccs = new Float32Array(FEATURE_COUNT).fill(0.4);
const ilds = new Float32Array(FEATURE_COUNT).fill(3);
let running = true;
parentPort?.on('message', () => {
  running = false;
});
endpoint.announceReady();
parentPort?.postMessage('ready');
while (running) {
  if (Atomics.load(paused, 0) === 1) {
    // Parked until the parent lets go (or 'stop' comes).
    await sleep(1);
    continue;
  }
  await endpoint.featuresArrived();
  while (Atomics.load(paused, 0) === 0 && endpoint.readFeatures(record)) endpoint.writeCues(readRecordFrame(record), iccs, ilds);
}
