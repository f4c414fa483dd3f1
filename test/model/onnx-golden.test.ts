import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadModelFile } from '../../src/cli/model-file.js';
import { MODEL_TARGET_ROW, MODEL_WINDOW_FRAMES, START_PADDING_VALUE } from '../../src/model/feature-spec.js';
import { FEATURE_COUNT } from '../../src/model/features.js';

/**
 * Written by training/export.py: one segment of real features (frames 0..S-1 of a track), the target
 * frames of the windows, and the PyTorch model's outputs for them. Window i is rows
 * targetFrames[i] - contextFrames .. targetFrames[i] + lookaheadFrames, rows before frame 0 padding.
 */
interface OnnxGolden {
  tolerance: number;
  inputShape: [number, number, number];
  targetFrames: number[];
  segment: number[][];
  /** The style input of each window (a conditioned model). */
  style: number[][];
  icc: number[][];
  ild_db: number[][];
}
const golden = JSON.parse(readFileSync(new URL('../fixtures/model/onnx-golden.json', import.meta.url), 'utf8')) as OnnxGolden;

test(`the shipped ONNX model in onnxruntime-web (Node) matches PyTorch on the golden windows within ${golden.tolerance}`, async () => {
  const [batch, frames, bands] = golden.inputShape;
  assert.equal(frames, MODEL_WINDOW_FRAMES);
  assert.equal(bands, FEATURE_COUNT);
  const windows = new Float32Array(batch * frames * bands);
  golden.targetFrames.forEach((target, i) => {
    for (let row = 0; row < frames; row++) {
      const frame = target - MODEL_TARGET_ROW + row;
      for (let b = 0; b < bands; b++) windows[(i * frames + row) * bands + b] = frame >= 0 ? golden.segment[frame][b] : START_PADDING_VALUE;
    }
  });
  const { model } = await loadModelFile();
  assert.ok(model.takesStyle, 'the shipped model has the style input');
  let worst = 0;
  const iccs: number[] = [];
  // Each window has its own style: run them one by one, the style set before each.
  for (let i = 0; i < batch; i++) {
    const row = golden.style[i];
    model.setStyle({ icc: row.slice(0, bands), ildDb: row.slice(bands) });
    const cues = await model.run(windows.subarray(i * frames * bands, (i + 1) * frames * bands), 1);
    for (let b = 0; b < bands; b++) {
      worst = Math.max(worst, Math.abs(cues.iccs[b] - golden.icc[i][b]), Math.abs(cues.ildsDb[b] - golden.ild_db[i][b]));
      iccs.push(cues.iccs[b]);
    }
  }
  assert.ok(worst < golden.tolerance, `max difference ${worst}`);
  // Real music and different styles: the cues are not all the same (the model is not a constant).
  const spread = Math.max(...iccs) - Math.min(...iccs);
  assert.ok(spread > 0.05, `ICC spread ${spread}`);
});
