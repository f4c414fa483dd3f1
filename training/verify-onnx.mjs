// Runs src/model/cue-model.onnx in onnxruntime-web (wasm backend, 1 thread, in Node) on the windows of
// test/fixtures/model/onnx-golden.json and compares with the PyTorch outputs stored there; also times
// single-window and batched inference. Run from the repository root: node training/verify-onnx.mjs
// With a path (node training/verify-onnx.mjs other.onnx) it only times that model.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';

const root = new URL('../', import.meta.url);
const spec = JSON.parse(readFileSync(new URL('src/model/feature-spec.json', root), 'utf8'));
const other = process.argv[2];
const bytes = readFileSync(other ?? new URL('src/model/cue-model.onnx', root));

ort.env.wasm.numThreads = 1;
const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
const frames = Number(session.inputMetadata?.[0]?.shape?.[1]) || spec.windowFrames;
const bands = spec.bandCount;
let worst = 0;
if (!other) {
  const golden = JSON.parse(readFileSync(new URL('test/fixtures/model/onnx-golden.json', root), 'utf8'));
  const [batch, gFrames, gBands] = golden.inputShape;
  if (gFrames !== spec.windowFrames || gBands !== bands) throw new Error('fixture does not match the spec');
  // Window i: rows targetFrames[i] - contextFrames .. targetFrames[i] + lookaheadFrames of the segment.
  const x = new Float32Array(batch * gFrames * bands);
  golden.targetFrames.forEach((t, i) => {
    for (let row = 0; row < gFrames; row++) {
      const f = t - spec.contextFrames + row;
      for (let b = 0; b < bands; b++) x[(i * gFrames + row) * bands + b] = f >= 0 ? golden.segment[f][b] : spec.startPaddingValue;
    }
  });
  const feeds = { [spec.tensors.input.name]: new ort.Tensor('float32', x, [batch, gFrames, bands]) };
  if (golden.style) feeds[spec.tensors.style.name] = new ort.Tensor('float32', Float32Array.from(golden.style.flat()), [batch, golden.style[0].length]);
  const out = await session.run(feeds);
  for (const name of ['icc', 'ild_db']) {
    const data = out[name].data;
    if (out[name].dims.join() !== [batch, bands].join()) throw new Error(`${name}: dims ${out[name].dims}`);
    golden[name].forEach((row, i) => row.forEach((v, b) => (worst = Math.max(worst, Math.abs(v - data[i * bands + b])))));
  }
  console.log(`onnxruntime-web vs PyTorch: max |difference| ${worst.toExponential(2)} (tolerance ${golden.tolerance})`);
  if (!(worst < golden.tolerance)) process.exitCode = 1;
}

const styleLength = spec.tensors.style.shape[1];
const conditioned = session.inputNames.includes(spec.tensors.style.name);
const time = async (n) => {
  const feeds = { [spec.tensors.input.name]: new ort.Tensor('float32', new Float32Array(n * frames * bands).map((_, i) => -5 + Math.sin(i)), [n, frames, bands]) };
  if (conditioned) feeds[spec.tensors.style.name] = new ort.Tensor('float32', new Float32Array(n * styleLength).fill(0.5), [n, styleLength]);
  await session.run(feeds);
  const runs = n === 1 ? 300 : 20;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await session.run(feeds);
  return (performance.now() - t0) / runs;
};
const one = await time(1);
const many = await time(64);
console.log(`inference (wasm, 1 thread, window ${frames} frames): ${one.toFixed(3)} ms for one window, ${(many / 64).toFixed(3)} ms per window in batches of 64; ${bytes.length} bytes`);
