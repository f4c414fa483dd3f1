/**
 * The SIMD kernels (src/dsp/simd-kernels.ts) against the JavaScript loops they replace, in ns per call
 * (fastest of 9 rounds of wall-clock time): an analyser's frame (windowing 1024 samples of its history
 * into a PFFFT transform's time buffer, and the transform), an overlap-add of a 1024-point frame (the
 * inverse transform, and the overlap-add from its time buffer), each with the transform alone for
 * comparison, and the decorrelator on one 128-sample block (with the copy of the block in alone). The JavaScript side's arrays are built with `allowWasmFft(false)` (ordinary
 * Float64Arrays) and its transforms are PFFFT's: the path the engine took before the kernels. (The ICC
 * meter picks its transform with its arrays, so it has no such pair here: bench/engine-parts.ts times
 * the whole engine.)
 *
 *     node --import tsx bench/simd-kernels.ts
 */
import { Decorrelator } from '../src/dsp/decorrelator.js';
import { KernelArray } from '../src/dsp/simd-kernels.js';
import { OverlapAddSynthesizer, StftAnalyzer } from '../src/dsp/stft.js';
import { allowWasmFft, WasmRealFft } from '../src/dsp/wasm-fft.js';
import { pinkNoise } from '../test/support/signals.js';

const ROUNDS = 9;
const CALLS = 20_000;

/** Fastest round's mean wall-clock ns per call of `run`. */
function time(run: () => void): number {
  for (let k = 0; k < 2_000; k++) run();
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let k = 0; k < CALLS; k++) run();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / CALLS);
  }
  return best;
}

/** Built with the kernels (`true`) or with the JavaScript loops (`false`). */
function built<T>(kernels: boolean, make: () => T): T {
  allowWasmFft(kernels);
  try {
    return make();
  } finally {
    allowWasmFft(true);
  }
}

const real = WasmRealFft.create(1024) as WasmRealFft;
const block = Float64Array.from(pinkNoise(128, 5));
const spectrum = new Float64Array(real.halfSpectrumLength);
for (let i = 0; i < spectrum.length; i++) spectrum[i] = block[i % 128];

const [jsAnalyzer, kernelAnalyzer] = [false, true].map((kernels) => built(kernels, () => new StftAnalyzer(1024, 512, 2048)));
const [jsSynthesizer, kernelSynthesizer] = [false, true].map((kernels) => built(kernels, () => new OverlapAddSynthesizer(1024, 512)));
// A block written before each frame moves the history's read position as in the engine.
const analyse = (analyzer: StftAnalyzer) => () => {
  analyzer.write(block, 0, 128);
  analyzer.analyse(real, spectrum);
};
const overlapAdd = (synthesizer: OverlapAddSynthesizer) => () => synthesizer.addFrame(real, spectrum);
const [jsDecorrelator, kernelDecorrelator] = [false, true].map((kernels) => built(kernels, () => new Decorrelator(48_000)));
const [jsBlock, kernelBlock] = [false, true].map((kernels) => built(kernels, () => new KernelArray(128)));
// In place, as the engine calls it (the same input each time: the links' state keeps changing anyway).
const decorrelate = (decorrelator: Decorrelator, target: KernelArray) => () => {
  target.values.set(block);
  decorrelator.processBlock(target, 128);
};
const rows: [string, ...(() => void)[]][] = [
  ['analyser frame: window 1024 + forward', () => real.forwardTime(spectrum), analyse(jsAnalyzer), analyse(kernelAnalyzer)],
  ['synthesiser frame: inverse + overlap-add 1024', () => real.inverseTime(spectrum), overlapAdd(jsSynthesizer), overlapAdd(kernelSynthesizer)],
  ['decorrelator: copy 128 in + all-pass links', () => jsBlock.values.set(block), decorrelate(jsDecorrelator, jsBlock), decorrelate(kernelDecorrelator, kernelBlock)],
];
// Three passes over everything, the fastest of each kept: the first pass also runs while V8 still
// tiers the code up (PFFFT's included), which would make whatever is timed first look slow.
const best = rows.map(() => [Infinity, Infinity, Infinity]);
for (let pass = 0; pass < 3; pass++) rows.forEach(([, ...runs], r) => runs.forEach((run, i) => (best[r][i] = Math.min(best[r][i], time(run)))));
console.log(`ns per call      ${'transform (copy) alone'.padStart(48)} ${'JS loop'.padStart(8)} ${'kernel'.padStart(8)}  the pass alone: JS / kernel`);
for (const [r, [label]] of rows.entries()) {
  const [transform, js, kernel] = best[r];
  const ratio = ((js - transform) / (kernel - transform)).toFixed(1);
  console.log(`${label.padEnd(48)} ${transform.toFixed(0).padStart(15)} ${js.toFixed(0).padStart(8)} ${kernel.toFixed(0).padStart(8)}  ${(js - transform).toFixed(0)} / ${(kernel - transform).toFixed(0)} (${ratio}x)`);
}
