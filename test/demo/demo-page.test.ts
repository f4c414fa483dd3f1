/**
 * The demo page end to end in headless Chromium (puppeteer-core on Debian's Chromium), against
 * demo/serve.mjs on a free port: the example plays through the effect with the meters moving (over
 * shared memory when cross-origin isolated, over messages when not), a screenshot is kept in
 * test-artifacts/demo/, the microphone path works with Chromium's fake capture of a generated WAV, and
 * the offline render downloads an aligned stereo WAV. Needs `npm run build` (npm test runs it first).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { CHROMIUM, fakeMicrophoneFlags, launchChromium, writeFakeMicrophone } from '../support/chromium.js';
import { CHILD_NODE_FLAGS } from '../support/child-node.js';
import { HANG_GUARD_MS, pollUntil } from '../support/hang-guard.js';

const ARTIFACTS = resolve('test-artifacts', 'demo');
const SCREENSHOT = join(ARTIFACTS, 'demo-page.png');
/** The element alone, playing the hard-panned stereo example: the input's image beside the output's. */
const STEREO_SCREENSHOT = join(ARTIFACTS, 'stereo-example-element.png');
/** The element after a reference mix was dropped on its style drop zone. */
const STYLE_SCREENSHOT = join(ARTIFACTS, 'style-reference-element.png');
const FAKE_MIC = join(ARTIFACTS, 'fake-microphone.wav');
const DOWNLOADS = join(ARTIFACTS, 'downloads');


/** Starts demo/serve.mjs on a free port; resolves with its URL. */
function serve(extraArgs: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...CHILD_NODE_FLAGS, 'demo/serve.mjs', '--port', '0', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolvePromise, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`demo server did not start: ${output}`)), HANG_GUARD_MS);
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /http:\/\/[^\s]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ child, url: match[0] });
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => reject(new Error(`demo server exited (${code}): ${output}`)));
  });
}

interface Output {
  rmsLeft: number;
  rmsRight: number;
  rmsDifference: number;
  finite: boolean;
}

async function openDemo(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.setViewport({ width: 900, height: 1300 });
  await page.goto(url, { waitUntil: 'load' });
  (page as Page & { errors: string[] }).errors = errors;
  return page;
}

/** Waits until the element's meters show signal: the goniometer has a trace and the band bars are open. */
async function waitForMeters(page: Page): Promise<{ correlation: number; peak: number; bandWidth: number }> {
  await page.waitForFunction(
    () => {
      const snapshot = (document.getElementById('upmixer') as unknown as { meterSnapshot: { peak: number; bandWidth: number } }).meterSnapshot;
      return snapshot.peak > 0.01 && snapshot.bandWidth > 1;
    },
    { timeout: HANG_GUARD_MS },
  );
  return page.evaluate(() => (document.getElementById('upmixer') as unknown as { meterSnapshot: { correlation: number; peak: number; bandWidth: number } }).meterSnapshot);
}

/** The context's clock, in seconds. */
function contextTime(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { demo: { context: BaseAudioContext } }).demo.context.currentTime);
}

/**
 * The output's levels over about a second of steady playback. The first output of a node is its onset:
 * every instrument of the clip starts at once, and the effect keeps attacks dry and centred (the side is
 * ducked around them and the decorrelator's pre-delay is still filling), so a single 93 ms snapshot taken
 * as soon as the meters move can find L and R nearly equal. This waits half a second of audio past that
 * point, then pools ten snapshots taken 100 ms apart.
 */
async function measureOutput(page: Page): Promise<Output> {
  const start = await contextTime(page);
  await page.waitForFunction(
    (after: number) => (window as unknown as { demo: { context: BaseAudioContext } }).demo.context.currentTime >= after,
    { timeout: HANG_GUARD_MS },
    start + 0.5,
  );
  let left = 0;
  let right = 0;
  let difference = 0;
  let finite = true;
  const snapshots = 10;
  for (let i = 0; i < snapshots; i++) {
    const output = await page.evaluate(() => (window as unknown as { demo: { measureOutput(): Output } }).demo.measureOutput());
    left += output.rmsLeft ** 2;
    right += output.rmsRight ** 2;
    difference += output.rmsDifference ** 2;
    finite &&= output.finite;
    await new Promise((done) => setTimeout(done, 100));
  }
  return { rmsLeft: Math.sqrt(left / snapshots), rmsRight: Math.sqrt(right / snapshots), rmsDifference: Math.sqrt(difference / snapshots), finite };
}

function assertStereo(output: Output, what: string): void {
  assert.ok(output.finite, `${what}: finite`);
  assert.ok(output.rmsLeft > 0.005 && output.rmsRight > 0.005, `${what}: not silent (${JSON.stringify(output)})`);
  // Natural width on this material puts the side (L - R) well within 20 dB of the channels.
  const rms = Math.sqrt((output.rmsLeft ** 2 + output.rmsRight ** 2) / 2);
  assert.ok(output.rmsDifference > 0.1 * rms, `${what}: L != R (${JSON.stringify(output)})`);
}

describe('demo page in headless Chromium', { skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}` }, () => {
  let browser: Browser;
  const servers: ChildProcess[] = [];
  let userDataDir: string;

  before(async () => {
    assert.ok(existsSync('dist/demo.js') && existsSync('dist/upmixer.worklet.js'), 'dist/demo.js is missing: run `npm run build` first');
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(DOWNLOADS, { recursive: true });
    writeFakeMicrophone(FAKE_MIC);
    userDataDir = mkdtempSync(join(tmpdir(), 'mono-upmix-demo-'));
    browser = await launchChromium([`--user-data-dir=${userDataDir}`, '--autoplay-policy=no-user-gesture-required', ...fakeMicrophoneFlags(FAKE_MIC)]);
  });

  after(async () => {
    await browser?.close();
    for (const server of servers) server.kill();
    rmSync(userDataDir, { recursive: true, force: true });
  });

  test('cross-origin isolated: the example plays through the effect, meters over shared memory; screenshot', async () => {
    const server = await serve([]);
    servers.push(server.child);
    const page = await openDemo(browser, server.url);
    assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'COOP/COEP make the page isolated');
    await page.click('#play-example');
    const meters = await waitForMeters(page);
    assert.ok(meters.correlation > -0.5 && meters.correlation < 0.98, `correlation ${meters.correlation}`);
    assert.equal(await page.evaluate(() => (window as unknown as { demo: { node: { meterTransport: string } } }).demo.node.meterTransport), 'shared-memory');
    assertStereo(await measureOutput(page), 'example');
    // The latency table is measured in the page; each measured latency equals the reported one.
    await page.waitForFunction(() => document.querySelectorAll('#latency-rows tr').length === 4, { timeout: HANG_GUARD_MS });
    const rows = await page.$$eval('#latency-rows tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    for (const [mode, , measured, reported] of rows) assert.ok(measured.startsWith(`${reported} samples`), `${mode}: measured "${measured}" vs reported ${reported}`);
    // The learned model loads in a Worker while the fixed profile plays; the screenshot shows it in use.
    await page.waitForFunction(() => ['model', 'failed'].includes((window as unknown as { demo: { node: { modelStatus: string } } }).demo.node.modelStatus), { timeout: HANG_GUARD_MS });
    assert.equal(await page.evaluate(() => (window as unknown as { demo: { node: { modelStatus: string } } }).demo.node.modelStatus), 'model');
    await page.waitForFunction(() => /learned model/.test(document.getElementById('upmixer')?.shadowRoot?.querySelector('[part="status"]')?.textContent ?? ''), { timeout: HANG_GUARD_MS });
    await waitForMeters(page);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    // The component and its meters are on screen, with a real size.
    // (No named functions inside evaluate: tsx's keepNames would reference a helper the page lacks.)
    const boxes = await page.evaluate(() => {
      const element = document.getElementById('upmixer') as HTMLElement;
      const root = element.shadowRoot;
      const targets: [string, Element | null | undefined][] = [
        ['element', element],
        ['goniometer', root?.querySelector('[part="goniometer"]')],
        ['correlation', root?.querySelector('stereo-upmixer-correlation')],
        ['bands', root?.querySelector('stereo-upmixer-bands')],
      ];
      return targets.map(([name, target]) => {
        const rect = target?.getBoundingClientRect();
        const visible = target ? getComputedStyle(target).visibility !== 'hidden' : false;
        return { name, width: rect?.width ?? 0, height: rect?.height ?? 0, top: rect?.top ?? -1, bottom: rect?.bottom ?? Infinity, visible, viewport: window.innerHeight };
      });
    });
    for (const box of boxes) {
      assert.ok(box.visible && box.width > 50 && box.height > 10, `${box.name} has a size: ${JSON.stringify(box)}`);
      assert.ok(box.top >= 0 && box.bottom <= box.viewport, `${box.name} is in the viewport: ${JSON.stringify(box)}`);
    }
    assert.ok(readFileSync(SCREENSHOT).byteLength > 10_000, 'screenshot written');
    assert.deepEqual((page as Page & { errors: string[] }).errors, []);
    await page.close();
  });

  test('the hard-panned stereo example plays on the stereo path, input image beside output image, A/B by bypass; screenshot of the element', async () => {
    const server = await serve([]);
    servers.push(server.child);
    const page = await openDemo(browser, server.url);
    await page.click('#play-stereo-example');
    // Not waitForMeters: the band bars show the width the engine adds, and this mix is wide enough to get none.
    await page.waitForFunction(() => (document.getElementById('upmixer') as unknown as { meterSnapshot: { peak: number } }).meterSnapshot.peak > 0.01, { timeout: HANG_GUARD_MS });
    await page.waitForFunction(() => document.getElementById('upmixer')?.shadowRoot?.querySelector('[part="input-path"]')?.textContent === 'stereo path', { timeout: HANG_GUARD_MS });
    // Half the spread: the hard-left drums and the hard-right keys come in halfway.
    await page.evaluate(() => {
      (window as unknown as { demo: { node: { spread: AudioParam } } }).demo.node.spread.value = 0.5;
    });
    await page.waitForFunction(() => (document.getElementById('upmixer') as unknown as { meterSnapshot: { inputPeak: number } }).meterSnapshot.inputPeak > 0.01, { timeout: HANG_GUARD_MS });
    const layout = await page.evaluate(() => {
      const root = document.getElementById('upmixer')?.shadowRoot;
      const input = root?.querySelector('[part="input-goniometer"]')?.getBoundingClientRect();
      const output = root?.querySelector('[part="goniometer"]')?.getBoundingClientRect();
      return { inputRight: input?.right ?? Infinity, inputTop: input?.top ?? -1, inputWidth: input?.width ?? 0, outputLeft: output?.left ?? -Infinity, outputTop: output?.top ?? -2 };
    });
    assert.ok(layout.inputWidth > 50, `input image has a size: ${JSON.stringify(layout)}`);
    assert.ok(layout.inputRight <= layout.outputLeft && Math.abs(layout.inputTop - layout.outputTop) < 2, `input image beside the output's: ${JSON.stringify(layout)}`);
    assertStereo(await measureOutput(page), 'stereo example');
    const element = await page.$('#upmixer');
    await element!.screenshot({ path: STEREO_SCREENSHOT });
    assert.ok(readFileSync(STEREO_SCREENSHOT).byteLength > 10_000, 'screenshot written');
    // A/B: the element's Bypass switch plays the input (delayed), the path stays reported.
    await page.evaluate(() => (document.getElementById('upmixer')?.shadowRoot?.querySelector('[part="bypass"]') as HTMLButtonElement).click());
    await page.waitForFunction(() => (window as unknown as { demo: { node: { bypass: AudioParam } } }).demo.node.bypass.value === 1, { timeout: HANG_GUARD_MS });
    assert.match(await page.$eval('#correction', (node) => node.textContent ?? ''), /hearing A \(input\)|hearing B/);
    assert.deepEqual((page as Page & { errors: string[] }).errors, []);
    await page.close();
  });

  test('a reference mix dropped on the element\'s drop zone: its style is analysed and applied, its name shown; screenshot of the element', async () => {
    const server = await serve([]);
    servers.push(server.child);
    const page = await openDemo(browser, server.url);
    await page.click('#play-example');
    await waitForMeters(page);
    // A drop from the desktop: the bundled hard-panned mix as a File in a DataTransfer.
    await page.evaluate(async () => {
      const bytes = await (await fetch('/examples/hard-panned-stereo.wav')).arrayBuffer();
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'hard-panned-stereo.wav', { type: 'audio/wav' }));
      const picker = document.getElementById('upmixer')?.shadowRoot?.querySelector('stereo-upmixer-style');
      picker?.shadowRoot?.querySelector('[part="reference"]')?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    await page.waitForFunction(() => (window as unknown as { demo: { node: { styleName: string } } }).demo.node.styleName === 'reference: hard-panned-stereo.wav', { timeout: HANG_GUARD_MS });
    const shown = await page.evaluate(() => {
      const picker = document.getElementById('upmixer')?.shadowRoot?.querySelector('stereo-upmixer-style');
      return { zone: picker?.shadowRoot?.querySelector('[part="reference"]')?.textContent ?? '', error: picker?.shadowRoot?.querySelector('[part="style-error"]')?.textContent ?? null };
    });
    assert.match(shown.zone, /matching hard-panned-stereo\.wav/);
    assert.equal(shown.error, null);
    assertStereo(await measureOutput(page), 'with the reference\'s style');
    const element = await page.$('#upmixer');
    await element!.screenshot({ path: STYLE_SCREENSHOT });
    assert.ok(readFileSync(STYLE_SCREENSHOT).byteLength > 10_000, 'screenshot written');
    assert.deepEqual((page as Page & { errors: string[] }).errors, []);
    await page.close();
  });

  test('the offline render downloads a stereo WAV as long as the input', async () => {
    const server = await serve([]);
    servers.push(server.child);
    const page = await openDemo(browser, server.url);
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: DOWNLOADS });
    await page.click('#play-example');
    await waitForMeters(page);
    await page.click('#render');
    await page.waitForFunction(() => !(document.getElementById('download') as HTMLAnchorElement).hidden, { timeout: HANG_GUARD_MS });
    assert.equal(await page.$eval('#progress', (progress) => (progress as HTMLProgressElement).value), 1);
    const path = join(DOWNLOADS, 'mono-clip.stereo.wav');
    // The download's file is written after the link shows (no event for it here): looked for until it is there.
    assert.ok(await pollUntil(() => existsSync(path)), `${path} written`);
    const wav = readFileSync(path);
    const input = readFileSync('examples/mono-clip.wav');
    assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
    assert.equal(wav.readUInt16LE(22), 2, 'stereo');
    assert.equal(wav.readUInt32LE(24), input.readUInt32LE(24), 'same sample rate');
    const frames = (bytes: Buffer): number => {
      const dataAt = bytes.indexOf('data', 12, 'ascii');
      return bytes.readUInt32LE(dataAt + 4) / (bytes.readUInt16LE(22) * (bytes.readUInt16LE(34) / 8));
    };
    assert.equal(frames(wav), frames(input), 'as long as the input');
    await page.close();
  });

  test('microphone (Chromium fake capture of a generated WAV) reaches the output as stereo', async () => {
    const server = await serve([]);
    servers.push(server.child);
    const page = await openDemo(browser, server.url);
    assert.equal(await page.$eval('#microphone', (button) => (button as HTMLButtonElement).disabled), true, 'needs the headphones box first');
    await page.click('#headphones');
    await page.click('#microphone');
    await page.waitForFunction(() => (window as unknown as { demo: { node: { mode: string } | null } }).demo.node?.mode === 'live', { timeout: HANG_GUARD_MS });
    await waitForMeters(page);
    assertStereo(await measureOutput(page), 'microphone');
    assert.match(await page.$eval('#now-playing', (p) => p.textContent ?? ''), /microphone/);
    await page.close();
  });

  test('without COOP/COEP (--no-isolation) the page still works, meters over messages', async () => {
    const server = await serve(['--no-isolation']);
    servers.push(server.child);
    const page = await openDemo(browser, server.url);
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    await page.click('#play-example');
    await waitForMeters(page);
    assert.equal(await page.evaluate(() => (window as unknown as { demo: { node: { meterTransport: string } } }).demo.node.meterTransport), 'messages');
    assertStereo(await measureOutput(page), 'example without isolation');
    await page.close();
  });
});

test('demo server: serves only demo/, dist/ and examples/', async () => {
  const { child, url } = await serve([]);
  try {
    const root = await fetch(url, { redirect: 'manual' });
    assert.equal(root.status, 302);
    const page = await fetch(new URL('/demo/', url));
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('cross-origin-opener-policy'), 'same-origin');
    assert.equal(page.headers.get('cross-origin-embedder-policy'), 'require-corp');
    for (const path of ['/package.json', '/src/index.ts', '/demo/../package.json', '/%2e%2e/package.json', '/node_modules/lit/package.json']) {
      assert.equal((await fetch(new URL(path, url))).status, 404, path);
    }
  } finally {
    child.kill();
  }
  assert.ok(readdirSync('demo').includes('serve.mjs'));
});
