/**
 * What the band orthogonaliser's options cost per analysed frame at 48 kHz: `observe` alone (pink-noise
 * spectra, the engine's options of the mode) with and without `followDeparture`, rounds alternating,
 * CPU time, the fastest round's mean per call. Nanoseconds, not yardsticks: for comparing versions of
 * band-orthogonalizer.ts run one after the other (the engine's table, bench/engine-cost.ts, is too
 * noisy for differences of tens of nanoseconds per frame).
 *
 *     node --import tsx bench/orthogonalizer-cost.ts [live|quality]
 */
import { BandOrthogonalizer } from '../src/dsp/band-orthogonalizer.js';
import { BandLayout } from '../src/dsp/bands.js';
import { frameConfigFor, type LatencyMode } from '../src/dsp/frame-config.js';
import { KernelArray } from '../src/dsp/simd-kernels.js';
import { pinkNoise } from '../test/support/signals.js';

const SAMPLE_RATE = 48_000;
const SPECTRA = 64;
const CALLS_PER_ROUND = 20_000;
const ROUNDS = 30;

const mode = (process.argv[2] ?? 'live') as LatencyMode;
const config = frameConfigFor(SAMPLE_RATE, mode);
const layout = new BandLayout(SAMPLE_RATE, config.frameSize);
const spectrumLength = config.frameSize + 2;
const noise = pinkNoise(2 * SPECTRA * spectrumLength, 5);
/** Spectra cut from pink noise: `SPECTRA` for M, then as many for D. */
function spectrum(index: number): KernelArray {
  const array = new KernelArray(spectrumLength);
  array.values.set(noise.subarray(index * spectrumLength, (index + 1) * spectrumLength));
  return array;
}
const mono = Array.from({ length: SPECTRA }, (_, f) => spectrum(f));
const decorrelated = Array.from({ length: SPECTRA }, (_, f) => spectrum(SPECTRA + f));
// The engine's options (engine.ts), without and with followDeparture.
const options = { weighByArrival: mode === 'live', crossShares: true };
const orthogonalizers = [false, true].map(
  (followDeparture) => new BandOrthogonalizer(layout, SAMPLE_RATE, config.frameSize, config.hopSize, config.lookaheadFrames, { ...options, followDeparture }),
);
for (const orthogonalizer of orthogonalizers) for (let i = 0; i < CALLS_PER_ROUND; i++) orthogonalizer.observe(mono[i % SPECTRA], decorrelated[i % SPECTRA]);
const fastest = [Infinity, Infinity];
for (let round = 0; round < ROUNDS; round++) {
  for (const k of round % 2 === 0 ? [0, 1] : [1, 0]) {
    const start = process.cpuUsage();
    for (let i = 0; i < CALLS_PER_ROUND; i++) orthogonalizers[k].observe(mono[i % SPECTRA], decorrelated[i % SPECTRA]);
    const used = process.cpuUsage(start);
    fastest[k] = Math.min(fastest[k], ((used.user + used.system) * 1000) / CALLS_PER_ROUND);
  }
}
console.log(
  `${mode}, ${SAMPLE_RATE} Hz, ${layout.bandCount} bands, ${config.frameSize}-point frames: observe ${fastest[0].toFixed(0)} ns without followDeparture, ${fastest[1].toFixed(0)} ns with (+${(fastest[1] - fastest[0]).toFixed(0)} ns per frame)`,
);
