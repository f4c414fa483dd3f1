/**
 * Which side each band leans to. From mono alone the side is a guess, so it comes from a stable layout
 * chosen by the user-visible "variation" seed, and never flips frame to frame. The layout is the sign of
 * a smooth random curve over the bands, so neighbouring bands (the partials of one instrument) mostly
 * lean the same way.
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

  constructor(bandCount: number, variation: number) {
    this.directions = new Float64Array(bandCount);
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
    for (let b = 0; b < bands; b++) {
      const x = (b + 0.5) / bands;
      let curve = 0;
      for (let j = 0; j < TERMS; j++) curve += this.amplitudes[j] * Math.sin(Math.PI * (j + 1) * x + this.phases[j]);
      this.directions[b] = curve >= 0 ? 1 : -1;
    }
  }
}
