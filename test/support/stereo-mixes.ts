/**
 * Synthesised stereo mixes with known answers (seeded): sources amplitude-panned to known positions
 * u = (gL - gR) / (gL + gR), band-limited noise, harmonic tones, and mixes that are nearly mono or wide.
 * Also measures the pan of an output per source: the energy-weighted pan of the bins a source owns.
 */
import { RealFft } from '../../src/dsp/real-fft.js';
import { SeededRandom } from '../../src/dsp/pan-layout.js';

/** A stereo signal. */
export interface StereoSignal {
  left: Float32Array;
  right: Float32Array;
}

/** Noise with a flat spectrum from `low` to `high` Hz and nothing elsewhere, RMS `rms`; `length` a power of two. */
export function bandNoise(length: number, sampleRate: number, low: number, high: number, seed: number, rms = 0.1): Float32Array {
  const random = new SeededRandom(seed);
  const fft = new RealFft(length);
  const spectrum = new Float64Array(fft.halfSpectrumLength);
  for (let k = 1; k < length / 2; k++) {
    const f = (k * sampleRate) / length;
    if (f < low || f > high) continue;
    const phase = 2 * Math.PI * random.next();
    spectrum[2 * k] = Math.cos(phase);
    spectrum[2 * k + 1] = Math.sin(phase);
  }
  const out = new Float64Array(length);
  fft.inverse(spectrum, out);
  let power = 0;
  for (const x of out) power += x * x;
  const scale = rms / Math.sqrt(power / length);
  return Float32Array.from(out, (x) => x * scale);
}

/** A steady harmonic tone: partials k*f0 up to `top` Hz, falling 6 dB per octave, random phases. */
export function harmonicTone(length: number, sampleRate: number, f0: number, seed: number, amplitude = 0.1, top = 6000): Float32Array {
  const random = new SeededRandom(seed);
  const out = new Float32Array(length);
  for (let k = 1; k * f0 < top; k++) {
    const phase = 2 * Math.PI * random.next();
    const w = (2 * Math.PI * k * f0) / sampleRate;
    for (let i = 0; i < length; i++) out[i] += (amplitude / k) * Math.sin(w * i + phase);
  }
  return out;
}

/** Pans a mono source to position u (-1 hard right .. +1 hard left): L = (1+u)/2 x, R = (1-u)/2 x. */
export function pan(source: Float32Array, u: number): StereoSignal {
  return { left: source.map((x) => 0.5 * (1 + u) * x), right: source.map((x) => 0.5 * (1 - u) * x) };
}

/** Sums stereo signals of one length. */
export function mix(...signals: StereoSignal[]): StereoSignal {
  const length = signals[0].left.length;
  const left = new Float32Array(length);
  const right = new Float32Array(length);
  for (const signal of signals) {
    for (let i = 0; i < length; i++) {
      left[i] += signal.left[i];
      right[i] += signal.right[i];
    }
  }
  return { left, right };
}

/** The same mix with its side (L-R)/2 scaled by `factor` (0.1: nearly mono). */
export function scaleSide(signal: StereoSignal, factor: number): StereoSignal {
  const left = new Float32Array(signal.left.length);
  const right = new Float32Array(signal.left.length);
  for (let i = 0; i < left.length; i++) {
    const m = 0.5 * (signal.left[i] + signal.right[i]);
    const s = 0.5 * factor * (signal.left[i] - signal.right[i]);
    left[i] = m + s;
    right[i] = m - s;
  }
  return { left, right };
}

/**
 * A wide mix: five noise-band and tone sources spread from hard left to hard right over the whole
 * spectrum, plus diffuse ambience (independent noise in each channel, as a room's late reverberation).
 */
export function wideMix(length: number, sampleRate: number, seed = 1): StereoSignal {
  const positions = [-0.9, -0.4, 0.1, 0.5, 0.95];
  const sources = positions.map((u, i) => pan(bandNoise(length, sampleRate, 80, 12_000, seed * 10 + i, 0.06), u));
  const tones = [196, 247, 330].map((f0, i) => pan(harmonicTone(length, sampleRate, f0, seed * 20 + i, 0.05), positions[(2 * i) % 5]));
  const ambience = { left: bandNoise(length, sampleRate, 80, 12_000, seed * 30 + 1, 0.04), right: bandNoise(length, sampleRate, 80, 12_000, seed * 30 + 2, 0.04) };
  return mix(...sources, ...tones, ambience);
}

/**
 * Energy-weighted pan of an output over the bins where `weights` (per bin of a `size`-point STFT, e.g.
 * the source's own power spectrum) is non-zero: per bin pan = (|L| - |R|) / (|L| + |R|) from the
 * magnitudes summed over frames, weighted by the bin's energy in the output times its weight.
 */
export function measurePan(signal: StereoSignal, size: number, binWeights: Float64Array, start: number, end: number): number {
  const { powerL, powerR } = stftPowers(signal, size, start, end);
  let sum = 0;
  let total = 0;
  for (let k = 0; k < binWeights.length; k++) {
    if (binWeights[k] <= 0) continue;
    const l = Math.sqrt(powerL[k]);
    const r = Math.sqrt(powerR[k]);
    if (l + r === 0) continue;
    const energy = (powerL[k] + powerR[k]) * binWeights[k];
    sum += energy * ((l - r) / (l + r));
    total += energy;
  }
  return sum / total;
}

/** Per bin, the power of L and R summed over Hann-windowed frames (hop size/4) from `start` to `end`. */
export function stftPowers(signal: StereoSignal, size: number, start: number, end: number): { powerL: Float64Array; powerR: Float64Array } {
  const fft = new RealFft(size);
  const window = Float64Array.from({ length: size }, (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / size));
  const powerL = new Float64Array(size / 2 + 1);
  const powerR = new Float64Array(size / 2 + 1);
  const frame = new Float64Array(size);
  const spectrum = new Float64Array(fft.halfSpectrumLength);
  for (let offset = start; offset + size <= end; offset += size / 4) {
    for (const [channel, power] of [[signal.left, powerL], [signal.right, powerR]] as const) {
      for (let n = 0; n < size; n++) frame[n] = channel[offset + n] * window[n];
      fft.forward(frame, spectrum);
      for (let k = 0; k < power.length; k++) power[k] += spectrum[2 * k] ** 2 + spectrum[2 * k + 1] ** 2;
    }
  }
  return { powerL, powerR };
}

/**
 * Bins each source owns: per source, the weight 1 where its power is at least 20 dB above every other
 * source's and within 40 dB of its own peak, 0 elsewhere.
 */
export function ownedBins(sources: Float32Array[], size: number, start: number, end: number): Float64Array[] {
  const powers = sources.map((source) => stftPowers({ left: source, right: source }, size, start, end).powerL);
  return powers.map((power, i) => {
    const peak = Math.max(...power);
    return power.map((p, k) => (p > peak * 1e-4 && powers.every((other, j) => j === i || p > 100 * other[k]) ? 1 : 0));
  });
}

/** Steady low sines (amplitude each): any discontinuity in an output stands out in its second difference. */
export function steadySines(length: number, sampleRate: number, frequencies: number[], amplitude = 0.2): Float32Array {
  return Float32Array.from({ length }, (_, i) => frequencies.reduce((sum, f, j) => sum + amplitude * Math.sin((2 * Math.PI * f * i) / sampleRate + j), 0));
}

/** The largest |x[i] - 2 x[i-1] + x[i-2]| from `start` to `end`: how rough a signal is (a click is a spike). */
export function largestSecondDifference(signal: Float32Array, start: number, end: number): number {
  let worst = 0;
  for (let i = start + 2; i < end; i++) worst = Math.max(worst, Math.abs(signal[i] - 2 * signal[i - 1] + signal[i - 2]));
  return worst;
}

/** Remainder of `length` after the engine's delay: output sample i + latency holds input sample i. */
export function delayedBy(signal: StereoSignal, latency: number): StereoSignal {
  return { left: signal.left.subarray(latency), right: signal.right.subarray(latency) };
}
