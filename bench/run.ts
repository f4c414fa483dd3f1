/**
 * `npm run bench`: every performance figure the project quotes, each as a ratio to a baseline timed in
 * the same run. Prints one table per measurement.
 */
import { countGarbageCollections, measureEngineCost } from './engine-cost.js';

const BUDGET_US = (128 / 48_000) * 1e6;

console.log('Engine cost per 128-sample quantum (Node, pink noise, 40,000 timed quanta):');
console.log('mode     rate    mean us   p99 us   copy-loop us   ratio to copy   % of 48 kHz budget');
for (const row of measureEngineCost()) {
  console.log(
    `${row.mode.padEnd(8)} ${String(row.sampleRate).padEnd(7)} ${row.meanUs.toFixed(2).padStart(7)} ${row.p99Us.toFixed(2).padStart(8)} ${row.copyMeanUs.toFixed(3).padStart(14)} ${(row.meanUs / row.copyMeanUs).toFixed(0).padStart(15)}x ${((100 * row.meanUs) / BUDGET_US).toFixed(2).padStart(19)}%`,
  );
}
console.log('');
for (const mode of ['live', 'quality'] as const) {
  console.log(`Garbage collections during 100,000 steady-state quanta (${mode}, 48 kHz): ${await countGarbageCollections(mode)}`);
}
