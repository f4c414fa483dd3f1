// Runs in Chromium for bench/worklet-cost.ts: where the upmixer's render time goes. Renders of 60 s
// through processors that do less and less of the upmixer's work; the engine alone in a plain loop on the
// page's main thread and inside one process() call of a worklet; and the upmixer against the copy-only
// worklet over renders of different lengths. Publishes CPU seconds of the threads on window.benchResult.
import { createUpmixer } from '../dist/index.js';
import { runEngineLoop, runYardstickLoop } from './engine-loop.ts';
import { benchNode, fastestRenders, SAMPLE_RATE } from './offline-render.js';

const SECONDS = 60;
const ROUNDS = 3;
/** Quanta of the plain loops: long enough that the JIT's warm-up is a small part. */
const LOOP_QUANTA = 90_000;
const LENGTHS = [10, 30, 60, 120, 240];
const YARDSTICK_TRANSFORMS = 50_000;

const upmixer = (mode) => (context) => createUpmixer(context, { mode, model: false });

/** CPU seconds of the render thread for one engine-loop processor, run in its first process() call. */
async function workletLoop(mode) {
  const context = new OfflineAudioContext(2, SAMPLE_RATE, SAMPLE_RATE);
  await context.audioWorklet.addModule('/engine-only.worklet.js');
  const node = new AudioWorkletNode(context, 'engine-loop', { outputChannelCount: [2], processorOptions: { mode, quanta: LOOP_QUANTA } });
  const done = new Promise((resolve) => (node.port.onmessage = resolve));
  node.connect(context.destination);
  await window.benchThreadCpu('start');
  await context.startRendering();
  await done;
  return window.benchThreadCpu('render');
}

async function mainLoop(mode) {
  await window.benchThreadCpu('start');
  runEngineLoop(mode, LOOP_QUANTA);
  return window.benchThreadCpu('main');
}

/** CPU seconds per yardstick FFT on the page's main thread, fastest of 3 rounds (run before any engine, as in bench/engine-cost.ts). */
async function yardstick() {
  const rounds = [];
  for (let round = 0; round < 4; round++) {
    await window.benchThreadCpu('start');
    runYardstickLoop(YARDSTICK_TRANSFORMS);
    rounds.push((await window.benchThreadCpu('main')) / YARDSTICK_TRANSFORMS);
  }
  return Math.min(...rounds.slice(1));
}

try {
  const yardstickSeconds = await yardstick();
  const breakdown = {};
  const loops = {};
  for (const mode of ['live', 'quality']) {
    const engineOnly = (name) => benchNode('/engine-only.worklet.js', name, { mode });
    breakdown[mode] = await fastestRenders(
      {
        copy: { makeNode: benchNode('/copy.worklet.js', 'copy-only'), seconds: SECONDS },
        'copy-with-params': { makeNode: benchNode('/copy.worklet.js', 'copy-with-params'), seconds: SECONDS },
        'engine-only': { makeNode: engineOnly('engine-only'), seconds: SECONDS },
        'engine-only-params': { makeNode: engineOnly('engine-only-params'), seconds: SECONDS },
        upmixer: { makeNode: upmixer(mode), seconds: SECONDS },
      },
      ROUNDS,
    );
    const main = [];
    const worklet = [];
    for (let round = 0; round < 2; round++) {
      main.push(await mainLoop(mode));
      worklet.push(await workletLoop(mode));
    }
    loops[mode] = { main: Math.min(...main), worklet: Math.min(...worklet) };
  }
  const lengthVariants = {};
  for (const seconds of LENGTHS) {
    lengthVariants[`copy-${seconds}`] = { makeNode: benchNode('/copy.worklet.js', 'copy-only'), seconds };
    lengthVariants[`quality-${seconds}`] = { makeNode: upmixer('quality'), seconds };
  }
  const lengths = await fastestRenders(lengthVariants, 2);
  window.benchResult = { yardstickSeconds, seconds: SECONDS, loopQuanta: LOOP_QUANTA, lengths: LENGTHS, breakdown, loops, byLength: lengths };
} catch (error) {
  window.benchResult = { error: `${error}\n${error.stack}` };
}
