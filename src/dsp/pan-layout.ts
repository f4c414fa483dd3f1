/**
 * Which side each band leans to. From mono alone the side is a guess, so it comes from a stable layout
 * chosen by the user-visible "variation" seed, and never flips frame to frame. The layout is the sign of
 * a smooth random curve over the bands, less its median: neighbouring bands (the partials of one
 * instrument) mostly lean the same way, and as many bands lean left as right, so the mix stays centred.
 *
 * Directions only change between bands above {@link LAYOUT_SPLIT_HZ}: a change makes the level cue
 * cross zero at the shared edge, which the STFT can only do cleanly where bands span several bins; the
 * bands below lean with the first band above (low frequencies carry little level cue anyway).
 * @packageDocumentation
 */

/** mulberry32: a small, well-known seeded PRNG, uniform in [0, 1). Reseedable, so it is made once. */
export class SeededRandom {
  private state = 0;

  constructor(seed = 0) {
    this.reseed(seed);
  }

  reseed(seed: number): void {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

const TERMS = 3;
/** Bands centred below this lean together. */
export const LAYOUT_SPLIT_HZ = 1000;

/**
 * Computes per-band directions (+1 left, -1 right) for a variation seed. Allocation-free after
 * construction, so the seed may change while audio runs.
 */
export class PanLayout {
  /** +1 or -1 per band. */
  readonly directions: Float64Array;
  private readonly random = new SeededRandom();
  private readonly amplitudes = new Float64Array(TERMS);
  private readonly phases = new Float64Array(TERMS);
  private readonly curve: Float64Array;
  private readonly sorted: Float64Array;

  private readonly firstFree: number;

  /** @param centres - band centre frequencies in Hz */
  constructor(centres: Float64Array, variation: number) {
    const bandCount = centres.length;
    let firstFree = 0;
    while (firstFree < bandCount - 1 && centres[firstFree] < LAYOUT_SPLIT_HZ) firstFree++;
    this.firstFree = firstFree;
    this.directions = new Float64Array(bandCount);
    this.curve = new Float64Array(bandCount);
    this.sorted = new Float64Array(bandCount);
    this.setVariation(variation);
  }

  /** Recomputes the directions for a seed (any integer; fractions are floored). */
  setVariation(variation: number): void {
    this.random.reseed(Math.imul(Math.floor(variation) | 0, 0x9e3779b1));
    for (let j = 0; j < TERMS; j++) {
      this.amplitudes[j] = (0.5 + this.random.next()) / (j + 1);
      this.phases[j] = 2 * Math.PI * this.random.next();
    }
    const bands = this.directions.length;
    const free = bands - this.firstFree;
    for (let b = this.firstFree; b < bands; b++) {
      const x = (b - this.firstFree + 0.5) / free;
      let value = 0;
      for (let j = 0; j < TERMS; j++) value += this.amplitudes[j] * Math.sin(Math.PI * (j + 1) * x + this.phases[j]);
      this.curve[b] = value;
    }
    // Insertion sort of the free bands' values into `sorted` (at most a few dozen): no views, no
    // allocation, since a variation change runs on the audio thread.
    const sorted = this.sorted;
    for (let i = 0; i < free; i++) {
      const value = this.curve[this.firstFree + i];
      let j = i;
      for (; j > 0 && sorted[j - 1] > value; j--) sorted[j] = sorted[j - 1];
      sorted[j] = value;
    }
    const median = 0.5 * (sorted[(free - 1) >> 1] + sorted[free >> 1]);
    for (let b = this.firstFree; b < bands; b++) this.directions[b] = this.curve[b] > median ? 1 : -1;
    for (let b = 0; b < this.firstFree; b++) this.directions[b] = this.directions[this.firstFree];
  }
}
