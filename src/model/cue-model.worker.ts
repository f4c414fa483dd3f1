/**
 * The model Worker: loads the ONNX cue model into an onnxruntime-web session (off the audio thread),
 * then answers feature frames from the worklet with cues, over shared rings or a MessagePort. Each
 * answer is for frame `newest - lookahead`, so the worklet gets it a hop before it needs it.
 * @packageDocumentation
 */
import * as ort from 'onnxruntime-web';
import { CueModel } from './cue-model.js';
import { ModelWindow, WINDOW_SIZE } from './model-window.js';
import { isFeaturesMessage, type CuesMessage, type LoadModelMessage, type ModelWorkerCommand, type ModelWorkerReport } from './model-messages.js';
import { FEATURE_RECORD, FEATURES_AT, readRecordFrame, SharedCueEndpoint } from './shared-cue-channel.js';

// onnxruntime's wasm files are copied beside this bundle by the build.
ort.env.wasm.wasmPaths = new URL('./', import.meta.url).href;

/** The parts of DedicatedWorkerGlobalScope used here (the DOM lib has no worker scope type). */
const scope = globalThis as unknown as { postMessage(message: unknown): void; close(): void; onmessage: ((event: MessageEvent) => void) | null };
const report = (message: ModelWorkerReport): void => scope.postMessage(message);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the model for the newest window once a frame arrives; `send` delivers the cues. */
class Answerer {
  private readonly window = new ModelWindow();
  private readonly input = new Float32Array(WINDOW_SIZE);
  private answered = 0;

  constructor(
    private readonly model: CueModel,
    private readonly answerDelayMs: number,
    private readonly exitAfterFrames: number,
  ) {}

  async answer(frameIndex: number, features: Float32Array, send: (frame: number, iccs: Float32Array, ildsDb: Float32Array) => void): Promise<void> {
    if (frameIndex <= this.window.newestFrame) return; // a restarted stream: keep going from the newest
    if (this.window.newestFrame >= 0 && frameIndex !== this.window.newestFrame + 1) this.window.reset();
    this.window.push(frameIndex, features);
    const target = this.window.newestTarget;
    if (target < 0) return;
    this.window.writeNewestWindow(this.input);
    const cues = await this.model.run(this.input, 1);
    if (this.answerDelayMs > 0) await sleep(this.answerDelayMs);
    send(target, cues.iccs, cues.ildsDb);
    if (++this.answered >= this.exitAfterFrames) scope.close(); // testing: a Worker that dies
  }
}

async function serveShared(endpoint: SharedCueEndpoint, answerer: Answerer): Promise<void> {
  const record = new Float32Array(FEATURE_RECORD);
  const send = (frame: number, iccs: Float32Array, ildsDb: Float32Array): void => endpoint.writeCues(frame, iccs, ildsDb);
  for (;;) {
    await endpoint.featuresArrived();
    while (endpoint.readFeatures(record)) await answerer.answer(readRecordFrame(record), record.subarray(FEATURES_AT), send);
  }
}

function servePort(port: MessagePort, answerer: Answerer): void {
  // Frames are answered one after another, in arrival order.
  let queue = Promise.resolve();
  const send = (frameIndex: number, iccs: Float32Array, ildsDb: Float32Array): void => {
    const message: CuesMessage = { type: 'cues', frameIndex, iccs, ildMagnitudesDb: ildsDb };
    port.postMessage(message);
  };
  port.onmessage = (event: MessageEvent) => {
    const data: unknown = event.data;
    if (!isFeaturesMessage(data)) return;
    const { frameIndex, features } = data;
    queue = queue.then(() => answerer.answer(frameIndex, features, send));
  };
}

async function load(message: LoadModelMessage): Promise<void> {
  let model: CueModel;
  try {
    const response = await fetch(message.modelUrl);
    if (!response.ok) throw new Error(`cannot load the model from ${message.modelUrl}: HTTP ${response.status}`);
    model = await CueModel.load(new Uint8Array(await response.arrayBuffer()));
  } catch (error) {
    report({ type: 'failed', message: `${(error as Error).message ?? String(error)}` });
    return;
  }
  const answerer = new Answerer(model, message.answerDelayMs ?? 0, message.exitAfterFrames ?? Infinity);
  const { transport } = message;
  if (transport.kind === 'shared') {
    const endpoint = new SharedCueEndpoint(transport.buffers);
    endpoint.announceReady(); // before 'ready', so an offline render started on 'ready' sees the flag
    void serveShared(endpoint, answerer);
  } else {
    servePort(transport.port, answerer);
  }
  report({ type: 'ready' });
}

scope.onmessage = (event: MessageEvent) => {
  const data = event.data as ModelWorkerCommand | undefined;
  if (data?.type === 'load') void load(data);
  else if (data?.type === 'ping') report({ type: 'pong', id: data.id });
};
