/**
 * The ONNX cue model in an onnxruntime-web session: loading with checks that say what is wrong with a
 * bad file, the input format it takes (the head format of training/export.py, or the full-window format
 * of models exported before it), and batched inference. Runs in the model Worker and in Node (the CLI); never on the audio
 * thread (inference is asynchronous).
 * @packageDocumentation
 */
import * as ort from 'onnxruntime-web';
import { DEFAULT_STYLE } from '../style/presets.js';
import { STYLE_VECTOR_LENGTH, styleVector, type Style } from '../style/style.js';
import {
  MODEL_INPUT_NAME,
  MODEL_OUTPUT_NAMES,
  MODEL_RECENT_INPUT_NAME,
  MODEL_STATS_INPUT_NAME,
  MODEL_STYLE_INPUT_NAME,
  MODEL_WINDOW_FRAMES,
  STATISTICS_LENGTH,
} from './feature-spec.js';
import { FEATURE_COUNT } from './features.js';
import { ModelInputs, type ModelInputFormat } from './model-inputs.js';
import { CueModelError } from './cue-model-error.js';

export { CueModelError };
export type { ModelInputFormat };

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

type TensorShape = readonly (number | string)[] | undefined;

/**
 * The input format from the session's input names (throws for a model of neither format), checking the
 * shapes of its inputs against the feature spec; the head format's recent rows are fixed by the model.
 */
function inputFormat(names: readonly string[], shapeOf: (name: string) => TensorShape): ModelInputFormat {
  const allowed = (format: string[]): boolean => format.every((name) => names.includes(name)) && names.every((name) => name === MODEL_STYLE_INPUT_NAME || format.includes(name));
  if (allowed([MODEL_INPUT_NAME])) {
    checkShape(`input "${MODEL_INPUT_NAME}"`, shapeOf(MODEL_INPUT_NAME), [MODEL_WINDOW_FRAMES, FEATURE_COUNT]);
    return { kind: 'full-window' };
  }
  if (allowed([MODEL_RECENT_INPUT_NAME, MODEL_STATS_INPUT_NAME])) {
    const recent = shapeOf(MODEL_RECENT_INPUT_NAME);
    const rows = recent?.[1];
    if (recent?.length !== 3 || typeof rows !== 'number' || rows < 1 || rows > MODEL_WINDOW_FRAMES) {
      throw new CueModelError(`the model's input "${MODEL_RECENT_INPUT_NAME}" has shape ${recent ? describeDims(recent) : 'unknown'}, expected [batch, rows, ${FEATURE_COUNT}] with a fixed number of rows from 1 to ${MODEL_WINDOW_FRAMES}`);
    }
    checkShape(`input "${MODEL_RECENT_INPUT_NAME}"`, recent, [rows, FEATURE_COUNT]);
    checkShape(`input "${MODEL_STATS_INPUT_NAME}"`, shapeOf(MODEL_STATS_INPUT_NAME), [STATISTICS_LENGTH]);
    return { kind: 'head', recentFrames: rows };
  }
  throw new CueModelError(
    `the model has inputs ${JSON.stringify(names)}, expected "${MODEL_INPUT_NAME}" (the full-window format) or "${MODEL_RECENT_INPUT_NAME}" and "${MODEL_STATS_INPUT_NAME}" (the head format), and optionally "${MODEL_STYLE_INPUT_NAME}"`,
  );
}

/**
 * A loaded cue model. A conditioned model (an input named `style`, feature-spec.json) follows the style
 * set by {@link CueModel.setStyle}; an unconditioned one (a custom model from before styles) ignores it.
 */
export class CueModel {
  /** Whether the model has the style input (a conditioned model); if not, {@link setStyle} does nothing. */
  readonly takesStyle: boolean;
  /** How the model takes its window (see {@link ModelInputFormat}); {@link createInputs} builds its inputs. */
  readonly format: ModelInputFormat;
  /** The current condition vector, and it tiled over the largest batch so far (grown when needed). */
  private readonly style: Float32Array<ArrayBuffer> = new Float32Array(STYLE_VECTOR_LENGTH);
  private styleBatch: Float32Array<ArrayBuffer> = new Float32Array(0);

  private constructor(
    private readonly session: ort.InferenceSession,
    format: ModelInputFormat,
  ) {
    this.format = format;
    this.takesStyle = session.inputNames.includes(MODEL_STYLE_INPUT_NAME);
    styleVector(DEFAULT_STYLE, this.style);
  }

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
    for (const name of MODEL_OUTPUT_NAMES) {
      if (!session.outputNames.includes(name)) throw new CueModelError(`the model has outputs ${JSON.stringify(session.outputNames)}, expected "${iccName}" and "${ildName}"`);
    }
    const shapeOf = (list: readonly ort.InferenceSession.ValueMetadata[], name: string): readonly (number | string)[] | undefined => {
      const meta = list.find((m) => m.name === name);
      return meta && meta.isTensor ? meta.shape : undefined;
    };
    const format = inputFormat(session.inputNames, (name) => shapeOf(session.inputMetadata, name));
    if (session.inputNames.includes(MODEL_STYLE_INPUT_NAME)) {
      checkShape(`input "${MODEL_STYLE_INPUT_NAME}"`, shapeOf(session.inputMetadata, MODEL_STYLE_INPUT_NAME), [STYLE_VECTOR_LENGTH]);
    }
    for (const name of MODEL_OUTPUT_NAMES) checkShape(`output "${name}"`, shapeOf(session.outputMetadata, name), [FEATURE_COUNT]);
    const model = new CueModel(session, format);
    // A stream of two frames of quiet sound: the first frame's window.
    const inputs = model.createInputs(1);
    for (let frame = 0; frame < 2; frame++) inputs.push(frame, new Float32Array(FEATURE_COUNT).fill(-5));
    const probe = await model.run(inputs).catch((error: unknown) => {
      throw error instanceof CueModelError ? error : new CueModelError(`the model does not run on one frame's ${format.kind} input (${String(error)})`);
    });
    if (![...probe.iccs, ...probe.ildsDb].every(Number.isFinite)) throw new CueModelError('the model gives non-finite cues on silence');
    return model;
  }

  /**
   * Sets the style every later {@link run} conditions the model on (the default style until then). The
   * style is copied; check styles from outside with `checkStyle` first. A no-op when the model has no
   * style input ({@link takesStyle} false).
   */
  setStyle(style: Style): void {
    if (!this.takesStyle) return;
    styleVector(style, this.style);
    for (let at = 0; at < this.styleBatch.length; at += STYLE_VECTOR_LENGTH) this.styleBatch.set(this.style, at);
  }

  /** Empty inputs in this model's format, for `capacity` frames per call at most (fill them, then {@link run}). */
  createInputs(capacity: number): ModelInputs {
    return new ModelInputs(this.format, capacity);
  }

  /**
   * Cues for the frames queued in `inputs` (made by {@link createInputs}), in their order; the inputs
   * stay queued (clear them once the cues are used). `styleRows`: each queued frame's own condition
   * vector (`STYLE_VECTOR_LENGTH` values per frame, in queue order), for a stream whose style changes
   * between frames; default: the style of {@link setStyle} for every frame.
   */
  async run(inputs: ModelInputs, styleRows?: Float32Array<ArrayBuffer>): Promise<CueBatch> {
    const batch = inputs.size;
    const rows = new ort.Tensor('float32', inputs.rows.subarray(0, batch * inputs.rowsPerFrame * FEATURE_COUNT), [batch, inputs.rowsPerFrame, FEATURE_COUNT]);
    const feeds: Record<string, ort.Tensor> =
      this.format.kind === 'head'
        ? { [MODEL_RECENT_INPUT_NAME]: rows, [MODEL_STATS_INPUT_NAME]: new ort.Tensor('float32', inputs.stats.subarray(0, batch * STATISTICS_LENGTH), [batch, STATISTICS_LENGTH]) }
        : { [MODEL_INPUT_NAME]: rows };
    if (this.takesStyle) {
      const styles = styleRows ? styleRows.subarray(0, batch * STYLE_VECTOR_LENGTH) : this.styleRows(batch);
      feeds[MODEL_STYLE_INPUT_NAME] = new ort.Tensor('float32', styles, [batch, STYLE_VECTOR_LENGTH]);
    }
    const outputs = await this.session.run(feeds);
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

  /** The current style tiled over `batch` rows (a view; the buffer grows, never per call at a steady batch). */
  private styleRows(batch: number): Float32Array<ArrayBuffer> {
    const length = batch * STYLE_VECTOR_LENGTH;
    if (this.styleBatch.length < length) {
      this.styleBatch = new Float32Array(length);
      for (let at = 0; at < length; at += STYLE_VECTOR_LENGTH) this.styleBatch.set(this.style, at);
    }
    return this.styleBatch.subarray(0, length);
  }

  /** Frees the session. */
  async release(): Promise<void> {
    await this.session.release();
  }
}
