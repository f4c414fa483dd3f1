/**
 * Processors for bench/worklet-cost.ts's breakdown of the upmixer's render cost: `engine-only` calls
 * the engine with the context's arrays and nothing else (no parameters, no messages, no census),
 * `engine-only-params` the same with the upmixer's AudioParams (not read), and `engine-loop` runs
 * {@link runEngineLoop} inside its first process() call and then posts `done`.
 */
import { UpmixEngine } from '../src/dsp/engine.js';
import type { LatencyMode } from '../src/dsp/frame-config.js';
import type { AudioWorkletGlobalScope, AudioWorkletProcessorOptions } from '../src/worklet/audio-worklet-global-scope.js';
import { controlParameterDescriptors } from '../src/worklet/parameter-descriptors.js';
import { runEngineLoop } from './engine-loop.js';

const scope = globalThis as unknown as AudioWorkletGlobalScope;

interface BenchOptions {
  mode: LatencyMode;
  /** `engine-loop` only: quanta to run. */
  quanta?: number;
}

class EngineOnlyProcessor extends scope.AudioWorkletProcessor {
  private readonly engine: UpmixEngine;

  constructor(options: AudioWorkletProcessorOptions) {
    super(options);
    this.engine = new UpmixEngine({ sampleRate: scope.sampleRate, mode: (options.processorOptions as BenchOptions).mode });
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const output = outputs[0];
    this.engine.process(inputs[0][0], null, output[0], output[1]);
    return true;
  }
}

class EngineOnlyWithParamsProcessor extends EngineOnlyProcessor {
  static get parameterDescriptors() {
    return controlParameterDescriptors();
  }
}

class EngineLoopProcessor extends scope.AudioWorkletProcessor {
  private ran = false;

  constructor(private readonly options: AudioWorkletProcessorOptions) {
    super(options);
  }

  process(): boolean {
    if (this.ran) return false;
    this.ran = true;
    const { mode, quanta } = this.options.processorOptions as BenchOptions;
    runEngineLoop(mode, quanta ?? 0);
    this.port.postMessage('done');
    return false;
  }
}

scope.registerProcessor('engine-only', EngineOnlyProcessor);
scope.registerProcessor('engine-only-params', EngineOnlyWithParamsProcessor);
scope.registerProcessor('engine-loop', EngineLoopProcessor);
