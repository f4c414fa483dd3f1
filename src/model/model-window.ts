/**
 * The feature history a model call needs: the last {@link MODEL_WINDOW_FRAMES} feature frames, and the
 * window `[batch, MODEL_WINDOW_FRAMES, FEATURE_COUNT]` of the model's input for a given target frame.
 * Frames before the stream's start read as {@link START_PADDING_VALUE}, as in training.
 * @packageDocumentation
 */
import { MODEL_TARGET_ROW, MODEL_WINDOW_FRAMES, START_PADDING_VALUE } from './feature-spec.js';
import { FEATURE_COUNT } from './features.js';

/** Floats in one model input window. */
export const WINDOW_SIZE = MODEL_WINDOW_FRAMES * FEATURE_COUNT;

export class ModelWindow {
  /** Ring of the last frames' features, oldest overwritten first. */
  private readonly history = new Float32Array(WINDOW_SIZE);
  /** Index of the newest frame pushed, -1 before the first. */
  newestFrame = -1;
  /** Index of the first frame pushed: earlier rows read as padding (a model attached mid-stream starts here). */
  private firstFrame = -1;

  /**
   * Appends frame `frameIndex`. The first push may start at any index; after it, frames must come in
   * order without gaps.
   */
  push(frameIndex: number, features: ArrayLike<number>): void {
    if (this.firstFrame < 0) {
      this.firstFrame = frameIndex;
    } else if (frameIndex !== this.newestFrame + 1) {
      throw new RangeError(`feature frame ${frameIndex} arrived after ${this.newestFrame}: frames must come in order`);
    }
    const slot = (frameIndex % MODEL_WINDOW_FRAMES) * FEATURE_COUNT;
    for (let b = 0; b < FEATURE_COUNT; b++) this.history[slot + b] = features[b];
    this.newestFrame = frameIndex;
  }

  /** Forgets the history (a stream that restarted or skipped frames); the next push starts anew. */
  reset(): void {
    this.newestFrame = -1;
    this.firstFrame = -1;
  }

  /** The newest frame whose cues the history can give (it holds that frame's lookahead), or -1. */
  get newestTarget(): number {
    return this.newestFrame - (MODEL_WINDOW_FRAMES - 1 - MODEL_TARGET_ROW);
  }

  /**
   * Writes the last `rows` rows of the model window for the cues of frame {@link newestTarget} into
   * `out` at `offset` (rows in time order, padding before the stream's start): the whole window by
   * default, or its newest rows (a head-format model's `recent` input). Call it after each {@link push}:
   * the history holds exactly one window. The rows are copied as at most two runs of the ring (a window
   * is 1,025 rows: element by element it took most of the CLI's feature time); the views this makes are
   * garbage, so this is for the Worker and the CLI, not the audio thread.
   */
  writeNewestRows(out: Float32Array, offset = 0, rows = MODEL_WINDOW_FRAMES): void {
    const first = this.newestFrame - rows + 1;
    const validFrom = Math.max(first, this.firstFrame, 0);
    const paddingRows = Math.min(rows, validFrom - first);
    out.fill(START_PADDING_VALUE, offset, offset + paddingRows * FEATURE_COUNT);
    let row = paddingRows;
    let slot = validFrom % MODEL_WINDOW_FRAMES;
    while (row < rows) {
      const run = Math.min(rows - row, MODEL_WINDOW_FRAMES - slot);
      out.set(this.history.subarray(slot * FEATURE_COUNT, (slot + run) * FEATURE_COUNT), offset + row * FEATURE_COUNT);
      row += run;
      slot = 0;
    }
  }
}
