/**
 * A mix's style, measured: per cue band the mean ICC and mean |ILD| over the mix's honest tiles, by the
 * definition in `style-spec.json` that training/style.py implements too (a golden test holds the two
 * within 1e-4). Pure and synchronous, no DOM or Node API: it runs in a browser Worker and in Node.
 * @packageDocumentation
 */
import { BAND_COUNT, bandEdges, bandIndexOf } from '../dsp/bands.js';
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
  tiles: number;
  left: Float64Array;
  right: Float64Array;
  crossRe: Float64Array;
  crossIm: Float64Array;
}

function tileSums(left: Float32Array, right: Float32Array, sampleRate: number): TileSums {
  const size = styleFrameSize(sampleRate);
  const hop = size * styleSpec.hopFraction;
  const tileFrames = styleSpec.tileFrames;
  const frames = left.length >= size ? Math.floor((left.length - size) / hop) + 1 : 0;
  const tiles = Math.floor(frames / tileFrames);
  const edges = bandEdges();
  const bandOfBin = new Int32Array(size / 2 + 1);
  for (let k = 0; k <= size / 2; k++) bandOfBin[k] = bandIndexOf((k * sampleRate) / size, edges);
  const window = new Float64Array(size);
  for (let n = 0; n < size; n++) window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / size);
  const fft = new RealFft(size);
  const frameL = new Float64Array(size);
  const frameR = new Float64Array(size);
  const specL = new Float64Array(fft.halfSpectrumLength);
  const specR = new Float64Array(fft.halfSpectrumLength);
  const sums: TileSums = {
    tiles,
    left: new Float64Array(tiles * BAND_COUNT),
    right: new Float64Array(tiles * BAND_COUNT),
    crossRe: new Float64Array(tiles * BAND_COUNT),
    crossIm: new Float64Array(tiles * BAND_COUNT),
  };
  const scale = 1 / (size * size);
  for (let frame = 0; frame < tiles * tileFrames; frame++) {
    const offset = frame * hop;
    for (let n = 0; n < size; n++) {
      frameL[n] = left[offset + n] * window[n];
      frameR[n] = right[offset + n] * window[n];
    }
    fft.forward(frameL, specL);
    fft.forward(frameR, specR);
    const row = Math.floor(frame / tileFrames) * BAND_COUNT;
    for (let k = 0; k <= size / 2; k++) {
      const at = row + bandOfBin[k];
      const lr = specL[2 * k], li = specL[2 * k + 1], rr = specR[2 * k], ri = specR[2 * k + 1];
      sums.left[at] += (lr * lr + li * li) * scale;
      sums.right[at] += (rr * rr + ri * ri) * scale;
      sums.crossRe[at] += (lr * rr + li * ri) * scale;
      sums.crossIm[at] += (li * rr - lr * ri) * scale;
    }
  }
  return sums;
}

/**
 * The style of a stereo mix (`left`, `right` at `sampleRate`): per band the mean ICC and mean |ILD| dB
 * over its honest tiles (active, not codec-coupled); a band with no honest tile takes
 * {@link DEFAULT_STYLE}'s value. Throws {@link StyleError} for a mix that is too short or silent, or
 * whose channels differ in length.
 */
export function analyseStyle(left: Float32Array, right: Float32Array, sampleRate: number): Style {
  if (left.length !== right.length) throw new StyleError(`the channels differ in length (${left.length} and ${right.length} samples)`);
  if (!(sampleRate > 0)) throw new StyleError(`the sample rate ${sampleRate} is not a positive number`);
  const size = styleFrameSize(sampleRate);
  const need = Math.max(Math.ceil(styleSpec.minSeconds * sampleRate), size + (styleSpec.tileFrames - 1) * size * styleSpec.hopFraction);
  if (left.length < need) {
    throw new StyleError(`the mix is too short for a style: ${(left.length / sampleRate).toFixed(2)} s, at least ${(need / sampleRate).toFixed(2)} s needed`);
  }
  const { tiles, left: pl, right: pr, crossRe, crossIm } = tileSums(left, right, sampleRate);
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
