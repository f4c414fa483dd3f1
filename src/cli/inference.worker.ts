/**
 * The body of the CLI's model thread (see inference-thread.ts): loads the model, then answers each
 * file's chunks of feature frames with their cue frames, in order, with the same `ChunkCueModel` the
 * main thread would run.
 * @packageDocumentation
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ChunkCueModel } from '../model/chunk-cue-model.js';
import type { CueModel } from '../model/cue-model.js';
import { CueModelError } from '../model/cue-model-error.js';
import type { FromInferenceWorker, InferenceWorkerStart, ToInferenceWorker } from './inference-thread.js';
import { loadModelFile } from './model-file.js';

const port = parentPort!;
const { modelPath } = workerData as InferenceWorkerStart;
const post = (message: FromInferenceWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

let model: CueModel | undefined;
try {
  const loaded = await loadModelFile(modelPath);
  model = loaded.model;
  post({ type: 'loaded', path: loaded.path, takesStyle: model.takesStyle });
} catch (error) {
  post({ type: 'load-failed', message: (error as Error).message ?? String(error) });
}

if (model) {
  const loadedModel = model;
  const files = new Map<number, ChunkCueModel>();
  port.on('message', (message: ToInferenceWorker) => {
    if (message.type === 'open') {
      files.set(message.file, new ChunkCueModel(loadedModel, message.style));
    } else if (message.type === 'close') {
      files.delete(message.file);
    } else {
      const model = files.get(message.file);
      if (!model) return; // closed: nobody waits for it
      model.request(message.frames).then(
        (frames) => post({ type: 'cues', request: message.request, frames }, [frames.frameIndices.buffer, frames.iccs.buffer, frames.ildMagnitudesDb.buffer] as ArrayBuffer[]),
        (error: unknown) => post({ type: 'failed', request: message.request, message: (error as Error)?.message ?? String(error), modelError: error instanceof CueModelError }),
      );
    }
  });
}
