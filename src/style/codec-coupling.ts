/**
 * Codec-coupled tile-bands of a stereo mix (Vorbis point / intensity stereo): above a cutoff the encoder
 * codes a band's two channels as scaled copies, so its ICC measures the encoder, not the mix. A style
 * leaves them out, as the model's training targets do. A port of training/codec_coupling.py (`detect`),
 * its thresholds read from the one copy in `style-spec.json` (the description there says the rule).
 * @packageDocumentation
 */
import styleSpec from './style-spec.json';

const RULE = styleSpec.codecCoupling;

/**
 * The track's coupling cutoff band, or -1: the lowest band from `minCutoffHz` up whose share of active
 * tiles at ICC >= highIcc is high on average from there up, in the band itself, and well above the
 * share of the bands just below it.
 */
function trackCutoff(icc: Float64Array, active: Uint8Array, tiles: number, bands: number, bandLowHz: ArrayLike<number>): number {
  const share = new Float64Array(bands).fill(Number.NaN);
  for (let b = 0; b < bands; b++) {
    let count = 0;
    let high = 0;
    for (let t = 0; t < tiles; t++) {
      if (!active[t * bands + b]) continue;
      count++;
      if (icc[t * bands + b] >= RULE.highIcc) high++;
    }
    if (count > 0) share[b] = high / count;
  }
  const meanOfFinite = (from: number, to: number): number | undefined => {
    let total = 0;
    let count = 0;
    for (let b = Math.max(0, from); b < to; b++) {
      if (Number.isFinite(share[b])) {
        total += share[b];
        count++;
      }
    }
    return count > 0 ? total / count : undefined;
  };
  for (let c = 1; c < bands; c++) {
    if (bandLowHz[c] < RULE.minCutoffHz || !Number.isFinite(share[c])) continue;
    const above = meanOfFinite(c, bands);
    if (above === undefined) continue;
    const base = meanOfFinite(c - 4, c - 1) ?? 0;
    if (above >= RULE.trackShare && share[c] >= RULE.halfShare && above - base >= RULE.jump) return c;
  }
  return -1;
}

/**
 * Which tile-bands are codec-coupled: `icc` and `active` are tiles x bands, row-major; `bandLowHz` is
 * each band's lower edge. Returns a tiles x bands 0/1 mask (only active tile-bands can be coupled).
 */
export function detectCodecCoupling(icc: Float64Array, active: Uint8Array, tiles: number, bands: number, bandLowHz: ArrayLike<number>): Uint8Array {
  const coupled = new Uint8Array(tiles * bands);
  if (tiles === 0) return coupled;
  const cutoff = trackCutoff(icc, active, tiles, bands, bandLowHz);
  if (cutoff >= 0) {
    for (let t = 0; t < tiles; t++) {
      const row = t * bands;
      for (let b = cutoff; b < bands; b++) coupled[row + b] = icc[row + b] >= RULE.tileIcc ? 1 : 0;
      coupled[row + cutoff - 1] = icc[row + cutoff - 1] >= RULE.highIcc ? 1 : 0;
    }
  }
  // Per tile: a run of ICC ~1 (inactive bands count as high) up to the top band, with a clear step below.
  let firstBand = 0;
  while (firstBand < bands && bandLowHz[firstBand] < RULE.minTileCutoffHz) firstBand++;
  for (let t = 0; t < tiles; t++) {
    const row = t * bands;
    const runFrom = new Uint8Array(bands + 1);
    const activeFrom = new Int32Array(bands + 1);
    runFrom[bands] = 1;
    for (let b = bands - 1; b >= 0; b--) {
      const high = icc[row + b] >= RULE.runIcc || !active[row + b];
      runFrom[b] = high && runFrom[b + 1] ? 1 : 0;
      activeFrom[b] = activeFrom[b + 1] + (active[row + b] ? 1 : 0);
    }
    for (let b = Math.max(firstBand, 1); b < bands - RULE.minRun + 1; b++) {
      const starts = runFrom[b] && active[row + b] && activeFrom[b] >= RULE.minRun && active[row + b - 1] && icc[row + b - 1] < RULE.runIcc - RULE.runDrop;
      if (starts) for (let c = b; c < bands; c++) coupled[row + c] = 1;
    }
  }
  for (let i = 0; i < coupled.length; i++) coupled[i] &= active[i];
  return coupled;
}
