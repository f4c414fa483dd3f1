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

test('SampleFifo: writeZeros queues zeros over old contents across the wrap; discard drops samples unread', () => {
  const fifo = new SampleFifo(5);
  fifo.write(Float64Array.of(9, 9, 9, 9));
  fifo.discard(3);
  assert.equal(fifo.length, 1);
  fifo.writeZeros(3); // from index 4 over the end: slots 4, 0 and 1 held or hold other values
  fifo.write(Float64Array.of(7));
  const out = new Float64Array(5);
  fifo.read(out, 5);
  assert.deepEqual(Array.from(out), [9, 0, 0, 0, 7]);
  assert.throws(() => fifo.discard(1), /SampleFifo underflow/);
  assert.throws(() => fifo.writeZeros(6), /SampleFifo overflow/);
});

test('SampleFifo.readAdding adds the oldest samples to the target across the wrap', () => {
  const fifo = new SampleFifo(4);
  fifo.write(Float64Array.of(1, 2, 3));
  fifo.discard(2);
  fifo.write(Float64Array.of(4, 5)); // slots 3 and 0
  const target = Float64Array.of(10, 20, 30);
  fifo.readAdding(target, 3);
  assert.deepEqual(Array.from(target), [13, 24, 35]);
  assert.equal(fifo.length, 0);
  assert.throws(() => fifo.readAdding(target, 1), /SampleFifo underflow/);
});

test('SampleFifo: zeros written again and again read as zeros; after other samples, zeros are written anew', () => {
  const fifo = new SampleFifo(12);
  const out = new Float64Array(12);
  const ramp = Float64Array.from({ length: 12 }, (_, i) => i + 1);
  fifo.write(ramp);
  fifo.read(out, 12);
  // More zeros than the capacity, in blocks that wrap: past a whole buffer of them the queue only moves on.
  for (let round = 0; round < 6; round++) {
    fifo.writeZeros(5);
    fifo.read(out, 5);
    assert.deepEqual(Array.from(out.subarray(0, 5)), [0, 0, 0, 0, 0], `round ${round}`);
  }
  // Every slot written again, then zeros: they must land in the slots, not be skipped.
  fifo.write(ramp);
  fifo.read(out, 12);
  assert.deepEqual(Array.from(out), Array.from(ramp));
  for (let round = 0; round < 3; round++) {
    fifo.writeZeros(5);
    fifo.read(out, 5);
    assert.deepEqual(Array.from(out.subarray(0, 5)), [0, 0, 0, 0, 0], `after the ramp, round ${round}`);
  }
});
