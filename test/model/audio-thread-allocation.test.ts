import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UpmixEngine } from '../../src/dsp/engine.js';
import { RENDER_QUANTUM } from '../../src/dsp/frame-config.js';
import { FEATURE_COUNT } from '../../src/model/features.js';
import { ModelCueSource } from '../../src/model/model-cue-source.js';
import { createSharedCueBuffers, FEATURE_RECORD, readRecordFrame, SharedCueChannel, SharedCueEndpoint } from '../../src/model/shared-cue-channel.js';
import { allocatedBytes } from '../support/allocation.js';
import { pinkNoise } from '../support/signals.js';

test('audio thread with the model over shared rings allocates nothing per quantum (20,000 quanta, counted by the sampling heap profiler)', async () => {
  const buffers = createSharedCueBuffers();
  const channel = new SharedCueChannel(buffers);
  const endpoint = new SharedCueEndpoint(buffers);
  const cues = new ModelCueSource(channel);
  const engine = new UpmixEngine({ sampleRate: 48_000, mode: 'quality', cueSource: cues });
  const noise = pinkNoise(RENDER_QUANTUM * 64, 4, 0.3);
  const blocks = Array.from({ length: 64 }, (_, i) => noise.slice(i * RENDER_QUANTUM, (i + 1) * RENDER_QUANTUM));
  const left = new Float32Array(RENDER_QUANTUM);
  const right = new Float32Array(RENDER_QUANTUM);
  // The Worker's part, done here between quanta without allocating: answer each frame with fixed cues.
  const record = new Float32Array(FEATURE_RECORD);
  const iccs = new Float32Array(FEATURE_COUNT).fill(0.4);
  const ilds = new Float32Array(FEATURE_COUNT).fill(3);
  const run = (quanta: number): void => {
    for (let q = 0; q < quanta; q++) {
      engine.process(blocks[q % 64], null, left, right);
      while (endpoint.readFeatures(record)) {
        const frame = readRecordFrame(record);
        if (frame >= 1) endpoint.writeCues(frame - 1, iccs, ilds);
      }
    }
  };
  run(20_000); // warm-up: every path compiled
  const { bytes, where } = await allocatedBytes(() => run(20_000));
  assert.ok(cues.stats.modelFrames > 9_000, JSON.stringify(cues.stats));
  assert.equal(cues.stats.lateFrames, 0);
  assert.ok(bytes < 32 * 1024, `${bytes} bytes allocated over 20,000 quanta (${where})`);
});
