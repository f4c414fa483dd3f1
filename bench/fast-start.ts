/**
 * How soon the learned model's cues are in use after Play on the demo page (served by demo/serve.mjs,
 * headless Chromium with a fresh profile each time): Play clicked as soon as the page has loaded, and
 * after a few seconds on the page (the `preload` attribute has started the model's Worker by then).
 * The time runs from the click to the node's `modelStatus` turning `model` (polled every animation
 * frame), as test/demo/demo-delivery.test.ts measures it. Needs `npm run build`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoServer } from '../demo/serve.mjs';
import { launchChromium } from '../test/support/chromium.js';

/** How long after the page's load event Play is clicked, ms. */
export const PLAY_DELAYS_MS = [0, 3000];

/** Milliseconds from the click on Play to the model's cues in use, per delay in {@link PLAY_DELAYS_MS}. */
export async function measureFastStart(): Promise<number[]> {
  const { server, url } = await startDemoServer({ port: 0 });
  const times: number[] = [];
  try {
    for (const delay of PLAY_DELAYS_MS) {
      const userDataDir = mkdtempSync(join(tmpdir(), 'mono-upmix-fast-start-'));
      const browser = await launchChromium([`--user-data-dir=${userDataDir}`, '--autoplay-policy=no-user-gesture-required']);
      try {
        const page = await browser.newPage();
        await page.goto(url, { waitUntil: 'load' });
        await new Promise((done) => setTimeout(done, delay));
        const clicked = Date.now();
        await page.click('#play-example');
        await page.waitForFunction(
          () => {
            const node = (window as unknown as { demo: { node: { modelStatus: string } | null } }).demo.node;
            return node !== null && ['model', 'failed'].includes(node.modelStatus);
          },
          { timeout: 90_000 },
        );
        const status = await page.evaluate(() => (window as unknown as { demo: { node: { modelStatus: string } } }).demo.node.modelStatus);
        if (status !== 'model') throw new Error(`the demo's model did not load (${status})`);
        times.push(Date.now() - clicked);
      } finally {
        await browser.close();
        rmSync(userDataDir, { recursive: true, force: true });
      }
    }
  } finally {
    server.close();
  }
  return times;
}
