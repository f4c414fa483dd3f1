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

/** Output of {@link sideGains}: reused by the caller. */
export interface SideGains {
  p: number;
  q: number;
}

/**
 * p and q for a signed ILD (positive: louder left) and an ICC, after the width control:
 * width 0 gives mono (ICC 1, ILD 0), 1 the cues as they are, above 1 proportionally wider (capped).
 */
export function sideGains(ildDb: Decibels, icc: number, width: number, out: SideGains): SideGains {
  let c = 1 - width * (1 - icc);
  c = c > 1 ? 1 : c < MIN_ICC ? MIN_ICC : c;
  let ild = width * ildDb;
  ild = ild > MAX_ILD_DB ? MAX_ILD_DB : ild < -MAX_ILD_DB ? -MAX_ILD_DB : ild;
  // t = (r - 1) / (r + 1) with r = 10^(ILD/10) is tanh(ILD * ln(10) / 20).
  const t = Math.tanh((ild * Math.LN10) / 20);
  const a = 2 / (1 + c * Math.sqrt(1 - t * t));
  const p = (a * t) / 2;
  const q2 = a - 1 - p * p;
  out.p = p;
  out.q = q2 > 0 ? Math.sqrt(q2) : 0;
  return out;
}
