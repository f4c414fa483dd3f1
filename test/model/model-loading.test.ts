import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CueModel } from '../../src/model/cue-model.js';
import { MODEL_WINDOW_FRAMES } from '../../src/model/feature-spec.js';
import { whiteNoise } from '../support/signals.js';
import { filesIn, runCli, temporaryFolder, writeWav } from '../cli/support.js';

const BROKEN = new URL('../fixtures/model-errors/', import.meta.url).pathname;
const bytesOf = (name: string): Uint8Array => new Uint8Array(readFileSync(join(BROKEN, name)));

const failures: { name: string; bytes: () => Uint8Array; message: RegExp }[] = [
  { name: 'an empty file', bytes: () => new Uint8Array(0), message: /the model file is empty/ },
  { name: 'corrupt bytes', bytes: () => new Uint8Array(readFileSync(new URL('../../README.md', import.meta.url))), message: /not a valid ONNX model/ },
  { name: 'a wrong input shape', bytes: () => bytesOf('wrong-input-shape.onnx'), message: new RegExp(`input "features" has shape \\[batch, 20, 24\\], expected \\[batch, ${MODEL_WINDOW_FRAMES}, 24\\]`) },
  { name: 'a wrong input name', bytes: () => bytesOf('wrong-input-name.onnx'), message: /the model has inputs \["x"\], expected "features"/ },
  { name: 'a wrong output shape', bytes: () => bytesOf('wrong-output-shape.onnx'), message: new RegExp(`output "icc" has shape \\[batch, ${MODEL_WINDOW_FRAMES * 24}\\], expected \\[batch, 24\\]`) },
];

for (const { name, bytes, message } of failures) {
  test(`CueModel.load refuses ${name} with a clear CueModelError`, async () => {
    await assert.rejects(CueModel.load(bytes()), (error: Error) => error.name === 'CueModelError' && message.test(error.message));
  });
}

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
