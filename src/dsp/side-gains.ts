/**
 * From spatial cues to the side-signal gains p and q (design section 3). With a decorrelated copy D of
 * the mono signal M, L = M + p*M + q*D and R = M - p*M - q*D give power ratio r = 10^(ILD/10) and
 * coherence c between L and R, and (L + R) / 2 = M for any p and q.
 * @packageDocumentation
 */
import type { Decibels } from './units.js';

/** Widest level difference the width control may reach. */
export const MAX_ILD_DB: Decibels = 24;
/** Lowest coherence the width control may reach beyond natural (slightly out of phase, not more). */
export const MIN_ICC = -0.3;

/** p and q for one band, for callers off the audio thread. */
export interface SideGains {
  p: number;
  q: number;
}

/** {@link writeSideGains} for one band, returning a new object: convenient, but allocates. */
export function sideGains(ildDb: Decibels, icc: number, width: number): SideGains {
  const p = new Float64Array(1);
  const q = new Float64Array(1);
  writeSideGains(Float64Array.of(Math.abs(ildDb)), Float64Array.of(icc), Float64Array.of(Math.sign(ildDb) || 1), { width }, p, q);
  return { p: p[0], q: q[0] };
}

/**
 * Writes p and q per band for cues (ICC, |ILD|), the bands' directions (+1 louder left, -1 right) and
 * the width control: width 0 gives mono (ICC 1, ILD 0), 1 the cues as they are, above 1 proportionally
 * wider (capped). Audio-thread safe. Arrays and an object in, arrays out: a call that passes or returns
 * a bare double can box it on the heap in V8.
 */
export function writeSideGains(
  ildMagnitudesDb: Float64Array,
  iccs: Float64Array,
  directions: Float64Array,
  controls: { readonly width: number },
  pOut: Float64Array,
  qOut: Float64Array,
): void {
  const width = controls.width;
  for (let b = 0; b < pOut.length; b++) {
    // Math.min/max, not ternaries on the module constants: a phi of a double and a constant loaded
    // from module scope makes V8 box the double.
    const c = Math.min(1, Math.max(MIN_ICC, 1 - width * (1 - iccs[b])));
    const ild = Math.min(MAX_ILD_DB, Math.max(-MAX_ILD_DB, width * directions[b] * ildMagnitudesDb[b]));
    const r = Math.exp((ild * Math.LN10) / 10);
    const t = (r - 1) / (r + 1);
    const a = 2 / (1 + c * Math.sqrt(1 - t * t));
    const p = (a * t) / 2;
    const q2 = a - 1 - p * p;
    pOut[b] = p;
    qOut[b] = q2 > 0 ? Math.sqrt(q2) : 0;
  }
}
