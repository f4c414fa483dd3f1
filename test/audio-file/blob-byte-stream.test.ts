/**
 * A Blob (a dropped File) read as a byte stream: in order, a block at a time, and from any offset after a
 * seek, through a byte stream's BYOB reader (Chromium, Node) and through slices (where a Blob's stream is
 * not a byte stream).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blobByteStream } from '../../src/audio-file/byte-stream.js';

/** 300,000 bytes of a hash of their offset: no block repeats another. */
const bytes = Uint8Array.from({ length: 300_000 }, (_, i) => Math.imul(i, 2654435761) >>> 24);

/** A Blob whose stream() is not a byte stream (no BYOB reader), as in some browsers. */
class PlainStreamBlob extends Blob {
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const inner = super.stream().getReader();
    return new ReadableStream({ pull: async (controller) => {
      const { value, done } = await inner.read();
      if (done) controller.close();
      else controller.enqueue(value);
    } });
  }
}

for (const [kind, blob] of [['BYOB reader', new Blob([bytes])], ['slices', new PlainStreamBlob([bytes])]] as const) {
  test(`a Blob read through ${kind}: in order, then from offsets forward and back after seeks, to its end`, async () => {
    const stream = blobByteStream(blob, 'dropped.aiff');
    assert.equal(stream.seekable, true);
    assert.equal(stream.size, bytes.length);
    const read = async (length: number): Promise<Uint8Array> => {
      const target = new Uint8Array(length);
      return target.subarray(0, await stream.read(target, 0, length));
    };
    assert.deepEqual(await read(100_000), bytes.subarray(0, 100_000));
    stream.seek(250_001);
    assert.equal(stream.position, 250_001);
    assert.deepEqual(await read(70_000), bytes.subarray(250_001), 'up to the end');
    assert.equal((await stream.next(10)).byteLength, 0, 'nothing after the end');
    stream.seek(12);
    assert.deepEqual(await stream.next(5), bytes.subarray(12, 17));
    assert.deepEqual(await read(65_536 + 3), bytes.subarray(17, 17 + 65_536 + 3), 'across blocks');
    assert.equal(stream.position, 17 + 65_536 + 3);
    await stream.close();
  });
}
