/**
 * `npm run bench`: every performance figure the project quotes, each as a ratio to a baseline timed in
 * the same run. Prints one table per measurement.
 */
import { spawnSync } from 'node:child_process';
import { measureRenderSpeed, type RenderTime } from './browser-render.js';
import { BATCH_FILES, measureBatch } from './cli-batch.js';
import { printCliSpeed } from './cli-speed.js';
import { printEngineCost } from './engine-cost.js';
import { measureFastStart, PLAY_DELAYS_MS } from './fast-start.js';
import { CONTROL_SPECS } from '../src/dsp/controls.js';
import { engineGarbageCollections } from '../test/support/gc-count.js';
import { printModelInference } from './model-inference.js';

const BUDGET_US = (128 / 48_000) * 1e6;

// First, in a fresh process: the engine's code has seen one kind of engine only, as in the test
// (test/dsp/garbage-collection.test.ts); the cost rows below run eight kinds.
for (const mode of ['live', 'quality'] as const) {
  console.log(`Garbage collections during 100,000 steady-state quanta (${mode}, 48 kHz, a control moving every quantum, the variation every 1,000): ${await engineGarbageCollections(mode, 100_000)}`);
}
console.log('');
printEngineCost();
console.log('');
const render = await measureRenderSpeed();
// Per 128-sample quantum (and node): the render thread's CPU time where it can be read (Linux), else the wall clock.
const perQuantumUs = (time: RenderTime, seconds: number, nodes = 1): number => (1e6 * (time.cpu ?? time.wall)) / (nodes * ((seconds * 48_000) / 128));
const wallClock = (time: RenderTime, seconds: number): string => `${time.wall.toFixed(2)} s, ${(seconds / time.wall).toFixed(seconds / time.wall < 10 ? 1 : 0)}x real time`;
const cpuKnown = render.results.copy.cpu !== null;
console.log(
  `Chromium OfflineAudioContext render of ${render.seconds} s of noise at 48 kHz, fixed profile, fastest of ${render.rounds} renders: ` +
    `${cpuKnown ? "CPU time of Chromium's render thread" : 'wall-clock time (the render thread\'s CPU time cannot be read here)'} per 128-sample quantum ` +
    `(the whole render's wall clock in brackets); target: at most 4x the copy-only worklet:`,
);
const copy = render.results.copy;
for (const mode of ['live', 'quality']) {
  const upmix = render.results[mode];
  const ratio = (time: (t: RenderTime) => number): string => (time(upmix) / time(copy)).toFixed(1);
  console.log(
    `${mode.padEnd(8)} upmixer ${perQuantumUs(upmix, render.seconds).toFixed(1)} us (${wallClock(upmix, render.seconds)})   ` +
      `copy-only worklet ${perQuantumUs(copy, render.seconds).toFixed(1)} us (${wallClock(copy, render.seconds)})   ` +
      `ratio ${ratio((t) => t.cpu ?? t.wall)}x${cpuKnown ? ` (wall clock ${ratio((t) => t.wall)}x)` : ''}`,
  );
}
const withParams = render.results['copy-with-params'];
console.log(
  `copy-only worklet with the upmixer's ${CONTROL_SPECS.length} k-rate AudioParams: ${perQuantumUs(withParams, render.seconds).toFixed(1)} us (${wallClock(withParams, render.seconds)}), ` +
    `${(perQuantumUs(withParams, render.seconds) / perQuantumUs(copy, render.seconds)).toFixed(1)}x the copy-only worklet: Chromium's own work for the parameters (bench/worklet-cost.ts breaks the upmixer's time down)`,
);
const many = render.results['many-quality'];
const manyCopy = render.results['many-copy'];
const manyUs = perQuantumUs(many, render.manySeconds, render.instances);
console.log(
  `${render.instances} instances side by side in one OfflineAudioContext (quality), ${render.manySeconds} s: ${manyUs.toFixed(1)} us per instance and quantum (${wallClock(many, render.manySeconds)}` +
    `${many.cpu === null ? '' : `; by CPU time ${(render.manySeconds / many.cpu).toFixed(1)}x`}); ${render.instances} copy-only worklets ${perQuantumUs(manyCopy, render.manySeconds, render.instances).toFixed(1)} us ` +
    `(${wallClock(manyCopy, render.manySeconds)}), ratio ${((many.cpu ?? many.wall) / (manyCopy.cpu ?? manyCopy.wall)).toFixed(1)}x; ` +
    `instances a real-time render thread would run at 70 % busy at that cost: ${Math.floor((0.7 * BUDGET_US) / manyUs)}`,
);

console.log('');
await printCliSpeed();

console.log('');
await printModelInference();

console.log('');
const starts = await measureFastStart();
console.log(
  `Demo page, from the click on Play to the model's cues in use (target: within 1 s): ` +
    PLAY_DELAYS_MS.map((delay, i) => `${starts[i]} ms with Play ${delay === 0 ? 'clicked at page load' : `clicked ${delay / 1000} s after page load`}`).join('; '),
);

console.log('');
console.log(`Command-line batch: a folder of ${BATCH_FILES} one-minute files in mixed formats, with the model (the CLI's summary line):`);
const batch = await measureBatch();
for (const run of batch) console.log(`--jobs ${run.jobs}: ${run.seconds.toFixed(1)} s wall; ${run.summary}`);
console.log(`--jobs 2 / --jobs 1 wall time: ${(batch[1].seconds / batch[0].seconds).toFixed(2)}`);

console.log('');
console.log('Memory of a reference analysis (each in a process of its own: the peak resident memory is per process):');
for (const script of ['bench/reference-memory.ts', 'bench/cli-reference-memory.ts', 'bench/reference-drop-memory.ts']) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
  console.log(run.status === 0 ? run.stdout.trimEnd() : `${script} failed: ${run.stderr}`);
}

