import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UpmixEngine } from '../../src/dsp/engine.js';
import { RENDER_QUANTUM } from '../../src/dsp/frame-config.js';

/**
 * engine.process takes exactly one render quantum. Before the check, 512-sample arrays had only their
 * first 128 samples written (the rest of the output left as it was) and shorter ones were read past
 * their end (undefined, counted as bad input).
 */
const quantum = (length = RENDER_QUANTUM): Float32Array => new Float32Array(length).fill(0.1);

test('engine.process: arrays of other than 128 samples throw a RangeError that names the lengths; 128 (and a null right input) pass', () => {
  const engine = new UpmixEngine({ sampleRate: 48_000 });
  const wrong: [string, () => void][] = [
    ['512-sample arrays', () => engine.process(quantum(512), null, quantum(512), quantum(512))],
    ['a 64-sample input', () => engine.process(quantum(64), null, quantum(), quantum())],
    ['a 64-sample right input', () => engine.process(quantum(), quantum(64), quantum(), quantum())],
    ['a 256-sample left output', () => engine.process(quantum(), null, quantum(256), quantum())],
    ['an empty right output', () => engine.process(quantum(), null, quantum(), quantum(0))],
  ];
  for (const [what, call] of wrong) {
    assert.throws(call, (error: unknown) => error instanceof RangeError && /exactly 128 samples/.test(error.message), what);
  }
  assert.throws(() => engine.process(quantum(512), null, quantum(512), quantum(512)), /got inputLeft 512, inputRight null, outputLeft 512, outputRight 512/);
  const left = quantum();
  const right = quantum();
  engine.process(quantum(), null, left, right);
  engine.process(quantum(), quantum(), left, right);
  assert.equal(engine.badInputSamples, 0);
});
