/**
 * The model Worker: loads the ONNX cue model into an onnxruntime-web session (off the audio thread),
 * then answers feature frames from the worklet with cues, over shared rings or a MessagePort. Each
 * answer is for frame `newest - lookahead`, so the worklet gets it a hop before it needs it; frames
 * that arrived together are answered in one model call. Each window is conditioned on the style its
 * newest frame was stamped with by the processor (see style-history.ts).
 * @packageDocumentation
 */
import * as ort from 'onnxruntime-web';
import { CueModel } from './cue-model.js';
import { FEATURE_COUNT } from './features.js';
import type { ModelInputs } from './model-inputs.js';
import { isFeaturesMessage, type CuesMessage, type CueTransport, type LoadModelMessage, type ModelWorkerCommand, type ModelWorkerReport } from './model-messages.js';
import { FEATURE_RECORD, FEATURES_AT, readRecordFrame, SharedCueEndpoint, STYLE_ID_AT } from './shared-cue-channel.js';
import { checkStyle, DEFAULT_STYLE } from '../style/presets.js';
import { STYLE_VECTOR_LENGTH, styleVector } from '../style/style.js';
import { StyleHistory } from './style-history.js';

// onnxruntime's wasm files are copied beside this bundle by the build.
ort.env.wasm.wasmPaths = new URL('./', import.meta.url).href;

/** The parts of DedicatedWorkerGlobalScope used here (the DOM lib has no worker scope type). */
const scope = globalThis as unknown as { postMessage(message: unknown): void; close(): void; onmessage: ((event: MessageEvent) => void) | null };
const report = (message: ModelWorkerReport): void => scope.postMessage(message);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Windows per model call at most. */
const MAX_BATCH = 32;

type SendCues = (frame: number, iccs: Float32Array, ildsDb: Float32Array) => void;

/**
 * Queues a model window for every frame whose lookahead has arrived, and answers all queued windows in
 * one model call: one window per call while the Worker keeps up, the whole backlog at once when it fell
 * behind (a call costs a fixed overhead plus its work per window). Each window's cues are the same in
 * a batch as alone (test/model/batched-inference.test.ts).
 */
class Answerer {
  /** The model inputs of the queued frames. */
  private readonly queued: ModelInputs;
  /** The queued frames' condition vectors, in queue order. */
  private readonly styleRows = new Float32Array(MAX_BATCH * STYLE_VECTOR_LENGTH);
  private answered = 0;

  constructor(
    private readonly model: CueModel,
    private readonly styles: StyleHistory,
    private readonly answerDelayMs: number,
    private readonly exitAfterFrames: number,
  ) {
    this.queued = model.createInputs(MAX_BATCH);
  }

  /** Whether the model has a style input (one without ignores the styles). */
  get takesStyle(): boolean {
    return this.model.takesStyle;
  }

  /** True when no more windows fit: call {@link answer} before the next {@link take}. */
  get full(): boolean {
    return this.queued.full;
  }

  /**
   * Takes one frame's features (copied) and queues the window it completes, if any, conditioned on the
   * style of the frame's stamp `styleId`.
   */
  take(frameIndex: number, features: Float32Array, styleId: number): void {
    const newest = this.queued.newestFrame;
    if (frameIndex <= newest) return; // a restarted stream: keep going from the newest
    if (newest >= 0 && frameIndex !== newest + 1) this.queued.reset();
    const queued = this.queued.size;
    this.queued.push(frameIndex, features);
    if (this.queued.size > queued && this.model.takesStyle) {
      const at = queued * STYLE_VECTOR_LENGTH;
      styleVector(this.styles.styleFor(styleId) ?? DEFAULT_STYLE, this.styleRows.subarray(at, at + STYLE_VECTOR_LENGTH));
    }
  }

  /** Runs the model on every queued window and sends their cues, oldest first. */
  async answer(send: SendCues): Promise<void> {
    const batch = this.queued.size;
    if (batch === 0) return;
    const cues = await this.model.run(this.queued, this.styleRows);
    if (this.answerDelayMs > 0) await sleep(this.answerDelayMs);
    for (let i = 0; i < batch; i++) {
      const at = i * FEATURE_COUNT;
      send(this.queued.targets[i], cues.iccs.subarray(at, at + FEATURE_COUNT), cues.ildsDb.subarray(at, at + FEATURE_COUNT));
      if (++this.answered >= this.exitAfterFrames) {
        scope.close(); // testing: a Worker that dies
        return;
      }
    }
    this.queued.clear();
  }
}

async function serveShared(endpoint: SharedCueEndpoint, answerer: Answerer): Promise<void> {
  const record = new Float32Array(FEATURE_RECORD);
  const send: SendCues = (frame, iccs, ildsDb) => endpoint.writeCues(frame, iccs, ildsDb);
  for (;;) {
    await endpoint.featuresArrived();
    // Everything that has arrived goes into one call.
    while (endpoint.readFeatures(record)) {
      answerer.take(readRecordFrame(record), record.subarray(FEATURES_AT), record[STYLE_ID_AT]);
      if (answerer.full) await answerer.answer(send);
    }
    await answerer.answer(send);
  }
}

function servePort(port: MessagePort, answerer: Answerer): void {
  const send: SendCues = (frameIndex, iccs, ildsDb) => {
    const message: CuesMessage = { type: 'cues', frameIndex, iccs, ildMagnitudesDb: ildsDb };
    port.postMessage(message);
  };
  // Frames that arrive while the model runs wait here, and go into the next call together.
  const arrived: { frameIndex: number; styleId: number; features: Float32Array }[] = [];
  let serving = false;
  const serve = async (): Promise<void> => {
    serving = true;
    try {
      while (arrived.length > 0) {
        for (const { frameIndex, styleId, features } of arrived.splice(0)) {
          answerer.take(frameIndex, features, styleId);
          if (answerer.full) await answerer.answer(send);
        }
        await answerer.answer(send);
      }
    } finally {
      serving = false;
    }
  };
  port.onmessage = (event: MessageEvent) => {
    const data: unknown = event.data;
    if (!isFeaturesMessage(data)) return;
    arrived.push({ frameIndex: data.frameIndex, styleId: data.styleId, features: data.features });
    if (!serving) void serve();
  };
}

/**
 * Makes onnxruntime instantiate the page's compiled wasm instead of compiling its own copy of the 14 MB
 * file: its loader instantiates what `WebAssembly.instantiateStreaming` gets (a fetch of the file, from
 * the HTTP cache), and this Worker's scope is ours. Should a later onnxruntime load its wasm another way,
 * it compiles its own copy as before.
 */
function useCompiledWasm(module: WebAssembly.Module): void {
  const instantiate = async (_source: unknown, imports?: WebAssembly.Imports): Promise<WebAssembly.WebAssemblyInstantiatedSource> => ({
    module,
    instance: await WebAssembly.instantiate(module, imports),
  });
  WebAssembly.instantiateStreaming = instantiate;
}

/** Loads the model; null (after reporting `failed`) if it cannot. */
async function load(message: LoadModelMessage): Promise<Answerer | null> {
  if (message.wasmModule) useCompiledWasm(message.wasmModule);
  let model: CueModel;
  try {
    const response = await fetch(message.modelUrl);
    if (!response.ok) throw new Error(`cannot load the model from ${message.modelUrl}: HTTP ${response.status}`);
    model = await CueModel.load(new Uint8Array(await response.arrayBuffer()));
  } catch (error) {
    report({ type: 'failed', message: `${(error as Error).message ?? String(error)}` });
    return null;
  }
  return new Answerer(model, styles, message.answerDelayMs ?? 0, message.exitAfterFrames ?? Infinity);
}

/** Starts serving one node. */
function connect(answerer: Answerer, transport: CueTransport): void {
  if (transport.kind === 'shared') {
    const endpoint = new SharedCueEndpoint(transport.buffers);
    endpoint.announceReady(); // before 'ready', so an offline render started on 'ready' sees the flag
    void serveShared(endpoint, answerer);
  } else {
    servePort(transport.port, answerer);
  }
  report({ type: 'ready', takesStyle: answerer.takesStyle });
}

/** The model, once `load` has run (a Worker started ahead of its node connects later). */
let loading: Promise<Answerer | null> | null = null;
/** The styles by id, from `set-style` (the model's default until one comes); kept from before the model loads. */
const styles = new StyleHistory();

scope.onmessage = (event: MessageEvent) => {
  const data = event.data as ModelWorkerCommand | undefined;
  if (data?.type === 'load') {
    loading = load(data);
    const { transport } = data;
    void loading.then((answerer) => {
      if (answerer === null) return;
      if (transport) connect(answerer, transport);
      else report({ type: 'loaded' });
    });
  } else if (data?.type === 'connect') {
    void loading?.then((answerer) => answerer && connect(answerer, data.transport));
  } else if (data?.type === 'set-style') {
    try {
      if (!(Number.isInteger(data.id) && data.id >= 0)) throw new RangeError('a style id must be a count');
      styles.add(data.id, checkStyle('set-style', data.style));
    } catch {
      // a malformed style (the main thread checks styles before they come here): ignored
    }
  } else if (data?.type === 'ping') {
    report({ type: 'pong', id: data.id });
  }
};
