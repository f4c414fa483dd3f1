/**
 * Runs every example of README.md as written. The TypeScript ones are bundled with esbuild the way a
 * user's bundler would (against the built package: `mono-upmix` resolves through package.json's
 * exports to dist/), the plain-page HTML one is served as it is beside dist/ (`ui.bundle.js`), and each
 * page is opened in headless Chromium without the autoplay flag: the test clicks the page (the user
 * gesture the examples wait for) and listens to what reaches the context's destination (a tap on
 * `connect(destination)`), which must be stereo and not silent, with L != R. The engine example (no Web
 * Audio) runs in Node. Needs `npm run build`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import type { Browser } from 'puppeteer-core';
import { CHILD_NODE_FLAGS } from '../support/child-node.js';
import { CHROMIUM, fakeMicrophoneFlags, launchChromium, writeFakeMicrophone } from '../support/chromium.js';
import { HANG_GUARD_MS } from '../support/hang-guard.js';

const WORK = resolve('test-artifacts', 'readme-run');
const FAKE_MIC = join(WORK, 'fake-microphone.wav');

interface Example {
  /** Which README section it is in. */
  readonly section: string;
  readonly language: 'ts' | 'html';
  readonly code: string;
}

function readmeExamples(): Example[] {
  const readme = readFileSync('README.md', 'utf8');
  const examples: Example[] = [];
  let section = '';
  const pattern = /^## (.*)$|^```(ts|html)\n([\s\S]*?)^```/gm;
  for (const match of readme.matchAll(pattern)) {
    if (match[1] !== undefined) section = match[1];
    else examples.push({ section, language: match[2] as 'ts' | 'html', code: match[3] });
  }
  return examples;
}


/**
 * Injected before the page's scripts: every `connect(destination)` also feeds a per-context tap (2
 * channels, speakers interpretation, as the destination hears it) with an analyser per channel.
 */
const TAP_SCRIPT = `(() => {
  const taps = [];
  window.__readmeTaps = taps;
  const connect = AudioNode.prototype.connect;
  AudioNode.prototype.connect = function (destination, output, input) {
    if (destination instanceof AudioDestinationNode) {
      const context = destination.context;
      let tap = taps.find((t) => t.context === context);
      if (!tap) {
        const gain = new GainNode(context, { channelCount: 2, channelCountMode: 'explicit', channelInterpretation: 'speakers' });
        const splitter = new ChannelSplitterNode(context, { numberOfOutputs: 2 });
        const left = new AnalyserNode(context, { fftSize: 4096 });
        const right = new AnalyserNode(context, { fftSize: 4096 });
        connect.call(gain, splitter);
        connect.call(splitter, left, 0);
        connect.call(splitter, right, 1);
        tap = { context, gain, left, right };
        taps.push(tap);
      }
      connect.call(this, tap.gain, output ?? 0);
    }
    return connect.apply(this, arguments);
  };
})();`;

interface Levels {
  rmsLeft: number;
  rmsRight: number;
  rmsDifference: number;
  finite: boolean;
  state: string;
}

describe('README examples run as written', { skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}` }, () => {
  const examples = readmeExamples();
  const bundles = new Map<number, string>();
  let server: Server;
  let base: string;
  let browser: Browser;
  let userDataDir: string;

  before(async () => {
    assert.ok(existsSync('dist/ui.bundle.js') && existsSync('dist/index.js'), 'dist/ is missing: run `npm run build` first');
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(join(WORK, 'node_modules'), { recursive: true });
    // As installed: node_modules/mono-upmix is the package (its package.json's exports point into dist/).
    symlinkSync(resolve('.'), join(WORK, 'node_modules', 'mono-upmix'), 'dir');
    writeFakeMicrophone(FAKE_MIC);
    // Each page is /example/N/; the bundle's neighbours (worklet, Worker, model, wasm) are dist/'s files,
    // as a bundler that copies `new URL('./x', import.meta.url)` assets would put them.
    server = createServer((request, response) => {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      const match = /^\/example\/(\d+)\/(.*)$/.exec(path);
      const sendFile = (file: string, type: string): void => {
        if (!existsSync(file)) {
          response.writeHead(404).end();
          return;
        }
        response.writeHead(200, { 'content-type': type }).end(readFileSync(file));
      };
      const typeOf = (name: string): string =>
        name.endsWith('.js') || name.endsWith('.mjs') ? 'text/javascript' : name.endsWith('.wasm') ? 'application/wasm' : name.endsWith('.wav') ? 'audio/wav' : 'application/octet-stream';
      if (path === '/audio/mono.wav') return sendFile('examples/mono-clip.wav', 'audio/wav');
      // The reference mix of the style examples: the bundled hard-panned stereo mix.
      if (path === '/audio/reference.wav') return sendFile('examples/hard-panned-stereo.wav', 'audio/wav');
      if (path === '/favicon.ico') return void response.writeHead(204).end();
      if (match === null) return void response.writeHead(404).end();
      const index = Number(match[1]);
      const rest = match[2];
      const example = examples[index];
      if (rest === '') {
        const body = example.language === 'html' ? example.code : '<script type="module" src="example.js"></script>';
        return void response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><meta charset="utf-8"><title>README example ${index}</title><body>${body}</body></html>`);
      }
      if (rest === 'example.js' && bundles.has(index)) return void response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundles.get(index));
      const name = rest.startsWith('node_modules/mono-upmix/dist/') ? rest.slice('node_modules/mono-upmix/dist/'.length) : rest;
      if (name.includes('/') || name.includes('..')) return void response.writeHead(404).end();
      sendFile(join('dist', basename(name)), typeOf(name));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    userDataDir = mkdtempSync(join(tmpdir(), 'mono-upmix-readme-'));
    browser = await launchChromium([`--user-data-dir=${userDataDir}`, ...fakeMicrophoneFlags(FAKE_MIC)]);
  });

  after(async () => {
    await browser?.close();
    server?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  test('the README has the examples this test expects', () => {
    const sections = examples.map((example) => `${example.section} (${example.language})`);
    assert.ok(examples.length >= 7, sections.join(', '));
    assert.ok(examples.some((example) => example.language === 'html'), 'a plain-page example');
  });

  for (const [index, example] of examples.entries()) {
    const usesWebAudio = example.language === 'html' || /AudioContext|Tone\.|initializeWamHost/.test(example.code);
    const name = `${index}: ${example.section} (${example.language}, ${example.code.split('\n').length} lines)`;
    if (!usesWebAudio) {
      test(`${name} runs in Node`, async () => {
        const result = await build({ stdin: { contents: example.code, loader: 'ts', resolveDir: WORK }, bundle: true, format: 'esm', platform: 'node', write: false, packages: 'external', logLevel: 'silent' });
        const file = join(WORK, `example-${index}.mjs`);
        writeFileSync(file, result.outputFiles[0].text);
        // Plain `node example.mjs` but for CHILD_NODE_FLAGS (a Node 20 deadlock at exit, see there); the
        // deadline only guards against a hang (the example runs in about 0.1 s alone).
        await promisify(execFile)(process.execPath, [...CHILD_NODE_FLAGS, file], { cwd: WORK, encoding: 'utf8', timeout: HANG_GUARD_MS });
      });
      continue;
    }
    test(`${name} sounds in stereo in Chromium after a click`, async () => {
      if (example.language === 'ts') {
        const result = await build({ stdin: { contents: example.code, loader: 'ts', resolveDir: WORK }, bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
        bundles.set(index, result.outputFiles[0].text);
      }
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`${message.text()} ${message.location().url ?? ''}`);
      });
      await page.evaluateOnNewDocument(TAP_SCRIPT);
      await page.goto(`${base}/example/${index}/`, { waitUntil: 'load' });
      // The user's gesture: a click (on the example's button where it has one), until the audio runs. The
      // example may connect to the destination only after loading the worklet (and the model), which on a
      // loaded machine takes a while: clicks go on until then (HANG_GUARD_MS only guards against a hang).
      const running = async (): Promise<boolean> =>
        page.evaluate(() => ((window as unknown as { __readmeTaps: { context: BaseAudioContext }[] }).__readmeTaps ?? []).some((tap) => tap.context.state === 'running'));
      for (const start = Date.now(); Date.now() - start < HANG_GUARD_MS && !(await running()); ) {
        if (await page.$('button')) await page.click('button');
        else await page.mouse.click(5, 5);
        await new Promise((done) => setTimeout(done, 200));
      }
      assert.ok(await running(), `the audio runs after a click (errors: ${errors.join('; ')})`);
      // The levels the tap hears now (the last 4096 samples of each channel).
      const snapshot = async (): Promise<Levels> =>
        page.evaluate(() => {
          const tap = (window as unknown as { __readmeTaps: { context: BaseAudioContext; left: AnalyserNode; right: AnalyserNode }[] }).__readmeTaps.find((t) => t.context.state === 'running');
          if (!tap) return { rmsLeft: 0, rmsRight: 0, rmsDifference: 0, finite: true, state: 'none' };
          const left = new Float32Array(tap.left.fftSize);
          const right = new Float32Array(tap.right.fftSize);
          tap.left.getFloatTimeDomainData(left);
          tap.right.getFloatTimeDomainData(right);
          let ll = 0;
          let rr = 0;
          let dd = 0;
          let finite = true;
          for (let k = 0; k < left.length; k++) {
            if (!Number.isFinite(left[k]) || !Number.isFinite(right[k])) finite = false;
            ll += left[k] ** 2;
            rr += right[k] ** 2;
            dd += (left[k] - right[k]) ** 2;
          }
          const n = left.length;
          return { rmsLeft: Math.sqrt(ll / n), rmsRight: Math.sqrt(rr / n), rmsDifference: Math.sqrt(dd / n), finite, state: tap.context.state };
        });
      // The first sound at the destination: a microphone (Chromium's fake capture) or a decoded file can
      // start late on a loaded machine, so wait for it, and say how long it took (two runs beside four other
      // suites, at a load average of 10-18, heard nothing within 10 s, not even the mid; HANG_GUARD_MS only
      // guards against a hang); then half a second to settle and ten snapshots 100 ms apart, pooled.
      const clicked = Date.now();
      let heard = false;
      while (!heard && Date.now() - clicked < HANG_GUARD_MS) {
        await new Promise((done) => setTimeout(done, 100));
        const levels = await snapshot();
        heard = levels.rmsLeft > 0.005 && levels.rmsRight > 0.005;
      }
      console.log(`example ${name}: first sound ${heard ? `${Date.now() - clicked} ms` : `not within ${HANG_GUARD_MS / 1000} s`} after the audio ran`);
      await new Promise((done) => setTimeout(done, 500));
      const snapshots: Levels[] = [];
      for (let i = 0; i < 10; i++) {
        snapshots.push(await snapshot());
        await new Promise((done) => setTimeout(done, 100));
      }
      const pooled = (key: 'rmsLeft' | 'rmsRight' | 'rmsDifference'): number => Math.sqrt(snapshots.reduce((sum, s) => sum + s[key] ** 2, 0) / snapshots.length);
      const levels = { rmsLeft: pooled('rmsLeft'), rmsRight: pooled('rmsRight'), rmsDifference: pooled('rmsDifference') };
      console.log(`example ${name}: ${JSON.stringify(levels)}`);
      assert.ok(snapshots.every((s) => s.finite), 'finite');
      assert.ok(levels.rmsLeft > 0.005 && levels.rmsRight > 0.005, `not silent: ${JSON.stringify(levels)}`);
      const rms = Math.sqrt((levels.rmsLeft ** 2 + levels.rmsRight ** 2) / 2);
      assert.ok(levels.rmsDifference > 0.05 * rms, `L != R: ${JSON.stringify(levels)}`);
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
});
