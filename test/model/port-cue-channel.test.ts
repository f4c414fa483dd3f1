import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { FEATURE_COUNT } from '../../src/model/features.js';
import { PortCueChannel } from '../../src/model/port-cue-channel.js';
import type { ArrivedCues } from '../../src/model/cue-channel.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

test('PortCueChannel: features go out as one message per frame with their style stamp; arriving cues are filed in order; malformed ones are ignored', async () => {
  const { port1: audioSide, port2: workerSide } = new MessageChannel();
  // A failed assertion must not leave an open port keeping the test process alive.
  (audioSide as unknown as { unref(): void }).unref();
  (workerSide as unknown as { unref(): void }).unref();
  const channel = new PortCueChannel(audioSide);
  const features = new Float32Array(FEATURE_COUNT).fill(-2);
  channel.sendFeatures(2 ** 24 + 1, features, 9);
  // Node's MessagePort emits the message's data itself.
  const [data] = (await once(workerSide, 'message')) as [{ type: string; frameIndex: number; styleId: number; features: Float32Array }];
  assert.equal(data.type, 'features');
  assert.equal(data.frameIndex, 2 ** 24 + 1);
  assert.equal(data.styleId, 9);
  assert.deepEqual(Array.from(data.features), Array.from(features));

  const arrived: ArrivedCues = { frameIndex: -1, iccs: new Float32Array(FEATURE_COUNT), ildMagnitudesDb: new Float32Array(FEATURE_COUNT) };
  assert.equal(channel.receiveCues(arrived), false, 'nothing arrived yet');
  const cues = (frameIndex: number, icc: number) => ({ type: 'cues', frameIndex, iccs: new Float32Array(FEATURE_COUNT).fill(icc), ildMagnitudesDb: new Float32Array(FEATURE_COUNT).fill(1) });
  workerSide.postMessage(cues(7, 0.5));
  workerSide.postMessage({ type: 'cues', frameIndex: 'eight' });
  workerSide.postMessage({ type: 'cues', frameIndex: 8, iccs: [1, 2, 3] });
  workerSide.postMessage(cues(9, 0.75));
  await nextTurn();
  assert.ok(channel.receiveCues(arrived));
  assert.equal(arrived.frameIndex, 7);
  assert.equal(arrived.iccs[3], 0.5);
  assert.ok(channel.receiveCues(arrived));
  assert.equal(arrived.frameIndex, 9);
  assert.equal(arrived.iccs[3], 0.75);
  assert.equal(channel.receiveCues(arrived), false);
  channel.close();
  workerSide.close();
});

test('PortCueChannel: a burst beyond its slots drops the newest, never overwrites unread cues', async () => {
  const { port1: audioSide, port2: workerSide } = new MessageChannel();
  // A failed assertion must not leave an open port keeping the test process alive.
  (audioSide as unknown as { unref(): void }).unref();
  (workerSide as unknown as { unref(): void }).unref();
  const channel = new PortCueChannel(audioSide);
  for (let frame = 0; frame < 100; frame++) {
    workerSide.postMessage({ type: 'cues', frameIndex: frame, iccs: new Float32Array(FEATURE_COUNT).fill(frame / 100), ildMagnitudesDb: new Float32Array(FEATURE_COUNT) });
  }
  await nextTurn();
  const arrived: ArrivedCues = { frameIndex: -1, iccs: new Float32Array(FEATURE_COUNT), ildMagnitudesDb: new Float32Array(FEATURE_COUNT) };
  const frames: number[] = [];
  while (channel.receiveCues(arrived)) frames.push(arrived.frameIndex);
  assert.deepEqual(frames, Array.from({ length: 64 }, (_, i) => i));
  channel.close();
  workerSide.close();
});
