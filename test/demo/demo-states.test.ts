/**
 * The demo's states in headless Chromium: before Play the element says there is no audio yet (the
 * model's files preloading); the microphone switches the upmixer to live mode visibly, Render is
 * disabled while it is the source, and Stop undoes both; the element's Bypass is the one A/B control.
 * Needs `npm run build`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { startDemoServer } from '../../demo/serve.mjs';
import { CHROMIUM, fakeMicrophoneFlags, launchChromium, writeFakeMicrophone } from '../support/chromium.js';
import { HANG_GUARD_MS } from '../support/hang-guard.js';



const statusText = (page: Page): Promise<string> => page.evaluate(() => document.getElementById('upmixer')?.shadowRoot?.querySelector('[part="status"]')?.textContent ?? '');
const mode = (page: Page): Promise<string> => page.evaluate(() => (document.getElementById('upmixer') as unknown as { mode: string }).mode);
const renderDisabled = (page: Page): Promise<boolean> => page.$eval('#render', (button) => (button as HTMLButtonElement).disabled);

describe('demo states', { skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}` }, () => {
  let browser: Browser;
  let server: Server;
  let url: string;
  let dir: string;

  before(async () => {
    assert.ok(existsSync('dist/demo.js'), 'dist/demo.js is missing: run `npm run build` first');
    ({ server, url } = await startDemoServer({ port: 0 }));
    dir = mkdtempSync(join(tmpdir(), 'mono-upmix-states-'));
    writeFakeMicrophone(join(dir, 'tone.wav'));
    browser = await launchChromium([`--user-data-dir=${join(dir, 'profile')}`, '--autoplay-policy=no-user-gesture-required', ...fakeMicrophoneFlags(join(dir, 'tone.wav'))]);
  });

  after(async () => {
    await browser?.close();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('before Play, the microphone in live mode and back, Render off meanwhile, one A/B control', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(url, { waitUntil: 'load' });
    assert.match(await statusText(page), /^no audio yet · (downloading the model…|model downloaded, starts with the audio)$/);
    await page.waitForFunction(() => /model downloaded/.test(document.getElementById('upmixer')?.shadowRoot?.querySelector('[part="status"]')?.textContent ?? ''), { timeout: HANG_GUARD_MS });
    assert.equal(await renderDisabled(page), true, 'nothing to render yet');
    assert.equal(await page.$('#ab'), null, 'no second A/B button: the element has Bypass');

    await page.click('#play-example');
    await page.waitForFunction(() => (window as unknown as { demo: { node: unknown } }).demo.node !== null, { timeout: HANG_GUARD_MS });
    await page.waitForFunction(() => !(document.getElementById('render') as HTMLButtonElement).disabled, { timeout: HANG_GUARD_MS });
    assert.equal(await mode(page), 'quality');

    await page.click('#headphones');
    await page.click('#microphone');
    await page.waitForFunction(() => (window as unknown as { demo: { node: { mode: string } | null } }).demo.node?.mode === 'live', { timeout: HANG_GUARD_MS });
    assert.match(await page.$eval('#now-playing', (p) => p.textContent ?? ''), /switched the upmixer from quality to live mode.*Stop switches it back/);
    assert.equal(await renderDisabled(page), true, 'Render is off while the microphone is the source');
    assert.match(await page.$eval('#render-note', (p) => p.textContent ?? ''), /microphone cannot be rendered/);

    await page.click('#stop');
    await page.waitForFunction(() => (window as unknown as { demo: { node: { mode: string } | null } }).demo.node?.mode === 'quality', { timeout: HANG_GUARD_MS });
    assert.equal(await mode(page), 'quality');
    assert.match(await page.$eval('#now-playing', (p) => p.textContent ?? ''), /back in quality mode/);
    assert.equal(await renderDisabled(page), false, 'the last file can be rendered again');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
