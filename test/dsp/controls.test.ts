import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RENDER_QUANTUM } from '../../src/dsp/frame-config.js';
import { UpmixEngine } from '../../src/dsp/engine.js';
import { pinkNoise } from '../support/signals.js';

const SAMPLE_RATE = 48_000;

/** Largest sample-to-sample step of a channel between two indices. */
function largestStep(channel: Float32Array, from: number, to: number): number {
  let worst = 0;
  for (let i = Math.max(1, from); i < to; i++) worst = Math.max(worst, Math.abs(channel[i] - channel[i - 1]));
  return worst;
}

test('control changes are click-free: an abrupt width, mix, bypass or variation change never steps the output more than the steady signal does', () => {
  // A low tone: its own sample-to-sample steps are small, so a click would stand out.
  const length = 2 * SAMPLE_RATE;
  const tone = new Float32Array(length);
  for (let i = 0; i < length; i++) tone[i] = 0.5 * Math.sin((2 * Math.PI * 330 * i) / SAMPLE_RATE);
  const noise = pinkNoise(length, 5, 0.05);
  for (let i = 0; i < length; i++) tone[i] += noise[i];
  const engine = new UpmixEngine({ sampleRate: SAMPLE_RATE, mode: 'live', controls: { bassMonoHz: 0 } });
  const left = new Float32Array(length);
  const right = new Float32Array(length);
  const changes: [number, () => void][] = [
    [0.5, () => engine.setControl('width', 2)],
    [0.7, () => engine.setControl('mix', 0)],
    [0.9, () => engine.setControl('mix', 1)],
    [1.1, () => engine.setControl('bypass', 1)],
    [1.3, () => engine.setControl('bypass', 0)],
    [1.2, () => engine.setVariation(42)],
    [1.4, () => engine.setControl('width', 0)],
  ];
  for (let offset = 0; offset < length; offset += RENDER_QUANTUM) {
    for (const [time, change] of changes) if (offset === Math.floor((time * SAMPLE_RATE) / RENDER_QUANTUM) * RENDER_QUANTUM) change();
    const end = offset + RENDER_QUANTUM;
    engine.process(tone.subarray(offset, end), null, left.subarray(offset, end), right.subarray(offset, end));
  }
  const steady = Math.max(largestStep(left, 0.2 * SAMPLE_RATE, 0.5 * SAMPLE_RATE), largestStep(right, 0.2 * SAMPLE_RATE, 0.5 * SAMPLE_RATE));
  const during = Math.max(largestStep(left, 0.5 * SAMPLE_RATE, length), largestStep(right, 0.5 * SAMPLE_RATE, length));
  assert.ok(during < 1.5 * steady, `largest step during changes ${during.toFixed(4)} vs steady ${steady.toFixed(4)}`);
  // Width 0 glides to exactly mono.
  const tail = length - 1;
  assert.ok(Math.abs(left[tail] - right[tail]) < 1e-6, `width 0 gives L = R (${left[tail]} vs ${right[tail]})`);
});

test('controls are clamped to their ranges and unknown names are refused', () => {
  const engine = new UpmixEngine({ sampleRate: SAMPLE_RATE });
  engine.setControl('width', 9);
  assert.equal(engine.controls.width, 2);
  engine.setControl('mix', NaN);
  assert.equal(engine.controls.mix, 1);
  assert.throws(() => engine.setControl('gain', 1), /unknown control "gain": use one of width, bassMonoHz, mix, bypass/);
});
