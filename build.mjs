// Builds every entry point with esbuild, then the type declarations with tsc.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const shared = { bundle: true, format: 'esm', sourcemap: true, target: 'es2022', logLevel: 'warning' };
const external = ['standardized-audio-context', 'tone', 'lit', 'onnxruntime-web', '@webaudiomodules/*'];

rmSync('dist', { recursive: true, force: true });
await Promise.all([
  // Main-thread API, UI, Tone node and WAM plugin: dependencies stay imports, for the user's bundler to
  // resolve; shared code is split into chunks beside them, so that every entry uses one instance of the
  // API (one worklet-module load per context).
  build({
    ...shared,
    entryPoints: { index: 'src/index.ts', dsp: 'src/dsp/index.ts', ui: 'src/ui/index.ts', tone: 'src/tone.ts', wam: 'src/wam.ts' },
    outdir: 'dist',
    platform: 'browser',
    splitting: true,
    external,
    define: { PACKAGE_VERSION: JSON.stringify(version) },
  }),
  // Self-contained pages and plugins, loaded by URL without a bundler: the WAM plugin for hosts, the demo.
  build({
    ...shared,
    entryPoints: { 'wam-plugin': 'src/wam.ts', demo: 'demo/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    define: { PACKAGE_VERSION: JSON.stringify(version) },
  }),
  // The element for a plain `<script type="module">` page: Lit and the API bundled in, one file (only
  // standardized-audio-context stays an import, loaded only for that library's contexts).
  build({
    ...shared,
    entryPoints: { 'ui.bundle': 'src/ui/standalone.ts' },
    outdir: 'dist',
    platform: 'browser',
    minify: true,
    external: ['standardized-audio-context'],
    define: { PACKAGE_VERSION: JSON.stringify(version) },
  }),
  // The model Worker: onnxruntime-web's wasm-only build bundled in; its .wasm is copied beside it below.
  build({
    ...shared,
    entryPoints: { 'cue-model.worker': 'src/model/cue-model.worker.ts' },
    outdir: 'dist',
    platform: 'browser',
    alias: { 'onnxruntime-web': 'onnxruntime-web/wasm' },
  }),
  // The style analysis Worker (reference mixes), with the readers of reference files: each wasm decoder
  // (FLAC, MP3, Vorbis, Opus) is a chunk of its own beside it, loaded only when a file of its format is
  // given (WAV and AIFF need none). ogg-opus-decoder's optional 3.9 MB speech enhancer (opus-ml) is never
  // asked for, so it is left out of the build (its import stays, never run).
  build({
    ...shared,
    entryPoints: { 'style-analysis.worker': 'src/style/style-analysis.worker.ts' },
    outdir: 'dist',
    platform: 'browser',
    splitting: true,
    chunkNames: 'style-decoder-[name]-[hash]',
    external: ['@wasm-audio-decoders/opus-ml'],
  }),
  // The processor runs in AudioWorkletGlobalScope: one self-contained module, no imports.
  build({ ...shared, entryPoints: { 'upmixer.worklet': 'src/worklet/upmixer.worklet.ts' }, outdir: 'dist', platform: 'browser' }),
  // The command-line upmixer runs in Node.
  build({
    ...shared,
    entryPoints: { cli: 'src/cli.ts', 'cli-inference.worker': 'src/cli/inference.worker.ts' },
    outdir: 'dist',
    platform: 'node',
    packages: 'external',
    define: { PACKAGE_VERSION: JSON.stringify(version) },
    banner: { js: '#!/usr/bin/env node' },
  }),
]);
// The shipped model, and the onnxruntime-web files the Worker loads at run time.
mkdirSync('dist', { recursive: true });
copyFileSync('src/model/cue-model.onnx', 'dist/cue-model.onnx');
for (const file of ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs']) {
  copyFileSync(`node_modules/onnxruntime-web/dist/${file}`, `dist/${file}`);
}
await precompress('dist');
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });

/**
 * Writes `FILE.br` (brotli, best) and `FILE.gz` (gzip -9) beside every browser asset in `dir`, for
 * servers that send precompressed files by Accept-Encoding (demo/serve.mjs; the README says how others
 * do). Brotli at its best is slow (about 30 s for onnxruntime's 14 MB wasm), so results are kept in
 * node_modules/.cache by content hash and an unchanged file costs nothing on the next build.
 */
async function precompress(dir) {
  const cache = join('node_modules', '.cache', 'mono-upmix-precompressed');
  mkdirSync(cache, { recursive: true });
  const assets = readdirSync(dir).filter((name) => /\.(js|mjs|wasm|onnx|css|html|json)$/.test(name) && !name.startsWith('cli'));
  const brotli = promisify(brotliCompress);
  const gz = promisify(gzip);
  await Promise.all(
    assets.map(async (name) => {
      const bytes = readFileSync(join(dir, name));
      const hash = createHash('sha256').update(bytes).digest('hex');
      for (const [suffix, compress] of [
        ['br', () => brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })],
        ['gz', () => gz(bytes, { level: 9 })],
      ]) {
        const cached = join(cache, `${hash}.${suffix}`);
        if (!existsSync(cached)) writeFileSync(cached, await compress());
        copyFileSync(cached, join(dir, `${name}.${suffix}`));
      }
    }),
  );
}
