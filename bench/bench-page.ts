/**
 * Runs a bench page in Debian's Chromium (puppeteer-core): serves its files from memory, waits for the
 * page to publish `window.benchResult`, and lets the page time its threads' CPU through
 * `window.benchThreadCpu('start')`, then `window.benchThreadCpu('render' | 'main')` (CPU seconds since
 * the start, or null: see thread-cpu.ts).
 */
import { build } from 'esbuild';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { launchChromium } from '../test/support/chromium.js';
import { ThreadCpuMeter, type BenchThread } from './thread-cpu.js';

/** A served file: its content type and body. */
export interface Route {
  type: string;
  body: string | Buffer;
}

export const JS = 'text/javascript';

/** One ES module bundled by esbuild (the pages and the bench's own worklets; es2022, minified only if `options` say so), as a route. */
export async function bundleRoute(entry: string, options: { minify?: boolean } = {}): Promise<Route> {
  const bundle = await build({ entryPoints: [entry], bundle: true, format: 'esm', target: 'es2022', minify: options.minify ?? false, write: false, logLevel: 'warning' });
  return { type: JS, body: bundle.outputFiles[0].text };
}

async function serve(routes: Record<string, Route>): Promise<Server> {
  const server = createServer((request, response) => {
    const route = routes[request.url ?? '/'];
    if (!route) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': route.type }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/**
 * Loads `/` (a page that runs the module at `/page.js`, which `routes` must hold) in a Chromium started
 * with `chromiumFlags` too, and returns what it publishes on `window.benchResult`; throws if that is
 * `{ error }`.
 */
export async function runBenchPage<T>(routes: Record<string, Route>, timeoutMs = 300_000, chromiumFlags: readonly string[] = []): Promise<T> {
  const server = await serve({
    '/': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>' },
    ...routes,
  });
  const browser = await launchChromium(chromiumFlags);
  try {
    const page = await browser.newPage();
    const meter = new ThreadCpuMeter(browser.process()?.pid ?? -1);
    await page.exposeFunction('benchThreadCpu', (command: 'start' | BenchThread) => {
      if (command === 'start') {
        meter.start();
        return null;
      }
      return meter.read(command);
    });
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction('window.benchResult !== undefined', { timeout: timeoutMs });
    const result = (await page.evaluate('window.benchResult')) as T | { error: string };
    if (typeof result === 'object' && result !== null && 'error' in result) throw new Error(`bench page failed: ${result.error}`);
    return result as T;
  } finally {
    await browser.close();
    server.close();
  }
}
