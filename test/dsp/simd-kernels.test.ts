import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BandOrthogonalizer } from '../../src/dsp/band-orthogonalizer.js';
import { addBandSums, BandSumRuns } from '../../src/dsp/band-sums.js';
import { BandLayout } from '../../src/dsp/bands.js';
import { defaultControls } from '../../src/dsp/controls.js';
import { createCues } from '../../src/dsp/cue-source.js';
import { Decorrelator } from '../../src/dsp/decorrelator.js';
import { UpmixEngine } from '../../src/dsp/engine.js';
import { RENDER_QUANTUM } from '../../src/dsp/frame-config.js';
import { IccFeedback } from '../../src/dsp/icc-feedback.js';
import { SideSynthesis } from '../../src/dsp/side-synthesis.js';
import { sqrtHannWindow } from '../../src/dsp/stft.js';
import { KernelArray, simdKernels } from '../../src/dsp/simd-kernels.js';
import { SIMD_KERNELS_WASM_BASE64 } from '../../src/dsp/simd-kernels-wasm-bytes.js';
import { allowWasmFft, WasmComplexFft, WasmRealFft } from '../../src/dsp/wasm-fft.js';
import { pinkNoise, whiteNoise } from '../support/signals.js';

test('the embedded kernels are simd-kernels.wat as assembled now (rerun npm run build:kernels after editing it)', async () => {
  const script = new URL('../../scripts/assemble-kernels.mjs', import.meta.url).href;
  const { assembleKernels } = (await import(script)) as { assembleKernels(): Promise<Uint8Array> };
  assert.ok(Buffer.from(SIMD_KERNELS_WASM_BASE64, 'base64').equals(Buffer.from(await assembleKernels())));
});

test('the kernels run where PFFFT does, and not once WebAssembly is not allowed (the JavaScript loops then)', () => {
  assert.ok(simdKernels(), 'WebAssembly SIMD runs in Node 20');
  allowWasmFft(false);
  try {
    assert.equal(simdKernels(), null);
    assert.equal(new KernelArray(8).pointer, -1);
  } finally {
    allowWasmFft(true);
  }
});

/** Float64 values in the kernels' memory. */
function noise(length: number, seed: number): KernelArray {
  return KernelArray.of(Float64Array.from(whiteNoise(length, seed)));
}

test("windowReal gives the JavaScript loop's float32 samples bit for bit, at any offset and count", () => {
  const kernels = simdKernels();
  assert.ok(kernels);
  const fft = WasmRealFft.create(1024);
  assert.ok(fft);
  const history = noise(2048, 1);
  const window = KernelArray.of(sqrtHannWindow(1024));
  for (const [at, from, count] of [[0, 0, 1024], [0, 333, 1024], [5, 1021, 3], [1, 7, 1022], [0, 0, 0]]) {
    const time = fft.timeBuffer();
    time.fill(-1);
    kernels.windowReal(fft.timePointer + 4 * at, history.pointer + 8 * from, window.pointer + 8 * at, count);
    const expected = new Float32Array(1024).fill(-1);
    for (let m = 0; m < count; m++) expected[at + m] = history.values[from + m] * window.values[at + m];
    assert.deepEqual(fft.timeBuffer(), expected, `at ${at}, from ${from}, count ${count}`);
  }
});

test("windowPairs gives the JavaScript loop's interleaved float32 pairs bit for bit, odd counts included", () => {
  const kernels = simdKernels();
  assert.ok(kernels);
  const fft = WasmComplexFft.create(256);
  assert.ok(fft);
  const mid = noise(256, 2);
  const side = noise(256, 3);
  const window = KernelArray.of(sqrtHannWindow(256));
  for (const [at, from, count] of [[0, 0, 256], [3, 100, 101], [0, 255, 1]]) {
    fft.timeBuffer().fill(-1);
    kernels.windowPairs(fft.timePointer + 8 * at, mid.pointer + 8 * from, side.pointer + 8 * from, window.pointer + 8 * at, count);
    const expected = new Float32Array(512).fill(-1);
    for (let m = 0; m < count; m++) {
      expected[2 * (at + m)] = mid.values[from + m] * window.values[at + m];
      expected[2 * (at + m) + 1] = side.values[from + m] * window.values[at + m];
    }
    assert.deepEqual(fft.timeBuffer(), expected, `at ${at}, from ${from}, count ${count}`);
  }
});

test("overlapAdd gives the JavaScript loop's float64 sums bit for bit, odd hops included", () => {
  const kernels = simdKernels();
  assert.ok(kernels);
  for (const hop of [512, 7]) {
    const fft = WasmRealFft.create(1024);
    assert.ok(fft);
    fft.timeBuffer().set(whiteNoise(2 * hop, hop));
    const window = noise(2 * hop, 4);
    const pending = noise(hop, 5);
    const finished = new KernelArray(hop);
    const frame = Float64Array.from(fft.timeBuffer().subarray(0, 2 * hop));
    const expectedFinished = pending.values.map((value, i) => value + frame[i] * window.values[i]);
    const expectedPending = pending.values.map((_, i) => frame[hop + i] * window.values[hop + i]);
    kernels.overlapAdd(finished.pointer, pending.pointer, fft.timePointer, window.pointer, hop);
    assert.deepEqual(finished.values, expectedFinished, `hop ${hop}`);
    assert.deepEqual(pending.values, expectedPending, `hop ${hop}`);
  }
});

test("a KernelArray keeps its values after transforms made elsewhere have grown the module's memory", () => {
  const array = noise(1000, 6);
  const before = Array.from(array.values);
  const oldBuffer = array.values.buffer;
  // 48 kB each: 400 of them need more than the memory held before.
  const others: WasmRealFft[] = [];
  for (let i = 0; i < 400; i++) others.push(WasmRealFft.create(4096) as WasmRealFft);
  assert.notEqual(array.values.buffer, oldBuffer, 'the memory grew');
  assert.deepEqual(Array.from(array.values), before);
  assert.equal(others.length, 400);
});

test("Decorrelator.processBlock in the allpassRun kernel gives the JavaScript loop's samples bit for bit, through ring wraps, odd block lengths and the 1e-30 flush", () => {
  const kernel = new Decorrelator(48_000);
  allowWasmFft(false);
  const reference = new Decorrelator(48_000);
  allowWasmFft(true);
  const block = new KernelArray(128);
  assert.ok(block.pointer >= 0, 'the block is in the kernels\' memory');
  const input = whiteNoise(48_000, 8);
  // First a stretch at up to 2e-30, whose link states fall on both sides of the 1e-30 flush (a kernel that
  // flushed otherwise would give other samples there; later, louder input's tails outweigh it for long),
  // then noise, then silence.
  for (let i = 0; i < 10_000; i++) input[i] *= 4e-30;
  input.fill(0, 40_000);
  for (let start = 0, q = 0; start < input.length; q++) {
    const count = Math.min(input.length - start, q % 3 === 0 ? 128 : 77 + (q % 50));
    const expected = Float64Array.from(input.subarray(start, start + count));
    reference.process(expected, expected, count);
    block.values.set(input.subarray(start, start + count));
    kernel.processBlock(block, count);
    assert.deepEqual(block.values.subarray(0, count), expected, `block at ${start}`);
    start += count;
  }
});

test("an engine keeps giving the same samples when another one built in the same realm grows PFFFT's memory mid-stream (its kernel arrays' views are renewed)", () => {
  const quanta = 600;
  const input = pinkNoise(RENDER_QUANTUM * quanta, 11);
  const render = (growAt: number): Float32Array => {
    const engine = new UpmixEngine({ sampleRate: 48_000, mode: 'quality' });
    const output = new Float32Array(2 * input.length);
    const left = new Float32Array(RENDER_QUANTUM);
    const right = new Float32Array(RENDER_QUANTUM);
    const others: UpmixEngine[] = [];
    const buffer = (engine as unknown as { blocks: { decorrelated: KernelArray } }).blocks.decorrelated.values.buffer;
    for (let q = 0; q < quanta; q++) {
      // Engines of a higher rate (4096-point frames) until the memory has grown: as a second node
      // created in the same AudioWorkletGlobalScope would.
      if (q === growAt) while (buffer.byteLength !== 0) others.push(new UpmixEngine({ sampleRate: 192_000, mode: 'quality' }));
      engine.process(input.subarray(q * RENDER_QUANTUM, (q + 1) * RENDER_QUANTUM), null, left, right);
      output.set(left, 2 * q * RENDER_QUANTUM);
      output.set(right, (2 * q + 1) * RENDER_QUANTUM);
    }
    assert.ok(growAt >= quanta || others.length > 0);
    return output;
  };
  const reference = render(quanta);
  const grown = render(301);
  assert.deepEqual(grown, reference);
});

test("IccFeedback's windowPairs and bandSums kernels measure what its JavaScript loops measure, bit for bit (the same PFFFT transform)", () => {
  const withKernels = new IccFeedback(48_000, 1920);
  const withLoops = new IccFeedback(48_000, 1920);
  // The JavaScript loops on the same arrays and transform: the kernels turned off in this one alone.
  (withLoops as unknown as { kernels: null }).kernels = null;
  const mid = Float64Array.from(pinkNoise(48_000 * 3, 12));
  const side = Float64Array.from(pinkNoise(48_000 * 3, 13)).map((value, i) => 0.3 * value + 0.2 * mid[i]);
  const cues = createCues(withKernels.measuredIccs.length);
  cues.iccs.fill(0.4);
  const controls = defaultControls();
  const corrected = createCues(cues.iccs.length);
  for (let at = 0; at < mid.length; at += RENDER_QUANTUM) {
    for (const meter of [withKernels, withLoops]) {
      if (at % 512 === 0) meter.correct(cues, controls, corrected);
      meter.measure(mid.subarray(at, at + RENDER_QUANTUM), side.subarray(at, at + RENDER_QUANTUM), RENDER_QUANTUM);
    }
  }
  assert.ok(withLoops.measuredIccs.some((icc) => icc > 0 && icc < 1), 'tiles were measured');
  assert.deepEqual(withKernels.measuredIccs, withLoops.measuredIccs);
  assert.deepEqual(withKernels.decorrelationScales, withLoops.decorrelationScales);
  assert.ok(withLoops.decorrelationScales.some((k) => k !== 1), 'the correction moved');
});

test("spectrumBandSums gives addBandSums's per-band sums bit for bit (bins of band -1 skipped, at an offset, onto sums already there)", () => {
  const kernels = simdKernels();
  assert.ok(kernels);
  const bins = 129;
  // Bands of 1 to 9 bins, the first and last bins outside every band.
  const bandOfBin = Int32Array.from({ length: bins }, (_, k) => (k === 0 || k > 120 ? -1 : Math.floor(Math.sqrt(2 * k))));
  const bands = bandOfBin[120] + 1;
  const runs = new BandSumRuns(bandOfBin, kernels);
  for (const seed of [1, 2, 3]) {
    // Levels over many decades, so that any change in the order of the additions shows in the last bits.
    const a = KernelArray.of(Float64Array.from(whiteNoise(2 * bins, seed), (v, i) => v * 10 ** ((i % 13) - 6)));
    const b = KernelArray.of(Float64Array.from(whiteNoise(2 * bins, seed + 10), (v, i) => v * 10 ** ((i % 7) - 3)));
    const offset = 4 * bands;
    const before = Float64Array.from(whiteNoise(3 * offset, seed + 20));
    const viaLoop = Float64Array.from(before);
    addBandSums(a.values, b.values, bandOfBin, viaLoop, offset);
    const viaKernel = KernelArray.of(before);
    runs.add(a, b, viaKernel, offset);
    assert.notDeepEqual(viaLoop, before);
    assert.deepEqual(viaKernel.values, viaLoop);
  }
});

test("BandOrthogonalizer.observe's kernels (spectrumBandSums from KernelArray spectra, runningSums) give the JavaScript loops' projections and gains bit for bit", () => {
  const layout = new BandLayout(48_000, 256);
  const withKernel = new BandOrthogonalizer(layout, 48_000, 256, 128);
  const withLoop = new BandOrthogonalizer(layout, 48_000, 256, 128);
  // The JavaScript loops in this one alone (its running sums too).
  (withLoop as unknown as { statsRuns: null }).statsRuns = null;
  const mono = new KernelArray(258);
  const decorrelated = new KernelArray(258);
  // Past a turn of the ring (where the running sums are summed afresh).
  for (let frame = 0; frame < 300; frame++) {
    mono.values.set(whiteNoise(258, frame));
    decorrelated.values.set(whiteNoise(258, frame + 1000).map((v, i) => 0.5 * v + 0.3 * mono.values[i]));
    withKernel.observe(mono, decorrelated);
    withLoop.observe(Float64Array.from(mono.values), Float64Array.from(decorrelated.values));
    assert.deepEqual(withKernel.projectionRe, withLoop.projectionRe);
    assert.deepEqual(withKernel.projectionIm, withLoop.projectionIm);
    assert.deepEqual(withKernel.gains, withLoop.gains);
  }
  assert.ok(withLoop.projectionRe.some((re) => re > 0.1), 'D was projected on M');
});

test("SideSynthesis writes the same side bit for bit from KernelArray spectra (the sideRuns kernel) as from Float64Arrays (the JavaScript loop), while cues, width and bass mono glide", () => {
  const frameSize = 1024;
  const layout = new BandLayout(48_000, frameSize);
  const bins = frameSize + 2;
  const orthogonalizer = new BandOrthogonalizer(layout, 48_000, frameSize, frameSize / 2);
  const withKernel = new SideSynthesis(layout, 48_000, frameSize, frameSize / 2);
  const withLoop = new SideSynthesis(layout, 48_000, frameSize, frameSize / 2);
  const mono = new KernelArray(bins);
  const decorrelated = new KernelArray(bins);
  const sideByKernel = new KernelArray(bins);
  const sideByLoop = new Float64Array(bins);
  const cues = createCues(layout.bandCount);
  const directions = Float64Array.from({ length: layout.bandCount }, (_, b) => (b % 3 === 0 ? -1 : 1));
  const controls = defaultControls();
  for (let frame = 0; frame < 60; frame++) {
    mono.values.set(whiteNoise(bins, frame));
    decorrelated.values.set(whiteNoise(bins, frame + 500).map((v, i) => 0.6 * v + 0.2 * mono.values[i]));
    orthogonalizer.observe(mono, decorrelated);
    for (let b = 0; b < layout.bandCount; b++) {
      cues.iccs[b] = 0.2 + 0.6 * Math.abs(Math.sin(b + frame / 7));
      cues.ildMagnitudesDb[b] = 4 * Math.abs(Math.cos(b - frame / 5));
    }
    controls.width = frame < 30 ? 1 : 1.6;
    controls.bassMonoHz = frame < 20 ? 0 : 150;
    withKernel.process(cues, directions, controls, orthogonalizer, mono, decorrelated, sideByKernel);
    withLoop.process(cues, directions, controls, orthogonalizer, Float64Array.from(mono.values), Float64Array.from(decorrelated.values), sideByLoop);
    assert.deepEqual(sideByKernel.values, sideByLoop);
  }
  assert.ok(sideByLoop.some((v) => v !== 0));
});
