import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UpmixEngine } from '../../src/dsp/engine.js';
import { RENDER_QUANTUM } from '../../src/dsp/frame-config.js';
import { QuantumAdapter, quantumLatency } from '../../src/worklet/quantum-adapter.js';
import { pinkNoise, whiteNoise } from '../support/signals.js';

const SAMPLE_RATE = 48_000;
const LENGTH = 128 * 441; // a whole number of quanta of every size below

/** Renders `left` (and `right`) through a fresh engine, fed in host quanta of `size` through the adapter. */
function render(size: number, left: Float32Array, right: Float32Array | null): { left: Float32Array; right: Float32Array } {
  const engine = new UpmixEngine({ sampleRate: SAMPLE_RATE, mode: 'quality' });
  const adapter = new QuantumAdapter(engine, size);
  const outLeft = new Float32Array(left.length);
  const outRight = new Float32Array(left.length);
  for (let start = 0; start < left.length; start += size) {
    const end = Math.min(left.length, start + size);
    const block = (array: Float32Array): Float32Array => {
      const quantum = new Float32Array(size);
      quantum.set(array.subarray(start, end));
      return quantum;
    };
    const l = new Float32Array(size);
    const r = new Float32Array(size);
    adapter.process(block(left), right ? block(right) : null, l, r);
    outLeft.set(l.subarray(0, end - start), start);
    outRight.set(r.subarray(0, end - start), start);
  }
  return { left: outLeft, right: outRight };
}

function maxShiftedDifference(actual: Float32Array, expected: Float32Array, shift: number): number {
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const reference = i >= shift ? expected[i - shift] : 0;
    worst = Math.max(worst, Math.abs(actual[i] - reference));
  }
  return worst;
}

test('QuantumAdapter: any host quantum gives the 128-block output, delayed by exactly quantumLatency(size)', () => {
  const left = pinkNoise(LENGTH, 3, 0.4);
  const right = whiteNoise(LENGTH, 5, 0.2);
  for (const stereo of [false, true]) {
    const reference = render(RENDER_QUANTUM, left, stereo ? right : null);
    for (const size of [256, 512, 441, 100, 1000, 127]) {
      const output = render(size, left, stereo ? right : null);
      const shift = quantumLatency(size);
      assert.equal(shift, size % 128 === 0 ? 0 : 128);
      assert.ok(maxShiftedDifference(output.left, reference.left, shift) === 0, `size ${size}, stereo ${stereo}: left`);
      assert.ok(maxShiftedDifference(output.right, reference.right, shift) === 0, `size ${size}, stereo ${stereo}: right`);
    }
  }
});

test('QuantumAdapter: a quantum that would break the reported latency throws a RangeError that says so', () => {
  const adapter = new QuantumAdapter(new UpmixEngine({ sampleRate: SAMPLE_RATE }), 256);
  const block = new Float32Array(200);
  assert.throws(() => adapter.process(block, null, new Float32Array(200), new Float32Array(200)), /render quantum of 200 samples, but the node was made for 256/);
  assert.throws(() => new QuantumAdapter(new UpmixEngine({ sampleRate: SAMPLE_RATE }), 0), /render quantum size 0 is not supported/);
});
