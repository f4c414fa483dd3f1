/**
 * The stand-in AudioWorkletGlobalScope and render loop of the processor allocation tests. Each test file
 * that imports this runs in a process of its own (node --test), as each page's AudioWorkletGlobalScope
 * is a realm of its own: the JIT's state from one file's tests (shaped, for the model's, by a thread's
 * timing) does not reach another's.
 */
import { after, before } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CONTROL_SPECS } from '../../../src/dsp/controls.js';
import { RENDER_QUANTUM } from '../../../src/dsp/frame-config.js';
import type { ProcessorClass } from '../../../src/worklet/audio-worklet-global-scope.js';
import { pinkNoise } from '../../support/signals.js';

setFlagsFromString('--expose-gc');
// Hot code is optimised on the main thread (no background compile lagging behind under load) because
// test/run-node-tests.mjs starts node with --no-concurrent-recompilation; setting it here would be too
// late (V8 makes its compiler thread when the isolate starts).
export const collectGarbage = runInNewContext('gc') as () => void;

export const SAMPLE_RATE = 48_000;
export type Processor = InstanceType<ProcessorClass>;

/** A stand-in AudioWorkletGlobalScope: the processor module registers its class here. */
const scope = globalThis as unknown as Record<string, unknown>;
/** The processor class, registered by the worklet module (set in `before`). */
export let Upmixer: ProcessorClass;
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
  await import('../../../src/worklet/upmixer.worklet.js');
});
after(() => {
  for (const name of ['sampleRate', 'currentFrame', 'crossOriginIsolated', 'AudioWorkletProcessor', 'registerProcessor']) delete scope[name];
});

/** Drives a processor like the render thread: one quantum per call, k-rate params moving every quantum. */
export class RenderLoop {
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

