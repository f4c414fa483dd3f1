/**
 * Per-band sums of two half spectra: the statistics that coherence and level measurements per band are
 * made of (the orthogonaliser's projection of D on M, the side synthesis's power matching).
 * @packageDocumentation
 */
import { KernelArray, type SimdKernels } from './simd-kernels.js';

/**
 * Adds, for each bin k of the half spectra `a` and `b` with a band `bandOfBin[k] >= 0` (-1 skips the bin),
 * |a|^2, |b|^2 and the real and imaginary parts of b conj(a) to `sums[offset + 4 * band + 0..3]`.
 * The sums of a run of bins of one band build up in locals and are added once at the run's end (the
 * bands' bins are contiguous: no store and reload per bin). Audio-thread safe: allocates nothing.
 */
export function addBandSums(a: Float64Array, b: Float64Array, bandOfBin: Int32Array, sums: Float64Array, offset: number): void {
  const bins = bandOfBin.length;
  let k = 0;
  while (k < bins) {
    const band = bandOfBin[k];
    let pa = 0;
    let pb = 0;
    let re = 0;
    let im = 0;
    for (; k < bins && bandOfBin[k] === band; k++) {
      const ar = a[2 * k];
      const ai = a[2 * k + 1];
      const br = b[2 * k];
      const bi = b[2 * k + 1];
      pa += ar * ar + ai * ai;
      pb += br * br + bi * bi;
      re += ar * br + ai * bi;
      im += bi * ar - br * ai;
    }
    if (band < 0) continue;
    const at = offset + 4 * band;
    sums[at] += pa;
    sums[at + 1] += pb;
    sums[at + 2] += re;
    sums[at + 3] += im;
  }
}

/**
 * The runs of one band's bins among bins 0..`count` - 1, as the band-sum loops walk them (bins of band -1
 * left out): per run its first bin, its end and the byte offset of the band's four float64 sums (32
 * bytes a band), as flat triples for the kernels (whose arrays are float64).
 */
export function bandRunsOf(bandOfBin: Int32Array, count = bandOfBin.length): number[] {
  const triples: number[] = [];
  for (let k = 0; k < count; ) {
    const first = k;
    const band = bandOfBin[k];
    while (k < count && bandOfBin[k] === band) k++;
    if (band >= 0) triples.push(first, k, 32 * band);
  }
  return triples;
}

/**
 * {@link addBandSums}'s bands as runs of bins ({@link bandRunsOf}) for the `spectrumBandSums` kernel, in
 * the kernels' memory. Construct off the audio thread.
 */
export class BandSumRuns {
  readonly kernels: SimdKernels;
  readonly runs: KernelArray;
  readonly runCount: number;

  constructor(bandOfBin: Int32Array, kernels: SimdKernels) {
    this.kernels = kernels;
    const triples = bandRunsOf(bandOfBin);
    this.runs = KernelArray.of(triples, kernels);
    this.runCount = triples.length / 3;
  }

  /**
   * {@link addBandSums} of `a` and `b` into `sums` from `offset`, by the kernel (the same sums bit for
   * bit). All three in the kernels' memory. Audio-thread safe.
   */
  add(a: KernelArray, b: KernelArray, sums: KernelArray, offset: number): void {
    this.kernels.spectrumBandSums(sums.pointer + 8 * offset, a.pointer, b.pointer, this.runs.pointer, this.runCount);
  }
}
