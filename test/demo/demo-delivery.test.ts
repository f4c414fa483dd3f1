/**
 * What the demo puts on the wire (DESIGN section 10), measured in headless Chromium with the DevTools
 * protocol (Network events of the page and of its Workers: the sum of `encodedDataLength`, headers and
 * compressed bodies) from page load, through Play, until the learned model is active; then a mode switch
 * and a model toggle (new nodes, new Workers) must not download the worklet, the Worker, the model or
 * onnxruntime's wasm again (the HTTP cache revalidates them: 304). Prints the figures. Needs `npm run build`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, CDPSession, Page } from 'puppeteer-core';
import { startDemoServer } from '../../demo/serve.mjs';
import { CHROMIUM, launchChromium } from '../support/chromium.js';
import { HANG_GUARD_MS } from '../support/hang-guard.js';

/** DESIGN section 10 / issue 11: at most this much from page load until the model is active. */
const BUDGET_BYTES = 4.5e6;
/** Files a node creation must not download again once the page has them. */
const ONCE_PER_PAGE = ['upmixer.worklet.js', 'cue-model.worker.js', 'cue-model.onnx', 'ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs'];

interface Transfer {
  url: string;
  status: number;
  encoding: string;
  bytes: number;
}

/** Records every finished request of the page and of the Workers it starts. */
class WireLog {
  readonly transfers: Transfer[] = [];
  private readonly pending = new Map<string, { url: string; status: number; encoding: string }>();

  watch(session: CDPSession): Promise<unknown> {
    // Request ids are unique in the browser; a Worker's script is requested by the page and finished in the Worker.
    const key = (id: string): string => id;
    session.on('Network.requestWillBeSent', (event) => {
      if (!this.pending.has(key(event.requestId))) this.pending.set(key(event.requestId), { url: event.request.url, status: 0, encoding: '' });
    });
    session.on('Network.responseReceived', (event) => {
      const entry = this.pending.get(key(event.requestId));
      if (!entry) return;
      entry.status = event.response.status;
      const headers = Object.fromEntries(Object.entries(event.response.headers).map(([name, value]) => [name.toLowerCase(), value]));
      entry.encoding = headers['content-encoding'] ?? '';
    });
    session.on('Network.loadingFinished', (event) => {
      const entry = this.pending.get(key(event.requestId));
      if (!entry) return;
      this.pending.delete(key(event.requestId));
      this.transfers.push({ ...entry, bytes: event.encodedDataLength });
    });
    return session.send('Network.enable');
  }

  total(from = 0): number {
    return this.transfers.slice(from).reduce((sum, transfer) => sum + transfer.bytes, 0);
  }

  /** Full downloads (200 with a body) of files named `name`, from transfer `from` on. */
  downloads(name: string, from = 0): Transfer[] {
    return this.transfers.slice(from).filter((transfer) => new URL(transfer.url).pathname.endsWith(`/${name}`) && transfer.status === 200 && transfer.bytes > 1000);
  }

  table(from = 0): string {
    return this.transfers
      .slice(from)
      .map((transfer) => `  ${String(transfer.bytes).padStart(9)}  ${transfer.status} ${transfer.encoding.padEnd(4)} ${new URL(transfer.url).pathname}`)
      .join('\n');
  }
}

const modelStatus = (page: Page): Promise<string | null> =>
  page.evaluate(() => (window as unknown as { demo: { node: { modelStatus: string } | null } }).demo.node?.modelStatus ?? null);

async function waitForModel(page: Page, mode: string): Promise<void> {
  await page.waitForFunction(
    (wanted: string) => {
      const node = (window as unknown as { demo: { node: { modelStatus: string; mode: string } | null } }).demo.node;
      return node?.mode === wanted && ['model', 'failed'].includes(node.modelStatus);
    },
    { timeout: HANG_GUARD_MS },
    mode,
  );
  assert.equal(await modelStatus(page), 'model');
}

describe('demo delivery: bytes on the wire', { skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}` }, () => {
  let browser: Browser;
  let server: Server;
  let url: string;
  let userDataDir: string;
  /** The server's side of the count: every byte written to the browser (headers included). */
  const sockets = new Set<Socket>();
  const written = (): number => [...sockets].reduce((sum, socket) => sum + socket.bytesWritten, 0);

  before(async () => {
    assert.ok(existsSync('dist/ort-wasm-simd-threaded.wasm.br'), 'dist/*.br are missing: run `npm run build` first');
    ({ server, url } = await startDemoServer({ port: 0 }));
    server.on('connection', (socket) => sockets.add(socket));
    userDataDir = mkdtempSync(join(tmpdir(), 'mono-upmix-delivery-'));
    browser = await launchChromium([`--user-data-dir=${userDataDir}`, '--autoplay-policy=no-user-gesture-required']);
  });

  after(async () => {
    await browser?.close();
    server?.close();
    rmSync(userDataDir, { recursive: true, force: true });
  });

  test('page load + Play until the model is active: at most 4.5 MB, compressed; a mode switch and a model toggle download none of it again', async () => {
    const page = await browser.newPage();
    const log = new WireLog();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    // Workers (the model's) have their own Network domain: attach to them as they start, paused until watched.
    const cdp = await page.createCDPSession();
    await log.watch(cdp);
    cdp.on('sessionattached', (session) => {
      void log.watch(session).then(() => session.send('Runtime.runIfWaitingForDebugger'));
    });
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: true });
    await page.goto(url, { waitUntil: 'load' });
    const loaded = log.total();
    const playedAt = Date.now();
    await page.click('#play-example');
    await page.waitForFunction(() => (document.getElementById('upmixer') as unknown as { meterSnapshot: { peak: number } }).meterSnapshot.peak > 0.01, { timeout: HANG_GUARD_MS });
    const playing = log.total();
    await waitForModel(page, 'quality');
    const modelMs = Date.now() - playedAt;
    await new Promise((done) => setTimeout(done, 500));
    const modelActive = log.total();
    const serverSent = written();
    console.log(
      `bytes on the wire (CDP encodedDataLength): page load ${loaded}, until Play sounds ${playing}, until the model is active ${modelActive}; ` +
        `the server wrote ${serverSent} (budget ${BUDGET_BYTES})\n${log.table()}`,
    );
    // How the model keeps up in quality mode once active (late frames: cues not back in time), over 5 s.
    const before = await page.evaluate(() => (window as unknown as { demo: { node: { getStats(): Promise<{ lateFrames: number; modelFrames: number }> } } }).demo.node.getStats());
    await new Promise((done) => setTimeout(done, 5000));
    const stats = await page.evaluate(() => (window as unknown as { demo: { node: { getStats(): Promise<{ lateFrames: number; modelFrames: number }> } } }).demo.node.getStats());
    console.log(
      `from the click on Play to the model's cues in use: ${modelMs} ms; then in 5 s of quality mode: ${stats.modelFrames - before.modelFrames} frames on model cues, ${stats.lateFrames - before.lateFrames} late`,
    );
    assert.ok(modelActive <= BUDGET_BYTES, `${modelActive} bytes > ${BUDGET_BYTES}`);
    assert.ok(serverSent <= BUDGET_BYTES, `the server wrote ${serverSent} bytes > ${BUDGET_BYTES}`);
    const wasm = log.downloads('ort-wasm-simd-threaded.wasm');
    assert.equal(wasm.length, 1, 'the wasm once');
    assert.equal(wasm[0].encoding, 'br', 'the wasm compressed');
    for (const name of ONCE_PER_PAGE) assert.ok(log.downloads(name).length <= 1, `${name} downloaded ${log.downloads(name).length} times`);

    // New nodes (live mode, then the model off and on again): each starts a Worker; nothing is downloaded again.
    // (Once, with another browser test running beside it, a full set was downloaded again here; a second of
    // quiet first lets the HTTP cache finish writing the entries it has just revalidated.)
    await new Promise((done) => setTimeout(done, 1000));
    const mark = log.transfers.length;
    const serverMark = written();
    await page.evaluate(() => {
      (document.getElementById('upmixer') as unknown as { mode: string }).mode = 'live';
    });
    await waitForModel(page, 'live');
    for (const on of [false, true]) {
      await page.evaluate((value: boolean) => {
        (document.getElementById('upmixer') as unknown as { model: boolean }).model = value;
      }, on);
      await page.waitForFunction((value: boolean) => ((window as unknown as { demo: { node: { modelStatus: string } } }).demo.node.modelStatus !== 'off') === value, { timeout: HANG_GUARD_MS }, on);
    }
    await waitForModel(page, 'live');
    const switched = log.total(mark);
    const serverSwitched = written() - serverMark;
    console.log(`bytes on the wire for a mode switch and a model toggle (three new nodes): ${switched}; the server wrote ${serverSwitched}\n${log.table(mark)}`);
    assert.ok(serverSwitched < 50_000, `the server wrote ${serverSwitched} bytes`);
    for (const name of ONCE_PER_PAGE) assert.equal(log.downloads(name, mark).length, 0, `${name} downloaded again`);
    assert.ok(switched < 50_000, `${switched} bytes`);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
