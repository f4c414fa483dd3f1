import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MODEL_TARGET_ROW, MODEL_WINDOW_FRAMES, START_PADDING_VALUE } from '../../src/model/feature-spec.js';
import { FEATURE_COUNT } from '../../src/model/features.js';
import { ModelWindow, WINDOW_SIZE } from '../../src/model/model-window.js';

/** Feature values that say which frame and band they are. */
const featuresOf = (frame: number): Float32Array => Float32Array.from({ length: FEATURE_COUNT }, (_, b) => frame + b / 100);

/** The window for `target` built row by row: frames before `firstFrame` (and before 0) are padding. */
function expectedWindow(target: number, firstFrame: number): Float32Array {
  const out = new Float32Array(WINDOW_SIZE);
  for (let row = 0; row < MODEL_WINDOW_FRAMES; row++) {
    const frame = target - MODEL_TARGET_ROW + row;
    const values = frame < firstFrame || frame < 0 ? new Float32Array(FEATURE_COUNT).fill(START_PADDING_VALUE) : featuresOf(frame);
    out.set(values, row * FEATURE_COUNT);
  }
  return out;
}

for (const firstFrame of [0, 700]) {
  test(`ModelWindow: each window has its frames in time order and padding before the stream's start (first frame ${firstFrame}, across the ring's wrap)`, () => {
    const window = new ModelWindow();
    const out = new Float32Array(WINDOW_SIZE + 7);
    let checked = 0;
    for (let frame = firstFrame; frame < firstFrame + 2 * MODEL_WINDOW_FRAMES + 5; frame++) {
      window.push(frame, featuresOf(frame));
      const target = window.newestTarget;
      if (target < 0) continue;
      // A few windows: the first ones, around the ring's first turn and later.
      if (!(frame - firstFrame < 3 || Math.abs(frame - firstFrame - MODEL_WINDOW_FRAMES) < 3 || frame % 397 === 0)) continue;
      out.fill(NaN);
      window.writeNewestRows(out, 7);
      const expected = expectedWindow(target, firstFrame);
      assert.deepEqual(out.subarray(7), expected, `frame ${frame}`);
      // Only the newest rows (a head-format model's input "recent"): the window's last rows.
      for (const rows of [2, 129]) {
        out.fill(NaN);
        window.writeNewestRows(out, 7, rows);
        assert.deepEqual(out.subarray(7, 7 + rows * FEATURE_COUNT), expected.subarray(WINDOW_SIZE - rows * FEATURE_COUNT), `frame ${frame}, last ${rows} rows`);
        assert.ok(Number.isNaN(out[7 + rows * FEATURE_COUNT]), 'nothing written after them');
      }
      checked++;
    }
    assert.ok(checked >= 8, `${checked} windows checked`);
  });
}
