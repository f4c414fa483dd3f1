import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isModelWorkerReport } from '../../src/model/model-messages.js';
import { isUpmixerCommand, isUpmixerReport } from '../../src/worklet/messages.js';

test('isUpmixerCommand: accepts each well-formed command', () => {
  const { port1 } = new MessageChannel();
  for (const command of [
    { type: 'set-variation', variation: 3 },
    { type: 'set-variation', variation: 3, atFrame: 19_200 },
    { type: 'set-input', input: 'stereo', atFrame: 0 },
    { type: 'get-stats', requestId: 0 },
    { type: 'get-meters', requestId: 7 },
    { type: 'attach-model', port: port1 },
    { type: 'detach-model' },
    { type: 'dispose' },
    { type: 'set-style', iccs: new Float32Array(24).fill(0.5), ildsDb: new Float32Array(24), hold: false },
    { type: 'set-style', iccs: new Float32Array(24).fill(0.5), ildsDb: new Float32Array(24), hold: true },
    { type: 'set-style', iccs: new Float32Array(24).fill(0.5), ildsDb: new Float32Array(24), hold: false, atFrame: 24_000, styleId: 3 },
    { type: 'set-style', iccs: new Float32Array(24).fill(0.5), ildsDb: new Float32Array(24), hold: false, styleId: 2 ** 24 - 1 },
    { type: 'clear-style' },
    { type: 'clear-style', atFrame: 128, styleId: 4 },
  ]) {
    assert.ok(isUpmixerCommand(command), JSON.stringify(command));
  }
  port1.close();
});

test('isUpmixerCommand: refuses malformed commands (missing or mistyped fields, unknown types)', () => {
  for (const command of [
    null,
    42,
    'dispose',
    {},
    { type: 'attach-model' },
    { type: 'attach-model', port: {} },
    { type: 'set-variation' },
    { type: 'set-variation', variation: 1.5 },
    { type: 'set-variation', variation: '2' },
    { type: 'set-variation', variation: 2, atFrame: -128 },
    { type: 'set-variation', variation: 2, atFrame: 0.5 },
    { type: 'set-input', input: 'mono', atFrame: '0' },
    { type: 'get-stats' },
    { type: 'get-stats', requestId: -1 },
    { type: 'get-meters', requestId: 'a' },
    { type: 'set-style', iccs: new Float32Array(24), ildsDb: new Float32Array(24) },
    { type: 'set-style', iccs: new Float32Array(24), ildsDb: new Float32Array(24), preset: true },
    { type: 'set-style', iccs: new Float32Array(23), ildsDb: new Float32Array(24), hold: true },
    { type: 'set-style', iccs: new Float32Array(24), ildsDb: new Float32Array(24), hold: true, atFrame: -1 },
    { type: 'set-style', iccs: new Float32Array(24), ildsDb: new Float32Array(24), hold: true, styleId: 2 ** 24 },
    { type: 'set-style', iccs: new Float32Array(24), ildsDb: new Float32Array(24), hold: true, styleId: 1.5 },
    { type: 'clear-style', atFrame: 'now' },
    { type: 'clear-style', styleId: -1 },
    { type: 'reboot' },
  ]) {
    assert.equal(isUpmixerCommand(command), false, JSON.stringify(command));
  }
});

test('isUpmixerReport: accepts well-formed stats and meters, refuses the rest', () => {
  const stats = { type: 'stats', requestId: 1, badInputSamples: 0, quanta: 10, modelFrames: 2, lateFrames: 0, fallbackFrames: 3, malformedMessages: 0, runningProcessors: 1, degraded: false, fft: 'wasm-simd' };
  assert.ok(isUpmixerReport(stats));
  assert.ok(isUpmixerReport({ type: 'meters', requestId: 2, iccs: new Float32Array(24), ildsDb: new Float32Array(24) }));
  assert.equal(isUpmixerReport({ ...stats, quanta: 'many' }), false);
  assert.equal(isUpmixerReport({ ...stats, degraded: undefined }), false);
  assert.ok(isUpmixerReport({ ...stats, fft: 'js' }));
  assert.equal(isUpmixerReport({ ...stats, fft: 'fftw' }), false);
  assert.equal(isUpmixerReport({ type: 'meters', requestId: 2, iccs: [1, 2] }), false);
  assert.equal(isUpmixerReport({ type: 'stats' }), false);
  assert.equal(isUpmixerReport(null), false);
});

test('isModelWorkerReport: `ready` says whether the model takes a style; malformed reports are refused', () => {
  assert.ok(isModelWorkerReport({ type: 'ready', takesStyle: true }));
  assert.ok(isModelWorkerReport({ type: 'ready', takesStyle: false }));
  assert.ok(isModelWorkerReport({ type: 'loaded' }));
  assert.ok(isModelWorkerReport({ type: 'failed', message: 'no such file' }));
  assert.ok(isModelWorkerReport({ type: 'pong', id: 3 }));
  for (const report of [null, {}, { type: 'ready' }, { type: 'ready', takesStyle: 'yes' }, { type: 'failed' }, { type: 'pong', id: 0.5 }, { type: 'cues' }]) {
    assert.equal(isModelWorkerReport(report), false, JSON.stringify(report));
  }
});
