/**
 * The ICC of design section 5 per 8-frame tile: 2048-point Hann frames (scaled with the sample rate), hop
 * a quarter frame, non-overlapping tiles of 8 frames, per band |sum L conj(R)| / sqrt(sum |L|^2 sum |R|^2)
 * over the tile's bins and frames. Independent of the engine's code (its own FFT loop and band mapping).
 * {@link TileShape} changes the hop and the frames per tile (the engine's meter: half a frame, 4 frames).
 */
import { BAND_COUNT, bandEdges, bandIndexOf } from '../../src/dsp/bands.js';
import { RealFft } from '../../src/dsp/real-fft.js';

/**
 * Hop as a fraction of the frame, the frames a tile advances by, and the weight of each of its frames (a
 * tile may share its edge frames with its neighbours); section 5's by default.
 */
export interface TileShape {
  hopFraction: number;
  tileStride: number;
  frameWeights: readonly number[];
}

export const SECTION5_TILES: TileShape = { hopFraction: 1 / 4, tileStride: 8, frameWeights: [1, 1, 1, 1, 1, 1, 1, 1] };

/** Per tile (from `start`) and band: ICC, and the tile-band's mean power of L and R. */
export interface TileIccs {
  tiles: number;
  /** tiles x bands, row-major. */
  iccs: Float64Array;
  powers: Float64Array;
}

export function tileIccs(left: ArrayLike<number>, right: ArrayLike<number>, sampleRate: number, start: number, shape = SECTION5_TILES): TileIccs {
  const size = 2048 * 2 ** Math.round(Math.log2(sampleRate / 44_100));
  const hop = size * shape.hopFraction;
  const weights = shape.frameWeights;
  const edges = bandEdges();
  const fft = new RealFft(size);
  const window = new Float64Array(size);
  for (let n = 0; n < size; n++) window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / size);
  const bandOfBin = new Int32Array(size / 2 + 1);
  for (let k = 0; k <= size / 2; k++) bandOfBin[k] = bandIndexOf((k * sampleRate) / size, edges);
  const frameL = new Float64Array(size);
  const frameR = new Float64Array(size);
  const specL = new Float64Array(size + 2);
  const specR = new Float64Array(size + 2);
  const frames = left.length - start >= size ? Math.floor((left.length - start - size) / hop) + 1 : 0;
  const tiles = frames >= weights.length ? Math.floor((frames - weights.length) / shape.tileStride) + 1 : 0;
  const iccs = new Float64Array(tiles * BAND_COUNT);
  const powers = new Float64Array(tiles * BAND_COUNT);
  const sums = new Float64Array(4 * BAND_COUNT);
  for (let t = 0; t < tiles; t++) {
    sums.fill(0);
    for (let f = 0; f < weights.length; f++) {
      const offset = start + (t * shape.tileStride + f) * hop;
      for (let n = 0; n < size; n++) {
        frameL[n] = left[offset + n] * window[n];
        frameR[n] = right[offset + n] * window[n];
      }
      fft.forward(frameL, specL);
      fft.forward(frameR, specR);
      for (let k = 0; k <= size / 2; k++) {
        const at = 4 * bandOfBin[k];
        const lr = specL[2 * k], li = specL[2 * k + 1], rr = specR[2 * k], ri = specR[2 * k + 1];
        sums[at] += weights[f] * (lr * lr + li * li);
        sums[at + 1] += weights[f] * (rr * rr + ri * ri);
        sums[at + 2] += weights[f] * (lr * rr + li * ri);
        sums[at + 3] += weights[f] * (li * rr - lr * ri);
      }
    }
    for (let b = 0; b < BAND_COUNT; b++) {
      const at = 4 * b;
      iccs[t * BAND_COUNT + b] = Math.hypot(sums[at + 2], sums[at + 3]) / Math.sqrt(sums[at] * sums[at + 1]);
      powers[t * BAND_COUNT + b] = 0.5 * (sums[at] + sums[at + 1]);
    }
  }
  return { tiles, iccs, powers };
}

/**
 * Mean over active tiles of the tile ICC per band (NaN for a band with no active tile). A tile-band is
 * active when its power is above 1e-6 of the mean total power per tile (training/realisation.py's rule).
 */
export function meanTileIcc(left: ArrayLike<number>, right: ArrayLike<number>, sampleRate: number, start: number, shape = SECTION5_TILES): Float64Array {
  const { tiles, iccs, powers } = tileIccs(left, right, sampleRate, start, shape);
  let level = 0;
  for (let i = 0; i < powers.length; i++) level += powers[i];
  level /= tiles;
  const mean = new Float64Array(BAND_COUNT);
  for (let b = 0; b < BAND_COUNT; b++) {
    let total = 0;
    let count = 0;
    for (let t = 0; t < tiles; t++) {
      if (!(powers[t * BAND_COUNT + b] > 1e-6 * level)) continue;
      total += iccs[t * BAND_COUNT + b];
      count++;
    }
    mean[b] = count > 0 ? total / count : Number.NaN;
  }
  return mean;
}

/** The cue bands whose centre (geometric mean of the edges) lies from `low` to `high` Hz. */
export function bandsCentredBetween(low: number, high: number): number[] {
  const edges = bandEdges();
  return Array.from({ length: BAND_COUNT }, (_, b) => b).filter((b) => {
    const centre = Math.sqrt(edges[b] * edges[b + 1]);
    return centre >= low && centre <= high;
  });
}
