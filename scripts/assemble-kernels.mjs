// Assembles src/dsp/simd-kernels.wat with wabt (a dev dependency) and, run as a script
// (`npm run build:kernels`), writes the module as base64 to src/dsp/simd-kernels-wasm-bytes.ts, so that
// the engine instantiates it synchronously wherever it runs (as PFFFT: see scripts/embed-pffft.mjs).
// test/dsp/simd-kernels.test.ts assembles the source again and checks that the embedded bytes are its.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';

const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = 'src/dsp/simd-kernels.wat';
const OUTPUT = 'src/dsp/simd-kernels-wasm-bytes.ts';

/** The kernels' module, assembled from the WAT source (SIMD enabled, no names section). */
export async function assembleKernels() {
  const wabt = await initWabt();
  const module = wabt.parseWat(SOURCE, readFileSync(root + SOURCE, 'utf8'), { simd: true });
  try {
    module.resolveNames();
    module.validate();
    return module.toBinary({ write_debug_names: false }).buffer;
  } finally {
    module.destroy();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = Buffer.from(await assembleKernels());
  writeFileSync(
    root + OUTPUT,
    `/**
 * The engine's SIMD kernels' WebAssembly module (${bytes.length} bytes), assembled from simd-kernels.wat by
 * scripts/assemble-kernels.mjs (\`npm run build:kernels\`): do not edit.
 * @packageDocumentation
 */
/** The WebAssembly module, base64. */
export const SIMD_KERNELS_WASM_BASE64 =
  '${bytes.toString('base64')}';
`,
  );
  console.log(`wrote ${OUTPUT} (${bytes.length} bytes)`);
}
