/**
 * The audio thread allocates nothing after construction: the real AudioWorkletProcessor (built from
 * src/worklet/upmixer.worklet.ts in a stand-in AudioWorkletGlobalScope) runs with every control moving
 * every quantum (the output limiter on), the variation and the style changing (at once, and timed ahead; a style's id then stamps the
 * model's feature frames), meters published over shared memory and the model's cues over
 * shared rings, in both latency modes, and the heap does not grow. Over a MessagePort (pages without
 * cross-origin isolation) each hop posts one message and receives one, which the browser's structured
 * clone allocates by design; there the test checks that nothing is retained (no leak). Stereo input with
 * the input kind and styles switching: processor-allocation-stereo.test.ts (a process of its own).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapStatistics } from 'node:v8';
import { setImmediate as turn } from 'node:timers/promises';
import { Worker as ThreadWorker } from 'node:worker_threads';
import { FEATURE_COUNT } from '../../src/model/features.js';
import { createSharedCueBuffers, type SharedCueBuffers } from '../../src/model/shared-cue-channel.js';
import { createCueMeterBuffer } from '../../src/worklet/cue-meter-buffer.js';
import { allocatedBytes } from '../support/allocation.js';
import { collectGarbage, RenderLoop, Upmixer } from './support/processor-harness.js';
import type { LatencyMode } from '../../src/dsp/frame-config.js';

/** Starts the model Worker's side of the shared rings in a thread of its own; resolves once it is ready. */
async function startAnswerer(buffers: SharedCueBuffers, paused: Int32Array): Promise<ThreadWorker> {
  // A TypeScript worker: register tsx in the thread first (worker threads do not take `--import`).
  const script = new URL('./support/shared-answerer.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(script)}); });`;
  const worker = new ThreadWorker(bootstrap, { eval: true, workerData: { ...buffers, paused } });
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return worker;
}

for (const mode of ['live', 'quality'] as LatencyMode[]) {
  test(`processor, ${mode} mode, model over shared rings, meters over shared memory, controls and variation moving: nothing allocated`, async () => {
    const buffers = createSharedCueBuffers();
    const paused = new Int32Array(new SharedArrayBuffer(4));
    const answerer = await startAnswerer(buffers, paused);
    const processor = new Upmixer({ processorOptions: { mode, variation: 1, meterBuffer: createCueMeterBuffer(24), model: { shared: buffers, waitMs: 0 }, ceiling: true } });
    const loop = new RenderLoop(processor);
    // Every other change timed two quanta ahead (held, then taken when due), the others at once (atFrame 0 is past).
    const variation = { type: 'set-variation', variation: 1, atFrame: 0 };
    const scope = globalThis as unknown as { currentFrame: number };
    const message = { data: variation }; // as the port delivers it (made once: the harness must not allocate)
    // A preset holds the model's cues (the style anchor), then back to the default, each with its id, timed
    // ahead or at once: made once, as above.
    const preset = { type: 'set-style', iccs: new Float32Array(24).fill(0.4), ildsDb: new Float32Array(24).fill(4), hold: true, atFrame: 0, styleId: 0 };
    const clear = { type: 'clear-style', atFrame: 0, styleId: 0 };
    const styles = [{ data: preset }, { data: clear }];
    const deliver = processor.port.onmessage as (event: { data: unknown }) => void;
    const run = (rounds: number): void => {
      for (let round = 0; round < rounds; round++) {
        // The model's thread stalls for 3,000 quanta (a Worker descheduled on a loaded machine): the feature
        // ring fills, frames are dropped, the cues run late and are held, then catch up. The warm-up goes
        // through it too: a path first taken after optimisation deoptimises the engine, which then boxes
        // numbers (170 kB here) until it is optimised again; left to chance, a loaded machine's scheduling
        // decided whether the test failed.
        Atomics.store(paused, 0, round >= 1000 && round < 1300 ? 1 : 0);
        loop.run(10);
        variation.variation = (variation.variation % 9) + 1;
        variation.atFrame = round % 2 === 0 ? scope.currentFrame + 256 : 0;
        deliver(message);
        if (round % 10 === 5) {
          const style = styles[Math.floor(round / 10) % 2];
          style.data.styleId = round;
          style.data.atFrame = round % 20 === 5 ? scope.currentFrame + 384 : 0;
          deliver(style);
        }
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
      const modelCues = (processor as unknown as { modelCues: { stats: { modelFrames: number }; styleId: number } }).modelCues;
      assert.ok(modelCues.stats.modelFrames > 1000, `the model's cues were used (${modelCues.stats.modelFrames} frames)`);
      assert.equal(modelCues.styleId, 3995, 'the last style\'s id stamps the frames');
      // A style timed for the fourth quantum from now (currentFrame is the last quantum's): its id stamps
      // the frames from that quantum on.
      preset.styleId = 1;
      preset.atFrame = scope.currentFrame + 4 * 128;
      deliver(styles[0]);
      loop.run(3);
      assert.equal(modelCues.styleId, 3995, 'not before its frame');
      loop.run(1);
      assert.equal(modelCues.styleId, 1, 'from its frame');
    } finally {
      answerer.postMessage('stop');
      await answerer.terminate();
    }
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
