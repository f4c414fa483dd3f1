/**
 * Makes the decorrelated signal D really uncorrelated with M, band by band, over the window the ICC is
 * measured on. A time-invariant decorrelator gives a band with few steady partials only a phase shift per
 * partial, so over a tenth of a second D keeps a coherence with M there (often 0.4-0.9 on music), and its
 * level follows M late (the pre-delay and the all-pass tails). Either raises or lowers the output's ICC
 * away from the cue (design section 3).
 *
 * Per band b, over the last `windowFrames` analysed frames (about 0.1 s, the measuring tile of design
 * section 5, longer in low bands with few bins; in quality mode the window reaches the lookahead frames
 * past the frame being synthesised, so the latency is unchanged), with
 * Pm = sum |M|^2, Pd = sum |D|^2 and C = sum D conj(M):
 *     alpha = C / Pm               (D's projection on M),
 *     D_perp = D - alpha M          (the part of D uncorrelated with M over the window),
 *     g = sqrt(Pm / |D_perp|^2)     (as loud as M), at most {@link MAX_DECORRELATED_GAIN}.
 * The side S = p M + q g D_perp = (p - q g alpha) M + q g D then has, over the window, exactly the power
 * ratio and coherence the cue asks for (the formulas of side-gains.ts hold with D_perp). g itself is
 * taken over a shorter window centred on the frame being synthesised ({@link GAIN_WINDOW}, the lookahead
 * frames either side in quality mode): D lags M (its pre-delay and all-pass tails), so over the long
 * window D_perp is as loud as M on average but not in each tile, and a tile where the side is louder or
 * quieter than asked measures more coherent (|Pm - Ps| enters the ICC). With alpha from the long window
 * and |D_perp|^2 = Pd - 2 Re(conj(alpha) C) + |alpha|^2 Pm summed over the short one, D_perp follows M's
 * level within a band as the MPEG PS decorrelator's energy matching does. Where D_perp is
 * too weak for the gain limit (one steady partial fills the band: D is a phase-shifted copy of M) the
 * band stays more coherent than asked: that is the bound of any time-invariant decorrelator, left as it
 * is rather than forced by modulating D.
 *
 * In live mode (no lookahead) g's window trails the frame synthesised, and D lags M: there the window's
 * M power counts only where D had arrived ({@link OrthogonalizerWindows.weighByArrival}). After an onset
 * alpha, from the longer window, still holds frames without D, so D_perp is partly in phase with M over
 * g's window and p M and q g D_perp do not add as powers: {@link BandOrthogonalizer.crossShares} lets the
 * side synthesis allow for that. When a sound stops, D's tail outlives M: g is capped while M leaves
 * ({@link OrthogonalizerWindows.followDeparture}).
 * @packageDocumentation
 */
import { addBandSums, BandSumRuns } from './band-sums.js';
import type { BandLayout } from './bands.js';
import { KernelArray, simdKernels } from './simd-kernels.js';
import type { Hertz, Seconds } from './units.js';

/** How long a window the statistics are summed over (the 8-frame tile of the ICC measurement). */
export const ORTHOGONALIZER_WINDOW: Seconds = 0.093;
/**
 * A band with few bins sums over more frames, so that its window holds at least this many bin-frames
 * (fewer make alpha a noisy estimate) ...
 */
const MIN_BIN_FRAMES = 32;
/** ... up to this multiple of the window. */
const MAX_WINDOW_RATIO = 3;
/**
 * Largest gain on D_perp: +9.5 dB, so a band where D's coherence with M is up to about 0.94 is fully
 * corrected. Beyond it D_perp is mostly what a steady partial leaves (its slow changes and the estimate's
 * noise), which more gain would turn into audible modulation of the side.
 */
export const MAX_DECORRELATED_GAIN = 3;
/**
 * The window g is measured over: at least this long, and at least the frame being synthesised with the
 * lookahead frames on either side (so it is centred on that frame where the lookahead allows).
 */
export const GAIN_WINDOW: Seconds = 0.05;
/** Windows with less mono power than this (per band, per bin and frame) count as silent. */
const SILENT = 1e-20;
/**
 * {@link OrthogonalizerWindows.weighByArrival}: a frame's M counts fully in g's window once D carries
 * at least 1 / this of M's power (broadband, over {@link ARRIVAL_SECONDS}), and in proportion below.
 * Not 1: on steady pink noise that ratio is under 1 in half the frames (under 0.5 in fewer than 1 %),
 * and each dip would lower g, a bias towards coherence (with 1, live mode's mean |ICC error| on pink
 * noise at ICC 0.3 rose from 0.009 to 0.032: test/dsp/live-realisation.test.ts). Not much more: with 3
 * the side after a sine onset reached 1.17 of the asked, with 2 1.10-1.13.
 */
const ARRIVAL_FACTOR = 2;
/** Time constant of the broadband M and D powers whose ratio says how far D has arrived. */
const ARRIVAL_SECONDS: Seconds = 0.01;
/**
 * {@link BandOrthogonalizer.crossShares} count fully once this share of the projection window's M came
 * before D had arrived (alpha then still misses D there), and in proportion below. (The onset figures
 * with 0.25 are within 0.03 of those with the term always on; not tuned further.)
 */
const STALE_SHARE = 0.25;
/** Time constant of the envelopes that say M is leaving ({@link OrthogonalizerWindows.followDeparture}). */
const DEPARTURE_SECONDS: Seconds = 0.005;
/** Envelope values below this are flushed to zero (no denormal arithmetic in long silences). */
const FLUSH = 1e-30;

/** The windows of a {@link BandOrthogonalizer}; the defaults are the engine's main (1024-point) path's. */
export interface OrthogonalizerWindows {
  /** The projection window ({@link ORTHOGONALIZER_WINDOW} by default). */
  window?: Seconds;
  /** Bin-frames a band's projection window holds at least ({@link MIN_BIN_FRAMES} by default). */
  minBinFrames?: number;
  /** Only the first this many bins are measured (bands above keep alpha 0 and g 1). Default: all. */
  binLimit?: number;
  /**
   * For a window that trails the frame synthesised (no lookahead: live mode): in g's window each
   * frame's M power counts only in the share D had arrived for in that frame (default false). D lags M
   * by its 20 ms pre-delay, the onset hold of its input and the all-pass build-up, 20-70 ms in all: after
   * silence g's window first holds frames of M without D, so g = sqrt(Pm / |D_perp|^2) rose to its limit
   * and stayed high for the first frames with D, which it then scaled up to make the window's side as
   * loud as asked. That was a swell: a 0.35 sine after silence came out of live mode with a side 0.68 of
   * the mid for 50-100 ms (the cue asked 0.39) and peaks of 0.71. Weighted, M and D_perp in g's window
   * cover the same stretch of signal. See {@link ARRIVAL_FACTOR}.
   */
  weighByArrival?: boolean;
  /** Measure {@link BandOrthogonalizer.crossShares} (default false: they stay 0). */
  crossShares?: boolean;
  /**
   * D's part of the side follows M out (default false): while M is leaving (broadband, D carries more
   * than {@link ARRIVAL_FACTOR} times M's power), each band's g is capped so that D's part stays within
   * that factor of M's power now, times the share it had of M's over g's window (see capByDeparture).
   * D is M 20 ms late and then an all-pass tail: when a sound stops dead, D goes on for 40-60 ms, and
   * g, taken over a window that still held the sound, kept it in the side: a side with no mid (L = -R)
   * after every sound that stops. Worst for a lone partial, whose g sits at its limit on the small
   * remainder D - alpha M: when it stopped, that remainder became all of D's tail, and the side over the
   * next 10 ms reached 2.2 times what the cue asks for the sound itself (test/dsp/offset-side-tail).
   */
  followDeparture?: boolean;
}

/**
 * Per-band projection of D on M and gain of the orthogonal remainder, over a sliding window of frames.
 * Construct off the audio thread; {@link observe} and {@link reset} are audio-thread safe.
 */
export class BandOrthogonalizer {
  /** alpha per band: D's projection on M over the window, real and imaginary parts. */
  readonly projectionRe: Float64Array;
  readonly projectionIm: Float64Array;
  /** g per band: the gain that makes D - alpha M as loud as M over the window (at most the limit). */
  readonly gains: Float64Array;
  /**
   * Per band, w Re X / R over g's window, X = sum (D - alpha M) conj(M) and R = |D - alpha M|^2 as g
   * took it (0 unless {@link OrthogonalizerWindows.crossShares}): how much of D_perp is still in phase
   * with M there. alpha comes from the longer window, so after an onset, while that window still holds
   * frames of M without D, D_perp is partly in phase with M over g's window, and the side p M + q g D_perp
   * has the power p^2 Pm + q^2 g^2 R + 2 p q g Re X, not (p^2 + q^2) Pm: at a lone 3 kHz partial's onset
   * 1.2-1.35 times the asked side's RMS. The side synthesis solves for the gain that gives the asked
   * power with the term. w (0 to 1) is how much of alpha's window held M before D had arrived
   * ({@link STALE_SHARE}): 0 on steady material, where g stays as it was: there Re X is noise, and a gain
   * that followed it made the side's cross term with M lean one way (cue-accuracy's |ILD| of 10 dB came
   * out as 8.4-9.5 dB).
   */
  readonly crossShares: Float64Array;
  /** Frames in each band's window. */
  readonly windowFrames: Int32Array;
  /** Frames in the window of g, ending with the newest frame. */
  readonly gainFrames: number;
  private readonly layout: BandLayout;
  /** Band of each bin for the statistics; -1 for bins outside the band edges (DC, above 18 kHz). */
  private readonly statsBandOfBin: Int32Array;
  /** 1 for bands that own no bin inside the edges: they keep alpha 0 and g 1 (D as it is). */
  private readonly unmeasured: Uint8Array;
  private readonly ringFrames: number;
  /** Per analysed frame and band: Pm, Pd, Re C, Im C (a ring of frames; in the kernels' memory where they run). */
  private readonly frameStats: KernelArray;
  /** The bands' runs of bins for the band sums kernel; null where the kernels do not run. */
  private readonly statsRuns: BandSumRuns | null;
  private readonly sums: KernelArray;
  /** The same four sums over the last {@link gainFrames} frames (g's window), kept running as {@link sums}. */
  private readonly shortSums: KernelArray;
  /** {@link windowFrames} as float64 in the kernels' memory (for the running sums kernel). */
  private readonly kernelWindowFrames: KernelArray;
  private readonly silentPower: number;
  /** Ring slot of the next frame. */
  private slot = 0;
  /** {@link OrthogonalizerWindows.weighByArrival}. */
  private readonly weighByArrival: boolean;
  private readonly keepCrossShares: boolean;
  /** Per frame of the ring and band: Pm times the share of it D had arrived for (with {@link weighByArrival}). */
  private readonly arrivedMono: Float64Array;
  /** {@link arrivedMono} summed over g's window, per band (kept running as {@link sums}). */
  private readonly arrivedMonoSums: Float64Array;
  /** {@link arrivedMono} summed over each band's projection window (with {@link keepCrossShares}). */
  private readonly arrivedMonoLongSums: Float64Array;
  /**
   * Per frame of the ring: the broadband M and D powers (sums of the bands' Pm and Pd), summed once when
   * the frame comes in, for {@link addArrivedMono} and {@link capByDeparture} (which reads the frame
   * synthesised, `lookaheadFrames` older).
   */
  private readonly broadbandPowers: Float64Array;
  /** The broadband M and D powers, smoothed over {@link ARRIVAL_SECONDS} (a typed array: a double field can box in V8). */
  private readonly arrivalEnvelopes = new Float64Array(2);
  private readonly arrivalSmoothing: number;
  /** {@link OrthogonalizerWindows.followDeparture}, and the frames from the newest to the one synthesised. */
  private readonly followDeparture: boolean;
  private readonly lookaheadFrames: number;
  /**
   * {@link OrthogonalizerWindows.followDeparture}'s envelopes: broadband M and D (2), then per band the
   * M power and |D - alpha M|^2 over {@link DEPARTURE_SECONDS}, and the M power and g^2 |D - alpha M|^2
   * over {@link GAIN_WINDOW} (4 per band).
   */
  private readonly departureEnvelopes: Float64Array;
  private readonly slowSmoothing: number;
  private readonly departureSmoothing: number;

  /**
   * @param lookaheadFrames - how many frames the newest observed frame is ahead of the frame synthesised
   *   with the result (the engine's lookahead): g's window spans that many frames either side of it.
   */
  constructor(layout: BandLayout, sampleRate: Hertz, frameSize: number, hopSize: number, lookaheadFrames = 0, windows: OrthogonalizerWindows = {}) {
    this.layout = layout;
    const bands = layout.bandCount;
    const minBinFrames = windows.minBinFrames ?? MIN_BIN_FRAMES;
    const frames = Math.max(1, Math.round(((windows.window ?? ORTHOGONALIZER_WINDOW) * sampleRate) / hopSize));
    // Bins below the lowest edge and above the highest take the outer bands' gains but not their
    // statistics: near DC the all-pass is no decorrelator at all (D = M delayed), and would set the
    // lowest band's alpha for the bins that really are in it.
    const binHz = sampleRate / frameSize;
    const low = layout.edges[0];
    const high = layout.edges[bands];
    this.statsBandOfBin = new Int32Array(Math.min(layout.binCount, windows.binLimit ?? layout.binCount));
    const binsOfBand = new Int32Array(bands);
    for (let k = 0; k < this.statsBandOfBin.length; k++) {
      const inside = k * binHz >= low && k * binHz < high;
      this.statsBandOfBin[k] = inside ? layout.bandOfBin[k] : -1;
      if (inside) binsOfBand[layout.bandOfBin[k]]++;
    }
    this.unmeasured = new Uint8Array(bands);
    for (let b = 0; b < bands; b++) this.unmeasured[b] = binsOfBand[b] === 0 ? 1 : 0;
    this.windowFrames = new Int32Array(bands);
    for (let b = 0; b < bands; b++) {
      const wanted = Math.ceil(minBinFrames / Math.max(1, binsOfBand[b]));
      this.windowFrames[b] = Math.min(MAX_WINDOW_RATIO * frames, Math.max(frames, wanted));
    }
    this.gainFrames = Math.max(2 * lookaheadFrames + 1, Math.round((GAIN_WINDOW * sampleRate) / hopSize));
    // One frame more than the longest window: the frame leaving a window is still there to subtract.
    this.ringFrames = Math.max(this.gainFrames, ...this.windowFrames) + 1;
    const kernels = simdKernels();
    this.frameStats = new KernelArray(4 * bands * this.ringFrames, kernels);
    this.sums = new KernelArray(4 * bands, kernels);
    this.shortSums = new KernelArray(4 * bands, kernels);
    this.kernelWindowFrames = KernelArray.of(this.windowFrames, kernels);
    const inKernelMemory = [this.frameStats, this.sums, this.shortSums, this.kernelWindowFrames].every((array) => array.pointer >= 0);
    const runs = kernels !== null && inKernelMemory ? new BandSumRuns(this.statsBandOfBin, kernels) : null;
    this.statsRuns = runs !== null && runs.runs.pointer >= 0 ? runs : null;
    this.projectionRe = new Float64Array(bands);
    this.projectionIm = new Float64Array(bands);
    this.gains = new Float64Array(bands);
    this.silentPower = SILENT * frameSize * frameSize;
    this.weighByArrival = windows.weighByArrival ?? false;
    this.keepCrossShares = windows.crossShares ?? false;
    this.crossShares = new Float64Array(bands);
    this.arrivedMono = new Float64Array(this.weighByArrival || this.keepCrossShares ? bands * this.ringFrames : 0);
    this.arrivedMonoSums = new Float64Array(bands);
    this.broadbandPowers = new Float64Array(this.weighByArrival || this.keepCrossShares || (windows.followDeparture ?? false) ? 2 * this.ringFrames : 0);
    this.arrivedMonoLongSums = new Float64Array(bands);
    this.arrivalSmoothing = 1 - Math.exp(-hopSize / (ARRIVAL_SECONDS * sampleRate));
    this.followDeparture = windows.followDeparture ?? false;
    this.departureEnvelopes = new Float64Array(this.followDeparture ? 2 + 4 * bands : 0);
    this.slowSmoothing = 1 - Math.exp(-hopSize / (GAIN_WINDOW * sampleRate));
    this.departureSmoothing = 1 - Math.exp(-hopSize / (DEPARTURE_SECONDS * sampleRate));
    this.lookaheadFrames = lookaheadFrames;
    this.reset();
  }

  /**
   * Takes the half spectra of M and D of the newest analysed frame and updates alpha and g for the
   * windows that end with it. Spectra that are {@link KernelArray}s are summed by a kernel where they run
   * (the same sums bit for bit). Audio-thread safe: allocates nothing.
   */
  observe(mono: KernelArray | Float64Array, decorrelated: KernelArray | Float64Array): void {
    const bands = this.layout.bandCount;
    const stride = 4 * bands;
    const stats = this.frameStats.values;
    const newest = this.slot;
    const base = stride * newest;
    stats.fill(0, base, base + stride);
    // Pm, Pd and C = sum D conj(M) per band of this frame.
    const runs = this.statsRuns;
    if (runs !== null && mono instanceof KernelArray && decorrelated instanceof KernelArray && mono.pointer >= 0 && decorrelated.pointer >= 0) {
      runs.add(mono, decorrelated, this.frameStats, base);
    } else {
      addBandSums(mono instanceof KernelArray ? mono.values : mono, decorrelated instanceof KernelArray ? decorrelated.values : decorrelated, this.statsBandOfBin, stats, base);
    }
    this.slot = newest + 1 === this.ringFrames ? 0 : newest + 1;
    // Running sums: the newest frame comes in, the one that leaves each band's window goes out. Summed
    // afresh once per turn of the ring, so rounding left by loud passages cannot pile up. (The update by the
    // runningSums kernel where the kernels run: the same sums bit for bit.)
    const sums = this.sums.values;
    const shortSums = this.shortSums.values;
    const shortFrames = this.gainFrames;
    const ring = this.ringFrames;
    if (this.slot === 0) {
      sums.fill(0);
      shortSums.fill(0);
      for (let age = 0; age < ring; age++) {
        const from = stride * (newest - age >= 0 ? newest - age : newest - age + ring);
        for (let b = 0; b < bands; b++) {
          const i = 4 * b;
          if (age < shortFrames) {
            shortSums[i] += stats[from + i];
            shortSums[i + 1] += stats[from + i + 1];
            shortSums[i + 2] += stats[from + i + 2];
            shortSums[i + 3] += stats[from + i + 3];
          }
          if (age >= this.windowFrames[b]) continue;
          sums[i] += stats[from + i];
          sums[i + 1] += stats[from + i + 1];
          sums[i + 2] += stats[from + i + 2];
          sums[i + 3] += stats[from + i + 3];
        }
      }
    } else if (runs !== null) {
      runs.kernels.runningSums(this.sums.pointer, this.shortSums.pointer, this.frameStats.pointer, this.kernelWindowFrames.pointer, bands, ring, newest, shortFrames);
    } else {
      const shortLeaving = newest - shortFrames;
      const shortFrom = stride * (shortLeaving >= 0 ? shortLeaving : shortLeaving + ring);
      for (let b = 0; b < bands; b++) {
        const i = 4 * b;
        const leaving = newest - this.windowFrames[b];
        const from = stride * (leaving >= 0 ? leaving : leaving + ring) + i;
        const to = base + i;
        sums[i] += stats[to] - stats[from];
        sums[i + 1] += stats[to + 1] - stats[from + 1];
        sums[i + 2] += stats[to + 2] - stats[from + 2];
        sums[i + 3] += stats[to + 3] - stats[from + 3];
        const shortOut = shortFrom + i;
        shortSums[i] += stats[to] - stats[shortOut];
        shortSums[i + 1] += stats[to + 1] - stats[shortOut + 1];
        shortSums[i + 2] += stats[to + 2] - stats[shortOut + 2];
        shortSums[i + 3] += stats[to + 3] - stats[shortOut + 3];
      }
    }
    if (this.broadbandPowers.length > 0) {
      let mono = 0;
      let decorrelated = 0;
      for (let b = 0; b < bands; b++) {
        mono += stats[base + 4 * b];
        decorrelated += stats[base + 4 * b + 1];
      }
      this.broadbandPowers[2 * newest] = mono;
      this.broadbandPowers[2 * newest + 1] = decorrelated;
    }
    if (this.weighByArrival || this.keepCrossShares) this.addArrivedMono(base, newest);
    const maxGainSquared = MAX_DECORRELATED_GAIN * MAX_DECORRELATED_GAIN;
    for (let b = 0; b < bands; b++) {
      if (this.unmeasured[b] === 1) continue;
      const pm = sums[4 * b];
      if (pm <= this.silentPower) {
        // No M in the window: nothing to project out, and no side to make (p M + q g D_perp with g = 0).
        this.projectionRe[b] = 0;
        this.projectionIm[b] = 0;
        this.gains[b] = 0;
        this.crossShares[b] = 0;
        continue;
      }
      const re = sums[4 * b + 2] / pm;
      const im = sums[4 * b + 3] / pm;
      // |D - alpha M|^2 = Pd - |C|^2 / Pm over the window (clamped: rounding can take it below 0).
      const residual = sums[4 * b + 1] - pm * (re * re + im * im);
      this.projectionRe[b] = re;
      this.projectionIm[b] = im;
      // The short window of g: Pm, Pd and C over the last gainFrames frames.
      const shortPm = shortSums[4 * b];
      const shortPd = shortSums[4 * b + 1];
      const shortRe = shortSums[4 * b + 2];
      const shortIm = shortSums[4 * b + 3];
      // Math.max, not a ternary on the module constant: a phi of a double and a module constant makes V8
      // box the double (garbage on the audio thread). A residual at or below Pm / G^2 gives g = G.
      if (shortPm > this.silentPower) {
        const shortResidual = shortPd + (re * re + im * im) * shortPm - 2 * (re * shortRe + im * shortIm);
        if (this.weighByArrival) {
          // M only where D had arrived; 0 before D is there (nothing to scale: g 0, the side is p M). The
          // floor keeps 0 / 0 out when D is exactly 0; max(0, ...) the running sum's rounding.
          const arrived = Math.max(0, this.arrivedMonoSums[b]);
          const floored = Math.max(shortResidual, arrived / maxGainSquared, this.silentPower);
          this.gains[b] = Math.sqrt(arrived / floored);
          if (this.keepCrossShares) this.crossShares[b] = this.crossShare(b, pm, shortRe - re * shortPm, floored);
        } else {
          const floored = Math.max(shortResidual, shortPm / maxGainSquared);
          this.gains[b] = Math.sqrt(shortPm / floored);
          if (this.keepCrossShares) this.crossShares[b] = this.crossShare(b, pm, shortRe - re * shortPm, floored);
        }
      } else {
        this.gains[b] = Math.sqrt(pm / Math.max(residual, pm / maxGainSquared));
        this.crossShares[b] = 0;
      }
    }
    if (this.followDeparture) this.capByDeparture(newest);
  }

  /**
   * {@link OrthogonalizerWindows.followDeparture}, on the frame synthesised (`lookaheadFrames` before
   * the newest, ring slot `newest`): while D carries more than {@link ARRIVAL_FACTOR} times M's power
   * broadband (M is leaving; both over {@link DEPARTURE_SECONDS}), each band's g is capped so that
   * g^2 |D - alpha M|^2 (its envelope over DEPARTURE_SECONDS) is at most ARRIVAL_FACTOR times M's
   * power over DEPARTURE_SECONDS times the share g^2 |D - alpha M|^2 / Pm had over {@link GAIN_WINDOW}
   * (at most 1). The share keeps a lone partial's side, which is mostly p M (D_perp is a small
   * remainder, design section 3), from turning into D's tail at q g with g at its limit when M stops.
   * The trigger is broadband, so that steady material is left alone (a band of one or two bins swings
   * too much from frame to frame; broadband, M leaves in 7 of 2757 live-mode frames of pink noise, none of
   * white noise, 6 % of the music-like fixture's, at its chord changes); the cap is per band, so that it
   * follows each band's own M.
   */
  private capByDeparture(newest: number): void {
    const bands = this.layout.bandCount;
    const stats = this.frameStats.values;
    const synthesised = newest - this.lookaheadFrames;
    const slot = synthesised >= 0 ? synthesised : synthesised + this.ringFrames;
    const base = 4 * bands * slot;
    const envelopes = this.departureEnvelopes;
    const fast = this.departureSmoothing;
    const slow = this.slowSmoothing;
    const mono = this.broadbandPowers[2 * slot];
    const decorrelated = this.broadbandPowers[2 * slot + 1];
    let monoEnvelope = envelopes[0] + fast * (mono - envelopes[0]);
    let decorrelatedEnvelope = envelopes[1] + fast * (decorrelated - envelopes[1]);
    if (monoEnvelope < FLUSH) monoEnvelope = 0;
    if (decorrelatedEnvelope < FLUSH) decorrelatedEnvelope = 0;
    envelopes[0] = monoEnvelope;
    envelopes[1] = decorrelatedEnvelope;
    const departing = decorrelatedEnvelope > ARRIVAL_FACTOR * monoEnvelope;
    const gains = this.gains;
    const unmeasured = this.unmeasured;
    const projectionRe = this.projectionRe;
    const projectionIm = this.projectionIm;
    for (let b = 0; b < bands; b++) {
      if (unmeasured[b] === 1) continue;
      const at = base + 4 * b;
      const pm = stats[at];
      const re = projectionRe[b];
      const im = projectionIm[b];
      const residual = Math.max(0, stats[at + 1] - 2 * (re * stats[at + 2] + im * stats[at + 3]) + (re * re + im * im) * pm);
      const e = 2 + 4 * b;
      // Each envelope read once (the arithmetic as written is what the output is pinned to).
      const lastFastMono = envelopes[e];
      const lastFastResidual = envelopes[e + 1];
      const lastSlowMono = envelopes[e + 2];
      const lastSlowSide = envelopes[e + 3];
      let fastMono = lastFastMono + fast * (pm - lastFastMono);
      let fastResidual = lastFastResidual + fast * (residual - lastFastResidual);
      if (fastMono < FLUSH) fastMono = 0;
      if (fastResidual < FLUSH) fastResidual = 0;
      envelopes[e] = fastMono;
      envelopes[e + 1] = fastResidual;
      let g = gains[b];
      if (departing) {
        // g^2 |D_perp|^2 <= factor x Pm x min(1, share), as products (no division by an envelope of 0);
        // the share as it was before this frame.
        const allowed = ARRIVAL_FACTOR * fastMono * (lastSlowSide < lastSlowMono ? lastSlowSide / lastSlowMono : 1);
        if (g * g * fastResidual > allowed) {
          g = Math.sqrt(allowed / fastResidual);
          gains[b] = g;
        }
      }
      // The share as the side has it (capped: while M leaves, it does not grow back with D's tail).
      let slowMono = lastSlowMono + slow * (pm - lastSlowMono);
      let slowSide = lastSlowSide + slow * (g * g * residual - lastSlowSide);
      if (slowMono < FLUSH) slowMono = 0;
      if (slowSide < FLUSH) slowSide = 0;
      envelopes[e + 2] = slowMono;
      envelopes[e + 3] = slowSide;
    }
  }

  /**
   * {@link OrthogonalizerWindows.weighByArrival}: the newest frame's (at `base` in the ring, slot `newest`)
   * Pm per band times min(1, {@link ARRIVAL_FACTOR} x D's broadband power / M's) into {@link arrivedMono},
   * and the running sums over g's window. Broadband, because a band of one or two bins (most bands below
   * 2 kHz in live mode's 256-point frames) gives a ratio that swings by a factor of ten from frame to frame.
   */
  private addArrivedMono(base: number, newest: number): void {
    const bands = this.layout.bandCount;
    const stats = this.frameStats.values;
    const mono = this.broadbandPowers[2 * newest];
    const decorrelated = this.broadbandPowers[2 * newest + 1];
    const envelopes = this.arrivalEnvelopes;
    let monoEnvelope = envelopes[0] + this.arrivalSmoothing * (mono - envelopes[0]);
    let decorrelatedEnvelope = envelopes[1] + this.arrivalSmoothing * (decorrelated - envelopes[1]);
    if (monoEnvelope < FLUSH) monoEnvelope = 0;
    if (decorrelatedEnvelope < FLUSH) decorrelatedEnvelope = 0;
    envelopes[0] = monoEnvelope;
    envelopes[1] = decorrelatedEnvelope;
    const share = Math.min(1, (ARRIVAL_FACTOR * decorrelatedEnvelope) / Math.max(monoEnvelope, this.silentPower));
    const arrived = this.arrivedMono;
    const sums = this.arrivedMonoSums;
    const ring = this.ringFrames;
    const leaving = newest - this.gainFrames;
    const from = bands * (leaving >= 0 ? leaving : leaving + ring);
    const to = bands * newest;
    const longSums = this.arrivedMonoLongSums;
    for (let b = 0; b < bands; b++) {
      const value = share * stats[base + 4 * b];
      arrived[to + b] = value;
      sums[b] += value - arrived[from + b];
      const longLeaving = newest - this.windowFrames[b];
      longSums[b] += value - arrived[bands * (longLeaving >= 0 ? longLeaving : longLeaving + ring) + b];
    }
    // Summed afresh once per turn of the ring, as the other running sums.
    if (this.slot === 0) {
      sums.fill(0);
      longSums.fill(0);
      for (let age = 0; age < ring; age++) {
        const at = bands * (newest - age >= 0 ? newest - age : newest - age + ring);
        for (let b = 0; b < bands; b++) {
          if (age < this.gainFrames) sums[b] += arrived[at + b];
          if (age < this.windowFrames[b]) longSums[b] += arrived[at + b];
        }
      }
    }
  }

  /**
   * How much of band `b`'s projection window (M power `pm`) holds M that D had not arrived for, as a
   * weight from 0 (none: alpha measured D wherever M was) to 1 (a quarter or more, {@link STALE_SHARE}).
   */
  private staleness(b: number, pm: number): number {
    const missing = 1 - Math.max(0, this.arrivedMonoLongSums[b]) / pm;
    return missing > 0 ? Math.min(1, missing / STALE_SHARE) : 0;
  }

  /**
   * Band `b`'s {@link crossShares} entry: {@link staleness} x `inPhase` / `residual`. 0 without the
   * divisions where D had arrived for all of the window's M (arrived M at least `pm`: then the staleness
   * is 0, and so is the product, its sign aside, which the side synthesis does not read), the steady case.
   */
  private crossShare(b: number, pm: number, inPhase: number, residual: number): number {
    if (this.arrivedMonoLongSums[b] >= pm) return 0;
    return (this.staleness(b, pm) * inPhase) / residual;
  }

  /** Forgets the window (alpha 0, g 1 until the first frame). Audio-thread safe. */
  reset(): void {
    this.arrivedMono.fill(0);
    this.arrivedMonoSums.fill(0);
    this.arrivedMonoLongSums.fill(0);
    this.arrivalEnvelopes.fill(0);
    this.broadbandPowers.fill(0);
    this.departureEnvelopes.fill(0);
    this.frameStats.values.fill(0);
    this.sums.values.fill(0);
    this.shortSums.values.fill(0);
    this.projectionRe.fill(0);
    this.projectionIm.fill(0);
    this.gains.fill(1);
    this.crossShares.fill(0);
    this.slot = 0;
  }
}
