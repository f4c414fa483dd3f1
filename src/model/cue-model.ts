/**
 * The ONNX cue model in an onnxruntime-web session: loading with checks that say what is wrong with a
 * bad file, and batched inference. Runs in the model Worker and in Node (the CLI); never on the audio
 * thread (inference is asynchronous).
 * @packageDocumentation
 */
import * as ort from 'onnxruntime-web';
import { MODEL_INPUT_NAME, MODEL_OUTPUT_NAMES, MODEL_WINDOW_FRAMES } from './feature-spec.js';
import { FEATURE_COUNT } from './features.js';
import { WINDOW_SIZE } from './model-window.js';

/** A model file that cannot be used; the message says why and what to do. */
export class CueModelError extends Error {
  override name = 'CueModelError';
}

/** Cues for a batch of frames, `FEATURE_COUNT` values per frame. */
export interface CueBatch {
  readonly iccs: Float32Array;
  readonly ildsDb: Float32Array;
}

function describeDims(dims: readonly (number | string)[]): string {
  return `[${dims.join(', ')}]`;
}

/** Checks a tensor's dims against [any, ...rest]. */
function checkShape(what: string, dims: readonly (number | string)[] | undefined, rest: readonly number[]): void {
  if (!dims) return;
  const ok = dims.length === rest.length + 1 && rest.every((size, i) => typeof dims[i + 1] !== 'number' || dims[i + 1] === size);
  if (!ok) throw new CueModelError(`the model's ${what} has shape ${describeDims(dims)}, expected [batch, ${rest.join(', ')}]: it was not exported for this version's feature spec`);
}

export class CueModel {
  private constructor(private readonly session: ort.InferenceSession) {}

  /**
   * Creates a session from the model's bytes and checks its tensor names and shapes against the
   * feature spec, then runs it once on silence to check the outputs. Throws {@link CueModelError}.
   */
  static async load(bytes: Uint8Array): Promise<CueModel> {
    // One thread: the audio already has its own, and threads need cross-origin isolation in browsers.
    ort.env.wasm.numThreads = 1;
    if (bytes.byteLength === 0) throw new CueModelError('the model file is empty');
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    } catch (error) {
      throw new CueModelError(`the model file is not a valid ONNX model (${String((error as Error).message ?? error).split('\n')[0]})`);
    }
    const [iccName, ildName] = MODEL_OUTPUT_NAMES;
    if (!session.inputNames.includes(MODEL_INPUT_NAME)) {
      throw new CueModelError(`the model has inputs ${JSON.stringify(session.inputNames)}, expected "${MODEL_INPUT_NAME}"`);
    }
    for (const name of MODEL_OUTPUT_NAMES) {
      if (!session.outputNames.includes(name)) throw new CueModelError(`the model has outputs ${JSON.stringify(session.outputNames)}, expected "${iccName}" and "${ildName}"`);
    }
    const shapeOf = (list: readonly ort.InferenceSession.ValueMetadata[], name: string): readonly (number | string)[] | undefined => {
      const meta = list.find((m) => m.name === name);
      return meta && meta.isTensor ? meta.shape : undefined;
    };
    checkShape(`input "${MODEL_INPUT_NAME}"`, shapeOf(session.inputMetadata, MODEL_INPUT_NAME), [MODEL_WINDOW_FRAMES, FEATURE_COUNT]);
    for (const name of MODEL_OUTPUT_NAMES) checkShape(`output "${name}"`, shapeOf(session.outputMetadata, name), [FEATURE_COUNT]);
    const model = new CueModel(session);
    const probe = await model.run(new Float32Array(WINDOW_SIZE).fill(-5), 1).catch((error: unknown) => {
      throw error instanceof CueModelError ? error : new CueModelError(`the model does not run on a [1, ${MODEL_WINDOW_FRAMES}, ${FEATURE_COUNT}] input (${String(error)})`);
    });
    if (![...probe.iccs, ...probe.ildsDb].every(Number.isFinite)) throw new CueModelError('the model gives non-finite cues on silence');
    return model;
  }

  /** Cues for `batch` windows laid out `[batch, MODEL_WINDOW_FRAMES, FEATURE_COUNT]` in `windows`. */
  async run(windows: Float32Array, batch: number): Promise<CueBatch> {
    const input = new ort.Tensor('float32', windows.subarray(0, batch * WINDOW_SIZE), [batch, MODEL_WINDOW_FRAMES, FEATURE_COUNT]);
    const outputs = await this.session.run({ [MODEL_INPUT_NAME]: input });
    const [iccName, ildName] = MODEL_OUTPUT_NAMES;
    const icc = outputs[iccName];
    const ild = outputs[ildName];
    for (const [name, tensor] of [[iccName, icc], [ildName, ild]] as const) {
      if (tensor.dims.length !== 2 || tensor.dims[0] !== batch || tensor.dims[1] !== FEATURE_COUNT) {
        throw new CueModelError(`the model's output "${name}" has shape ${describeDims(tensor.dims)}, expected [${batch}, ${FEATURE_COUNT}]`);
      }
    }
    return { iccs: icc.data as Float32Array, ildsDb: ild.data as Float32Array };
  }

  /** Frees the session. */
  async release(): Promise<void> {
    await this.session.release();
  }
}
