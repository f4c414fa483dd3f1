/** Runs a whole signal through an engine quantum by quantum (the way the worklet and the CLI do). */
import { RENDER_QUANTUM } from '../../src/dsp/frame-config.js';
import { UpmixEngine, type UpmixEngineOptions } from '../../src/dsp/engine.js';

export interface Rendered {
  left: Float32Array;
  right: Float32Array;
  engine: UpmixEngine;
}

/** Renders `input` (padded to whole quanta) through a new engine, or through `engine` if given. */
export function renderEngine(input: Float32Array, options: UpmixEngineOptions | UpmixEngine, inputRight: Float32Array | null = null): Rendered {
  const engine = options instanceof UpmixEngine ? options : new UpmixEngine(options);
  const length = Math.ceil(input.length / RENDER_QUANTUM) * RENDER_QUANTUM;
  const padded = new Float32Array(length);
  padded.set(input);
  const paddedRight = inputRight ? new Float32Array(length) : null;
  if (paddedRight && inputRight) paddedRight.set(inputRight);
  const left = new Float32Array(length);
  const right = new Float32Array(length);
  for (let offset = 0; offset < length; offset += RENDER_QUANTUM) {
    const end = offset + RENDER_QUANTUM;
    engine.process(padded.subarray(offset, end), paddedRight ? paddedRight.subarray(offset, end) : null, left.subarray(offset, end), right.subarray(offset, end));
  }
  return { left, right, engine };
}
