import type { Hertz } from './units.js';

/** Lowest and highest band edge of the cue bands (design section 5). */
export const BAND_LOW_EDGE: Hertz = 60;
export const BAND_HIGH_EDGE: Hertz = 18_000;
/** Number of cue bands: the model predicts one ICC and one |ILD| per band. */
export const BAND_COUNT = 24;
/** Cues cross-fade between neighbouring bands over at most this many bins either side of an edge. */
export const EDGE_FADE_BINS = 2;
/** ... and over at most this share of the band's width, so most of a band carries its own cue exactly. */
export const EDGE_FADE_SHARE = 0.1;

/** ERB-rate (Glasberg & Moore): the auditory frequency scale the bands are evenly spaced on. */
export function erbRate(frequency: Hertz): number {
  return 21.4 * Math.log10(1 + 0.00437 * frequency);
}

/** Inverse of {@link erbRate}. */
export function erbRateToHertz(rate: number): Hertz {
  return (10 ** (rate / 21.4) - 1) / 0.00437;
}

/** The `BAND_COUNT + 1` band edges in Hz, ERB-spaced from 60 Hz to 18 kHz. */
export function bandEdges(count = BAND_COUNT, low = BAND_LOW_EDGE, high = BAND_HIGH_EDGE): Float64Array {
  const edges = new Float64Array(count + 1);
  const lo = erbRate(low);
  const hi = erbRate(high);
  for (let i = 0; i <= count; i++) edges[i] = erbRateToHertz(lo + ((hi - lo) * i) / count);
  return edges;
}

/**
 * Index of the band that holds `frequency`: frequencies below the first edge go to band 0, above the last
 * edge to the last band. Construction-time helper (a linear scan over the edges).
 */
export function bandIndexOf(frequency: Hertz, edges: ArrayLike<number>): number {
  const last = edges.length - 2;
  let band = 0;
  while (band < last && frequency >= edges[band + 1]) band++;
  return band;
}

/**
 * The bands mapped onto the bins of one FFT size and sample rate. Bands are defined in Hz, so the same
 * layout serves every rate; a band narrower than a bin at small frame sizes simply owns no bin.
 */
export class BandLayout {
  readonly bandCount: number;
  readonly binCount: number;
  readonly edges: Float64Array;
  /** Band index of every bin (bins below the first edge go to band 0, above the last to the last band). */
  readonly bandOfBin: Int32Array;
  /**
   * Per bin: a neighbouring band and its weight. Cues are constant inside a band (so a band's measured
   * cue is the band's cue) and cross-fade over at most {@link EDGE_FADE_BINS} bins either side of an edge
   * (so no band edge is a hard step, which would ring through the frame and pre-echo).
   */
  readonly neighbourOfBin: Int32Array;
  readonly neighbourWeightOfBin: Float64Array;
  /** Centre frequency (geometric mean of the edges) of each band. */
  readonly centres: Float64Array;
  /**
   * The first bin of each band, and the bin count at the end (`bandCount + 1` values): a band's bins are
   * `firstBinOfBand[b]` up to `firstBinOfBand[b + 1]` (bins are in band order; a band with no bin has an
   * empty run). For loops that take a band's values once per run of bins.
   */
  readonly firstBinOfBand: Int32Array;
  /** The bins with a neighbour weight other than 0 (the faded edges), in order. */
  readonly fadedBins: Int32Array;

  constructor(sampleRate: Hertz, frameSize: number, edges: Float64Array = bandEdges()) {
    this.edges = edges;
    this.bandCount = edges.length - 1;
    this.binCount = frameSize / 2 + 1;
    this.centres = new Float64Array(this.bandCount);
    for (let b = 0; b < this.bandCount; b++) this.centres[b] = Math.sqrt(edges[b] * edges[b + 1]);
    this.bandOfBin = new Int32Array(this.binCount);
    this.neighbourOfBin = new Int32Array(this.binCount);
    this.neighbourWeightOfBin = new Float64Array(this.binCount);
    const last = this.bandCount - 1;
    const binHz = sampleRate / frameSize;
    for (let k = 0; k < this.binCount; k++) {
      const f = k * binHz;
      const band = bandIndexOf(f, edges);
      this.bandOfBin[k] = band;
      const fade = Math.min(EDGE_FADE_BINS, (EDGE_FADE_SHARE * (edges[band + 1] - edges[band])) / binHz);
      const fromLower = (f - edges[band]) / binHz;
      const fromUpper = (edges[band + 1] - f) / binHz;
      let neighbour = band;
      let weight = 0;
      if (band > 0 && fromLower >= 0 && fromLower < fade) {
        neighbour = band - 1;
        weight = 0.5 * (1 - fromLower / fade);
      } else if (band < last && fromUpper > 0 && fromUpper < fade) {
        neighbour = band + 1;
        weight = 0.5 * (1 - fromUpper / fade);
      }
      this.neighbourOfBin[k] = neighbour;
      this.neighbourWeightOfBin[k] = weight;
    }
    this.firstBinOfBand = new Int32Array(this.bandCount + 1);
    for (let b = 0; b <= this.bandCount; b++) {
      let first = 0;
      while (first < this.binCount && this.bandOfBin[first] < b) first++;
      this.firstBinOfBand[b] = first;
    }
    this.fadedBins = Int32Array.from(this.neighbourWeightOfBin.keys()).filter((k) => this.neighbourWeightOfBin[k] !== 0);
  }

  /**
   * Sums the power of an interleaved complex half spectrum (re, im per bin) into `out` per band.
   * Audio-thread safe: allocates nothing.
   */
  bandPowers(spectrum: Float64Array, out: Float64Array): void {
    const firstBinOfBand = this.firstBinOfBand;
    // Per band's run of bins (contiguous, from firstBinOfBand): summed in a local, stored once.
    for (let band = 0; band < this.bandCount; band++) {
      let power = 0;
      const end = firstBinOfBand[band + 1];
      for (let k = firstBinOfBand[band]; k < end; k++) {
        const re = spectrum[2 * k];
        const im = spectrum[2 * k + 1];
        power += re * re + im * im;
      }
      out[band] = power;
    }
  }

  /**
   * Spreads per-band values onto bins (constant in a band, faded at edges), the first `binLimit` bins
   * (all by default). Audio-thread safe.
   */
  spreadToBins(perBand: Float64Array, perBin: Float64Array, binLimit = this.binCount): void {
    for (let k = 0; k < binLimit; k++) {
      const w = this.neighbourWeightOfBin[k];
      const own = perBand[this.bandOfBin[k]];
      perBin[k] = w === 0 ? own : own + w * (perBand[this.neighbourOfBin[k]] - own);
    }
  }
}
