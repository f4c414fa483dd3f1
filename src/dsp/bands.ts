import type { Hertz } from './units.js';

/** Lowest and highest band edge of the cue bands (design section 5). */
export const BAND_LOW_EDGE: Hertz = 60;
export const BAND_HIGH_EDGE: Hertz = 18_000;
/** Number of cue bands: the model predicts one ICC and one |ILD| per band. */
export const BAND_COUNT = 24;

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
 * The bands mapped onto the bins of one FFT size and sample rate. Bands are defined in Hz, so the same
 * layout serves every rate; a band narrower than a bin at small frame sizes simply owns no bin.
 */
export class BandLayout {
  readonly bandCount: number;
  readonly binCount: number;
  readonly edges: Float64Array;
  /** Band index of every bin (bins below the first edge go to band 0, above the last to the last band). */
  readonly bandOfBin: Int32Array;
  /** Per bin: the lower of the two bands whose centres surround it, and the weight of the upper one. */
  readonly lowerBandOfBin: Int32Array;
  readonly upperWeightOfBin: Float64Array;
  /** Centre frequency (geometric mean of the edges) of each band. */
  readonly centres: Float64Array;

  constructor(sampleRate: Hertz, frameSize: number, edges: Float64Array = bandEdges()) {
    this.edges = edges;
    this.bandCount = edges.length - 1;
    this.binCount = frameSize / 2 + 1;
    this.centres = new Float64Array(this.bandCount);
    for (let b = 0; b < this.bandCount; b++) this.centres[b] = Math.sqrt(edges[b] * edges[b + 1]);
    this.bandOfBin = new Int32Array(this.binCount);
    this.lowerBandOfBin = new Int32Array(this.binCount);
    this.upperWeightOfBin = new Float64Array(this.binCount);
    const last = this.bandCount - 1;
    for (let k = 0; k < this.binCount; k++) {
      const f = (k * sampleRate) / frameSize;
      let band = 0;
      while (band < last && f >= edges[band + 1]) band++;
      this.bandOfBin[k] = band;
      // Interpolate between band centres on the ERB scale, so cues change smoothly across bins.
      if (f <= this.centres[0]) {
        this.lowerBandOfBin[k] = 0;
        this.upperWeightOfBin[k] = 0;
      } else if (f >= this.centres[last]) {
        this.lowerBandOfBin[k] = last;
        this.upperWeightOfBin[k] = 0;
      } else {
        let lower = 0;
        while (f >= this.centres[lower + 1]) lower++;
        const a = erbRate(this.centres[lower]);
        const b = erbRate(this.centres[lower + 1]);
        this.lowerBandOfBin[k] = lower;
        this.upperWeightOfBin[k] = (erbRate(f) - a) / (b - a);
      }
    }
  }

  /**
   * Sums the power of an interleaved complex half spectrum (re, im per bin) into `out` per band.
   * Audio-thread safe: allocates nothing.
   */
  bandPowers(spectrum: Float64Array, out: Float64Array): void {
    out.fill(0);
    for (let k = 0; k < this.binCount; k++) {
      const re = spectrum[2 * k];
      const im = spectrum[2 * k + 1];
      out[this.bandOfBin[k]] += re * re + im * im;
    }
  }

  /** Spreads per-band values onto bins by interpolating between band centres. Audio-thread safe. */
  interpolateToBins(perBand: Float64Array, perBin: Float64Array): void {
    for (let k = 0; k < this.binCount; k++) {
      const lower = this.lowerBandOfBin[k];
      const w = this.upperWeightOfBin[k];
      perBin[k] = w === 0 ? perBand[lower] : perBand[lower] * (1 - w) + perBand[lower + 1] * w;
    }
  }
}
