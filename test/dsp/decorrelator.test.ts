import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decorrelator } from '../../src/dsp/decorrelator.js';
import { whiteNoise } from '../support/signals.js';

const SAMPLE_RATE = 48_000;

function decorrelate(input: Float64Array, decorrelator = new Decorrelator(SAMPLE_RATE)): Float64Array {
  const output = new Float64Array(input.length);
  for (let start = 0; start < input.length; start += 128) {
    const count = Math.min(128, input.length - start);
    const block = input.slice(start, start + count);
    decorrelator.process(block, block, count); // in place, as the engine calls it
    output.set(block, start);
  }
  return output;
}

test('Decorrelator: keeps the power of white noise (all-pass) and is uncorrelated with its input', () => {
  const input = Float64Array.from(whiteNoise(4 * SAMPLE_RATE, 9, 0.5));
  const output = decorrelate(input);
  let inputPower = 0;
  let outputPower = 0;
  let cross = 0;
  for (let i = SAMPLE_RATE; i < input.length; i++) {
    inputPower += input[i] ** 2;
    outputPower += output[i] ** 2;
    cross += input[i] * output[i];
  }
  assert.ok(Math.abs(outputPower / inputPower - 1) < 0.05, `power ratio ${outputPower / inputPower}`);
  const correlation = cross / Math.sqrt(inputPower * outputPower);
  assert.ok(Math.abs(correlation) < 0.05, `correlation ${correlation}`);
});

test('Decorrelator: causal (nothing before an impulse), linear, and reset forgets all history', () => {
  const impulse = new Float64Array(SAMPLE_RATE);
  impulse[1000] = 1;
  const response = decorrelate(impulse);
  assert.ok(response.subarray(0, 1000).every((sample) => sample === 0), 'no output before the impulse');
  const doubled = decorrelate(impulse.map((sample) => 2 * sample));
  assert.ok(doubled.every((sample, i) => Math.abs(sample - 2 * response[i]) < 1e-12), 'linear');
  const decorrelator = new Decorrelator(SAMPLE_RATE);
  decorrelate(Float64Array.from(whiteNoise(SAMPLE_RATE, 2, 0.5)), decorrelator);
  decorrelator.reset();
  const afterReset = decorrelate(impulse, decorrelator);
  assert.ok(afterReset.every((sample, i) => Math.abs(sample - response[i]) < 1e-12), 'reset gives a fresh decorrelator');
  assert.ok(response.every(Number.isFinite));
});
