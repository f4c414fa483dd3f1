/**
 * The demo page and `<stereo-upmixer>` at 320 and 360 px wide, measured in headless Chromium while the
 * example plays: no sideways scroll, nothing wider than the viewport, the element's parts (goniometer,
 * correlation meter with its -1 .. +1 scale, band bars, sliders, switches) inside the panel and not on
 * top of each other, slider labels on one line with the tracks of a row aligned, the file input inside
 * its card. Screenshots go to test-artifacts/layout/ (demo-320.png, demo-360.png, element-320.png,
 * element-360.png). Needs `npm run build`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { startDemoServer } from '../../demo/serve.mjs';
import { CHROMIUM, launchChromium } from '../support/chromium.js';
import { HANG_GUARD_MS } from '../support/hang-guard.js';

const ARTIFACTS = resolve('test-artifacts', 'layout');

interface Box {
  name: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

interface Layout {
  innerWidth: number;
  scrollWidth: number;
  /** Light-DOM elements wider than the viewport or past its right edge. */
  overflowing: string[];
  panel: Box;
  /** The element's parts that must not overlap each other. */
  parts: Box[];
  /** The correlation meter's scale labels (-1, 0, +1). */
  scale: Box[];
  correlationTrack: Box;
  /** Per slider: its label row's height and line height, and its track's box. */
  sliders: { name: string; labelHeight: number; lineHeight: number; track: Box; host: Box }[];
  fileInput: Box;
  fileCard: Box;
}

/** Everything measured in one evaluate (a string: tsx's keepNames would wrap named helpers in a function the page lacks). */
const MEASURE = `(() => {
  const box = (name, element) => {
    const rect = element ? element.getBoundingClientRect() : null;
    return { name, left: rect ? rect.left : NaN, top: rect ? rect.top : NaN, right: rect ? rect.right : NaN, bottom: rect ? rect.bottom : NaN };
  };
  const element = document.getElementById('upmixer');
  const root = element.shadowRoot;
  const overflowing = [];
  for (const node of document.querySelectorAll('body *')) {
    const rect = node.getBoundingClientRect();
    if (rect.width > 0 && (rect.right > window.innerWidth + 0.5 || rect.left < -0.5)) overflowing.push(node.tagName.toLowerCase() + '#' + node.id + ' ' + Math.round(rect.left) + '..' + Math.round(rect.right));
  }
  const correlation = root.querySelector('stereo-upmixer-correlation').shadowRoot;
  const parts = [
    box('goniometer', root.querySelector('[part="goniometer"]')),
    box('correlation', root.querySelector('stereo-upmixer-correlation')),
    box('bands', root.querySelector('stereo-upmixer-bands')),
    ...[...root.querySelectorAll('stereo-upmixer-slider')].map((slider) => box('slider ' + slider.getAttribute('part'), slider)),
    ...[...root.querySelectorAll('.switches > *')].map((item) => box('switch ' + (item.getAttribute('part') || item.className), item)),
    box('header title', root.querySelector('.title')),
    box('header status', root.querySelector('.status')),
    box('header latency', root.querySelector('.latency')),
  ];
  const sliders = [...root.querySelectorAll('stereo-upmixer-slider')].map((slider) => {
    const shadow = slider.shadowRoot;
    const label = shadow.querySelector('[part="label"]');
    const style = getComputedStyle(label);
    return {
      name: slider.getAttribute('part') || '',
      labelHeight: shadow.querySelector('.row').getBoundingClientRect().height,
      lineHeight: parseFloat(style.lineHeight) || 1.2 * parseFloat(style.fontSize),
      track: box('track', shadow.querySelector('[part="slider"]')),
      host: box(slider.getAttribute('part') || '', slider),
    };
  });
  const file = document.getElementById('file');
  return {
    innerWidth: window.innerWidth,
    scrollWidth: document.scrollingElement.scrollWidth,
    overflowing,
    panel: box('panel', root.querySelector('.panel')),
    parts,
    scale: [...correlation.querySelectorAll('[part="scale"] span')].map((span) => box(span.textContent || '', span)),
    correlationTrack: box('track', correlation.querySelector('[part="track"]')),
    sliders,
    fileInput: box('file', file),
    fileCard: box('card', file.closest('.card')),
  };
})()`;

const measure = (page: Page): Promise<Layout> => page.evaluate(MEASURE) as Promise<Layout>;

const intersects = (a: Box, b: Box): boolean => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
const inside = (inner: Box, outer: Box): boolean => inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5 && inner.top >= outer.top - 0.5 && inner.bottom <= outer.bottom + 0.5;

describe('demo and element layout at phone widths', { skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}` }, () => {
  let browser: Browser;
  let server: Server;
  let url: string;
  let userDataDir: string;

  before(async () => {
    assert.ok(existsSync('dist/demo.js'), 'dist/demo.js is missing: run `npm run build` first');
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ server, url } = await startDemoServer({ port: 0 }));
    userDataDir = mkdtempSync(join(tmpdir(), 'mono-upmix-layout-'));
    browser = await launchChromium([`--user-data-dir=${userDataDir}`, '--autoplay-policy=no-user-gesture-required', '--hide-scrollbars']);
  });

  after(async () => {
    await browser?.close();
    server?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  for (const width of [320, 360]) {
    test(`${width} px: no sideways scroll, no overlap; screenshots`, async () => {
      const page = await browser.newPage();
      // Not isMobile: a mobile viewport zooms out to fit wider content, which would hide the overflow.
      await page.setViewport({ width, height: 800, deviceScaleFactor: 1 });
      await page.goto(url, { waitUntil: 'load' });
      await page.click('#play-example');
      await page.waitForFunction(() => (document.getElementById('upmixer') as unknown as { meterSnapshot: { peak: number } }).meterSnapshot.peak > 0.01, { timeout: HANG_GUARD_MS });
      await new Promise((done) => setTimeout(done, 500));
      await page.screenshot({ path: join(ARTIFACTS, `demo-${width}.png`), fullPage: true });
      const element = await page.$('#upmixer');
      await element?.screenshot({ path: join(ARTIFACTS, `element-${width}.png`) });
      const layout = await measure(page);
      const report = JSON.stringify(layout);
      assert.equal(layout.innerWidth, width, 'the viewport is as wide as asked');
      assert.deepEqual(layout.overflowing, [], 'elements past the viewport');
      assert.ok(layout.scrollWidth <= layout.innerWidth, `sideways scroll: scrollWidth ${layout.scrollWidth} > ${layout.innerWidth}`);
      assert.ok(inside(layout.fileInput, layout.fileCard), `the file input inside its card: ${JSON.stringify([layout.fileInput, layout.fileCard])}`);
      for (const part of layout.parts) assert.ok(inside(part, layout.panel), `${part.name} inside the panel: ${JSON.stringify([part, layout.panel])}`);
      for (let i = 0; i < layout.parts.length; i++) {
        for (let j = i + 1; j < layout.parts.length; j++) {
          assert.ok(!intersects(layout.parts[i], layout.parts[j]), `${layout.parts[i].name} overlaps ${layout.parts[j].name}: ${JSON.stringify([layout.parts[i], layout.parts[j]])}`);
        }
      }
      // The correlation scale: -1, 0, +1 all shown, in order, within the track's span, not on top of each other.
      assert.deepEqual(layout.scale.map((label) => label.name), ['-1', '0', '+1']);
      for (const label of layout.scale) assert.ok(label.right - label.left > 0 && inside(label, layout.panel), `scale label ${label.name} visible: ${report}`);
      assert.ok(layout.scale[0].left >= layout.correlationTrack.left - 0.5 && layout.scale[2].right <= layout.correlationTrack.right + 0.5, `scale over the track: ${report}`);
      assert.ok(layout.scale[0].right <= layout.scale[1].left && layout.scale[1].right <= layout.scale[2].left, `scale labels apart: ${report}`);
      // Slider labels on one line; the tracks of sliders side by side at the same height.
      for (const slider of layout.sliders) assert.ok(slider.labelHeight < 1.5 * slider.lineHeight, `${slider.name}: label wraps (${slider.labelHeight} px for ${slider.lineHeight} px lines)`);
      for (const a of layout.sliders) {
        for (const b of layout.sliders) {
          if (Math.abs(a.host.top - b.host.top) < 1) assert.ok(Math.abs(a.track.top - b.track.top) < 1, `${a.name} and ${b.name} tracks aligned: ${a.track.top} vs ${b.track.top}`);
        }
      }
      await page.close();
    });
  }
});
