/**
 * Per-band sums of two half spectra: the statistics that coherence and level measurements per band are
 * made of (the orthogonaliser's projection of D on M, the side synthesis's power matching).
 * @packageDocumentation
 */

/**
 * Adds, for each bin k of the half spectra `a` and `b` with a band `bandOfBin[k] >= 0` (-1 skips the bin),
 * |a|^2, |b|^2 and the real and imaginary parts of b conj(a) to `sums[offset + 4 * band + 0..3]`.
 * Audio-thread safe: allocates nothing.
 */
export function addBandSums(a: Float64Array, b: Float64Array, bandOfBin: Int32Array, sums: Float64Array, offset: number): void {
  for (let k = 0; k < bandOfBin.length; k++) {
    const band = bandOfBin[k];
    if (band < 0) continue;
    const at = offset + 4 * band;
    const ar = a[2 * k];
    const ai = a[2 * k + 1];
    const br = b[2 * k];
    const bi = b[2 * k + 1];
    sums[at] += ar * ar + ai * ai;
    sums[at + 1] += br * br + bi * bi;
    sums[at + 2] += ar * br + ai * bi;
    sums[at + 3] += bi * ar - br * ai;
  }
}
