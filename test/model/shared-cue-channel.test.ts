import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FEATURE_COUNT } from '../../src/model/features.js';
import { createSharedCueBuffers, FEATURE_RECORD, FEATURES_AT, readRecordFrame, SharedCueChannel, SharedCueEndpoint, STYLE_ID_AT, writeRecordFrame } from '../../src/model/shared-cue-channel.js';
import { MAX_STYLE_ID } from '../../src/model/style-history.js';
import type { ArrivedCues } from '../../src/model/cue-channel.js';

test('shared records: frame indices above 2^24 (about 50 hours of frames) round-trip exactly', () => {
  const record = new Float32Array(4);
  for (const frame of [0, 1, 2 ** 16 - 1, 2 ** 16, 2 ** 24 - 1, 2 ** 24, 2 ** 24 + 1, 2 ** 24 + 3, 2 ** 31 + 5, 2 ** 32 - 1]) {
    writeRecordFrame(record, frame);
    assert.equal(readRecordFrame(record), frame);
  }
  // What a single float32 would have done: 2^24 + 1 collides with 2^24.
  assert.equal(Math.fround(2 ** 24 + 1), 2 ** 24);
});

test('shared rings: features and cues of frames past 2^24 travel with their own indices, features with their style stamps (up to the largest id)', () => {
  const buffers = createSharedCueBuffers();
  const channel = new SharedCueChannel(buffers);
  const endpoint = new SharedCueEndpoint(buffers);
  const features = new Float32Array(FEATURE_COUNT).fill(-3);
  const record = new Float32Array(FEATURE_RECORD);
  const arrived: ArrivedCues = { frameIndex: -1, iccs: new Float32Array(FEATURE_COUNT), ildMagnitudesDb: new Float32Array(FEATURE_COUNT) };
  const iccs = new Float32Array(FEATURE_COUNT).fill(0.25);
  const ilds = new Float32Array(FEATURE_COUNT).fill(4);
  for (let frame = 2 ** 24 - 2; frame < 2 ** 24 + 3; frame++) {
    const styleId = frame % 2 === 0 ? MAX_STYLE_ID : frame % 5;
    channel.sendFeatures(frame, features, styleId);
    assert.ok(endpoint.readFeatures(record));
    assert.equal(readRecordFrame(record), frame);
    assert.equal(record[STYLE_ID_AT], styleId);
    assert.equal(record[FEATURES_AT], -3);
    endpoint.writeCues(frame, iccs, ilds);
    assert.ok(channel.receiveCues(arrived));
    assert.equal(arrived.frameIndex, frame);
    assert.equal(arrived.iccs[0], 0.25);
    assert.equal(arrived.ildMagnitudesDb[FEATURE_COUNT - 1], 4);
  }
});

test('shared rings, offline: the first wait that times out gives up for the rest of the render (degraded)', () => {
  const buffers = createSharedCueBuffers();
  const channel = new SharedCueChannel(buffers, 30);
  assert.equal(channel.degraded, false);
  // The wait spins on Date.now: a clock that moves 1 ms per read tells how long it waited and whether it
  // spun at all, whatever the machine's load (a wall-clock bound, 1000 calls within 25 ms, fails whenever
  // the process is not scheduled for 25 ms).
  const realNow = Date.now;
  let clock = realNow();
  let clockReads = 0;
  Date.now = () => {
    clockReads++;
    return clock++;
  };
  try {
    assert.equal(channel.waitForCues(), false);
    assert.ok(clockReads >= 30, `the first wait waited its 30 ms (${clockReads} clock reads)`);
    assert.equal(channel.degraded, true);
    clockReads = 0;
    for (let i = 0; i < 1000; i++) assert.equal(channel.waitForCues(), false);
    assert.equal(clockReads, 0, 'later waits return at once (no spin)');
    assert.equal(new SharedCueChannel(buffers, 0).waitForCues(), false, 'real time never waits');
    assert.equal(clockReads, 0, 'real time never spins');
  } finally {
    Date.now = realNow;
  }
});
