// Browser tests: Debian's Chromium renders the built worklet in OfflineAudioContext; a server command
// renders the same input through the engine in Node, so parity is checked against a second runtime.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { tsImport } from 'tsx/esm/api';

/**
 * Handles `executeServerCommand(command, payload)` from test/browser by calling `exportName` of the
 * TypeScript module `modulePath`, imported on first use: `render-reference` renders the same input
 * through the engine in Node (engine-reference.ts); `reference-file` writes a reference file in a CLI
 * format and gives its CLI style (reference-files.ts).
 */
function serverCommandPlugin(command, modulePath, exportName) {
  let loaded;
  return {
    name: command,
    async executeCommand({ command: asked, payload }) {
      if (asked !== command) return undefined;
      loaded ??= tsImport(modulePath, import.meta.url);
      return (await loaded)[exportName](payload);
    },
  };
}

/**
 * Serves `import x from './file.json'` (src/model/feature-spec.ts) as a JS module, as esbuild does in the
 * build; only for module-script requests, so a fetch() of a JSON file still gets the JSON.
 */
function jsonModulesPlugin() {
  return {
    name: 'json-modules',
    transform(context) {
      if (!context.path.endsWith('.json') || context.request.get('sec-fetch-dest') !== 'script') return undefined;
      return { body: `export default ${context.body};`, headers: { 'content-type': 'text/javascript' }, transformCache: false };
    },
  };
}

/**
 * Serves the CommonJS packages that the sources import (fft.js: `module.exports = FFT`) as ES modules
 * with a default export, as esbuild's bundling does in the build.
 */
function commonJsDefaultPlugin(packages) {
  return {
    name: 'commonjs-default',
    transform(context) {
      if (!packages.some((name) => context.path.includes(`/node_modules/${name}/`))) return undefined;
      return { body: `const module = { exports: {} };\nconst exports = module.exports;\n${context.body}\nexport default module.exports;\n` };
    },
  };
}

/**
 * Leaves the built files in dist/ as they are: they are bundled already, and onnxruntime's loader
 * (ort-wasm-simd-threaded.mjs, which the model Worker imports) names Node's `module` in a branch for Node,
 * which node-resolve cannot resolve for the browser (the model could not load in these tests).
 */
function builtAsIsPlugin() {
  return {
    name: 'built-as-is',
    resolveImport({ source, context }) {
      return context.path.startsWith('/dist/') ? source : undefined;
    },
  };
}

export default {
  files: 'test/browser/**/*.test.ts',
  nodeResolve: true,
  concurrency: 1,
  concurrentBrowsers: 1,
  plugins: [builtAsIsPlugin(), esbuildPlugin({ ts: true, target: 'es2022' }), jsonModulesPlugin(), commonJsDefaultPlugin(['fft.js']), serverCommandPlugin('render-reference', './test/browser/support/engine-reference.ts', 'renderReference'), serverCommandPlugin('reference-file', './test/browser/support/reference-files.ts', 'referenceFile')],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--autoplay-policy=no-user-gesture-required',
          '--disable-quic',
        ],
      },
    }),
  ],
  // Every deadline here is only a guard against a hang (a test waits on its own events), so generous: on
  // the shared 2-core machine at a load average of 10-18 the runner's defaults (30 s to start Chromium, 20 s
  // for a page to start its tests, 2 min for a file) are within reach of files that take seconds quietly:
  // two one-test files took 132 s there. The same reasoning as HANG_GUARD_MS (test/support/hang-guard.ts).
  browserStartTimeout: 300_000,
  testsStartTimeout: 300_000,
  testsFinishTimeout: 600_000,
  testFramework: { config: { timeout: 120_000 } },
};
