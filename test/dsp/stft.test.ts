import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RealFft } from '../../src/dsp/real-fft.js';
import { OverlapAddSynthesizer, StftAnalyzer } from '../../src/dsp/stft.js';
import { whiteNoise } from '../support/signals.js';

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
