/**
 * A check of a stereo input's two channels for the faults of old transfers, made while the file streams
 * through (no second pass): one channel polarity-inverted (the mono sum cancels), one channel dead, the
 * channels at very different levels, or one delayed against the other (a tape head's azimuth error: the
 * mono sum combs). The upmixer keeps the input's mono sum (L+R)/2 exactly and, under `--input auto`, a
 * stereo file's image, so each of these faults would pass into the output unseen; the CLI (src/cli/channel-check.ts,
 * on PFFFT) and the demo page (demo/channel-warnings.ts) warn instead, with these lines. The FFT is the
 * caller's, so that a page need not bundle PFFFT's WebAssembly for it; nothing here needs Node.
 *
 * It sums the channels' powers and their cross-spectrum over blocks (two FFTs per {@link BLOCK} frames,
 * a small fraction of the upmix's work); at the end the cross-spectrum's inverse is the cross-correlation
 * over lags up to {@link MAX_LAG_SECONDS}.
 * @packageDocumentation
 */
import type { RealTransform } from '../dsp/real-fft.js';
import type { Hertz, Seconds } from '../dsp/units.js';
import { SectionCheck, sectionWarnings, type SectionReport } from './channel-sections.js';

/** The FFT's size: blocks of {@link BLOCK} frames, zero-padded to it. */
export const CHANNEL_CHECK_FFT_SIZE = 8192;
const FFT_SIZE = CHANNEL_CHECK_FFT_SIZE;
/** Frames per analysed block: the zeros after it (512, more than any lag searched) keep the correlation from wrapping. */
const BLOCK = FFT_SIZE - 512;
/** Lags searched for a delay between the channels, either way (an azimuth error is at most ~0.5 ms). */
const MAX_LAG_SECONDS = 0.001;

/** What the check found, over the whole input. */
export interface ChannelReport {
  /** Mean squares of each channel and of the mono sum (L+R)/2. */
  readonly leftPower: number;
  readonly rightPower: number;
  readonly monoPower: number;
  /** Correlation coefficient of the channels at lag 0 (-1 .. 1; 0 when a channel is silent). */
  readonly correlation: number;
  /** The lag with the largest correlation (seconds; positive: the right channel lags the left) and that correlation. */
  readonly lag: Seconds;
  readonly lagCorrelation: number;
  /** Faults in sections of the input (see channel-sections.ts). */
  readonly sections?: SectionReport;
}

/** Sums a stereo input's powers and cross-correlation block by block (see the file's comment). */
export class ChannelCheck {
  private readonly left = new Float64Array(FFT_SIZE);
  private readonly right = new Float64Array(FFT_SIZE);
  private readonly leftSpectrum: Float64Array;
  private readonly rightSpectrum: Float64Array;
  /** Sum over blocks of L conj(R), per bin (interleaved re, im). */
  private readonly cross: Float64Array;
  private readonly maxLag: number;
  private filled = 0;
  private leftSum = 0;
  private rightSum = 0;
  private monoSum = 0;
  private frames = 0;
  private readonly sectionCheck: SectionCheck;

  /** `fft`: a real transform of {@link CHANNEL_CHECK_FFT_SIZE} points. */
  constructor(
    private readonly sampleRate: Hertz,
    private readonly fft: RealTransform,
  ) {
    this.sectionCheck = new SectionCheck(sampleRate);
    this.leftSpectrum = new Float64Array(this.fft.halfSpectrumLength);
    this.rightSpectrum = new Float64Array(this.fft.halfSpectrumLength);
    this.cross = new Float64Array(this.fft.halfSpectrumLength);
    this.maxLag = Math.min(FFT_SIZE - BLOCK - 1, Math.ceil(MAX_LAG_SECONDS * sampleRate));
  }

  /** Takes the next `frames` frames of both channels. */
  add(left: Float32Array, right: Float32Array, frames: number): void {
    this.sectionCheck.add(left, right, frames);
    for (let i = 0; i < frames; ) {
      const take = Math.min(frames - i, BLOCK - this.filled);
      const blockLeft = this.left;
      const blockRight = this.right;
      const filled = this.filled;
      // Sums in locals: a double field can be boxed on every store in V8.
      let leftSum = 0;
      let rightSum = 0;
      let monoSum = 0;
      for (let j = 0; j < take; j++) {
        const l = left[i + j];
        const r = right[i + j];
        blockLeft[filled + j] = l;
        blockRight[filled + j] = r;
        leftSum += l * l;
        rightSum += r * r;
        monoSum += (l + r) * (l + r);
      }
      this.leftSum += leftSum;
      this.rightSum += rightSum;
      this.monoSum += 0.25 * monoSum;
      this.filled += take;
      this.frames += take;
      i += take;
      if (this.filled === BLOCK) this.flushBlock();
    }
  }

  /** The report over everything added. */
  finish(): ChannelReport {
    if (this.filled > 0) this.flushBlock();
    const frames = Math.max(1, this.frames);
    const report = { leftPower: this.leftSum / frames, rightPower: this.rightSum / frames, monoPower: this.monoSum / frames, sections: this.sectionCheck.finish() };
    const norm = Math.sqrt(this.leftSum * this.rightSum);
    if (!(norm > 0)) return { ...report, correlation: 0, lag: 0, lagCorrelation: 0 };
    const correlation = new Float64Array(FFT_SIZE);
    this.fft.inverse(this.cross, correlation);
    // correlation[t] = sum L[n + t] R[n] (circular over the padded block): a right channel that lags the
    // left by d peaks at t = -d. Each lag is scaled for the share of a block its products span.
    const at = (lag: number): number => correlation[(FFT_SIZE - lag) % FFT_SIZE] / (norm * (1 - Math.abs(lag) / BLOCK));
    let best = 0;
    for (let lag = -this.maxLag; lag <= this.maxLag; lag++) if (at(lag) > at(best)) best = lag;
    let refined = best;
    if (Math.abs(best) < this.maxLag) {
      // A parabola through the peak and its neighbours places it between samples.
      const before = at(best - 1);
      const peak = at(best);
      const after = at(best + 1);
      const curvature = before - 2 * peak + after;
      if (curvature < 0) refined = best + (0.5 * (before - after)) / curvature;
    }
    return { ...report, correlation: at(0), lag: refined / this.sampleRate, lagCorrelation: at(best) };
  }

  /** Adds the block's cross-spectrum (zero-padded to twice its length) to the sum. */
  private flushBlock(): void {
    this.left.fill(0, this.filled);
    this.right.fill(0, this.filled);
    this.fft.forward(this.left, this.leftSpectrum);
    this.fft.forward(this.right, this.rightSpectrum);
    const { leftSpectrum: l, rightSpectrum: r, cross } = this;
    for (let k = 0; k < cross.length; k += 2) {
      cross[k] += l[k] * r[k] + l[k + 1] * r[k + 1];
      cross[k + 1] += l[k + 1] * r[k] - l[k] * r[k + 1];
    }
    this.filled = 0;
  }
}

/** A channel this much quieter than the other (power, dB) counts as dead. */
const DEAD_BELOW_DB = -40;
/** Channels further apart in level than this (dB) are named, when they are copies of one recording. */
const UNEVEN_COPIES_DB = -6;
/** ... and when they are not (a stereo mix may lean a little). */
const UNEVEN_MIX_DB = -10;
/** A correlation this high (at the best lag) makes the channels copies of one mono recording. */
const COPIES_ABOVE = 0.9;
/** A correlation at lag 0 this low (or lower) means a channel is probably polarity-inverted. */
const INVERTED_BELOW = -0.3;
/** A delay between copies this long (seconds) combs the mono sum audibly (first notch under 12.5 kHz). */
const DELAY_ABOVE_SECONDS = 0.00004;
/** Inputs quieter than this (mean square, about -100 dBFS) are not judged. */
const SILENCE = 1e-10;

const dB = (ratio: number): number => 10 * Math.log10(ratio);

/**
 * The one-line warning (without the `upmix: warning:` prefix) for the worst fault the report shows, or
 * undefined when the channels look like a sound stereo file or a sound dual-mono one. `stereoShare`: how
 * much of the input took the stereo path (the image, faults included, is kept there); `name` names the input.
 */
export function channelWarning(report: ChannelReport, name: string, stereoShare: number): string | undefined {
  const { leftPower, rightPower, monoPower, correlation, lag, lagCorrelation } = report;
  const louder = Math.max(leftPower, rightPower);
  if (!(louder > SILENCE)) return undefined;
  // Channels within half a dB count as equal: then the left is named first (and suggested).
  const [loud, quiet] = rightPower > 1.12 * leftPower ? ['right', 'left'] : ['left', 'right'];
  const levelDb = dB(Math.min(leftPower, rightPower) / louder);
  const keepsImage = stereoShare > 0.005;
  const pick = `--channel ${loud}`;
  if (levelDb <= DEAD_BELOW_DB) {
    const how = Number.isFinite(levelDb) && levelDb > -120 ? `nearly silent (${(-levelDb).toFixed(0)} dB below the ${loud})` : 'silent';
    // The mono path centres the sound, but its downmix (L+R)/2 is the live channel at half its level.
    const result = keepsImage ? `the output keeps the sound on the ${loud} only` : `the mono path's downmix is the ${loud} at half its level (-6 dB)`;
    return `${name}: the ${quiet} channel is ${how}: ${result}; for a mono transfer use ${pick}`;
  }
  const monoLossDb = dB(Math.max(monoPower, 1e-30) / (0.5 * (leftPower + rightPower)));
  const monoLoss = monoLossDb < -99 ? 'cancels completely' : `is ${(-monoLossDb).toFixed(0)} dB below the channels`;
  if (correlation <= -COPIES_ABOVE) {
    const result = keepsImage ? 'the upmix keeps that sum (the output collapses in mono)' : 'the mono-path output is nearly silent';
    return `${name}: the ${quiet} channel is a polarity-inverted copy of the ${loud} (correlation ${correlation.toFixed(2)}): their mono sum ${monoLoss}, and ${result}; use ${pick}`;
  }
  if (correlation <= INVERTED_BELOW) {
    return `${name}: the channels are out of polarity (correlation ${correlation.toFixed(2)}; their mono sum ${monoLoss}): one is probably inverted, and the upmix keeps that mono sum; invert one channel before upmixing (or use ${pick} for a mono recording)`;
  }
  const copies = lagCorrelation >= COPIES_ABOVE;
  if (copies && Math.abs(lag) >= DELAY_ABOVE_SECONDS) {
    const [late, early] = lag > 0 ? ['right', 'left'] : ['left', 'right'];
    const notchKhz = 1 / (2 * Math.abs(lag)) / 1000;
    return `${name}: the ${late} channel lags the ${early} by ${(1000 * Math.abs(lag)).toFixed(2)} ms and is otherwise nearly a copy (correlation ${lagCorrelation.toFixed(2)}): an azimuth error? Their mono sum combs (first notch at ${notchKhz.toFixed(1)} kHz) and the upmix keeps it; use ${pick}`;
  }
  if (keepsImage && levelDb <= (copies ? UNEVEN_COPIES_DB : UNEVEN_MIX_DB)) {
    const what = copies ? `the channels are nearly copies, but the ${quiet} is ${(-levelDb).toFixed(0)} dB quieter` : `the ${quiet} channel is ${(-levelDb).toFixed(0)} dB quieter than the ${loud}`;
    const fix = copies ? `for a mono recording use ${pick} or --input mono` : 'balance the channels first if the transfer is at fault';
    return `${name}: ${what}: the output's image leans ${loud} as the input's does; ${fix}`;
  }
  return undefined;
}

/**
 * Every warning about the input's channels, one line each (without the `upmix: warning:` prefix): the
 * whole-file one ({@link channelWarning}), then one per kind of fault found in sections of the input that
 * the whole-file line does not name already.
 */
export function channelWarnings(report: ChannelReport, name: string, stereoShare: number): string[] {
  const whole = channelWarning(report, name, stereoShare);
  const louder = Math.max(report.leftPower, report.rightPower);
  const named = {
    dead: whole !== undefined && dB(Math.min(report.leftPower, report.rightPower) / louder) <= DEAD_BELOW_DB,
    inverted: whole !== undefined && report.correlation <= INVERTED_BELOW,
  };
  return [...(whole ? [whole] : []), ...(report.sections ? sectionWarnings(report.sections, name, stereoShare, named) : [])];
}
