/**
 * Could the model's band powers of the raw input come from the side's analysis of the input without its
 * DC (engine.ts), plus the few lowest bins, instead of a second analysis? The DC blocker is the input
 * minus its 5 Hz low-pass (dc-blocker.ts), so the raw spectrum is the blocked one plus the spectrum of
 * that low-passed part; the idea keeps only the low part's first K bins. This prints the largest feature
 * error (log10 units, float64 transforms; the golden test's tolerance is 1e-4) per signal and K, at
 * 48 kHz (1024-point frames, 46.9 Hz bins), over 4 s after a 1 s settle.
 *
 *     node --import tsx bench/raw-band-powers.ts
 */
import { BandLayout, bandEdges } from '../src/dsp/bands.js';
import { DcBlocker } from '../src/dsp/dc-blocker.js';
import { RealFft } from '../src/dsp/real-fft.js';
import { sqrtHannWindow } from '../src/dsp/stft.js';
import { FEATURE_SPEC } from '../src/model/feature-spec.js';
import { writeFeatures } from '../src/model/features.js';
import { pinkNoise } from '../test/support/signals.js';

const SAMPLE_RATE = 48_000;
const N = 1024;
const HOP = N / 2;
const LENGTH = 5 * SAMPLE_RATE;
const SETTLE = SAMPLE_RATE;
const BINS_KEPT = [8, 16, 32, 64, 128];

/** A one-pole low-pass at `hz` (for a signal whose highs are quiet). */
function lowPassed(signal: Float64Array, hz: number): Float64Array {
  const a = Math.exp((-2 * Math.PI * hz) / SAMPLE_RATE);
  const out = new Float64Array(signal.length);
  let y = 0;
  for (let n = 0; n < signal.length; n++) out[n] = y = (1 - a) * signal[n] + a * y;
  return out;
}

const pink = Float64Array.from(pinkNoise(LENGTH, 3, 0.5));
const signals: [string, Float64Array][] = [
  ['pink noise', pink],
  ['pink noise + 1 % DC', pink.map((x) => x + 0.01)],
  ['pink noise low-passed at 2 kHz + 1 % DC', lowPassed(pink, 2000).map((x) => x + 0.01)],
  ['440 Hz sine 0.5 + 2 Hz sine 0.1', pink.map((_, n) => 0.5 * Math.sin((2 * Math.PI * 440 * n) / SAMPLE_RATE) + 0.1 * Math.sin((2 * Math.PI * 2 * n) / SAMPLE_RATE))],
];

const fft = new RealFft(N);
const window = sqrtHannWindow(N);
const layout = new BandLayout(SAMPLE_RATE, N, bandEdges(FEATURE_SPEC.bandCount, FEATURE_SPEC.bandLowHz, FEATURE_SPEC.bandHighHz));
const frame = new Float64Array(N);
const spectrum = (signal: Float64Array, start: number): Float64Array => {
  for (let n = 0; n < N; n++) frame[n] = signal[start + n] * window[n];
  const out = new Float64Array(N + 2);
  fft.forward(frame, out);
  return out;
};
const features = (powers: Float64Array): Float64Array => {
  const out = new Float64Array(FEATURE_SPEC.bandCount);
  writeFeatures(powers, N, out);
  return out;
};

console.log(`largest feature error (log10 units) of raw band powers from the blocked spectrum plus the low part's first K bins; tolerance ${1e-4}`);
console.log(`${'signal'.padEnd(42)}${BINS_KEPT.map((k) => `K=${k}`.padStart(10)).join('')}`);
for (const [name, raw] of signals) {
  const blocked = new Float64Array(raw.length);
  new DcBlocker(SAMPLE_RATE).process(raw, blocked, raw.length);
  const low = raw.map((x, n) => x - blocked[n]);
  const worst = BINS_KEPT.map(() => 0);
  const powers = new Float64Array(FEATURE_SPEC.bandCount);
  for (let start = SETTLE; start + N <= raw.length; start += HOP) {
    layout.bandPowers(spectrum(raw, start), powers);
    const exact = features(powers);
    const blockedSpectrum = spectrum(blocked, start);
    const lowSpectrum = spectrum(low, start);
    BINS_KEPT.forEach((kept, i) => {
      const derived = blockedSpectrum.slice();
      for (let j = 0; j < 2 * kept; j++) derived[j] += lowSpectrum[j];
      layout.bandPowers(derived, powers);
      const approximate = features(powers);
      for (let b = 0; b < exact.length; b++) worst[i] = Math.max(worst[i], Math.abs(approximate[b] - exact[b]));
    });
  }
  console.log(`${name.padEnd(42)}${worst.map((w) => w.toExponential(1).padStart(10)).join('')}`);
}
