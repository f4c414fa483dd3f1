/**
 * Counts V8's garbage collections while a synchronous piece of code runs (PerformanceObserver 'gc'
 * entries): the audio thread's budget allows none in steady state.
 */
import { CONTROL_SPECS } from '../../src/dsp/controls.js';
import { UpmixEngine } from '../../src/dsp/engine.js';
import { RENDER_QUANTUM, type LatencyMode } from '../../src/dsp/frame-config.js';
import { pinkNoise } from './signals.js';
import { PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Garbage collections (scavenges and full collections) during `run`. A full collection runs first, so
 * that none that earlier allocation began (warm-up, module loading) finishes inside `run`.
 */
export async function countGarbageCollections(run: () => void): Promise<number> {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  let collections = 0;
  const observer = new PerformanceObserver((list) => {
    collections += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  run();
  // GC entries are delivered asynchronously: give the observer a turn before reading the count.
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  return collections;
}

/**
 * Garbage collections during `quanta` steady-state quanta of an engine at 48 kHz (output limiter on),
 * with a control moving every quantum and the variation every 1,000 quanta.
 */
export async function engineGarbageCollections(mode: LatencyMode, quanta: number): Promise<number> {
  const engine = new UpmixEngine({ sampleRate: 48_000, mode, ceiling: true });
  const input = pinkNoise(RENDER_QUANTUM * 1024, 4);
  const outL = new Float32Array(RENDER_QUANTUM);
  const outR = new Float32Array(RENDER_QUANTUM);
  const blocks: Float32Array[] = [];
  for (let b = 0; b < 1024; b++) blocks.push(input.subarray(b * RENDER_QUANTUM, (b + 1) * RENDER_QUANTUM));
  const value = new Float32Array(1);
  const run = (count: number, variationEvery: number): void => {
    for (let q = 0; q < count; q++) {
      const index = q % CONTROL_SPECS.length;
      const spec = CONTROL_SPECS[index];
      value[0] = spec.min + ((q % 97) / 96) * (spec.max - spec.min);
      engine.setControlFrom(index, value);
      if (q % variationEvery === 0) engine.setVariation(1 + (q % 7));
      engine.process(blocks[q % blocks.length], null, outL, outR);
    }
  };
  // Warm-up changes the variation often, so that V8 optimises setVariation as it would after a session's
  // first changes (unoptimised code boxes doubles: a first change allocates about 2 kB).
  run(5_000, 10);
  return countGarbageCollections(() => run(quanta, 1_000));
}
