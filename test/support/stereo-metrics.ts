/**
 * Measures a stereo pair per band the way design section 5 does: a 2048-point Hann STFT (hop 512,
 * scaled with the sample rate), and per band ICC = |sum L conj(R)| / sqrt(sum |L|^2 sum |R|^2) and
 * ILD = 10 log10(sum |L|^2 / sum |R|^2), summed over the whole signal. Independent of the engine's STFT.
 */
import { RealFft } from '../../src/dsp/real-fft.js';

export interface BandMeasurement {
  icc: Float64Array;
  ildDb: Float64Array;
}

export function measureBands(left: Float32Array, right: Float32Array, sampleRate: number, edges: Float64Array, start = 0, baseSize = 2048): BandMeasurement {
  const size = baseSize * 2 ** Math.round(Math.log2(sampleRate / 44_100));
  const hop = size / 4;
  const fft = new RealFft(size);
  const window = new Float64Array(size);
  for (let n = 0; n < size; n++) window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / size);
  const bands = edges.length - 1;
  const cross = new Float64Array(2 * bands);
  const powerL = new Float64Array(bands);
  const powerR = new Float64Array(bands);
  const frameL = new Float64Array(size);
  const frameR = new Float64Array(size);
  const specL = new Float64Array(size + 2);
  const specR = new Float64Array(size + 2);
  const bandOfBin = new Int32Array(size / 2 + 1).fill(-1);
  for (let k = 0; k <= size / 2; k++) {
    const f = (k * sampleRate) / size;
    for (let b = 0; b < bands; b++) if (f >= edges[b] && f < edges[b + 1]) bandOfBin[k] = b;
  }
  for (let offset = start; offset + size <= left.length; offset += hop) {
    for (let n = 0; n < size; n++) {
      frameL[n] = left[offset + n] * window[n];
      frameR[n] = right[offset + n] * window[n];
    }
    fft.forward(frameL, specL);
    fft.forward(frameR, specR);
    for (let k = 0; k <= size / 2; k++) {
      const b = bandOfBin[k];
      if (b < 0) continue;
      const lr = specL[2 * k], li = specL[2 * k + 1], rr = specR[2 * k], ri = specR[2 * k + 1];
      cross[2 * b] += lr * rr + li * ri;
      cross[2 * b + 1] += li * rr - lr * ri;
      powerL[b] += lr * lr + li * li;
      powerR[b] += rr * rr + ri * ri;
    }
  }
  const icc = new Float64Array(bands);
  const ildDb = new Float64Array(bands);
  for (let b = 0; b < bands; b++) {
    icc[b] = Math.hypot(cross[2 * b], cross[2 * b + 1]) / Math.sqrt(powerL[b] * powerR[b]);
    ildDb[b] = 10 * Math.log10(powerL[b] / powerR[b]);
  }
  return { icc, ildDb };
}
