// Runs src/model/cue-model.onnx in onnxruntime-web (wasm backend, 1 thread, in Node) on the windows of
// test/fixtures/model/onnx-golden.json and compares with the PyTorch outputs stored there; also times
// single-window and batched inference. Run from the repository root: node training/verify-onnx.mjs
// With a path (node training/verify-onnx.mjs other.onnx) it only times that model.
// Either format: the head format (inputs `recent` and `stats`) gets the fixture's statistics (PyTorch's
// raw_stats: the TypeScript ones are checked against them by test/model/onnx-golden.test.ts), the
// full-window format (input `features`) the whole windows.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';

const root = new URL('../', import.meta.url);
const spec = JSON.parse(readFileSync(new URL('src/model/feature-spec.json', root), 'utf8'));
const other = process.argv[2];
const bytes = readFileSync(other ?? new URL('src/model/cue-model.onnx', root));

ort.env.wasm.numThreads = 1;
const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
const { input, recent, stats, style } = spec.tensors;
const head = session.inputNames.includes(recent.name);
const bands = spec.bandCount;
const rowsPerWindow = head ? Number(session.inputMetadata.find((m) => m.name === recent.name).shape[1]) : spec.windowFrames;
const rowsName = head ? recent.name : input.name;
const statsLength = spec.statistics.length;
let worst = 0;
if (!other) {
  const golden = JSON.parse(readFileSync(new URL('test/fixtures/model/onnx-golden.json', root), 'utf8'));
  const [batch, gFrames, gBands] = golden.inputShape;
  if (gFrames !== spec.windowFrames || gBands !== bands) throw new Error('fixture does not match the spec');
  // Window i: rows targetFrames[i] - contextFrames .. targetFrames[i] + lookaheadFrames of the segment; its last rowsPerWindow.
  const x = new Float32Array(batch * rowsPerWindow * bands);
  golden.targetFrames.forEach((t, i) => {
    for (let row = 0; row < rowsPerWindow; row++) {
      const f = t - spec.contextFrames + gFrames - rowsPerWindow + row;
      for (let b = 0; b < bands; b++) x[(i * rowsPerWindow + row) * bands + b] = f >= 0 ? golden.segment[f][b] : spec.startPaddingValue;
    }
  });
  const feeds = { [rowsName]: new ort.Tensor('float32', x, [batch, rowsPerWindow, bands]) };
  if (head) feeds[stats.name] = new ort.Tensor('float32', Float32Array.from(golden.rawStats.flat()), [batch, statsLength]);
  if (golden.style) feeds[style.name] = new ort.Tensor('float32', Float32Array.from(golden.style.flat()), [batch, golden.style[0].length]);
  const out = await session.run(feeds);
  for (const name of ['icc', 'ild_db']) {
    const data = out[name].data;
    if (out[name].dims.join() !== [batch, bands].join()) throw new Error(`${name}: dims ${out[name].dims}`);
    golden[name].forEach((row, i) => row.forEach((v, b) => (worst = Math.max(worst, Math.abs(v - data[i * bands + b])))));
  }
  console.log(`onnxruntime-web vs PyTorch (${head ? 'head' : 'full-window'} format): max |difference| ${worst.toExponential(2)} (tolerance ${golden.tolerance})`);
  if (!(worst < golden.tolerance)) process.exitCode = 1;
}

const styleLength = style.shape[1];
const conditioned = session.inputNames.includes(style.name);
const time = async (n) => {
  const feeds = { [rowsName]: new ort.Tensor('float32', new Float32Array(n * rowsPerWindow * bands).map((_, i) => -5 + Math.sin(i)), [n, rowsPerWindow, bands]) };
  if (head) feeds[stats.name] = new ort.Tensor('float32', new Float32Array(n * statsLength).map((_, i) => 0.5 + 0.1 * Math.sin(i)), [n, statsLength]);
  if (conditioned) feeds[style.name] = new ort.Tensor('float32', new Float32Array(n * styleLength).fill(0.5), [n, styleLength]);
  await session.run(feeds);
  const runs = n === 1 ? 300 : 20;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await session.run(feeds);
  return (performance.now() - t0) / runs;
};
const one = await time(1);
const many = await time(64);
console.log(
  `inference (wasm, 1 thread, ${head ? `head format: ${rowsPerWindow} recent rows + ${statsLength} statistics` : `full-window format: ${rowsPerWindow} frames`}): ` +
    `${one.toFixed(3)} ms for one window, ${(many / 64).toFixed(3)} ms per window in batches of 64; ${bytes.length} bytes`,
);
