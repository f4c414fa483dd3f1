/**
 * What the stereo path costs: the engine's mean time per 128-sample quantum for mono input, dual-mono
 * input (`auto` takes the mono path) and real stereo input (the stereo path), timed interleaved in one
 * run and printed as ratios to mono input. Run alone: `npx tsx bench/stereo-cost.ts`.
 */
import { UpmixEngine } from '../src/dsp/engine.js';
import { RENDER_QUANTUM, type LatencyMode } from '../src/dsp/frame-config.js';
import { pinkNoise } from '../test/support/signals.js';

const QUANTA = 20_000;
const ROUNDS = 5;

type Input = 'mono' | 'dual mono' | 'stereo';

function meanMicroseconds(engine: UpmixEngine, left: Float32Array, right: Float32Array | null, quanta: number): number {
  const outL = new Float32Array(RENDER_QUANTUM);
  const outR = new Float32Array(RENDER_QUANTUM);
  const blocks = left.length / RENDER_QUANTUM;
  const start = performance.now();
  for (let q = 0; q < quanta; q++) {
    const offset = (q % blocks) * RENDER_QUANTUM;
    engine.process(left.subarray(offset, offset + RENDER_QUANTUM), right ? right.subarray(offset, offset + RENDER_QUANTUM) : null, outL, outR);
  }
  return ((performance.now() - start) * 1000) / quanta;
}

const left = pinkNoise(RENDER_QUANTUM * 2048, 3);
const other = pinkNoise(RENDER_QUANTUM * 2048, 4);
for (const mode of ['live', 'quality'] as LatencyMode[]) {
  const inputs: Record<Input, Float32Array | null> = { mono: null, 'dual mono': left, stereo: other };
  const engines = Object.fromEntries(Object.keys(inputs).map((kind) => [kind, new UpmixEngine({ sampleRate: 48_000, mode })])) as Record<Input, UpmixEngine>;
  const totals: Record<Input, number> = { mono: 0, 'dual mono': 0, stereo: 0 };
  for (const kind of Object.keys(inputs) as Input[]) meanMicroseconds(engines[kind], left, inputs[kind], QUANTA / 4); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of Object.keys(inputs) as Input[]) totals[kind] += meanMicroseconds(engines[kind], left, inputs[kind], QUANTA) / ROUNDS;
  }
  const line = (Object.keys(totals) as Input[]).map((kind) => `${kind} ${totals[kind].toFixed(1)} us (${(totals[kind] / totals.mono).toFixed(2)}x)`).join(', ');
  console.log(`${mode} mode, 48 kHz, per quantum: ${line}; paths taken: ${(Object.keys(engines) as Input[]).map((kind) => `${kind} ${engines[kind].inputPath}`).join(', ')}`);
}
