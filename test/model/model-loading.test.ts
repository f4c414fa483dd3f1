import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CueModel } from '../../src/model/cue-model.js';
import { MODEL_WINDOW_FRAMES } from '../../src/model/feature-spec.js';
import { FEATURE_COUNT } from '../../src/model/features.js';
import { DEFAULT_STYLE } from '../../src/style/presets.js';
import type { Style } from '../../src/style/style.js';
import { whiteNoise } from '../support/signals.js';
import { filesIn, runCli, temporaryFolder, writeWav } from '../cli/support.js';

const BROKEN = new URL('../fixtures/model-errors/', import.meta.url).pathname;
const bytesOf = (name: string): Uint8Array => new Uint8Array(readFileSync(join(BROKEN, name)));

const failures: { name: string; bytes: () => Uint8Array; message: RegExp }[] = [
  { name: 'an empty file', bytes: () => new Uint8Array(0), message: /the model file is empty/ },
  { name: 'corrupt bytes', bytes: () => new Uint8Array(readFileSync(new URL('../../README.md', import.meta.url))), message: /not a valid ONNX model/ },
  { name: 'a wrong input shape', bytes: () => bytesOf('wrong-input-shape.onnx'), message: new RegExp(`input "features" has shape \\[batch, 20, 24\\], expected \\[batch, ${MODEL_WINDOW_FRAMES}, 24\\]`) },
  { name: 'a wrong input name', bytes: () => bytesOf('wrong-input-name.onnx'), message: /the model has inputs \["x"\], expected "features" \(the full-window format\) or "recent" and "stats" \(the head format\), and optionally "style"/ },
  { name: 'inputs of both formats', bytes: () => bytesOf('mixed-formats.onnx'), message: /the model has inputs \["features","stats"\], expected "features" \(the full-window format\) or "recent" and "stats"/ },
  { name: 'recent rows the model does not fix', bytes: () => bytesOf('wrong-recent-rows.onnx'), message: new RegExp(`input "recent" has shape \\[batch, rows, 24\\], expected \\[batch, rows, 24\\] with a fixed number of rows from 1 to ${MODEL_WINDOW_FRAMES}`) },
  { name: 'a wrong statistics shape', bytes: () => bytesOf('wrong-stats-shape.onnx'), message: /input "stats" has shape \[batch, 100\], expected \[batch, 192\]/ },
  { name: 'a wrong style input shape', bytes: () => bytesOf('wrong-style-shape.onnx'), message: /input "style" has shape \[batch, 24\], expected \[batch, 48\]/ },
  { name: 'a wrong output shape', bytes: () => bytesOf('wrong-output-shape.onnx'), message: new RegExp(`output "icc" has shape \\[batch, ${MODEL_WINDOW_FRAMES * 24}\\], expected \\[batch, 24\\]`) },
];

for (const { name, bytes, message } of failures) {
  test(`CueModel.load refuses ${name} with a clear CueModelError`, async () => {
    await assert.rejects(CueModel.load(bytes()), (error: Error) => error.name === 'CueModelError' && message.test(error.message));
  });
}

/** The model's cues for `batch` frames of a quiet stream, one call (the frames after the first frame, which only starts the stream). */
async function quietCues(model: CueModel, batch: number): Promise<{ iccs: Float32Array; ildsDb: Float32Array }> {
  const inputs = model.createInputs(batch);
  for (let frame = 0; frame < batch + 1 && !inputs.full; frame++) inputs.push(frame, new Float32Array(FEATURE_COUNT).fill(-5));
  assert.equal(inputs.size, batch);
  const { iccs, ildsDb } = await model.run(inputs);
  return { iccs: Float32Array.from(iccs), ildsDb: Float32Array.from(ildsDb) };
}

for (const [file, format] of [
  ['style-echo.onnx', 'full-window'],
  ['head-style-echo.onnx', 'head'],
] as const) {
  test(`a conditioned model (${format} format) gets the current style on every window of each batch: the default until setStyle, then the one set`, async () => {
    // It outputs its style input as the cues.
    const model = await CueModel.load(bytesOf(file));
    assert.equal(model.takesStyle, true);
    assert.equal(model.format.kind, format);
    const expectCues = async (batch: number, style: Style): Promise<void> => {
      const { iccs, ildsDb } = await quietCues(model, batch);
      for (let i = 0; i < batch; i++) {
        for (let b = 0; b < FEATURE_COUNT; b++) {
          assert.ok(Math.abs(iccs[i * FEATURE_COUNT + b] - style.icc[b]) < 1e-6, `window ${i} band ${b}: ICC ${iccs[i * FEATURE_COUNT + b]}`);
          assert.ok(Math.abs(ildsDb[i * FEATURE_COUNT + b] - style.ildDb[b]) < 1e-5, `window ${i} band ${b}: ILD ${ildsDb[i * FEATURE_COUNT + b]}`);
        }
      }
    };
    await expectCues(2, DEFAULT_STYLE);
    const wide: Style = { icc: DEFAULT_STYLE.icc.map((_, b) => 0.1 + 0.01 * b), ildDb: DEFAULT_STYLE.ildDb.map((_, b) => 6 + 0.1 * b) };
    model.setStyle(wide);
    await expectCues(1, wide);
    await expectCues(3, wide); // a larger batch than before gets the style on its new rows too
    model.setStyle(DEFAULT_STYLE);
    await expectCues(3, DEFAULT_STYLE);
    await model.release();
  });
}

test('a model without the style input loads and runs; takesStyle is false and setStyle does nothing', async () => {
  const model = await CueModel.load(bytesOf('unconditioned.onnx'));
  assert.equal(model.takesStyle, false);
  const before = await quietCues(model, 2);
  model.setStyle({ icc: new Array<number>(FEATURE_COUNT).fill(0.1), ildDb: new Array<number>(FEATURE_COUNT).fill(9) });
  const after = await quietCues(model, 2);
  assert.deepEqual(after.iccs, before.iccs);
  await model.release();
});

test('CLI: each model-loading failure gives a one-line error naming the file and --no-model, exit 1, no output', async () => {
  const folder = temporaryFolder();
  const inPath = join(folder, 'in.wav');
  await writeWav(inPath, [whiteNoise(4_410)], 44_100, 'pcm16');
  const corrupt = join(folder, 'corrupt.onnx');
  await import('node:fs/promises').then((fs) => fs.writeFile(corrupt, 'not a model'));
  const cases: [string, RegExp][] = [
    [join(folder, 'missing.onnx'), /cannot read the model .*missing\.onnx: no such file; pass --no-model/],
    [corrupt, /model .*corrupt\.onnx: the model file is not a valid ONNX model .*; pass --no-model/],
    [join(BROKEN, 'wrong-input-shape.onnx'), /wrong-input-shape\.onnx: the model's input "features" has shape/],
    [join(BROKEN, 'wrong-output-shape.onnx'), /wrong-output-shape\.onnx: the model's output "icc" has shape/],
  ];
  for (const [modelPath, message] of cases) {
    const before = filesIn(folder);
    const run = runCli([inPath, join(folder, 'out.wav'), '--model', modelPath]);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /^upmix: error: [^\n]+\n$/);
    assert.match(run.stderr, message);
    assert.deepEqual(filesIn(folder), before);
  }
});
