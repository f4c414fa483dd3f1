/**
 * Peak memory of a reference mix's style analysis on the browser faces' path (ReferenceAnalyser and the
 * style analysis Worker module, here on a Node worker thread): by default a 10-minute 192 kHz stereo
 * reference whose samples are made on demand (bench/synthetic-reference.ts), so that all the peak grows by
 * is the analysis's. A 2-second reference is analysed first, so that the Worker thread's own cost (its
 * V8 heap, tsx) is in the peak before the long one starts. Prints the resident memory before, the
 * process's peak after each (both threads), the growth the long reference adds, and a few of its style's
 * numbers.
 *
 * Run: `node --import tsx bench/reference-memory.ts [seconds] [sampleRate]`
 */
import { ReferenceAnalyser } from '../src/style/reference-analyser.js';
import { peakResidentBytes } from '../test/support/peak-memory.js';
import { installWorkerInThread } from '../test/support/worker-in-thread.js';
import { syntheticReference } from './synthetic-reference.js';

const seconds = Number(process.argv[2] ?? 600);
const sampleRate = Number(process.argv[3] ?? 192_000);
const reference = syntheticReference(seconds, sampleRate);
installWorkerInThread();

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const analyser = new ReferenceAnalyser(new URL('../src/style/style-analysis.worker.ts', import.meta.url).href);
const before = process.memoryUsage().rss;
await analyser.analyse(syntheticReference(2, sampleRate));
const afterShort = peakResidentBytes();
const started = performance.now();
const style = await analyser.analyse(reference);
const peak = peakResidentBytes();
console.log(`reference: ${seconds} s at ${sampleRate} Hz, stereo (${mib(2 * 4 * reference.length)} as float32 channels, made on demand)`);
console.log(`resident before: ${mib(before)}; peak after a 2 s reference: ${mib(afterShort)}; peak after the long one: ${mib(peak)}; growth the long one adds: ${mib(peak - afterShort)}`);
console.log(`analysis took ${((performance.now() - started) / 1000).toFixed(1)} s; ICC of bands 8..11: ${style.icc.slice(8, 12).map((v) => v.toFixed(4)).join(' ')}`);
