/**
 * Where the engine's time goes: runs one engine (48 kHz, pink noise, fixed profile) under V8's sampling
 * CPU profiler and prints each function's share of the samples taken inside the engine's calls (self
 * time: a function that V8 inlined into its caller counts as the caller's). For finding what to speed up
 * next; the cost itself, against the yardstick, is bench/engine-cost.ts's and bench/engine-parts.ts's.
 *
 *     node --import tsx bench/engine-profile.ts [quality|live] [quanta]
 */
import { Session } from 'node:inspector/promises';
import { UpmixEngine } from '../src/dsp/engine.js';
import { RENDER_QUANTUM, type LatencyMode } from '../src/dsp/frame-config.js';
import { pinkNoise } from '../test/support/signals.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

const mode = (process.argv[2] ?? 'quality') as LatencyMode;
const quanta = Number(process.argv[3] ?? 200_000);
const BLOCKS = 1024;
const input = pinkNoise(RENDER_QUANTUM * BLOCKS, 3);
const blocks = Array.from({ length: BLOCKS }, (_, q) => input.subarray(q * RENDER_QUANTUM, (q + 1) * RENDER_QUANTUM));
const left = new Float32Array(RENDER_QUANTUM);
const right = new Float32Array(RENDER_QUANTUM);
const engine = new UpmixEngine({ sampleRate: 48_000, mode });
// Warm up first, so that the profile shows the optimised code.
for (let q = 0; q < 20_000; q++) engine.process(blocks[q % BLOCKS], null, left, right);

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 50 });
await session.post('Profiler.start');
for (let q = 0; q < quanta; q++) engine.process(blocks[q % BLOCKS], null, left, right);
const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: { nodes: ProfileNode[]; samples: number[] } };
session.disconnect();

// Only samples under UpmixEngine.process count (not the loop, the profiler or the runtime's idle time).
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const underEngine = (id: number): boolean => {
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const frame = byId.get(at)?.callFrame;
    if (frame?.functionName === 'process' && frame.url.endsWith('/src/dsp/engine.ts')) return true;
  }
  return false;
};
const self = new Map<string, number>();
let total = 0;
for (const id of profile.samples) {
  if (!underEngine(id)) continue;
  const frame = byId.get(id)?.callFrame;
  const file = frame?.url.split('/').pop() || '(native)';
  const name = `${frame?.functionName || '(anonymous)'} (${file})`;
  self.set(name, (self.get(name) ?? 0) + 1);
  total++;
}
console.log(`${mode} mode, 48 kHz, ${quanta.toLocaleString('en')} quanta: share of the engine's samples by function (self time; ${total} samples)`);
for (const [name, count] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 24)) {
  console.log(`${((100 * count) / total).toFixed(1).padStart(5)} %  ${name}`);
}
