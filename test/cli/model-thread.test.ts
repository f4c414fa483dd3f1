/**
 * The CLI's model thread (src/cli/inference-thread.ts): when a run gets one, what a bad model file gives,
 * that a closed thread answers nothing, and that a thread left open never holds the process. (Its cues
 * equal the main thread's byte for byte: test/model/batched-inference.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceThread } from '../../src/cli/inference-thread.js';
import { fileOptions, modelThreadPerJob, type RunSettings } from '../../src/cli/settings.js';
import { CueModelError } from '../../src/model/cue-model-error.js';
import { temporaryFolder } from './support.js';
import { CHILD_NODE_FLAGS } from '../support/child-node.js';
import { HANG_GUARD_MS } from '../support/hang-guard.js';

test('each job gets a model thread only when the machine has a core for it (two per job)', () => {
  assert.equal(modelThreadPerJob(1, 1), false);
  assert.equal(modelThreadPerJob(1, 2), true);
  assert.equal(modelThreadPerJob(2, 2), false);
  assert.equal(modelThreadPerJob(2, 4), true);
  assert.equal(modelThreadPerJob(3, 4), false);
});

test('a model thread that cannot load its model rejects with the one-line message of an in-thread load', async () => {
  const bad = join(temporaryFolder(), 'bad.onnx');
  writeFileSync(bad, 'not a model');
  const thread = InferenceThread.start(bad);
  try {
    await assert.rejects(thread.ready, (error: Error) => {
      assert.ok(error instanceof CueModelError);
      assert.match(error.message, /^model .*bad\.onnx: the model file is not a valid ONNX model .*; pass --no-model to use the fixed profile$/);
      return true;
    });
    // Every request after the failure is answered with it, at once.
    await assert.rejects(thread.open(44_100).request(new Float32Array(8192), null), CueModelError);
  } finally {
    await thread.close();
  }
});

test('a closed model thread answers no more requests; the run options take it as modelThread', async () => {
  const thread = InferenceThread.start();
  await thread.ready;
  assert.equal(fileOptions({} as RunSettings, thread).modelThread, thread);
  assert.equal(fileOptions({} as RunSettings, thread).model, undefined);
  const supply = thread.open(48_000);
  const frames = await supply.request(new Float32Array(64 * 128), null);
  assert.ok(frames.frameIndices.length > 0);
  await thread.close();
  await assert.rejects(supply.request(new Float32Array(64 * 128), null), /closed/);
});

test('a model thread that is never closed does not keep the process alive', () => {
  const script = `
    const { InferenceThread } = await import(${JSON.stringify(new URL('../../src/cli/inference-thread.ts', import.meta.url).href)});
    const thread = InferenceThread.start();
    await thread.ready;
    await thread.open(44100).request(new Float32Array(8192), null);
    console.log('answered');`;
  const run = spawnSync(process.execPath, [...CHILD_NODE_FLAGS, '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: HANG_GUARD_MS });
  assert.equal(run.signal, null, `the process had to be killed: ${run.stderr}`);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /answered/);
});
