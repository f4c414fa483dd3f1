import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCueMeterBuffer, CueMeterReader, CueMeterWriter, type CueReadable } from '../../src/worklet/cue-meter-buffer.js';

const scope = globalThis as { crossOriginIsolated?: boolean };
before(() => {
  scope.crossOriginIsolated = true; // Node has SharedArrayBuffer; the buffer is only made on isolated pages
});
after(() => {
  delete scope.crossOriginIsolated;
});

/** Cues that change with every publish. */
function source(): CueReadable & { publishes: number } {
  return {
    publishes: 0,
    readCues(iccs: Float32Array, ildsDb: Float32Array): void {
      this.publishes++;
      for (let b = 0; b < iccs.length; b++) {
        iccs[b] = (b + this.publishes) / 100;
        ildsDb[b] = -b - this.publishes;
      }
    },
  };
}

test('cue meter buffer: only on isolated pages', () => {
  delete scope.crossOriginIsolated;
  assert.equal(createCueMeterBuffer(24), null);
  scope.crossOriginIsolated = true;
  assert.ok(createCueMeterBuffer(24) instanceof SharedArrayBuffer);
});

test('cue meter buffer: the reader gets what the writer published, with a sequence that grows by 2 per write', () => {
  const buffer = createCueMeterBuffer(24)!;
  const writer = new CueMeterWriter(buffer);
  const reader = new CueMeterReader(buffer);
  assert.equal(writer.bandCount, 24);
  const iccs = new Float32Array(24);
  const ilds = new Float32Array(24);
  assert.equal(reader.read(iccs, ilds), 0, 'nothing written yet');
  const cues = source();
  writer.publish(cues);
  assert.equal(reader.read(iccs, ilds), 2);
  assert.equal(iccs[5], Math.fround(6 / 100));
  assert.equal(ilds[5], -6);
  writer.publish(cues);
  assert.equal(reader.read(iccs, ilds), 4);
  assert.equal(ilds[23], -25);
});

test('cue meter buffer: a read that overlaps a write is dropped (-1), never torn', () => {
  const buffer = createCueMeterBuffer(8)!;
  const reader = new CueMeterReader(buffer);
  const iccs = new Float32Array(8);
  const ilds = new Float32Array(8);
  // A writer caught half-way: the sequence is odd.
  new Int32Array(buffer, 0, 1)[0] = 3;
  assert.equal(reader.read(iccs, ilds), -1);
});
