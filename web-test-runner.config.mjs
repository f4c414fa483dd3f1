// Browser tests: Debian's Chromium renders the built worklet in OfflineAudioContext; a server command
// renders the same input through the engine in Node, so parity is checked against a second runtime.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { tsImport } from 'tsx/esm/api';

/** Handles `executeServerCommand('render-reference', …)` from test/browser (see engine-reference.ts). */
function engineReferencePlugin() {
  let reference;
  return {
    name: 'engine-reference',
    async executeCommand({ command, payload }) {
      if (command !== 'render-reference') return undefined;
      reference ??= tsImport('./test/browser/support/engine-reference.ts', import.meta.url);
      return (await reference).renderReference(payload);
    },
  };
}

export default {
  files: 'test/browser/**/*.test.ts',
  nodeResolve: true,
  concurrency: 1,
  concurrentBrowsers: 1,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' }), engineReferencePlugin()],
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
  testFramework: { config: { timeout: 30_000 } },
};
