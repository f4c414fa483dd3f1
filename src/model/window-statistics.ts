/**
 * The running statistics of the model window (feature-spec.json `statistics`; the reference is
 * training/model.py `LongCueModel.raw_stats`): the head-format model's input `stats`. They are kept as
 * running sums, updated as each frame arrives, so a frame costs a few operations per band instead of a
 * pass over the window's 257 strided rows (about 17 us per frame, more than the model call itself).
 * @packageDocumentation
 */
import { MODEL_WINDOW_FRAMES, START_PADDING_VALUE, STATISTICS_LENGTH, STATISTICS_MID_FRAMES, STATISTICS_STRIDE, STATISTICS_VALID_ABOVE } from './feature-spec.js';
import { FEATURE_COUNT } from './features.js';

/** Strided rows of a window (the newest frame, then every STATISTICS_STRIDE-th one back), and of its mid scale. */
const ROWS = Math.floor((MODEL_WINDOW_FRAMES - 1) / STATISTICS_STRIDE) + 1;
const MID_ROWS = Math.floor(STATISTICS_MID_FRAMES / STATISTICS_STRIDE);
/** The ring reaches back to the strided row that just left the window (its values are subtracted). */
const RING_FRAMES = (ROWS + 1) * STATISTICS_STRIDE;
/** Statistics per scale: share of sound rows, mean x*v, mean x^2*v, mean |change|, each per band. */
const PER_SCALE = 4 * FEATURE_COUNT;

if (STATISTICS_LENGTH !== 2 * PER_SCALE) throw new Error(`feature-spec.json: statistics.length ${STATISTICS_LENGTH}, expected ${2 * PER_SCALE}`);

/** What each statistic's sum is multiplied by: 1 / rows for the three sums over rows, 1 / (rows - 1) for the changes. */
const INVERSE_COUNTS = Float64Array.from({ length: STATISTICS_LENGTH }, (_, i) => {
  const rows = i < PER_SCALE ? ROWS : MID_ROWS;
  return 1 / (Math.floor((i % PER_SCALE) / FEATURE_COUNT) === 3 ? rows - 1 : rows);
});

/**
 * The window statistics of the newest frame's window, from a stream of feature frames. The strided rows
 * of frame n's window are the frames n, n - stride, ...: one sum per stride phase (n mod stride), which
 * frame n updates by adding its row and subtracting the row that left (frame n - rows*stride). Sums are
 * float64 (each update rounds by about 1e-16 of a sum below 3e4: drift far below the float32 input's
 * precision over days of audio); frames before the stream's first frame read as padding, as in training.
 */
export class WindowStatistics {
  /** The last RING_FRAMES frames (float32, as the model window holds them), padding before the first. */
  private readonly history = new Float32Array(RING_FRAMES * FEATURE_COUNT).fill(START_PADDING_VALUE);
  /** Per stride phase, the sums of its statistics over its strided rows, laid out as the statistics are. */
  private readonly sums = new Float64Array(STATISTICS_STRIDE * STATISTICS_LENGTH);
  /** Index of the newest frame pushed, -1 before the first. */
  newestFrame = -1;

  /** Appends frame `frameIndex` (at any index first; after that, frames must come in order without gaps). */
  push(frameIndex: number, features: ArrayLike<number>): void {
    if (this.newestFrame >= 0 && frameIndex !== this.newestFrame + 1) {
      throw new RangeError(`feature frame ${frameIndex} arrived after ${this.newestFrame}: frames must come in order`);
    }
    const history = this.history;
    const at = slotOf(frameIndex);
    for (let b = 0; b < FEATURE_COUNT; b++) history[at + b] = features[b];
    const previous = slotOf(frameIndex - STATISTICS_STRIDE);
    const left = slotOf(frameIndex - ROWS * STATISTICS_STRIDE);
    const leftNext = slotOf(frameIndex - (ROWS - 1) * STATISTICS_STRIDE);
    const midLeft = slotOf(frameIndex - MID_ROWS * STATISTICS_STRIDE);
    const midLeftNext = slotOf(frameIndex - (MID_ROWS - 1) * STATISTICS_STRIDE);
    const sums = this.sums;
    const whole = phaseOf(frameIndex) * STATISTICS_LENGTH;
    const mid = whole + PER_SCALE;
    for (let b = 0; b < FEATURE_COUNT; b++) {
      const x = history[at + b];
      const v = x > STATISTICS_VALID_ABOVE ? 1 : 0;
      const change = Math.abs(x - history[previous + b]);
      slide(sums, whole + b, x, v, change, history[left + b], history[leftNext + b]);
      slide(sums, mid + b, x, v, change, history[midLeft + b], history[midLeftNext + b]);
    }
    this.newestFrame = frameIndex;
  }

  /** Forgets the history (a stream that restarted or skipped frames); the next push starts anew. */
  reset(): void {
    this.history.fill(START_PADDING_VALUE);
    this.sums.fill(0);
    this.newestFrame = -1;
  }

  /** Writes the statistics of the window that ends at the newest frame into `out` at `offset` (STATISTICS_LENGTH values). */
  writeNewest(out: Float32Array, offset = 0): void {
    const base = phaseOf(this.newestFrame) * STATISTICS_LENGTH;
    const sums = this.sums;
    for (let i = 0; i < STATISTICS_LENGTH; i++) out[offset + i] = sums[base + i] * INVERSE_COUNTS[i];
  }
}

/**
 * Moves one scale's sums of one band (at `at`) on by a row: adds row value `x` (`v` 1 if sound, `change`
 * its |change| from the strided row before) and takes out `gone`, the row that left the scale, with its
 * change to the row after it, `goneNext`.
 */
function slide(sums: Float64Array, at: number, x: number, v: number, change: number, gone: number, goneNext: number): void {
  const goneV = gone > STATISTICS_VALID_ABOVE ? 1 : 0;
  sums[at] += v - goneV;
  sums[at + FEATURE_COUNT] += x * v - gone * goneV;
  sums[at + 2 * FEATURE_COUNT] += x * x * v - gone * gone * goneV;
  sums[at + 3 * FEATURE_COUNT] += change - Math.abs(goneNext - gone);
}

/** Where frame `frame`'s row starts in the ring (frames before 0 too: they are padding). */
function slotOf(frame: number): number {
  return (((frame % RING_FRAMES) + RING_FRAMES) % RING_FRAMES) * FEATURE_COUNT;
}

function phaseOf(frame: number): number {
  return ((frame % STATISTICS_STRIDE) + STATISTICS_STRIDE) % STATISTICS_STRIDE;
}
