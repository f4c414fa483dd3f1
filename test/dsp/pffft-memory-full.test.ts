/**
 * PFFFT's memory (one per realm, shared by every engine in it) grows to 2 GiB at most. When it is full,
 * engines still build, on fft.js and plain arrays (as where PFFFT does not run), and the engines already
 * there keep giving their samples. (The memory is filled with one untouched block, so the test is quick.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UpmixEngine } from '../../src/dsp/engine.js';
import { RENDER_QUANTUM } from '../../src/dsp/frame-config.js';
import { pffft } from '../../src/dsp/pffft.js';
import { RealFft } from '../../src/dsp/real-fft.js';
import { createRealFft, WasmRealFft } from '../../src/dsp/wasm-fft.js';
import { pinkNoise } from '../support/signals.js';

const QUANTA = 60;
const input = pinkNoise(QUANTA * RENDER_QUANTUM, 5, 0.4);

function render(engine: UpmixEngine): Float32Array {
  const output = new Float32Array(2 * input.length);
  const left = new Float32Array(RENDER_QUANTUM);
  const right = new Float32Array(RENDER_QUANTUM);
  for (let q = 0; q < QUANTA; q++) {
    engine.process(input.subarray(q * RENDER_QUANTUM, (q + 1) * RENDER_QUANTUM), null, left, right);
    output.set(left, 2 * q * RENDER_QUANTUM);
    output.set(right, (2 * q + 1) * RENDER_QUANTUM);
  }
  return output;
}

test("with PFFFT's memory full, allocations fail cleanly, new engines build on fft.js and the others keep their samples", (t) => {
  const module = pffft();
  if (module === null) {
    t.skip('no WebAssembly SIMD here');
    return;
  }
  const reference = render(new UpmixEngine({ sampleRate: 48_000, mode: 'quality' }));
  const earlier = new UpmixEngine({ sampleRate: 48_000, mode: 'quality' });
  // The 2 GiB filled: one big block, then blocks of 256 kB until there is no room (past the end malloc
  // says 0; it used to trap: a request past 2 GiB read as met made it write beyond the memory), then
  // 2 MB given back.
  const blocks = [module.alignedMalloc(2 ** 31 - module.memory.buffer.byteLength - 2 ** 24)];
  assert.notEqual(blocks[0], 0);
  for (let block = module.alignedMalloc(2 ** 18); block !== 0; block = module.alignedMalloc(2 ** 18)) blocks.push(block);
  for (let i = 0; i < 8; i++) module.alignedFree(blocks.pop()!);
  try {
    const engines: UpmixEngine[] = [];
    for (let i = 0; i < 8; i++) engines.push(new UpmixEngine({ sampleRate: 48_000, mode: 'quality' }));
    assert.ok(createRealFft(1024) instanceof RealFft, 'no room left: fft.js');
    for (const engine of engines) {
      const output = render(engine);
      assert.ok(output.every(Number.isFinite));
      // fft.js (float64) where PFFFT (float32) ran: the same upmix within float32 round-off.
      let worst = 0;
      for (let i = 0; i < output.length; i++) worst = Math.max(worst, Math.abs(output[i] - reference[i]));
      assert.ok(worst < 1e-3, `largest difference from PFFFT's samples ${worst}`);
    }
    assert.deepEqual(render(earlier), reference);
  } finally {
    for (const block of blocks) module.alignedFree(block);
  }
  assert.ok(createRealFft(1024) instanceof WasmRealFft, 'room again: PFFFT');
});
