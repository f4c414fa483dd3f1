/**
 * The style anchor holds the model's cues to a preset: per band their long-run mean becomes the preset's,
 * their movement from frame to frame stays the model's, and without a target it changes nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCues } from '../../src/dsp/cue-source.js';
import { FEATURE_COUNT } from '../../src/model/features.js';
import { StyleAnchor } from '../../src/model/style-anchor.js';

const FRAMES_PER_SECOND = 86;

/** The model's cues in frame `n`: band b moves around 0.8 - 0.01 b (ICC) and 3 dB (|ILD|). */
function modelCues(n: number, into = createCues(FEATURE_COUNT)): ReturnType<typeof createCues> {
  for (let b = 0; b < FEATURE_COUNT; b++) {
    into.iccs[b] = 0.8 - 0.01 * b + 0.1 * Math.sin(0.05 * n + b);
    into.ildMagnitudesDb[b] = 3 + Math.sin(0.03 * n + 2 * b);
  }
  return into;
}

test('style anchor: the long-run mean per band becomes the target, the frame-to-frame movement stays the model\'s', () => {
  const anchor = new StyleAnchor();
  anchor.prepare(FRAMES_PER_SECOND);
  const targetIccs = Array.from({ length: FEATURE_COUNT }, (_, b) => 0.4 + 0.005 * b);
  const targetIlds = Array.from({ length: FEATURE_COUNT }, () => 6);
  anchor.setTarget(targetIccs, targetIlds);
  const frames = 30 * FRAMES_PER_SECOND;
  const meanIcc = new Float64Array(FEATURE_COUNT);
  const meanIld = new Float64Array(FEATURE_COUNT);
  let largestMovementChange = 0;
  let previousIn = modelCues(-1).iccs[3];
  let previousOut = Number.NaN;
  for (let n = 0; n < frames; n++) {
    const cues = modelCues(n);
    const before = cues.iccs[3];
    anchor.apply(cues);
    if (n >= frames / 2) {
      for (let b = 0; b < FEATURE_COUNT; b++) {
        meanIcc[b] += cues.iccs[b] / (frames / 2);
        meanIld[b] += cues.ildMagnitudesDb[b] / (frames / 2);
      }
    }
    if (n > FRAMES_PER_SECOND) largestMovementChange = Math.max(largestMovementChange, Math.abs(cues.iccs[3] - previousOut - (before - previousIn)));
    previousIn = before;
    previousOut = cues.iccs[3];
  }
  for (let b = 0; b < FEATURE_COUNT; b++) {
    assert.ok(Math.abs(meanIcc[b] - targetIccs[b]) < 0.01, `band ${b}: mean ICC ${meanIcc[b].toFixed(4)} for ${targetIccs[b]}`);
    assert.ok(Math.abs(meanIld[b] - targetIlds[b]) < 0.1, `band ${b}: mean |ILD| ${meanIld[b].toFixed(3)} dB for ${targetIlds[b]}`);
  }
  // The model's step from one frame to the next (up to 0.005 here) comes through, less the mean's drift.
  assert.ok(largestMovementChange < 0.002, `frame-to-frame movement changed by up to ${largestMovementChange}`);
});

test('style anchor: without a target, or after clear(), the cues pass unchanged; the target is copied; the cues stay in range', () => {
  const anchor = new StyleAnchor();
  anchor.prepare(FRAMES_PER_SECOND);
  const cues = modelCues(7);
  const expected = modelCues(7);
  anchor.apply(cues);
  assert.deepEqual(cues, expected);

  const target = new Float64Array(FEATURE_COUNT).fill(1);
  anchor.setTarget(target, new Float64Array(FEATURE_COUNT).fill(20));
  target.fill(0); // the anchor keeps its own copy
  for (let n = 0; n < 200; n++) {
    anchor.apply(modelCues(n, cues));
    for (let b = 0; b < FEATURE_COUNT; b++) {
      assert.ok(cues.iccs[b] >= 0 && cues.iccs[b] <= 1, `ICC ${cues.iccs[b]}`);
      assert.ok(cues.ildMagnitudesDb[b] >= 0 && cues.ildMagnitudesDb[b] <= 20, `|ILD| ${cues.ildMagnitudesDb[b]}`);
    }
  }
  assert.ok(cues.iccs.every((icc) => icc > 0.7), 'pulled toward the target of 1 (the model gives 0.47-0.9)');

  anchor.clear();
  anchor.apply(modelCues(9, cues));
  assert.deepEqual(cues, modelCues(9));
});
