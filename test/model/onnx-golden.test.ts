import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadModelFile } from '../../src/cli/model-file.js';
import { MODEL_WINDOW_FRAMES } from '../../src/model/feature-spec.js';
import { FEATURE_COUNT } from '../../src/model/features.js';

/** Written by training/export.py: windows of real features and the PyTorch model's outputs for them. */
interface OnnxGolden {
  tolerance: number;
  inputShape: [number, number, number];
  features: number[][][];
  icc: number[][];
  ild_db: number[][];
}
const golden = JSON.parse(readFileSync(new URL('../fixtures/model/onnx-golden.json', import.meta.url), 'utf8')) as OnnxGolden;

test(`the shipped ONNX model in onnxruntime-web (Node) matches PyTorch on the golden windows within ${golden.tolerance}`, async () => {
  const [batch, frames, bands] = golden.inputShape;
  assert.equal(frames, MODEL_WINDOW_FRAMES);
  assert.equal(bands, FEATURE_COUNT);
  const windows = new Float32Array(golden.features.flat(2));
  const { model } = await loadModelFile();
  const { iccs, ildsDb } = await model.run(windows, batch);
  let worst = 0;
  for (let i = 0; i < batch; i++) {
    for (let b = 0; b < bands; b++) {
      worst = Math.max(worst, Math.abs(iccs[i * bands + b] - golden.icc[i][b]), Math.abs(ildsDb[i * bands + b] - golden.ild_db[i][b]));
    }
  }
  assert.ok(worst < golden.tolerance, `max difference ${worst}`);
  // The windows are real music: the cues are not all the same (the model is not a constant).
  const spread = Math.max(...iccs) - Math.min(...iccs);
  assert.ok(spread > 0.05, `ICC spread ${spread}`);
});
