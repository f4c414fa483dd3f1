/**
 * Builds the side spectrum S = p*M + q*g*(D - alpha*M) of one frame from per-band cues: maps cues to
 * gains, smooths the gains over time (cue changes, width and variation changes are click-free), takes
 * D's projection alpha on M and the gain g of the remainder from the {@link BandOrthogonalizer} (so the
 * decorrelated part is uncorrelated with M and as loud as M over the measuring window), spreads the
 * per-band coefficients over the bins (constant in a band, faded over a few bins at its edges) and applies
 * the bass-mono weight.
 * @packageDocumentation
 */
import type { BandLayout } from './bands.js';
import { MAX_DECORRELATED_GAIN, type BandOrthogonalizer } from './band-orthogonalizer.js';
import { addBandSums } from './band-sums.js';
import type { SpatialCues } from './cue-source.js';
import { writeSideGains } from './side-gains.js';
import { glideTowards } from './glide.js';
import { writeBassMonoWeights } from './bass-mono.js';
import type { ControlValues } from './controls.js';
import type { Hertz } from './units.js';
import { KernelArray, simdKernels, type SimdKernels } from './simd-kernels.js';

/** Time constant of the gain smoothing (cue and control changes glide over about this long). */
const GAIN_SECONDS = 0.04;
/** A glide step that goes straight to the target. */
const STRAIGHT = Float64Array.of(1);

/** Options of a {@link SideSynthesis}. */
export interface SideSynthesisOptions {
  /**
   * Power matching: per band, the gain on D - alpha M is set each frame so that the side's power over
   * this many frames (this one and the ones before) is what the cue asks, rather than only over the
   * orthogonaliser's window (0, the default: off). The measured ICC of a tile rises with the tile's
   * |Pm - Ps|, so in bands of few bins a side as loud as asked per tile measures closer to the cue.
   */
  powerMatchFrames?: number;
  /** How far power matching may move that gain from q g, as a factor either way (default 3). */
  powerMatchLimit?: number;
  /**
   * The share of the past frames' shortfall (or excess) that a frame makes up (default 0.5). The error
   * then decays by a factor sqrt(share) per frame; at 1 it would swing undamped.
   */
  powerMatchShare?: number;
  /**
   * Spill guard (needs power matching): a band much louder than a neighbour changes its coefficients
   * more slowly (see guardSpill); the factor on sqrt(neighbour / band power) that gives the glide's step
   * (0, the default: off; 10: full speed unless a neighbour is more than 20 dB quieter).
   */
  spillGuard?: number;
  /**
   * Only the first this many bins are synthesised (and measured for power matching); the side's other
   * bins are left as they are. Default: all.
   */
  binLimit?: number;
}

/** The smallest glide step of the spill guard (per frame). */
const SPILL_GUARD_FLOOR = 0.2;
/**
 * The spill guard's glide may give a frame's side at most this multiple of the power the cue asks (3 dB
 * over), unless the unguided coefficients would give more (see guardSpill).
 */
const GLIDED_SIDE_POWER_LIMIT = 2;

export class SideSynthesis {
  private readonly layout: BandLayout;
  private readonly sampleRate: Hertz;
  private readonly frameSize: number;
  /** The glide's step per frame, in an array for {@link glideTowards}. */
  private readonly smoothing: Float64Array;
  private readonly targetP: Float64Array;
  private readonly targetQ: Float64Array;
  private readonly bandP: Float64Array;
  private readonly bandQ: Float64Array;
  /** Per band (spread onto the bins in the synthesis loop): S = (a + i b) M + c D, a = p - q g Re(alpha), b = -q g Im(alpha), c = q g. */
  private readonly bandA: Float64Array;
  private readonly bandB: Float64Array;
  private readonly bandC: Float64Array;
  private readonly bassTarget: Float64Array;
  /** The bass-mono weight per bin (in the kernels' memory where they run). */
  private readonly bassWeight: KernelArray;
  /** The kernels ({@link writeBandRuns}'s `sideRuns`), null where they do not run. */
  private readonly kernels: SimdKernels | null;
  /** Per band for `sideRuns`: A, A, -B, B, C, C (written each frame), first and end bin (fixed). */
  private readonly kernelBands: KernelArray;
  /** Per faded bin below the bin limit for `sideRuns`: the bin, its band's and neighbour's offsets in {@link kernelBands}, the neighbour's weight. */
  private readonly kernelFadedBins: KernelArray;
  private bassMonoHz = -1;
  /** True while the bass-mono weights sit on their target (their glide is skipped until it moves). */
  private bassLanded = false;
  /** True while p and q per band sit on their targets. */
  private gainsLanded = false;
  /**
   * What the targets p and q were computed from, per band (ICC, |ILD|, direction), and the width at the
   * end: where nothing changed (a fixed profile or a style, live mode) the exponentials and square roots
   * of writeSideGains are not taken again.
   */
  private readonly gainInputs: Float64Array;
  private primed = false;
  /** Power matching ({@link SideSynthesisOptions.powerMatchFrames}): 0 when off. */
  private readonly powerFrames: number;
  private readonly powerLimit: number;
  private readonly powerShare: number;
  /** This frame's per-band sums: Pm, Pd, Re and Im of sum D conj(M). */
  private readonly frameSums: Float64Array;
  /** The last `powerFrames - 1` synthesised frames' Pm, Ps and S conj(M) per band (a ring). */
  private readonly pastPowers: Float64Array;
  private pastSlot = 0;
  private primedGuard = false;
  private readonly spillGuard: number;
  /** Bins written (the rest of the side is left as it is), and their bands. */
  private readonly binLimit: number;
  private readonly bandOfSynthesisedBin: Int32Array;
  /** The coefficients of the last frame, per band (where the spill guard glides them). */
  private readonly lastA: Float64Array;
  private readonly lastB: Float64Array;
  private readonly lastC: Float64Array;

  constructor(layout: BandLayout, sampleRate: Hertz, frameSize: number, hopSize: number, options: SideSynthesisOptions = {}) {
    this.layout = layout;
    this.sampleRate = sampleRate;
    this.frameSize = frameSize;
    this.smoothing = Float64Array.of(1 - Math.exp(-hopSize / (GAIN_SECONDS * sampleRate)));
    const bands = layout.bandCount;
    const bins = layout.binCount;
    this.targetP = new Float64Array(bands);
    this.targetQ = new Float64Array(bands);
    this.bandP = new Float64Array(bands);
    this.bandQ = new Float64Array(bands);
    this.bandA = new Float64Array(bands);
    this.bandB = new Float64Array(bands);
    this.bandC = new Float64Array(bands);
    this.binLimit = Math.min(bins, options.binLimit ?? bins);
    // Bass-mono weights (and their glide) for the synthesised bins only.
    this.bassTarget = new Float64Array(this.binLimit);
    const kernels = simdKernels();
    this.bassWeight = new KernelArray(this.binLimit, kernels);
    this.kernelBands = new KernelArray(8 * bands, kernels);
    const kernelBands = this.kernelBands.values;
    for (let band = 0; band < bands; band++) {
      kernelBands[8 * band + 6] = Math.min(this.binLimit, layout.firstBinOfBand[band]);
      kernelBands[8 * band + 7] = Math.min(this.binLimit, layout.firstBinOfBand[band + 1]);
    }
    const faded: number[] = [];
    for (const k of layout.fadedBins) {
      if (k >= this.binLimit) break;
      faded.push(k, 64 * layout.bandOfBin[k], 64 * layout.neighbourOfBin[k], layout.neighbourWeightOfBin[k]);
    }
    this.kernelFadedBins = KernelArray.of(faded, kernels);
    const inKernelMemory = [this.bassWeight, this.kernelBands, this.kernelFadedBins].every((array) => array.pointer >= 0 || array.length === 0);
    this.kernels = kernels !== null && inKernelMemory ? kernels : null;
    this.powerFrames = options.powerMatchFrames ?? 0;
    this.powerLimit = options.powerMatchLimit ?? 3;
    this.powerShare = options.powerMatchShare ?? 0.5;
    this.spillGuard = options.spillGuard ?? 0;
    this.lastA = new Float64Array(bands);
    this.lastB = new Float64Array(bands);
    this.lastC = new Float64Array(bands);
    this.gainInputs = new Float64Array(3 * bands + 1);
    this.frameSums = new Float64Array(4 * bands);
    this.pastPowers = new Float64Array(4 * bands * Math.max(1, this.powerFrames - 1));
    this.bandOfSynthesisedBin = layout.bandOfBin.subarray(0, this.binLimit);
  }

  /**
   * Writes the side half spectrum for one frame. `mono` and `decorrelated` are half spectra of the same
   * frame; `directions` holds +1/-1 per band; `controls` gives width and bass-mono cutoff; `orthogonalizer`
   * holds alpha and g for the window around this frame. When all three spectra are {@link KernelArray}s,
   * a kernel writes the bins inside the bands where the kernels run (the same side bit for bit).
   * Audio-thread safe.
   */
  process(
    cues: SpatialCues,
    directions: Float64Array,
    controls: ControlValues,
    orthogonalizer: BandOrthogonalizer,
    monoArray: KernelArray | Float64Array,
    decorrelatedArray: KernelArray | Float64Array,
    sideArray: KernelArray | Float64Array,
  ): void {
    const mono = monoArray instanceof KernelArray ? monoArray.values : monoArray;
    const decorrelated = decorrelatedArray instanceof KernelArray ? decorrelatedArray.values : decorrelatedArray;
    const side = sideArray instanceof KernelArray ? sideArray.values : sideArray;
    if (!this.primed || this.gainInputsChanged(cues, directions, controls)) {
      writeSideGains(cues.ildMagnitudesDb, cues.iccs, directions, controls, this.targetP, this.targetQ);
      this.gainsLanded = false;
    }
    if (controls.bassMonoHz !== this.bassMonoHz) this.updateBassTarget(controls);
    if (!this.gainsLanded) {
      const pLanded = glideTowards(this.bandP, this.targetP, this.primed ? this.smoothing : STRAIGHT);
      this.gainsLanded = glideTowards(this.bandQ, this.targetQ, this.primed ? this.smoothing : STRAIGHT) && pLanded;
    }
    const bassWeight = this.bassWeight.values;
    if (!this.bassLanded) this.bassLanded = glideTowards(bassWeight, this.bassTarget, this.primed ? this.smoothing : STRAIGHT);
    this.primed = true;
    const { projectionRe, projectionIm, gains, crossShares } = orthogonalizer;
    for (let b = 0; b < this.bandA.length; b++) {
      const cross = crossShares[b];
      let qg = this.bandQ[b] * gains[b];
      // The gain c on D_perp that gives the side the asked power where D_perp is partly in phase with M
      // over g's window (BandOrthogonalizer.crossShares, rho = Re X / R): c^2 + 2 p rho c = (q g)^2, so
      // c = sqrt((p rho)^2 + (q g)^2) - p rho, at most q G.
      if (cross !== 0) {
        const pc = this.bandP[b] * cross;
        qg = Math.min(this.bandQ[b] * MAX_DECORRELATED_GAIN, Math.sqrt(pc * pc + qg * qg) - pc);
      }
      this.bandA[b] = this.bandP[b] - qg * projectionRe[b];
      this.bandB[b] = -qg * projectionIm[b];
      this.bandC[b] = qg;
    }
    if (this.powerFrames > 0) this.matchPowers(orthogonalizer, mono, decorrelated);
    if (this.spillGuard > 0) this.guardSpill();
    // a, b, c per bin as BandLayout.spreadToBins spreads them (constant in a band, faded at its edges):
    // per run of a band's bins with the band's values in registers, then the few faded bins again with
    // their neighbour's share (the same arithmetic as a per-bin loop, without its loads and branch).
    const kernels = this.kernels;
    if (
      kernels !== null &&
      monoArray instanceof KernelArray &&
      decorrelatedArray instanceof KernelArray &&
      sideArray instanceof KernelArray &&
      monoArray.pointer >= 0 &&
      decorrelatedArray.pointer >= 0 &&
      sideArray.pointer >= 0
    ) {
      this.writeBandRunsByKernel(kernels, monoArray, decorrelatedArray, sideArray);
    } else {
      this.writeBandRuns(mono, decorrelated, side, bassWeight);
    }
    if (this.powerFrames > 0) this.recordPowers(mono, side);
  }

  /** The side's bins: the JavaScript loops (the bins inside the bands, then the faded ones again). */
  private writeBandRuns(mono: Float64Array, decorrelated: Float64Array, side: Float64Array, bassWeight: Float64Array): void {
    const bins = this.binLimit;
    const { firstBinOfBand } = this.layout;
    const bandA = this.bandA;
    const bandB = this.bandB;
    const bandC = this.bandC;
    for (let band = 0; band < bandA.length; band++) {
      const bandAValue = bandA[band];
      const bandBValue = bandB[band];
      const bandCValue = bandC[band];
      const end = Math.min(bins, firstBinOfBand[band + 1]);
      let k = firstBinOfBand[band];
      // Two bins a step (fewer loop tests), then the last one.
      for (const end2 = end - 1; k < end2; k += 2) {
        const weight0 = bassWeight[k];
        const a0 = bandAValue * weight0;
        const b0 = bandBValue * weight0;
        const c0 = bandCValue * weight0;
        const mr0 = mono[2 * k];
        const mi0 = mono[2 * k + 1];
        side[2 * k] = a0 * mr0 - b0 * mi0 + c0 * decorrelated[2 * k];
        side[2 * k + 1] = a0 * mi0 + b0 * mr0 + c0 * decorrelated[2 * k + 1];
        const weight1 = bassWeight[k + 1];
        const a1 = bandAValue * weight1;
        const b1 = bandBValue * weight1;
        const c1 = bandCValue * weight1;
        const mr1 = mono[2 * k + 2];
        const mi1 = mono[2 * k + 3];
        side[2 * k + 2] = a1 * mr1 - b1 * mi1 + c1 * decorrelated[2 * k + 2];
        side[2 * k + 3] = a1 * mi1 + b1 * mr1 + c1 * decorrelated[2 * k + 3];
      }
      for (; k < end; k++) {
        const weight = bassWeight[k];
        const a = bandAValue * weight;
        const b = bandBValue * weight;
        const c = bandCValue * weight;
        const mr = mono[2 * k];
        const mi = mono[2 * k + 1];
        side[2 * k] = a * mr - b * mi + c * decorrelated[2 * k];
        side[2 * k + 1] = a * mi + b * mr + c * decorrelated[2 * k + 1];
      }
    }
    const { fadedBins, neighbourOfBin, neighbourWeightOfBin, bandOfBin } = this.layout;
    for (let j = 0; j < fadedBins.length; j++) {
      const k = fadedBins[j];
      if (k >= bins) break;
      const band = bandOfBin[k];
      const neighbour = neighbourOfBin[k];
      const fade = neighbourWeightOfBin[k];
      let a = bandA[band];
      let b = bandB[band];
      let c = bandC[band];
      a += fade * (bandA[neighbour] - a);
      b += fade * (bandB[neighbour] - b);
      c += fade * (bandC[neighbour] - c);
      const weight = bassWeight[k];
      a *= weight;
      b *= weight;
      c *= weight;
      const mr = mono[2 * k];
      const mi = mono[2 * k + 1];
      side[2 * k] = a * mr - b * mi + c * decorrelated[2 * k];
      side[2 * k + 1] = a * mi + b * mr + c * decorrelated[2 * k + 1];
    }
  }

  /** {@link writeBandRuns} by the `sideRuns` kernel (the faded bins too): the same side bit for bit. */
  private writeBandRunsByKernel(kernels: SimdKernels, mono: KernelArray, decorrelated: KernelArray, side: KernelArray): void {
    const bands = this.kernelBands.values;
    for (let band = 0; band < this.bandA.length; band++) {
      const at = 8 * band;
      bands[at] = this.bandA[band];
      bands[at + 1] = this.bandA[band];
      bands[at + 2] = -this.bandB[band];
      bands[at + 3] = this.bandB[band];
      bands[at + 4] = this.bandC[band];
      bands[at + 5] = this.bandC[band];
    }
    const faded = this.kernelFadedBins;
    kernels.sideRuns(side.pointer, mono.pointer, decorrelated.pointer, this.kernelBands.pointer, this.bandA.length, this.bassWeight.pointer, faded.pointer, faded.length / 4);
  }

  /**
   * Sets c (the gain on D - alpha M) per band so that this frame's side has the power the cue asks
   * (q^2 |M|^2 from D - alpha M) plus `powerShare` of what the side lacked over the window's past frames,
   * within `powerLimit` of q g either way.
   */
  private matchPowers(orthogonalizer: BandOrthogonalizer, mono: Float64Array, decorrelated: Float64Array): void {
    const bands = this.bandA.length;
    const sums = this.frameSums;
    sums.fill(0);
    // Pm, Pd and C = sum D conj(M) per band of this frame.
    addBandSums(mono, decorrelated, this.bandOfSynthesisedBin, sums, 0);
    const { projectionRe, projectionIm, gains } = orthogonalizer;
    const past = this.pastPowers;
    const pastFrames = this.powerFrames - 1;
    const limit = this.powerLimit;
    for (let b = 0; b < bands; b++) {
      const qg = this.bandQ[b] * gains[b];
      if (!(qg > 0)) continue;
      const pm = sums[4 * b];
      const re = projectionRe[b];
      const im = projectionIm[b];
      // |D - alpha M|^2 over this frame's bins of the band.
      const residual = sums[4 * b + 1] - 2 * (re * sums[4 * b + 2] + im * sums[4 * b + 3]) + (re * re + im * im) * pm;
      let windowMono = pm;
      let pastSide = 0;
      for (let f = 0; f < pastFrames; f++) {
        windowMono += past[4 * (bands * f + b)];
        pastSide += past[4 * (bands * f + b) + 1];
      }
      const p = this.bandP[b];
      const q = this.bandQ[b];
      // This frame's share, plus a part of what the past frames of the window missed (all of it would
      // be a dead-beat loop whose error swings at a third of the frame rate, undamped).
      const wanted = q * q * pm + this.powerShare * ((p * p + q * q) * (windowMono - pm) - pastSide);
      const c = wanted > 0 && residual > 0 ? Math.sqrt(wanted / residual) : 0;
      const bounded = Math.min(qg * limit, Math.max(qg / limit, c));
      this.bandA[b] = p - bounded * re;
      this.bandB[b] = -bounded * im;
      this.bandC[b] = bounded;
    }
  }

  /**
   * Glides each band's coefficients from the last frame's towards this frame's, by a step of
   * `spillGuard * sqrt(Pm of the quieter neighbour / Pm of the band)` (between {@link SPILL_GUARD_FLOOR}
   * and 1). Coefficients that change every frame modulate the side: a steady partial's side gets
   * sidebands a hop's rate away, which land in the neighbouring band; where that band is tens of dB
   * quieter they outweigh its own side and decorrelate it (on a lincity-ng track, band 2 under a loud
   * steady band 3 measured ICC 0.44 for 0.8, with the guard 0.64; the main path 0.49).
   *
   * The glide never makes this frame's side louder than both the unguided coefficients would and
   * {@link GLIDED_SIDE_POWER_LIMIT} times what the cue asks, (p^2 + q^2) |M|^2 over the frame; where it
   * would, the glided coefficients are scaled down (and glide on from there). Why: at a note after
   * silence D arrives 20 ms after M (its pre-delay; held down in the onset), so for a frame or two power
   * matching asks the most of D - alpha M (its limit, 9 q), and the next frames, with D there but alpha
   * still measured over frames without it, would have kept that gain for 300 ms (a lone partial's
   * neighbours are quiet, so the glide is at its slowest): a side up to 20 times the cue's power, an
   * output 11 dB over the input. With S = (a + i b) M + c D and the frame's Pm, Pd, C = sum D conj(M):
   *     Ps = (a^2 + b^2) Pm + c^2 Pd + 2 c (a Re C + b Im C).
   */
  private guardSpill(): void {
    const sums = this.frameSums;
    const last = this.bandA.length - 1;
    const guard = this.spillGuard;
    for (let b = 0; b <= last; b++) {
      const own = sums[4 * b];
      const below = b > 0 ? sums[4 * (b - 1)] : own;
      const above = b < last ? sums[4 * (b + 1)] : own;
      const ratio = own > 0 ? Math.min(below, above) / own : 1;
      const step = this.primedGuard ? Math.min(1, Math.max(SPILL_GUARD_FLOOR, guard * Math.sqrt(ratio))) : 1;
      const a = this.bandA[b];
      const im = this.bandB[b];
      const c = this.bandC[b];
      let glidedA = this.lastA[b] + step * (a - this.lastA[b]);
      let glidedB = this.lastB[b] + step * (im - this.lastB[b]);
      let glidedC = this.lastC[b] + step * (c - this.lastC[b]);
      if (step < 1) {
        const pd = sums[4 * b + 1];
        const re = sums[4 * b + 2];
        const imC = sums[4 * b + 3];
        const unguided = (a * a + im * im) * own + c * c * pd + 2 * c * (a * re + im * imC);
        const glided = (glidedA * glidedA + glidedB * glidedB) * own + glidedC * glidedC * pd + 2 * glidedC * (glidedA * re + glidedB * imC);
        const asked = GLIDED_SIDE_POWER_LIMIT * (this.bandP[b] * this.bandP[b] + this.bandQ[b] * this.bandQ[b]) * own;
        const allowed = Math.max(unguided, asked);
        if (glided > allowed) {
          const scale = Math.sqrt(allowed / glided);
          glidedA *= scale;
          glidedB *= scale;
          glidedC *= scale;
        }
      }
      this.lastA[b] = glidedA;
      this.lastB[b] = glidedB;
      this.lastC[b] = glidedC;
      this.bandA[b] = glidedA;
      this.bandB[b] = glidedB;
      this.bandC[b] = glidedC;
    }
    this.primedGuard = true;
  }

  /** Keeps this frame's Pm and Ps per band for {@link matchPowers}. */
  private recordPowers(mono: Float64Array, side: Float64Array): void {
    if (this.powerFrames < 2) return;
    const bands = this.bandA.length;
    const past = this.pastPowers;
    const base = 4 * bands * this.pastSlot;
    past.fill(0, base, base + 4 * bands);
    // Pm and Ps (and S conj(M), not used) per band.
    addBandSums(mono, side, this.bandOfSynthesisedBin, past, base);
    this.pastSlot = this.pastSlot + 2 >= this.powerFrames ? 0 : this.pastSlot + 1;
  }

  /** True when a cue, a direction or the width differs from what the targets were computed from (and notes the new ones). */
  private gainInputsChanged(cues: SpatialCues, directions: Float64Array, controls: ControlValues): boolean {
    const inputs = this.gainInputs;
    const bands = this.bandA.length;
    const { iccs, ildMagnitudesDb } = cues;
    let changed = inputs[3 * bands] !== controls.width;
    for (let b = 0; b < bands && !changed; b++) {
      changed = inputs[3 * b] !== iccs[b] || inputs[3 * b + 1] !== ildMagnitudesDb[b] || inputs[3 * b + 2] !== directions[b];
    }
    if (!changed) return false;
    for (let b = 0; b < bands; b++) {
      inputs[3 * b] = iccs[b];
      inputs[3 * b + 1] = ildMagnitudesDb[b];
      inputs[3 * b + 2] = directions[b];
    }
    inputs[3 * bands] = controls.width;
    return true;
  }

  private updateBassTarget(controls: ControlValues): void {
    this.bassMonoHz = controls.bassMonoHz;
    writeBassMonoWeights(controls, this.sampleRate, this.frameSize, this.bassTarget);
    this.bassLanded = false;
    if (!this.primed) this.bassWeight.values.set(this.bassTarget);
  }

  /** Forgets the smoothing state (the next frame starts at its targets). */
  reset(): void {
    this.primed = false;
    this.bassMonoHz = -1;
    this.bassLanded = false;
    this.gainsLanded = false;
    this.pastPowers.fill(0);
    this.pastSlot = 0;
    this.primedGuard = false;
  }
}


