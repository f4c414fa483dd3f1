import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RENDER_QUANTUM } from '../../src/dsp/frame-config.js';
import { allocatedBytes } from '../support/allocation.js';
import { answeredModel } from '../support/answered-model.js';
import { pinkNoise } from '../support/signals.js';

test('audio thread with the model over shared rings allocates nothing per quantum (20,000 quanta, counted by the sampling heap profiler)', async () => {
  // The Worker's part, done here between quanta without allocating: each frame answered with fixed cues.
  const { cues, run } = answeredModel('quality', pinkNoise(RENDER_QUANTUM * 64, 4, 0.3), 1);
  run(20_000); // warm-up: every path compiled
  const { bytes, where } = await allocatedBytes(() => run(20_000));
  assert.ok(cues.stats.modelFrames > 9_000, JSON.stringify(cues.stats));
  assert.equal(cues.stats.lateFrames, 0);
  assert.ok(bytes < 32 * 1024, `${bytes} bytes allocated over 20,000 quanta (${where})`);
});
