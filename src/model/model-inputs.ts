/**
 * The inputs of a batch of model calls, built from a stream of feature frames in the layout the loaded
 * model takes (see {@link ModelInputFormat}). The model Worker and the CLI fill one of these frame by
 * frame and answer all its queued frames with one `CueModel.run`.
 * @packageDocumentation
 */
import { MODEL_WINDOW_FRAMES, START_PADDING_VALUE, STATISTICS_LENGTH } from './feature-spec.js';
import { FEATURE_COUNT } from './features.js';
import { ModelWindow } from './model-window.js';
import { WindowStatistics } from './window-statistics.js';

/**
 * How a model takes its window: `full-window`, the whole window `[batch, MODEL_WINDOW_FRAMES, 24]`
 * (input `features`; the statistics are computed inside the graph, models exported before the head
 * format); `head`, the window's last `recentFrames` rows (input `recent`) and its running statistics
 * (input `stats`, computed here: far cheaper per frame).
 */
export type ModelInputFormat = { readonly kind: 'full-window' } | { readonly kind: 'head'; readonly recentFrames: number };

/**
 * A model's inputs for up to `capacity` frames: frames are pushed one by one (in order), each one that
 * completes a window queues that window's inputs, and `CueModel.run` answers the queue in one call.
 */
export class ModelInputs {
  private readonly window = new ModelWindow();
  /** The running statistics (head format only). */
  private readonly statistics: WindowStatistics | null;
  /** Rows of features per queued frame: the whole window, or the head format's recent rows. */
  readonly rowsPerFrame: number;
  /** The queued frames' rows, `[capacity, rowsPerFrame, FEATURE_COUNT]`. */
  readonly rows: Float32Array<ArrayBuffer>;
  /** The queued frames' statistics, `[capacity, STATISTICS_LENGTH]` (head format; empty otherwise). */
  readonly stats: Float32Array<ArrayBuffer>;
  /** The frames whose cues are queued, oldest first. */
  readonly targets: number[] = [];
  /** A frame's features with non-finite values replaced (see {@link push}). */
  private readonly finiteFeatures = new Float32Array(FEATURE_COUNT);

  /** @param capacity - frames queued at most (a model call's largest batch). */
  constructor(
    readonly format: ModelInputFormat,
    readonly capacity: number,
  ) {
    this.rowsPerFrame = format.kind === 'head' ? format.recentFrames : MODEL_WINDOW_FRAMES;
    this.statistics = format.kind === 'head' ? new WindowStatistics() : null;
    this.rows = new Float32Array(capacity * this.rowsPerFrame * FEATURE_COUNT);
    this.stats = new Float32Array(format.kind === 'head' ? capacity * STATISTICS_LENGTH : 0);
  }

  /** Index of the newest frame pushed, -1 before the first (or after {@link reset}). */
  get newestFrame(): number {
    return this.window.newestFrame;
  }

  /** Frames queued for the next model call. */
  get size(): number {
    return this.targets.length;
  }

  /** True when no more frames fit: run the model (and {@link clear}) before the next push that completes a window. */
  get full(): boolean {
    return this.targets.length === this.capacity;
  }

  /**
   * Appends frame `frameIndex` (at any index first; after that, in order without gaps) and queues the
   * inputs for the frame whose window it completes (its lookahead has arrived), if any. A non-finite
   * feature value reads as silence (the padding value): the running statistics would otherwise stay
   * NaN for the rest of the stream, not only while the frame is in the window.
   */
  push(frameIndex: number, features: ArrayLike<number>): void {
    let frame = features;
    for (let b = 0; b < FEATURE_COUNT; b++) {
      if (!Number.isFinite(features[b])) {
        for (let c = 0; c < FEATURE_COUNT; c++) this.finiteFeatures[c] = Number.isFinite(features[c]) ? features[c] : START_PADDING_VALUE;
        frame = this.finiteFeatures;
        break;
      }
    }
    this.window.push(frameIndex, frame);
    this.statistics?.push(frameIndex, frame);
    const target = this.window.newestTarget;
    if (target < 0) return;
    if (this.full) throw new RangeError(`more than ${this.capacity} frames queued for the model`);
    const queued = this.targets.length;
    this.window.writeNewestRows(this.rows, queued * this.rowsPerFrame * FEATURE_COUNT, this.rowsPerFrame);
    this.statistics?.writeNewest(this.stats, queued * STATISTICS_LENGTH);
    this.targets.push(target);
  }

  /** Empties the queue (after the model has answered it). */
  clear(): void {
    this.targets.length = 0;
  }

  /** Forgets the stream (it restarted or skipped frames): the next push starts anew. Queued frames stay. */
  reset(): void {
    this.window.reset();
    this.statistics?.reset();
  }
}
