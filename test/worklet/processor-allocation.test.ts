/**
 * The audio thread allocates nothing after construction: the real AudioWorkletProcessor (built from
 * src/worklet/upmixer.worklet.ts in a stand-in AudioWorkletGlobalScope) runs with every control moving
 * every quantum (the output limiter on), the variation changing, meters published over shared memory and the model's cues over
 * shared rings, in both latency modes, and the heap does not grow. Over a MessagePort (pages without
 * cross-origin isolation) each hop posts one message and receives one, which the browser's structured
 * clone allocates by design; there the test checks that nothing is retained (no leak).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setImmediate as turn } from 'node:timers/promises';
import { Worker as ThreadWorker } from 'node:worker_threads';
import { CONTROL_SPECS } from '../../src/dsp/controls.js';
import { RENDER_QUANTUM, type LatencyMode } from '../../src/dsp/frame-config.js';
import { FEATURE_COUNT } from '../../src/model/features.js';
import { createSharedCueBuffers, type SharedCueBuffers } from '../../src/model/shared-cue-channel.js';
import { createCueMeterBuffer } from '../../src/worklet/cue-meter-buffer.js';
import type { ProcessorClass } from '../../src/worklet/audio-worklet-global-scope.js';
import { allocatedBytes } from '../support/allocation.js';
import { pinkNoise } from '../support/signals.js';

setFlagsFromString('--expose-gc');
// Optimise on the main thread: a background compile that lags behind under load would leave hot code in
// a lower tier, which boxes numbers, during the measured quanta (real, but transient: not what this tests).
setFlagsFromString('--no-concurrent-recompilation');
const collectGarbage = runInNewContext('gc') as () => void;

const SAMPLE_RATE = 48_000;
type Processor = InstanceType<ProcessorClass>;

/** A stand-in AudioWorkletGlobalScope: the processor module registers its class here. */
const scope = globalThis as unknown as Record<string, unknown>;
let Upmixer: ProcessorClass;
before(async () => {
  scope.sampleRate = SAMPLE_RATE;
  scope.currentFrame = 0;
  scope.crossOriginIsolated = true; // so that a meter buffer is made
  scope.AudioWorkletProcessor = class {
    readonly port: MessagePort;
    constructor() {
      const { port1, port2 } = new MessageChannel();
      port2.close();
      this.port = port1;
    }
  };
  scope.registerProcessor = (_name: string, processorClass: ProcessorClass) => {
    Upmixer = processorClass;
  };
  await import('../../src/worklet/upmixer.worklet.js');
});
after(() => {
  for (const name of ['sampleRate', 'currentFrame', 'crossOriginIsolated', 'AudioWorkletProcessor', 'registerProcessor']) delete scope[name];
});

/** Drives a processor like the render thread: one quantum per call, k-rate params moving every quantum. */
class RenderLoop {
  private readonly blocks: Float32Array[];
  /** Stereo input: a second, different noise for the right channel. */
  private readonly rightBlocks: Float32Array[] | null;
  private readonly output = [[new Float32Array(RENDER_QUANTUM), new Float32Array(RENDER_QUANTUM)]];
  private readonly input: Float32Array[][];
  private readonly parameters: Record<string, Float32Array> = {};
  private quantum = 0;
  /** False once an output sample was not finite. */
  finite = true;

  constructor(
    private readonly processor: Processor,
    stereo = false,
  ) {
    const noise = pinkNoise(RENDER_QUANTUM * 64, 4, 0.3);
    this.blocks = Array.from({ length: 64 }, (_, i) => noise.slice(i * RENDER_QUANTUM, (i + 1) * RENDER_QUANTUM));
    const right = pinkNoise(RENDER_QUANTUM * 64, 5, 0.3);
    this.rightBlocks = stereo ? Array.from({ length: 64 }, (_, i) => right.slice(i * RENDER_QUANTUM, (i + 1) * RENDER_QUANTUM)) : null;
    this.input = stereo ? [[new Float32Array(RENDER_QUANTUM), new Float32Array(RENDER_QUANTUM)]] : [[new Float32Array(RENDER_QUANTUM)]];
    for (const spec of CONTROL_SPECS) this.parameters[spec.name] = new Float32Array(1);
  }

  run(quanta: number): void {
    for (let q = 0; q < quanta; q++, this.quantum++) {
      scope.currentFrame = this.quantum * RENDER_QUANTUM;
      this.input[0][0] = this.blocks[this.quantum % 64];
      if (this.rightBlocks !== null) this.input[0][1] = this.rightBlocks[this.quantum % 64];
      // Every control moves every quantum (within its range), bypass toggles now and then.
      for (let c = 0; c < CONTROL_SPECS.length; c++) {
        const spec = CONTROL_SPECS[c];
        const phase = ((this.quantum + 7 * c) % 50) / 50;
        this.parameters[spec.name][0] = spec.name === 'bypass' ? (this.quantum % 400 < 20 ? 1 : 0) : spec.min + phase * (spec.max - spec.min);
      }
      this.processor.process(this.input, this.output, this.parameters);
      if (!Number.isFinite(this.output[0][0][0])) this.finite = false; // (assert.ok here would allocate its arguments)
    }
  }
}

/** Starts the model Worker's side of the shared rings in a thread of its own; resolves once it is ready. */
async function startAnswerer(buffers: SharedCueBuffers): Promise<ThreadWorker> {
  // A TypeScript worker: register tsx in the thread first (worker threads do not take `--import`).
  const script = new URL('./support/shared-answerer.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script)}); });`;
  const worker = new ThreadWorker(bootstrap, { eval: true, workerData: buffers });
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return worker;
}

for (const mode of ['live', 'quality'] as LatencyMode[]) {
  test(`processor, ${mode} mode, model over shared rings, meters over shared memory, controls and variation moving: nothing allocated`, async () => {
    const buffers = createSharedCueBuffers();
    const answerer = await startAnswerer(buffers);
    const processor = new Upmixer({ processorOptions: { mode, variation: 1, meterBuffer: createCueMeterBuffer(24), model: { shared: buffers, waitMs: 0 }, ceiling: true } });
    const loop = new RenderLoop(processor);
    const variation = { type: 'set-variation', variation: 1 };
    const message = { data: variation }; // as the port delivers it (made once: the harness must not allocate)
    // A preset holds the model's cues (the style anchor), then back to the default: made once, as above.
    const styles = [{ data: { type: 'set-style', iccs: new Float32Array(24).fill(0.4), ildsDb: new Float32Array(24).fill(4), preset: true } }, { data: { type: 'clear-style' } }];
    const deliver = processor.port.onmessage as (event: { data: unknown }) => void;
    const run = (rounds: number): void => {
      for (let round = 0; round < rounds; round++) {
        loop.run(10);
        variation.variation = (variation.variation % 9) + 1;
        deliver(message);
        if (round % 10 === 5) deliver(styles[Math.floor(round / 10) % 2]);
      }
    };
    try {
      run(4000); // warm-up: every path compiled and optimised (unoptimised code boxes numbers)
      const { bytes, where } = await allocatedBytes(() => run(4000));
      // Sampling noise and the odd tier-up leave up to ~40 kB; a number boxed once per quantum would be
      // 640 kB, once per quality-mode frame 160 kB.
      console.log(`${mode} mode: ${bytes} bytes allocated over 40,000 quanta${bytes > 0 ? ` (${where})` : ''}`);
      assert.ok(bytes < 64 * 1024, `${bytes} bytes allocated over 40,000 quanta (${where})`);
      assert.ok(loop.finite, 'output finite');
      const { modelFrames } = (processor as unknown as { modelCues: { stats: { modelFrames: number } } }).modelCues.stats;
      assert.ok(modelFrames > 1000, `the model's cues were used (${modelFrames} frames)`);
    } finally {
      answerer.postMessage('stop');
      await answerer.terminate();
    }
  });
}

for (const mode of ['live', 'quality'] as LatencyMode[]) {
  test(`processor, ${mode} mode, stereo input, spread and every control moving, input kind and style switching: nothing allocated but the rare path reports`, async () => {
    const processor = new Upmixer({ processorOptions: { mode, variation: 1, meterBuffer: createCueMeterBuffer(24), ceiling: true } });
    const loop = new RenderLoop(processor, true);
    const kinds = ['stereo', 'mono', 'auto'].map((input) => ({ data: { type: 'set-input', input } })); // made once
    // Styles for the fixed cues (as the port delivers them: the message's arrays are the only allocation, made here once).
    const styles = [
      { data: { type: 'set-style', iccs: new Float32Array(24).fill(0.3), ildsDb: new Float32Array(24).fill(6), preset: true } },
      { data: { type: 'set-style', iccs: new Float32Array(24).fill(0.9), ildsDb: new Float32Array(24).fill(1), preset: false } },
      { data: { type: 'clear-style' } },
    ];
    const deliver = processor.port.onmessage as (event: { data: unknown }) => void;
    let switches = 0;
    let styleChanges = 0;
    const run = (rounds: number): void => {
      for (let round = 0; round < rounds; round++) {
        loop.run(10);
        // A switch every 400 quanta: each change of path posts one (preallocated) report, which the
        // structured clone allocates; the glides between paths run in between.
        if (round % 40 === 0) deliver(kinds[switches++ % 3]);
        if (round % 10 === 5) deliver(styles[styleChanges++ % 3]);
      }
    };
    run(4000);
    const { bytes, where } = await allocatedBytes(() => run(4000));
    console.log(`${mode} mode, stereo input: ${bytes} bytes allocated over 40,000 quanta (${switches} input-kind changes, ${styleChanges} style changes)${bytes > 0 ? ` (${where})` : ''}`);
    assert.ok(bytes < 64 * 1024, `${bytes} bytes allocated over 40,000 quanta (${where})`);
    assert.ok(loop.finite, 'output finite');
  });
}

test('processor, live mode, model over a MessagePort to a Worker thread: the per-hop messages leave nothing behind (no leak)', async () => {
  const worker = new ThreadWorker(
    `const { parentPort } = require('node:worker_threads');
     parentPort.once('message', (port) => {
       port.on('message', (m) => {
         if (m && m.type === 'features') port.postMessage({ type: 'cues', frameIndex: m.frameIndex, iccs: new Float32Array(${FEATURE_COUNT}).fill(0.4), ildMagnitudesDb: new Float32Array(${FEATURE_COUNT}).fill(3) });
       });
     });`,
    { eval: true },
  );
  try {
    const processor = new Upmixer({ processorOptions: { mode: 'live', variation: 1, model: { waitMs: 0 } } });
    const { port1, port2 } = new MessageChannel();
    worker.postMessage(port2, [port2 as unknown as import('node:worker_threads').MessagePort]);
    (processor.port.onmessage as (event: { data: unknown }) => void)({ data: { type: 'attach-model', port: port1 } });
    const loop = new RenderLoop(processor);
    const run = async (rounds: number): Promise<void> => {
      for (let round = 0; round < rounds; round++) {
        loop.run(4);
        await turn(); // lets the cues come in, as the render thread's event loop does between quanta
      }
    };
    await run(2500);
    collectGarbage();
    const before = getHeapStatistics().used_heap_size;
    await run(2500);
    collectGarbage();
    const retained = getHeapStatistics().used_heap_size - before;
    assert.ok(retained < 256 * 1024, `retained ${retained} bytes after 10,000 quanta`);
  } finally {
    await worker.terminate();
  }
});
