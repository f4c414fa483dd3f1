/**
 * Per-band sums of two half spectra: the statistics that coherence and level measurements per band are
 * made of (the orthogonaliser's projection of D on M, the side synthesis's power matching).
 * @packageDocumentation
 */

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
