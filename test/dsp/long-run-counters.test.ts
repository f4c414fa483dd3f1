/**
 * Counters the audio thread keeps stay in V8's small-integer range for days of audio. A number field that
 * leaves it (2^30 in Chrome, 2^31 in Node) becomes a heap number: the first store past the limit
 * deoptimises `engine.process` once, and the deoptimisation and recompilation allocate on the audio thread
 * (13-15 kB, with a 1.4 ms quantum, measured in Node). A count of samples gets there in 6.2 hours at 48 kHz
 * in Chrome (1.55 hours at 192 kHz).
 *
 * Two checks: every number field reachable from a running engine (with a model cue source and its
 * channel, bad input counted) grows by at most a few per quantum, so none counts samples (a generic
 * walk: a counter added later is checked too); and the bad-input count, injected just below each limit,
 * is exact across it with nothing allocated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RENDER_QUANTUM, type LatencyMode } from '../../src/dsp/frame-config.js';
import { allocatedBytes } from '../support/allocation.js';
import { answeredModel, type AnsweredModel } from '../support/answered-model.js';
import { pinkNoise } from '../support/signals.js';

/** Quanta in a day at 192 kHz, the highest rate: a field must not reach 2^30 within it. */
const QUANTA_PER_DAY = (86_400 * 192_000) / RENDER_QUANTUM;
/** The most a counter may grow per quantum: 8.3 (a count of hops grows by at most 1; of samples, by 128). */
const MAX_GROWTH_PER_QUANTUM = 2 ** 30 / QUANTA_PER_DAY;

/** Live or quality mode with the model on (answered in this thread) and every other input sample NaN. */
function modelRig(mode: LatencyMode): AnsweredModel {
  const noise = pinkNoise(RENDER_QUANTUM * 64, 4, 0.3);
  for (let i = 0; i < noise.length; i += 2) noise[i] = Number.NaN;
  return answeredModel(mode, noise);
}

/** Every finite number reachable through plain objects' own properties (typed arrays hold no heap numbers), by path. */
function numberFields(root: object): Map<string, number> {
  const found = new Map<string, number>();
  const visited = new Set<object>();
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'number') {
      if (Number.isFinite(value)) found.set(path, value);
      return;
    }
    if (typeof value !== 'object' || value === null || visited.has(value) || ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) return;
    visited.add(value);
    for (const key of Object.keys(value)) walk((value as Record<string, unknown>)[key], `${path}.${key}`);
  };
  walk(root, 'engine');
  return found;
}

for (const mode of ['live', 'quality'] as LatencyMode[]) {
  test(`${mode} mode with the model and bad input: no number field grows by more than ${MAX_GROWTH_PER_QUANTUM.toFixed(1)} per quantum (none reaches 2^30 within a day at 192 kHz)`, () => {
    const { engine, cues, run } = modelRig(mode);
    const quanta = 2000;
    run(quanta);
    const first = numberFields(engine);
    run(quanta);
    const second = numberFields(engine);
    run(quanta);
    const third = numberFields(engine);
    // A counter grows in both windows; an index into a ring (which may jump back when it wraps) does not.
    const growing: string[] = [];
    for (const [path, value] of third) {
      const middle = second.get(path) ?? 0;
      const growths = [(middle - (first.get(path) ?? 0)) / quanta, (value - middle) / quanta];
      if (growths.every((growth) => growth > MAX_GROWTH_PER_QUANTUM)) growing.push(`${path} (${growths[1].toFixed(1)} per quantum)`);
    }
    assert.deepEqual(growing, []);
    // The walk saw what it is meant to check: the cue source's counters, with the model on and bad input.
    assert.ok([...third.keys()].some((path) => path.startsWith('engine.cueSource.stats.')), 'the walk reached the cue source');
    assert.ok(cues.stats.modelFrames > 0, "the model's cues were used");
    assert.equal(engine.badInputSamples, 3 * quanta * (RENDER_QUANTUM / 2), 'every other input sample counted as bad');
  });
}

test('the bad-input count is exact across 2^30 and 2^31, with nothing allocated there (live mode, the model on)', async () => {
  const { engine, run } = modelRig('live');
  const perQuantum = RENDER_QUANTUM / 2;
  // The count's private parts (engine.ts): whole units of 1,024 samples and the rest, stored as small
  // integers (`| 0`: a heap number stored in a field V8 keeps small integers in changes the field's
  // representation, which would deoptimise the engine for a reason of the test's own).
  const count = engine as unknown as { badInputUnits: number; badInputRest: number };
  // The function measured, warmed up itself: a fresh closure per measurement would be compiled (and
  // replaced on the stack while its 2,000 quanta run) inside the measured window.
  const window = (): void => run(2000);
  for (const limit of [2 ** 30, 2 ** 31]) {
    // Warm-up before each measurement: every path compiled and optimised (unoptimised code boxes numbers),
    // again after the last measurement (the heap profiler's sampling leaves the next run to tier up anew).
    for (let k = 0; k < 10; k++) window();
    // 1,000 quanta before the limit: the crossing comes in the middle of the 2,000 measured.
    const start = limit - 1000 * perQuantum - 7;
    count.badInputUnits = Math.floor(start / 1024) | 0;
    count.badInputRest = start % 1024 | 0;
    const { bytes, where } = await allocatedBytes(window);
    console.log(`bad-input count across ${limit}: ${bytes} bytes allocated over 2,000 quanta${bytes > 0 ? ` (${where})` : ''}`);
    assert.equal(engine.badInputSamples, start + 2000 * perQuantum);
    // The test runner's own promise bookkeeping leaves 1.4-2.4 kB in such a window. A number field that
    // crosses: 2.3-2.7 MB (engine.process deoptimised, boxing numbers until it is optimised again).
    assert.ok(bytes < 8 * 1024, `${bytes} bytes allocated (${where})`);
  }
});
