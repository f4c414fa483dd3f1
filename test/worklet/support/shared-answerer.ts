/**
 * The model Worker's side of the shared rings in a thread of its own (worker_threads), for the
 * allocation test: answers every feature frame with fixed cues until the parent posts 'stop'.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { FEATURE_COUNT } from '../../../src/model/features.js';
import { FEATURE_RECORD, readRecordFrame, SharedCueEndpoint, type SharedCueBuffers } from '../../../src/model/shared-cue-channel.js';

const endpoint = new SharedCueEndpoint(workerData as SharedCueBuffers);
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
  await endpoint.featuresArrived();
  while (endpoint.readFeatures(record)) endpoint.writeCues(readRecordFrame(record), iccs, ilds);
}
