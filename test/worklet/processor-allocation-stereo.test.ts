/**
 * The audio thread allocates nothing after construction, stereo input: the real AudioWorkletProcessor
 * with a stereo mix, every control moving every quantum, the input kind switching (each change of path
 * posts one preallocated report, which the structured clone allocates) and styles switching. In a file
 * of its own, so its process's JIT state owes nothing to the model tests' threads
 * (processor-allocation.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LatencyMode } from '../../src/dsp/frame-config.js';
import { createCueMeterBuffer } from '../../src/worklet/cue-meter-buffer.js';
import { allocatedBytes } from '../support/allocation.js';
import { RenderLoop, Upmixer } from './support/processor-harness.js';

for (const mode of ['live', 'quality'] as LatencyMode[]) {
  test(`processor, ${mode} mode, stereo input, spread and every control moving, input kind and style switching: nothing allocated but the rare path reports`, async () => {
    const processor = new Upmixer({ processorOptions: { mode, variation: 1, meterBuffer: createCueMeterBuffer(24), ceiling: true } });
    const loop = new RenderLoop(processor, true);
    const kinds = ['stereo', 'mono', 'auto'].map((input) => ({ data: { type: 'set-input', input } })); // made once
    // Styles for the fixed cues (as the port delivers them: the message's arrays are the only allocation, made here once).
    const styles = [
      { data: { type: 'set-style', iccs: new Float32Array(24).fill(0.3), ildsDb: new Float32Array(24).fill(6), hold: true } },
      { data: { type: 'set-style', iccs: new Float32Array(24).fill(0.9), ildsDb: new Float32Array(24).fill(1), hold: false } },
      { data: { type: 'clear-style' } },
    ];
    const deliver = processor.port.onmessage as (event: { data: unknown }) => void;
    let switches = 0;
    let styleChanges = 0;
    const run = (rounds: number): void => {
      for (let round = 0; round < rounds; round++) {
        loop.run(10);
        // A switch every 400 quanta: each change of path posts one (preallocated) report, which the
        // structured clone allocates; the glides between paths run in between.
        if (round % 40 === 0) deliver(kinds[switches++ % 3]);
        if (round % 10 === 5) deliver(styles[styleChanges++ % 3]);
      }
    };
    run(4000);
    const { bytes, where } = await allocatedBytes(() => run(4000));
    console.log(`${mode} mode, stereo input: ${bytes} bytes allocated over 40,000 quanta (${switches} input-kind changes, ${styleChanges} style changes)${bytes > 0 ? ` (${where})` : ''}`);
    assert.ok(bytes < 64 * 1024, `${bytes} bytes allocated over 40,000 quanta (${where})`);
    assert.ok(loop.finite, 'output finite');
  });
}

