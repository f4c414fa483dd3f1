/**
 * ChunkReader: chunks of whole render quanta, the input then zeros until the latency is flushed out; any
 * number may be read ahead (as the CLI does while its model thread loads), each keeping its samples until
 * released, and released buffers are reused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkReader, type InputChunk } from '../../src/cli/chunk-reader.js';
import { RENDER_QUANTUM } from '../../src/dsp/frame-config.js';

const CHUNK_FRAMES = 2 * RENDER_QUANTUM;

/** A two-channel source of `frames` samples: sample i is i on the left and -i on the right. */
function rampReader(frames: number, latency: number): ChunkReader {
  let position = 0;
  const read = async (channels: Float32Array[], maxFrames: number): Promise<number> => {
    const count = Math.min(maxFrames, frames - position);
    for (let i = 0; i < count; i++) {
      channels[0][i] = position + i;
      channels[1][i] = 0 - (position + i);
    }
    position += count;
    return count;
  };
  return new ChunkReader({ channelCount: 2, fractionDone: () => position / frames }, read, CHUNK_FRAMES, latency);
}

test('ChunkReader: every chunk read ahead keeps its own samples until released; the input, then zeros until the latency is out', async () => {
  const frames = 10 * CHUNK_FRAMES + 77;
  const latency = 300;
  const reader = rampReader(frames, latency);
  const chunks: InputChunk[] = [];
  for (let chunk = await reader.next(); chunk; chunk = await reader.next()) chunks.push(chunk);
  // Nothing released: every chunk still holds what was read into it.
  let at = 0;
  for (const chunk of chunks) {
    assert.equal(chunk.channels[0].length, chunk.quanta * RENDER_QUANTUM);
    for (let i = 0; i < chunk.channels[0].length; i++, at++) {
      const expected = at < frames ? at : 0;
      assert.equal(chunk.channels[0][i], expected, `left sample ${at}`);
      assert.equal(chunk.channels[1][i], 0 - expected, `right sample ${at}`);
    }
  }
  assert.equal(reader.total, frames);
  assert.ok(at - latency >= frames && at - latency < frames + RENDER_QUANTUM, `${at} samples for ${frames} and a latency of ${latency}`);
  assert.equal(new Set(chunks.map((chunk) => chunk.channels[0].buffer)).size, chunks.length, 'distinct buffers');
});

test('ChunkReader: a released chunk\'s buffers are reused by the next chunk, and only then', async () => {
  const reader = rampReader(8 * CHUNK_FRAMES, 0);
  const first = (await reader.next())!;
  const second = (await reader.next())!;
  assert.notEqual(second.channels[0].buffer, first.channels[0].buffer);
  reader.release(first);
  reader.release(first); // twice: no effect
  const third = (await reader.next())!;
  assert.equal(third.channels[0].buffer, first.channels[0].buffer, 'reused');
  assert.equal(third.channels[0][0], 2 * CHUNK_FRAMES);
  const fourth = (await reader.next())!;
  assert.ok(![first, second, third].some((chunk) => chunk.channels[0].buffer === fourth.channels[0].buffer), 'a new one: none was free');
  assert.equal(second.channels[0][0], CHUNK_FRAMES, 'an unreleased chunk keeps its samples');
});
