import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import FFT from 'fft.js';
import { UpmixEngine } from '../../src/dsp/engine.js';
import { RENDER_QUANTUM, type LatencyMode } from '../../src/dsp/frame-config.js';
import { PFFFT_SIMD_WASM_BASE64 } from '../../src/dsp/pffft-wasm-bytes.js';
import { RealFft } from '../../src/dsp/real-fft.js';
import { allowWasmFft, createRealFft, fftImplementation, WasmComplexFft, WasmRealFft } from '../../src/dsp/wasm-fft.js';
import { FeatureAnalyzer } from '../../src/model/features.js';
import { pinkNoise, whiteNoise } from '../support/signals.js';

const packageDir = dirname(dirname(dirname(createRequire(import.meta.url).resolve('@echogarden/pffft-wasm/simd'))));

test('the embedded module is the SIMD build of the installed @echogarden/pffft-wasm (rerun scripts/embed-pffft.mjs after an update)', () => {
  const installed = readFileSync(join(packageDir, 'dist/simd/pffft.wasm'));
  assert.ok(Buffer.from(PFFFT_SIMD_WASM_BASE64, 'base64').equals(installed));
});

test("the loader's export names are the ones the package's own glue uses", () => {
  // The module's exports are minified names; pffft.ts maps them as the glue of the embedded build does.
  const glue = readFileSync(join(packageDir, 'dist/simd/pffft.js'), 'utf8');
  for (const [name, letter] of [
    ['_pffft_aligned_malloc', 'f'],
    ['_pffft_aligned_free', 'h'],
    ['_pffft_new_setup', 'k'],
    ['_pffft_destroy_setup', 'l'],
    ['_pffft_transform_ordered', 'p'],
  ]) {
    assert.ok(new RegExp(`${name}=Module\\["${name}"\\]=[^;]*wasmExports\\["${letter}"\\]`).test(glue), `${name} is export ${letter}`);
  }
  assert.ok(glue.includes('wasmMemory=wasmExports["d"]') && glue.includes('addOnInit(wasmExports["e"])'), 'memory is d, constructors e');
  assert.ok(glue.includes('var wasmImports={a:___assert_fail,c:__emscripten_memcpy_js,b:_emscripten_resize_heap}'), 'imports a, b, c');
});

for (const size of [32, 256, 1024, 2048, 4096]) {
  test(`PFFFT's real FFT of size ${size} matches fft.js's within float32 round-off, both directions`, () => {
    const wasm = WasmRealFft.create(size);
    assert.ok(wasm, 'WebAssembly SIMD runs in Node 20');
    const reference = new RealFft(size);
    const input = Float64Array.from(whiteNoise(size, size));
    const expected = new Float64Array(reference.halfSpectrumLength);
    const actual = new Float64Array(wasm.halfSpectrumLength);
    reference.forward(input, expected);
    wasm.forward(input, actual);
    // White noise of amplitude 0.5: bins of about 0.3 sqrt(size); float32 keeps about 7 digits.
    const tolerance = 1e-6 * Math.sqrt(size) * Math.log2(size);
    for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) < tolerance, `bin value ${i}: ${actual[i]} vs ${expected[i]}`);
    const back = new Float64Array(size);
    wasm.inverse(expected, back);
    for (let i = 0; i < size; i++) assert.ok(Math.abs(back[i] - input[i]) < 1e-6, `sample ${i}: ${back[i]} vs ${input[i]}`);
  });
}

test("PFFFT's complex FFT matches fft.js's within float32 round-off", () => {
  const size = 2048;
  const wasm = WasmComplexFft.create(size);
  assert.ok(wasm);
  const reference = new FFT(size);
  const input = Float64Array.from(whiteNoise(2 * size, 5));
  const expected = new Float64Array(2 * size);
  reference.transform(expected, input);
  wasm.timeBuffer().set(input);
  wasm.forwardTime();
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(wasm.frequency[i] - expected[i]) < 1e-3, `value ${i}: ${wasm.frequency[i]} vs ${expected[i]}`);
});

test("a transform keeps working after others have grown the module's memory (its views are renewed)", () => {
  const first = WasmRealFft.create(1024);
  assert.ok(first);
  const input = Float64Array.from(whiteNoise(1024, 9));
  const before = new Float64Array(first.halfSpectrumLength);
  first.forward(input, before);
  const oldBuffer = first.timeBuffer().buffer;
  // 48 kB each: 400 of them need more than the module's initial 16 MB.
  const others: WasmRealFft[] = [];
  for (let i = 0; i < 400; i++) others.push(WasmRealFft.create(4096) as WasmRealFft);
  assert.notEqual(first.timeBuffer().buffer, oldBuffer, 'the memory grew');
  const after = new Float64Array(first.halfSpectrumLength);
  first.forward(input, after);
  assert.deepEqual(after, before);
  assert.equal(others.length, 400);
});

/** The engine's output for pink noise with clicks, a quiet stretch and a control change. */
function render(sampleRate: number, mode: LatencyMode): Float32Array {
  const engine = new UpmixEngine({ sampleRate, mode, ceiling: true });
  const quanta = 1200;
  const input = pinkNoise(RENDER_QUANTUM * quanta, 21);
  for (let i = 0; i < input.length; i += 20_000) input[i] = 0.9;
  for (let i = 60_000; i < 80_000; i++) input[i] *= 1e-4;
  const output = new Float32Array(2 * input.length);
  const left = new Float32Array(RENDER_QUANTUM);
  const right = new Float32Array(RENDER_QUANTUM);
  for (let q = 0; q < quanta; q++) {
    if (q === 700) engine.setControl('width', 0.6);
    engine.process(input.subarray(q * RENDER_QUANTUM, (q + 1) * RENDER_QUANTUM), null, left, right);
    output.set(left, 2 * q * RENDER_QUANTUM);
    output.set(right, (2 * q + 1) * RENDER_QUANTUM);
  }
  return output;
}

test('fftImplementation says what createRealFft builds: PFFFT (wasm-simd) in Node, fft.js (js) once WebAssembly is not allowed', () => {
  assert.equal(fftImplementation(), 'wasm-simd');
  assert.ok(createRealFft(1024) instanceof WasmRealFft);
  allowWasmFft(false);
  try {
    assert.equal(fftImplementation(), 'js');
    assert.ok(!(createRealFft(1024) instanceof WasmRealFft));
  } finally {
    allowWasmFft(true);
  }
});

for (const mode of ['live', 'quality'] as const) {
  test(`the engine (${mode}) with PFFFT (float32) gives the samples of the engine with fft.js (float64) within 1e-5`, (t) => {
    const withWasm = render(48_000, mode);
    allowWasmFft(false);
    let withJs: Float32Array;
    try {
      withJs = render(48_000, mode);
    } finally {
      allowWasmFft(true);
    }
    let largest = 0;
    for (let i = 0; i < withJs.length; i++) largest = Math.max(largest, Math.abs(withWasm[i] - withJs[i]));
    t.diagnostic(`${mode}: largest output difference ${largest.toExponential(2)}`);
    assert.ok(largest < 1e-5, `largest difference ${largest}`);
    assert.ok(largest > 0, 'the two engines used different transforms');
  });
}

test("the model's streaming features with PFFFT are within 1e-5 (log10 units) of those with fft.js, down to digital silence", (t) => {
  for (const sampleRate of [22_050, 48_000]) {
    const input = pinkNoise(6 * sampleRate, 4);
    for (let i = 2 * sampleRate; i < 3 * sampleRate; i++) input[i] *= 1e-4;
    input.fill(0, 4 * sampleRate, 5 * sampleRate);
    const features = (wasm: boolean): Float32Array[] => {
      allowWasmFft(wasm);
      const analyzer = new FeatureAnalyzer(sampleRate);
      allowWasmFft(true);
      const frames: Float32Array[] = [];
      for (const sample of input) if (analyzer.push(sample)) frames.push(analyzer.features.slice());
      return frames;
    };
    const withWasm = features(true);
    const withJs = features(false);
    let largest = 0;
    withJs.forEach((frame, f) => frame.forEach((value, b) => (largest = Math.max(largest, Math.abs(withWasm[f][b] - value)))));
    t.diagnostic(`${sampleRate} Hz: largest feature difference ${largest.toExponential(2)}`);
    assert.ok(largest < 1e-5, `${sampleRate} Hz: ${largest}`);
  }
});

test('WasmRealFft.inverseTime with a bin count: the same samples as the whole spectrum when the bins above it are zero, whatever the buffers held', () => {
  const fft = WasmRealFft.create(2048);
  assert.ok(fft, 'PFFFT runs in this Node');
  const noise = Float64Array.from(whiteNoise(2048, 12));
  const spectrum = new Float64Array(fft.halfSpectrumLength);
  fft.forward(noise, spectrum);
  spectrum.fill(0, 2 * 40);
  const whole = Array.from(fft.inverseTime(spectrum));
  // The transform's buffers hold another frame's spectrum now: the limited conversion must clear them.
  fft.forward(noise, new Float64Array(fft.halfSpectrumLength));
  const limited = Array.from(fft.inverseTime(spectrum, 40));
  assert.deepEqual(limited, whole);
  assert.ok(whole.some((value) => value !== 0));
  // Limited inverses in a row rely on the zeros the last one left (PFFFT's backward transform leaves
  // its input as it is): the same as a whole inverse of each spectrum.
  const other = spectrum.map((value, i) => (i < 2 * 30 ? 0.5 * value + 1 : 0));
  const otherLimited = Array.from(fft.inverseTime(other, 30));
  const againLimited = Array.from(fft.inverseTime(spectrum, 40));
  assert.deepEqual(againLimited, whole);
  assert.deepEqual(otherLimited, Array.from(fft.inverseTime(other)));
});
