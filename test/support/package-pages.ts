/**
 * Two Chromium pages on the built package (dist/), served by demo/serve.mjs: one cross-origin isolated
 * (shared memory) and one not (port messages), for tests that run `createUpmixer` in a page.
 */
import type { Server } from 'node:http';
import type { Browser, Page } from 'puppeteer-core';
import { launchChromium } from './chromium.js';

/** demo/serve.mjs (plain JavaScript; a variable, so TypeScript does not resolve it here). */
const serverModule = '../../demo/serve.mjs';
const { startDemoServer } = (await import(serverModule)) as {
  startDemoServer(options: { port: number; isolation: boolean }): Promise<{ server: Server; url: string }>;
};

/** The built package as the pages import it. */
export const PACKAGE_URL = '/dist/index.js';

export interface PackagePages {
  readonly isolatedPage: Page;
  readonly plainPage: Page;
  /** Closes the browser and both servers. */
  close(): Promise<void>;
}

/** Starts the servers and Chromium (autoplay allowed) and opens a page on each. */
export async function openPackagePages(): Promise<PackagePages> {
  const isolated = await startDemoServer({ port: 0, isolation: true });
  const plain = await startDemoServer({ port: 0, isolation: false });
  const browser: Browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
  const isolatedPage = await browser.newPage();
  await isolatedPage.goto(`${isolated.url}dist/index.js`);
  const plainPage = await browser.newPage();
  await plainPage.goto(`${plain.url}dist/index.js`);
  return {
    isolatedPage,
    plainPage,
    async close(): Promise<void> {
      await browser.close();
      isolated.server.close();
      plain.server.close();
    },
  };
}
