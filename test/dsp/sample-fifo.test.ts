import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SampleFifo } from '../../src/dsp/sample-fifo.js';

test('SampleFifo: first in, first out across the wrap; fill prefills a delay', () => {
  const fifo = new SampleFifo(5);
  fifo.fill(0, 2);
  fifo.write(Float64Array.of(1, 2, 3));
  assert.equal(fifo.length, 5);
  const out = new Float64Array(4);
  fifo.read(out, 4);
  assert.deepEqual(Array.from(out), [0, 0, 1, 2]);
  fifo.write(Float64Array.of(4, 5, 6, 7)); // wraps around the end of the buffer
  fifo.read(out, 4);
  assert.deepEqual(Array.from(out), [3, 4, 5, 6]);
  assert.equal(fifo.length, 1);
  fifo.clear();
  assert.equal(fifo.length, 0);
});

test('SampleFifo: overflow and underflow throw (framing bugs), and leave the queue as it was', () => {
  const fifo = new SampleFifo(3);
  fifo.write(Float64Array.of(1, 2));
  assert.throws(() => fifo.write(Float64Array.of(3, 4)), /SampleFifo overflow/);
  assert.throws(() => fifo.fill(0, 2), /SampleFifo overflow/);
  assert.throws(() => fifo.read(new Float64Array(3)), /SampleFifo underflow/);
  const out = new Float64Array(2);
  fifo.read(out);
  assert.deepEqual(Array.from(out), [1, 2]);
});
