import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RENDER_QUANTUM } from '../../src/dsp/frame-config.js';
import { SideDucker } from '../../src/dsp/side-ducker.js';

const SAMPLE_RATE = 48_000;
const LATENCY = 1920;
const LOOKAHEAD = 512;

/** Pushes onset gains (1 except `dip` at `at`) quantum by quantum and reads the side gains. */
function duck(length: number, at: number, dip: number): Float64Array {
  const ducker = new SideDucker(SAMPLE_RATE, LATENCY, LOOKAHEAD);
  const onsets = new Float64Array(RENDER_QUANTUM);
  const block = new Float64Array(RENDER_QUANTUM);
  const out = new Float64Array(length);
  for (let start = 0; start < length; start += RENDER_QUANTUM) {
    for (let i = 0; i < RENDER_QUANTUM; i++) onsets[i] = start + i === at ? dip : 1;
    ducker.push(onsets, RENDER_QUANTUM);
    ducker.read(block, RENDER_QUANTUM);
    out.set(block, start);
  }
  return out;
}

test('SideDucker: without onsets the side passes at gain 1', () => {
  const gains = duck(8192, -1, 1);
  assert.ok(gains.every((gain) => gain === 1));
});

test('SideDucker: an onset ducks the side from `lookahead` before it (in output time) and releases after', () => {
  const onset = 4096;
  const gains = duck(16_384, onset, 0.1);
  const outputTime = onset + LATENCY; // where the onset's own audio leaves the engine
  assert.equal(gains[outputTime - LOOKAHEAD - 64], 1, 'untouched well before the look-ahead');
  assert.ok(gains[outputTime - LOOKAHEAD + 64] < 0.2, `down before the onset: ${gains[outputTime - LOOKAHEAD + 64]}`);
  assert.ok(gains[outputTime] < 0.2, `down at the onset: ${gains[outputTime]}`);
  assert.ok(gains[outputTime + LOOKAHEAD - 64] < 0.2, 'held after it');
  assert.ok(gains[16_383] > 0.99, `released 30 ms later: ${gains[16_383]}`);
  for (let i = 1; i < gains.length; i++) assert.ok(Math.abs(gains[i] - gains[i - 1]) < 0.1, `no jump at ${i}`);
});

test('SideDucker: after an onset the gain comes back to exactly 1 (the smoothing does not stop a rounding step short)', () => {
  // The smoothing's last steps add a few percent of 2^-53 to 1 - 2^-53, which rounds back to itself:
  // without taking the target once within 1e-15, the gain stayed at 1 - 2^-53 or so for ever.
  const gains = duck(48_000, 4096, 0.1);
  const last = gains[gains.length - 1];
  assert.equal(last, 1, `gain ${last} (1 - ${1 - last}) 0.9 s after the onset`);
});
