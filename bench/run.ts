/**
 * `npm run bench`: every performance figure the project quotes, each as a ratio to a baseline timed in
 * the same run. Prints one table per measurement.
 */
import { measureRenderSpeed } from './browser-render.js';
import { BATCH_FILES, measureBatch } from './cli-batch.js';
import { printCliSpeed } from './cli-speed.js';
import { measureEngineCost, YARDSTICK_SIZE } from './engine-cost.js';
import { measureFastStart, PLAY_DELAYS_MS } from './fast-start.js';
import { engineGarbageCollections } from '../test/support/gc-count.js';
import { measureModelInference } from './model-inference.js';

const BUDGET_US = (128 / 48_000) * 1e6;

// First, in a fresh process: the engine's code has seen one kind of engine only, as in the test
// (test/dsp/garbage-collection.test.ts); the cost rows below run eight kinds.
for (const mode of ['live', 'quality'] as const) {
  console.log(`Garbage collections during 100,000 steady-state quanta (${mode}, 48 kHz, a control moving every quantum, the variation every 1,000): ${await engineGarbageCollections(mode, 100_000)}`);
}
console.log('');
console.log('Engine cost per 128-sample quantum (Node, pink noise; fastest of 40 rounds of 1,024 quanta, each round followed by 1,024 yardstick FFTs):');
console.log(`yardstick: one ${YARDSTICK_SIZE}-point real FFT of fft.js (realTransform); target: at most 2.0 per quantum at 48 kHz`);
console.log('mode     cues    rate    mean us   p99 us   yardstick us   yardsticks per quantum   % of 48 kHz budget');
for (const row of measureEngineCost()) {
  console.log(
    `${row.mode.padEnd(8)} ${row.cues.padEnd(7)} ${String(row.sampleRate).padEnd(7)} ${row.meanUs.toFixed(2).padStart(7)} ${row.p99Us.toFixed(2).padStart(8)} ${row.yardstickUs.toFixed(2).padStart(14)} ${(row.meanUs / row.yardstickUs).toFixed(2).padStart(24)} ${((100 * row.meanUs) / BUDGET_US).toFixed(2).padStart(19)}%`,
  );
}
console.log('');
const render = await measureRenderSpeed();
console.log(`Chromium OfflineAudioContext render of ${render.seconds} s of noise at 48 kHz, fixed profile (wall-clock seconds, x real time); target: at most 4x the copy-only worklet:`);
for (const mode of ['live', 'quality']) {
  const upmix = render.results[mode];
  const copy = render.results[`copy-${mode}`];
  console.log(`${mode.padEnd(8)} upmixer ${upmix.toFixed(2)} s (${(render.seconds / upmix).toFixed(0)}x real time)   copy-only worklet ${copy.toFixed(2)} s (${(render.seconds / copy).toFixed(0)}x)   ratio ${(upmix / copy).toFixed(1)}x`);
}
const many = render.results['many-quality'];
const manyCopy = render.results['many-copy'];
console.log(
  `${render.instances} instances side by side in one OfflineAudioContext (quality), ${render.manySeconds} s: ${many.toFixed(2)} s, ${(render.manySeconds / many).toFixed(1)}x real time ` +
    `(each instance ${((render.instances * render.manySeconds) / many).toFixed(0)}x); ${render.instances} copy-only worklets ${manyCopy.toFixed(2)} s, ratio ${(many / manyCopy).toFixed(1)}x`,
);

console.log('');
await printCliSpeed();

console.log('');
const inference = await measureModelInference();
console.log(`Cue model inference per frame (Node, onnxruntime-web wasm, 1 thread, ${(inference.modelBytes / 1024).toFixed(0)} kB model, 2,000 calls, batch 1):`);
console.log(
  `mean ${inference.meanUs.toFixed(0)} us, p99 ${inference.p99Us.toFixed(0)} us; ` +
    `${((100 * inference.meanUs) / inference.hopBudgetUs).toFixed(1)}% of one hop's real-time budget (${(inference.hopBudgetUs / 1000).toFixed(1)} ms at ${inference.sampleRate} Hz); ` +
    `${(inference.meanUs / inference.engineHopUs).toFixed(1)}x the engine's own cost for that hop (${inference.engineHopUs.toFixed(0)} us)`,
);

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
