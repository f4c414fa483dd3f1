/**
 * A mix's style, measured: per cue band the mean ICC and mean |ILD| over the mix's honest tiles, by the
 * definition in `style-spec.json` that training/style.py implements too (a golden test holds the two
 * within 1e-4), of a whole mix ({@link analyseStyle}) or of one given in pieces ({@link StyleAnalysis}),
with the same numbers. Pure and synchronous, no DOM or Node API: it runs in a browser Worker and in Node.
 * @packageDocumentation
 */
import { BAND_COUNT, bandEdges, bandIndexOf } from '../dsp/bands.js';
import { MAX_INPUT_MAGNITUDE } from '../dsp/input-conditioning.js';
import { RealFft } from '../dsp/real-fft.js';
import featureSpec from '../model/feature-spec.json';
import { detectCodecCoupling } from './codec-coupling.js';
import { DEFAULT_STYLE, StyleError } from './presets.js';
import styleSpec from './style-spec.json';
import type { Style } from './style.js';

/** Analysis frame size at a sample rate: 2048 at 44.1 kHz, scaled by the nearest power of two of the rate ratio. */
export function styleFrameSize(sampleRate: number): number {
  return styleSpec.baseFrameSize * 2 ** Math.round(Math.log2(sampleRate / styleSpec.baseSampleRate));
}

/** Per tile and band (tiles x bands, row-major): the sums the cues come from, each / N^2. */
interface TileSums {
  left: Float64Array;
  right: Float64Array;
  crossRe: Float64Array;
  crossIm: Float64Array;
}

function tileSumsFor(tiles: number): TileSums {
  const length = tiles * BAND_COUNT;
  return { left: new Float64Array(length), right: new Float64Array(length), crossRe: new Float64Array(length), crossIm: new Float64Array(length) };
}

/**
 * A mix's style measured as it comes, in pieces of any length (a stream, or a long file posted in
 * chunks): {@link StyleAnalysis.push} the channels in order, then {@link StyleAnalysis.finish}. It keeps
 * one frame of samples and the per tile sums (768 bytes a tile, room for up to twice the tiles so far:
 * at most about 6 MB for ten minutes at any rate),
 * never the mix, and gives exactly {@link analyseStyle}'s numbers however the mix was cut: each frame's
 * spectrum is the same computation on the same samples, summed in the same order.
 */
export class StyleAnalysis {
  private readonly size: number;
  private readonly hop: number;
  private readonly bandOfBin: Int32Array;
  private readonly window: Float64Array;
  private readonly fft: RealFft;
  /** The next frame's samples so far (frames overlap: after a frame, its last size - hop samples stay). */
  private readonly pendingLeft: Float32Array;
  private readonly pendingRight: Float32Array;
  private pending = 0;
  private readonly frameLeft: Float64Array;
  private readonly frameRight: Float64Array;
  private readonly spectrumLeft: Float64Array;
  private readonly spectrumRight: Float64Array;
  /** Frames analysed; their tiles' sums (the last tile may be partial: left out at the end). */
  private frames = 0;
  private sums: TileSums = tileSumsFor(64);
  private samples = 0;

  /** Throws {@link StyleError} for a sample rate that is not a positive number. */
  constructor(private readonly sampleRate: number) {
    if (!(sampleRate > 0)) throw new StyleError(`the sample rate ${sampleRate} is not a positive number`);
    const size = styleFrameSize(sampleRate);
    this.size = size;
    this.hop = size * styleSpec.hopFraction;
    const edges = bandEdges();
    this.bandOfBin = new Int32Array(size / 2 + 1);
    for (let k = 0; k <= size / 2; k++) this.bandOfBin[k] = bandIndexOf((k * sampleRate) / size, edges);
    this.window = new Float64Array(size);
    for (let n = 0; n < size; n++) this.window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / size);
    this.fft = new RealFft(size);
    this.pendingLeft = new Float32Array(size);
    this.pendingRight = new Float32Array(size);
    this.frameLeft = new Float64Array(size);
    this.frameRight = new Float64Array(size);
    this.spectrumLeft = new Float64Array(this.fft.halfSpectrumLength);
    this.spectrumRight = new Float64Array(this.fft.halfSpectrumLength);
  }

  /** Samples per channel given so far. */
  get length(): number {
    return this.samples;
  }

  /** The mix's next samples (both channels, the same count); throws {@link StyleError} if the counts differ. */
  push(left: Float32Array, right: Float32Array): void {
    if (left.length !== right.length) throw new StyleError(`the channels differ in length (${left.length} and ${right.length} samples)`);
    this.samples += left.length;
    let at = 0;
    while (at < left.length) {
      const count = Math.min(this.size - this.pending, left.length - at);
      this.pendingLeft.set(left.subarray(at, at + count), this.pending);
      this.pendingRight.set(right.subarray(at, at + count), this.pending);
      this.pending += count;
      at += count;
      if (this.pending === this.size) {
        this.analyseFrame();
        this.pendingLeft.copyWithin(0, this.hop);
        this.pendingRight.copyWithin(0, this.hop);
        this.pending = this.size - this.hop;
      }
    }
  }

  /**
   * The style of everything pushed (see {@link analyseStyle}); throws {@link StyleError} for a mix that
   * is too short or silent.
   */
  finish(): Style {
    const sampleRate = this.sampleRate;
    const need = Math.max(Math.ceil(styleSpec.minSeconds * sampleRate), this.size + (styleSpec.tileFrames - 1) * this.hop);
    if (this.samples < need) {
      throw new StyleError(`the mix is too short for a style: ${(this.samples / sampleRate).toFixed(2)} s, at least ${(need / sampleRate).toFixed(2)} s needed`);
    }
    return styleOfTiles(Math.floor(this.frames / styleSpec.tileFrames), this.sums);
  }

  /** Adds the frame in the pending buffers to its tile's sums. */
  private analyseFrame(): void {
    const { size, window, frameLeft, frameRight, spectrumLeft, spectrumRight, bandOfBin } = this;
    for (let n = 0; n < size; n++) {
      // A corrupt sample (NaN, Inf, past +60 dBFS) counts as silence, as in the engine: one would
      // otherwise turn its frames' every band into NaN and the whole mix into "silent".
      const l = this.pendingLeft[n];
      const r = this.pendingRight[n];
      frameLeft[n] = (Math.abs(l) <= MAX_INPUT_MAGNITUDE ? l : 0) * window[n];
      frameRight[n] = (Math.abs(r) <= MAX_INPUT_MAGNITUDE ? r : 0) * window[n];
    }
    this.fft.forward(frameLeft, spectrumLeft);
    this.fft.forward(frameRight, spectrumRight);
    const tile = Math.floor(this.frames / styleSpec.tileFrames);
    if ((tile + 1) * BAND_COUNT > this.sums.left.length) this.grow();
    const { left, right, crossRe, crossIm } = this.sums;
    const row = tile * BAND_COUNT;
    const scale = 1 / (size * size);
    for (let k = 0; k <= size / 2; k++) {
      const at = row + bandOfBin[k];
      const lr = spectrumLeft[2 * k], li = spectrumLeft[2 * k + 1], rr = spectrumRight[2 * k], ri = spectrumRight[2 * k + 1];
      left[at] += (lr * lr + li * li) * scale;
      right[at] += (rr * rr + ri * ri) * scale;
      crossRe[at] += (lr * rr + li * ri) * scale;
      crossIm[at] += (li * rr - lr * ri) * scale;
    }
    this.frames++;
  }

  /** Twice the room for tile sums (the mix's length need not be known ahead). */
  private grow(): void {
    const grown = tileSumsFor((2 * this.sums.left.length) / BAND_COUNT);
    grown.left.set(this.sums.left);
    grown.right.set(this.sums.right);
    grown.crossRe.set(this.sums.crossRe);
    grown.crossIm.set(this.sums.crossIm);
    this.sums = grown;
  }
}

/**
 * The style of a stereo mix (`left`, `right` at `sampleRate`): per band the mean ICC and mean |ILD| dB
 * over its honest tiles (active, not codec-coupled); a band with no honest tile takes
 * {@link DEFAULT_STYLE}'s value. Throws {@link StyleError} for a mix that is too short or silent, or
 * whose channels differ in length.
 */
export function analyseStyle(left: Float32Array, right: Float32Array, sampleRate: number): Style {
  const analysis = new StyleAnalysis(sampleRate);
  analysis.push(left, right);
  return analysis.finish();
}

/** The style from the sums of the mix's first `tiles` whole tiles (the definition's steps after the spectra). */
function styleOfTiles(tiles: number, { left: pl, right: pr, crossRe, crossIm }: TileSums): Style {
  const count = tiles * BAND_COUNT;
  const icc = new Float64Array(count);
  const ild = new Float64Array(count);
  const power = new Float64Array(count);
  const eps = styleSpec.ildEps;
  let level = 0;
  for (let i = 0; i < count; i++) {
    const coherence = Math.hypot(crossRe[i], crossIm[i]) / Math.sqrt(Math.max(pl[i] * pr[i], 1e-300));
    icc[i] = Number.isNaN(coherence) ? 1 : Math.min(1, Math.max(0, coherence));
    ild[i] = Math.min(featureSpec.ildCapDb, Math.abs(10 * Math.log10((pl[i] + eps) / (pr[i] + eps))));
    power[i] = (0.5 * (pl[i] + pr[i])) / styleSpec.tileFrames;
    level += power[i];
  }
  level /= tiles;
  const active = new Uint8Array(count);
  for (let i = 0; i < count; i++) active[i] = power[i] > styleSpec.absThreshold && power[i] > styleSpec.relThreshold * level ? 1 : 0;
  const coupled = detectCodecCoupling(icc, active, tiles, BAND_COUNT, bandEdges().subarray(0, BAND_COUNT));
  const meanIcc: number[] = [];
  const meanIld: number[] = [];
  let honestTotal = 0;
  for (let b = 0; b < BAND_COUNT; b++) {
    let honest = 0;
    let iccSum = 0;
    let ildSum = 0;
    for (let t = 0; t < tiles; t++) {
      const i = t * BAND_COUNT + b;
      if (!active[i] || coupled[i]) continue;
      honest++;
      iccSum += icc[i];
      ildSum += ild[i];
    }
    honestTotal += honest;
    meanIcc.push(honest > 0 ? iccSum / honest : DEFAULT_STYLE.icc[b]);
    meanIld.push(honest > 0 ? ildSum / honest : DEFAULT_STYLE.ildDb[b]);
  }
  if (honestTotal === 0) throw new StyleError('the mix is silent: no band of it has any sound to measure a style from');
  return { icc: meanIcc, ildDb: meanIld };
}
