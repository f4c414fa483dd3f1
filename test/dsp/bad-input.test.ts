import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LatencyMode } from '../../src/dsp/frame-config.js';
import { renderEngine } from '../support/render.js';
import { whiteNoise } from '../support/signals.js';

const SAMPLE_RATE = 44_100;
const BAD_START = 4096;
const BAD_LENGTH = 2000;
const LENGTH = SAMPLE_RATE;

const badValues: Record<string, number[]> = {
  NaN: [NaN],
  Infinity: [Infinity, -Infinity],
  '1e30': [1e30, -1e30],
  'mixed NaN/Inf/1e30/1e-40': [NaN, 1e30, -Infinity, 1e-40, 0.5],
};

function assertFinite(channel: Float32Array, what: string): void {
  for (let i = 0; i < channel.length; i++) assert.ok(Number.isFinite(channel[i]), `${what}: sample ${i} is ${channel[i]}`);
}

for (const mode of ['live', 'quality'] as LatencyMode[]) {
  for (const [name, values] of Object.entries(badValues)) {
    test(`bad input (${mode}, ${name}): output stays finite and matches the clean render one frame after the bad samples stop`, () => {
      // The clean render has silence where the dirty one has corrupt samples, and the same valid ones.
      const clean = whiteNoise(LENGTH, 4);
      const dirty = Float32Array.from(clean);
      for (let i = BAD_START; i < BAD_START + BAD_LENGTH; i++) {
        const value = values[i % values.length];
        dirty[i] = value;
        clean[i] = Number.isFinite(value) && Math.abs(value) < 1e3 ? value : 0;
      }
      const reference = renderEngine(clean, { sampleRate: SAMPLE_RATE, mode });
      const tested = renderEngine(dirty, { sampleRate: SAMPLE_RATE, mode });
      assertFinite(tested.left, 'left');
      assertFinite(tested.right, 'right');
      const recovered = BAD_START + BAD_LENGTH + tested.engine.latency + tested.engine.config.frameSize;
      let worst = 0;
      for (let i = recovered; i < LENGTH; i++) {
        worst = Math.max(worst, Math.abs(tested.left[i] - reference.left[i]), Math.abs(tested.right[i] - reference.right[i]));
      }
      assert.ok(worst < 1e-6, `after recovery the output differs from the clean render by ${worst}`);
    });
  }

  test(`bad input (${mode}): silence gives exact silence, DC and denormals give finite output`, () => {
    const silence = renderEngine(new Float32Array(LENGTH), { sampleRate: SAMPLE_RATE, mode });
    assert.ok(silence.left.every((x) => x === 0) && silence.right.every((x) => x === 0), 'silence in, silence out');
    const dc = renderEngine(new Float32Array(LENGTH).fill(0.9), { sampleRate: SAMPLE_RATE, mode });
    assertFinite(dc.left, 'DC left');
    assertFinite(dc.right, 'DC right');
    const latency = dc.engine.latency;
    for (let i = latency + 1; i < LENGTH; i++) assert.ok(Math.abs(0.5 * (dc.left[i] + dc.right[i]) - 0.9) < 1e-5, `DC mono sum at ${i}`);
    const tiny = renderEngine(new Float32Array(LENGTH).fill(1e-42), { sampleRate: SAMPLE_RATE, mode });
    assertFinite(tiny.left, 'denormal left');
    assertFinite(tiny.right, 'denormal right');
  });
}
