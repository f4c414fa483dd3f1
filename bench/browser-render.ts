/**
 * Render speed of the upmixer worklet in Chromium's OfflineAudioContext, against a copy-only worklet
 * rendered in the same browser session, one node and many side by side. Uses Debian's Chromium through
 * puppeteer-core.
 */
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import puppeteer from 'puppeteer-core';

export interface RenderSpeed {
  /** Audio rendered through one node, seconds. */
  seconds: number;
  /** Audio rendered through {@link RenderSpeed.instances} nodes side by side in one context, seconds. */
  manySeconds: number;
  instances: number;
  /**
   * Wall-clock render time in seconds per variant: one node (`live`, `quality`, `copy-live`,
   * `copy-quality`), and the instances side by side (`many-quality`, `many-copy`).
   */
  results: Record<string, number>;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function serve(routes: Record<string, { type: string; body: string | Buffer }>): Promise<Server> {
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

export async function measureRenderSpeed(): Promise<RenderSpeed> {
  const bundle = await build({ entryPoints: ['bench/browser-render.page.js'], bundle: true, format: 'esm', write: false, logLevel: 'warning' });
  const js = 'text/javascript';
  const server = await serve({
    '/': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>' },
    '/page.js': { type: js, body: bundle.outputFiles[0].text },
    '/upmixer.worklet.js': { type: js, body: await readFile('dist/upmixer.worklet.js') },
    '/copy.worklet.js': { type: js, body: await readFile('bench/copy.worklet.js') },
  });
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    const page = await browser.newPage();
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction('window.benchResult !== undefined', { timeout: 300_000 });
    const result = (await page.evaluate('window.benchResult')) as RenderSpeed | { error: string };
    if ('error' in result) throw new Error(`render bench failed in the page: ${result.error}`);
    return result;
  } finally {
    await browser.close();
    server.close();
  }
}
