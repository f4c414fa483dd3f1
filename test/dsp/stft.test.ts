import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RealFft } from '../../src/dsp/real-fft.js';
import { KernelArray } from '../../src/dsp/simd-kernels.js';
import { OverlapAddSynthesizer, sqrtHannWindow, StftAnalyzer } from '../../src/dsp/stft.js';
import { createRealFft } from '../../src/dsp/wasm-fft.js';
import { pinkNoise, whiteNoise } from '../support/signals.js';

for (const [frameSize, hopSize] of [[256, 128], [1024, 512], [128, 64]]) {
  test(`STFT ${frameSize}/${hopSize}: analysis then synthesis of the unmodified spectrum gives the input delayed by frameSize - hopSize (1e-12)`, () => {
    const fft = new RealFft(frameSize);
    const analyzer = new StftAnalyzer(frameSize, hopSize);
    const synthesizer = new OverlapAddSynthesizer(frameSize, hopSize);
    const spectrum = new Float64Array(fft.halfSpectrumLength);
    const input = whiteNoise(20 * frameSize, 5);
    const output: number[] = [];
    for (const sample of input) {
      if (!analyzer.push(sample)) continue;
      analyzer.analyse(fft, spectrum);
      synthesizer.addFrame(fft, spectrum);
      output.push(...synthesizer.finished);
    }
    const delay = frameSize - hopSize;
    assert.equal(output.length, input.length);
    let worst = 0;
    for (let i = frameSize; i < input.length; i++) worst = Math.max(worst, Math.abs(output[i] - input[i - delay]));
    assert.ok(worst < 1e-12, `worst error ${worst}`);
  });
}

test('StftAnalyzer.writeSilence: the same frames as writing zeros, after sound and once the history is all zero', () => {
  const frameSize = 256;
  const hopSize = 128;
  const fft = new RealFft(frameSize);
  const written = new StftAnalyzer(frameSize, hopSize);
  const silenced = new StftAnalyzer(frameSize, hopSize);
  const noise = Float64Array.from(whiteNoise(3 * frameSize, 9));
  const zeros = new Float64Array(100);
  const a = new Float64Array(fft.halfSpectrumLength);
  const b = new Float64Array(fft.halfSpectrumLength);
  let frames = 0;
  // Sound, then silence for five frames (the history empties), then sound again, in blocks of 100 that
  // cross the frame boundaries.
  for (let block = 0; block < 24; block++) {
    const sound = block < 4 || block >= 20;
    for (let i = 0; i < 100; ) {
      const taken = sound ? written.write(noise, (block % 7) * 100 + i, 100 - i) : written.write(zeros, i, 100 - i);
      const same = sound ? silenced.write(noise, (block % 7) * 100 + i, 100 - i) : silenced.writeSilence(100 - i);
      assert.equal(same, taken);
      assert.equal(silenced.frameDue, written.frameDue);
      if (written.frameDue) {
        written.analyse(fft, a);
        silenced.analyse(fft, b);
        assert.deepEqual(Array.from(b), Array.from(a));
        frames++;
      }
      i += taken;
    }
  }
  assert.equal(frames, Math.floor((24 * 100) / hopSize));
});

test('StftAnalyzer.analyseLast: a longer framing read from a longer history equals an analyser of that frame size', () => {
  const long = new StftAnalyzer(256, 128, 512);
  const own = new StftAnalyzer(512, 256);
  const fft = new RealFft(512);
  const longWindowed = new Float64Array(fft.halfSpectrumLength);
  const ownWindowed = new Float64Array(fft.halfSpectrumLength);
  const window = sqrtHannWindow(512);
  const noise = Float64Array.from(whiteNoise(4000, 4));
  let frames = 0;
  // Blocks of 96 that end off the frame boundaries, so that the frames start anywhere in the ring.
  for (let start = 0; start + 96 <= noise.length; start += 96) {
    for (let i = start; i < start + 96; ) {
      const taken = long.write(noise, i, start + 96 - i);
      assert.equal(own.write(noise, i, taken), taken);
      if (own.frameDue) {
        own.analyse(fft, ownWindowed);
        long.analyseLast(fft, longWindowed, window);
        assert.deepEqual(Array.from(longWindowed), Array.from(ownWindowed));
        frames++;
      }
      i += taken;
    }
  }
  assert.ok(frames > 10);
  assert.throws(() => new StftAnalyzer(256, 128, 128), RangeError);
});

test('StftAnalyzer.analyseLast: a window in the kernels\' memory (KernelArray) gives the spectrum of the same window as a Float64Array, bit for bit', () => {
  const analyzer = new StftAnalyzer(256, 128, 512);
  const fft = createRealFft(512);
  const input = Float64Array.from(pinkNoise(3000, 3));
  const window = sqrtHannWindow(512);
  const kernelWindow = KernelArray.of(window);
  assert.ok(kernelWindow.pointer >= 0, 'the kernels run in this Node');
  const plain = new Float64Array(fft.halfSpectrumLength);
  const kernel = new Float64Array(fft.halfSpectrumLength);
  for (let at = 0; at + 100 <= input.length; at += 100) {
    for (let i = 0; i < 100; ) i += analyzer.write(input, at + i, 100 - i);
    analyzer.analyseLast(fft, plain, window);
    analyzer.analyseLast(fft, kernel, kernelWindow);
    assert.deepEqual(kernel, plain, `after ${at + 100} samples`);
  }
});
