import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockDelay } from '../../src/dsp/block-delay.js';

for (const [delay, blockSize] of [[0, 4], [3, 4], [4, 4], [9, 4], [13, 8], [1920, 128], [64, 128]]) {
  test(`BlockDelay ${delay} samples in blocks of ${blockSize}: each committed block comes back delayed, zeros first`, () => {
    const line = new BlockDelay(delay, blockSize);
    const written: number[] = [];
    const read: number[] = [];
    for (let block = 0; block < 40; block++) {
      const input = line.input;
      assert.equal(input.length, blockSize);
      for (let i = 0; i < blockSize; i++) {
        input[i] = block * blockSize + i + 1;
        written.push(input[i]);
      }
      read.push(...line.commit());
    }
    const expected = [...new Array<number>(delay).fill(0), ...written].slice(0, written.length);
    assert.deepEqual(read, expected);
    line.clear();
    line.input.fill(5);
    assert.deepEqual(Array.from(line.commit()), new Array<number>(blockSize).fill(delay === 0 ? 5 : 0).map((v, i) => (i >= delay ? 5 : v)));
  });
}

test('BlockDelay: a delay or block size that is not a whole number is refused', () => {
  assert.throws(() => new BlockDelay(2.5, 4), RangeError);
  assert.throws(() => new BlockDelay(4, 0), RangeError);
});
