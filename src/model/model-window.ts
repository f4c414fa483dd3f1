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
   * Writes the model input for the cues of frame {@link newestTarget} into `out` at `offset` (rows in
   * time order, padding before the stream's start). Call it after each {@link push}: the history holds
   * exactly one window. Audio-thread safe.
   */
  writeNewestWindow(out: Float32Array, offset = 0): void {
    const first = this.newestTarget - MODEL_TARGET_ROW;
    for (let row = 0; row < MODEL_WINDOW_FRAMES; row++) {
      const frame = first + row;
      const at = offset + row * FEATURE_COUNT;
      if (frame < this.firstFrame || frame < 0) {
        out.fill(START_PADDING_VALUE, at, at + FEATURE_COUNT);
      } else {
        const slot = (frame % MODEL_WINDOW_FRAMES) * FEATURE_COUNT;
        for (let b = 0; b < FEATURE_COUNT; b++) out[at + b] = this.history[slot + b];
      }
    }
  }
}
