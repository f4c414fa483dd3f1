import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadModelFile } from '../../src/cli/model-file.js';
import type { CueModel } from '../../src/model/cue-model.js';
import { MODEL_TARGET_ROW, STATISTICS_LENGTH } from '../../src/model/feature-spec.js';
import { FEATURE_COUNT } from '../../src/model/features.js';
import { WindowStatistics } from '../../src/model/window-statistics.js';

/**
 * Written by training/export.py: one segment of real features (frames 0..S-1 of a track), the target
 * frames of the windows, the PyTorch model's outputs for them and its raw statistics of them. Window i
 * is rows targetFrames[i] - contextFrames .. targetFrames[i] + lookaheadFrames, rows before frame 0 padding:
 * the stream of the segment's frames from frame 0 gives exactly these windows.
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
  /** training/model.py LongCueModel.raw_stats of each window. */
  rawStats: number[][];
}
const golden = JSON.parse(readFileSync(new URL('../fixtures/model/onnx-golden.json', import.meta.url), 'utf8')) as OnnxGolden;
/** The shipped model exported in the full-window format by training/export.py (models from before the head format). */
const FULL_WINDOW_MODEL = fileURLToPath(new URL('../fixtures/model/full-window-cue-model.onnx', import.meta.url));

/** The frame whose arrival completes the window of `target` (its lookahead). */
const lastFrameOf = (target: number): number => target + golden.inputShape[1] - 1 - MODEL_TARGET_ROW;

test(`golden: the window statistics in TypeScript equal PyTorch's raw_stats within ${golden.tolerance} (from a track's start, and with rows leaving the window)`, () => {
  const statistics = new WindowStatistics();
  const out = new Float32Array(STATISTICS_LENGTH);
  let worst = 0;
  let checked = 0;
  for (let frame = 0; frame < golden.segment.length; frame++) {
    statistics.push(frame, golden.segment[frame]);
    const i = golden.targetFrames.findIndex((target) => lastFrameOf(target) === frame);
    if (i < 0) continue;
    statistics.writeNewest(out);
    golden.rawStats[i].forEach((value, k) => (worst = Math.max(worst, Math.abs(value - out[k]))));
    checked++;
  }
  assert.equal(checked, golden.targetFrames.length);
  assert.ok(worst < golden.tolerance, `max difference ${worst}`);
  // The windows hold sound and padding: the statistics are not trivially 0 or 1.
  assert.ok(golden.rawStats[0].some((v) => v > 0.05 && v < 0.95), 'the first window (mostly padding) has a share strictly between 0 and 1');
});

/** Each golden window's cues from `model` fed the segment frame by frame, each window with its own style. */
async function worstDifference(model: CueModel): Promise<{ worst: number; iccs: number[] }> {
  assert.ok(model.takesStyle, 'the model has the style input');
  const bands = FEATURE_COUNT;
  const inputs = model.createInputs(1);
  let worst = 0;
  const iccs: number[] = [];
  for (let frame = 0; frame < golden.segment.length; frame++) {
    inputs.push(frame, golden.segment[frame]);
    const i = golden.targetFrames.indexOf(inputs.targets[0]);
    if (i >= 0) {
      const row = golden.style[i];
      model.setStyle({ icc: row.slice(0, bands), ildDb: row.slice(bands) });
      const cues = await model.run(inputs);
      for (let b = 0; b < bands; b++) {
        worst = Math.max(worst, Math.abs(cues.iccs[b] - golden.icc[i][b]), Math.abs(cues.ildsDb[b] - golden.ild_db[i][b]));
        iccs.push(cues.iccs[b]);
      }
    }
    inputs.clear();
  }
  assert.equal(iccs.length, golden.targetFrames.length * bands, 'every golden window was run');
  return { worst, iccs };
}

test(`the shipped ONNX model (head format, TypeScript statistics) in onnxruntime-web (Node) matches the whole PyTorch model on the golden windows within ${golden.tolerance}`, async () => {
  const { model } = await loadModelFile();
  assert.deepEqual(model.format, { kind: 'head', recentFrames: 2 });
  const { worst, iccs } = await worstDifference(model);
  assert.ok(worst < golden.tolerance, `max difference ${worst}`);
  // Real music and different styles: the cues are not all the same (the model is not a constant).
  const spread = Math.max(...iccs) - Math.min(...iccs);
  assert.ok(spread > 0.05, `ICC spread ${spread}`);
  await model.release();
});

test(`a full-window format model (the input "features") still runs: the same checkpoint's export matches PyTorch within ${golden.tolerance}`, async () => {
  const { model } = await loadModelFile(FULL_WINDOW_MODEL);
  assert.deepEqual(model.format, { kind: 'full-window' });
  const { worst } = await worstDifference(model);
  assert.ok(worst < golden.tolerance, `max difference ${worst}`);
  await model.release();
});
