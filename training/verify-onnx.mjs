// Runs src/model/cue-model.onnx in onnxruntime-web (wasm backend, in Node) on the windows of
// test/fixtures/model/onnx-golden.json and compares with the PyTorch outputs stored there; also times
// single-window and batched inference. Run from the repository root: node training/verify-onnx.mjs
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';

const root = new URL('../', import.meta.url);
const spec = JSON.parse(readFileSync(new URL('src/model/feature-spec.json', root), 'utf8'));
const golden = JSON.parse(readFileSync(new URL('test/fixtures/model/onnx-golden.json', root), 'utf8'));
const bytes = readFileSync(new URL('src/model/cue-model.onnx', root));

ort.env.wasm.numThreads = 1;
const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
const [batch, frames, bands] = golden.inputShape;
if (frames !== spec.windowFrames || bands !== spec.bandCount) throw new Error('fixture does not match the spec');
const input = new ort.Tensor('float32', Float32Array.from(golden.features.flat(2)), [batch, frames, bands]);
const out = await session.run({ [spec.tensors.input.name]: input });
let worst = 0;
for (const name of ['icc', 'ild_db']) {
  const data = out[name].data;
  if (out[name].dims.join() !== [batch, bands].join()) throw new Error(`${name}: dims ${out[name].dims}`);
  golden[name].forEach((row, i) => row.forEach((v, b) => (worst = Math.max(worst, Math.abs(v - data[i * bands + b])))));
}
console.log(`onnxruntime-web vs PyTorch: max |difference| ${worst.toExponential(2)} (tolerance ${golden.tolerance})`);

const time = async (n) => {
  const x = new ort.Tensor('float32', new Float32Array(n * frames * bands).fill(-5), [n, frames, bands]);
  await session.run({ features: x });
  const runs = n === 1 ? 200 : 20;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await session.run({ features: x });
  return (performance.now() - t0) / runs;
};
const one = await time(1);
const many = await time(64);
console.log(`inference (wasm, 1 thread): ${one.toFixed(3)} ms for one window, ${(many / 64).toFixed(3)} ms per window in batches of 64`);
if (!(worst < golden.tolerance)) process.exit(1);
