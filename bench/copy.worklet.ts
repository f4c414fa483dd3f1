/**
 * The baselines of the render-speed bench: processors that only copy their input to two outputs,
 * `copy-only` without parameters and `copy-with-params` with the upmixer's AudioParams (the work Chromium
 * does per parameter and quantum, whatever the processor does).
 */
import type { AudioWorkletGlobalScope } from '../src/worklet/audio-worklet-global-scope.js';
import { controlParameterDescriptors } from '../src/worklet/parameter-descriptors.js';

const scope = globalThis as unknown as AudioWorkletGlobalScope;

class CopyProcessor extends scope.AudioWorkletProcessor {
  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const input = inputs[0];
    const output = outputs[0];
    if (input && input.length > 0) {
      output[0].set(input[0]);
      output[1].set(input[input.length > 1 ? 1 : 0]);
    }
    return true;
  }
}

class CopyWithParamsProcessor extends CopyProcessor {
  static get parameterDescriptors() {
    return controlParameterDescriptors();
  }
}

scope.registerProcessor('copy-only', CopyProcessor);
scope.registerProcessor('copy-with-params', CopyWithParamsProcessor);
