/**
 * The demo page with the files a listener may pick, in headless Chromium: a file that cannot be decoded
 * or holds no samples is named in the message, a microphone that cannot be opened is said, and what
 * played goes on; a 6-channel file is described as
 * such; a file picked later plays even when an earlier pick finishes decoding after it, and Stop cancels
 * a pick still decoding; the download keeps the rendered file's name when another is picked meanwhile; a
 * PCM export is kept under the -1 dBFS ceiling (as the CLI's) instead of clipping; a page that is not a
 * secure context (no AudioWorklet) says so and what to open instead. Decoding and the
 * offline render are held by a gate the test opens, so the order of events is the test's, not the
 * machine's. Needs `npm run build`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { startDemoServer } from '../../demo/serve.mjs';
import { encodeSamples } from '../../src/cli/sample-codec.js';
import { BYTES_PER_SAMPLE, wavHeader } from '../../src/cli/wav-format.js';
import { CHROMIUM, launchChromium } from '../support/chromium.js';
import { HANG_GUARD_MS, pollUntil } from '../support/hang-guard.js';

/**
 * Injected before the page's scripts: while `__hold` is true, each decodeAudioData and startRendering
 * result waits in `__held` until the test calls it (which passes the result on); while `__holdResume` is
 * true, an OfflineAudioContext's resume() itself waits there (a render stays at a progress step).
 */
const GATE_SCRIPT = `(() => {
  window.__hold = false;
  window.__holdResume = false;
  window.__held = [];
  const gate = (original) => function (...args) {
    const result = original.apply(this, args);
    if (!window.__hold) return result;
    return new Promise((resolve, reject) => window.__held.push(() => result.then(resolve, reject)));
  };
  BaseAudioContext.prototype.decodeAudioData = gate(BaseAudioContext.prototype.decodeAudioData);
  OfflineAudioContext.prototype.startRendering = gate(OfflineAudioContext.prototype.startRendering);
  const resume = OfflineAudioContext.prototype.resume;
  OfflineAudioContext.prototype.resume = function () {
    if (!window.__holdResume) return resume.call(this);
    return new Promise((resolve, reject) => window.__held.push(() => resume.call(this).then(resolve, reject)));
  };
})();`;

/** A 16-bit PCM WAV of `channels` channels, `frames` frames, sample `i` of channel `c` from `sample`. */
function writeWav(path: string, sampleRate: number, channels: number, frames: number, sample: (i: number, c: number) => number): string {
  const data = Array.from({ length: channels }, (_, c) => Float32Array.from({ length: frames }, (_, i) => sample(i, c)));
  const body = new Uint8Array(frames * channels * BYTES_PER_SAMPLE.pcm16);
  encodeSamples(data, frames, 'pcm16', body);
  writeFileSync(path, Buffer.concat([wavHeader(sampleRate, channels, 'pcm16', frames), body]));
  return path;
}

/** Seeded noise, -1..1. */
function noise(seed: number): (i: number) => number {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return (state / 2147483647) * 2 - 1;
  };
}

const nowPlaying = (page: Page): Promise<string> => page.$eval('#now-playing', (p) => p.textContent ?? '');
const renderNote = (page: Page): Promise<string> => page.$eval('#render-note', (p) => p.textContent ?? '');

async function waitForText(page: Page, pattern: RegExp): Promise<void> {
  await page
    .waitForFunction((source: string) => new RegExp(source).test(document.getElementById('now-playing')?.textContent ?? ''), { timeout: HANG_GUARD_MS }, pattern.source)
    .catch(async () => assert.fail(`now playing: expected ${pattern}, got "${await nowPlaying(page)}"`));
}

/** Lets `seconds` of the page's audio clock pass (what an earlier request needs to finish, if it would). */
async function letAudioRun(page: Page, seconds: number): Promise<void> {
  const start = await page.evaluate(() => (window as unknown as { demo: { context: BaseAudioContext } }).demo.context.currentTime);
  await page.waitForFunction((until: number) => (window as unknown as { demo: { context: BaseAudioContext } }).demo.context.currentTime >= until, { timeout: HANG_GUARD_MS }, start + seconds);
}

const setHold = (page: Page, hold: boolean): Promise<void> => page.evaluate((on: boolean) => void ((window as unknown as { __hold: boolean }).__hold = on), hold);
const heldCount = (page: Page): Promise<number> => page.evaluate(() => (window as unknown as { __held: unknown[] }).__held.length);
/** Passes on every held result. */
const releaseHeld = (page: Page): Promise<void> =>
  page.evaluate(async () => {
    const held = (window as unknown as { __held: (() => Promise<unknown>)[] }).__held.splice(0);
    await Promise.allSettled(held.map((release) => release()));
  });

describe('demo page with odd files', { skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}` }, () => {
  let browser: Browser;
  let server: Server;
  let url: string;
  let dir: string;
  const files: Record<string, string> = {};

  before(async () => {
    assert.ok(existsSync('dist/demo.js'), 'dist/demo.js is missing: run `npm run build` first');
    ({ server, url } = await startDemoServer({ port: 0 }));
    dir = mkdtempSync(join(tmpdir(), 'mono-upmix-files-'));
    const tone = (rate: number) => (i: number) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / rate);
    files.notAudio = join(dir, 'notes.wav');
    writeFileSync(files.notAudio, 'these are notes, not audio\n'.repeat(50));
    // One sample at 384 kHz: decoded at 192 kHz (the highest rate the upmixer runs at), less than a sample.
    files.noSamples = writeWav(join(dir, 'blip.wav'), 384_000, 1, 1, () => 0.5);
    files.sixChannels = writeWav(join(dir, 'surround.wav'), 48_000, 6, 48_000, (i, c) => 0.2 * Math.sin((2 * Math.PI * (200 + 100 * c) * i) / 48_000));
    files.first = writeWav(join(dir, 'first.wav'), 48_000, 1, 48_000, tone(48_000));
    files.second = writeWav(join(dir, 'second.wav'), 48_000, 1, 48_000, tone(48_000));
    const loud = noise(3);
    files.loud = writeWav(join(dir, 'loud.wav'), 48_000, 1, 48_000, () => 0.9 * loud(0));
    files.archive32k = writeWav(join(dir, 'archive-32k.wav'), 32_000, 1, 32_000, tone(32_000));
    // A transfer whose right channel is the left turned over, and a sound stereo file (two unrelated channels).
    const transfer = noise(5);
    const takes: number[] = [];
    files.inverted = writeWav(join(dir, 'side-a.wav'), 48_000, 2, 96_000, (i, c) => (c === 0 ? (takes[i] = 0.3 * transfer(0)) : -takes[i]));
    const [leftNoise, rightNoise] = [noise(7), noise(11)];
    files.stereo = writeWav(join(dir, 'mix.wav'), 48_000, 2, 96_000, (_, c) => 0.3 * (c === 0 ? leftNoise(0) : rightNoise(0)));
    browser = await launchChromium([`--user-data-dir=${join(dir, 'profile')}`, '--autoplay-policy=no-user-gesture-required']);
  });

  after(async () => {
    await browser?.close();
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The page with the gate, playing the example clip. */
  async function openPlaying(): Promise<{ page: Page; pick: (path: string) => Promise<void>; errors: string[] }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.evaluateOnNewDocument(GATE_SCRIPT);
    await page.goto(url, { waitUntil: 'load' });
    await page.click('#play-example');
    await waitForText(page, /^Playing mono-clip/);
    const input = (await page.$('#file')) as ElementHandle<HTMLInputElement>;
    return { page, pick: (path) => input.uploadFile(path), errors };
  }

  test('a file that cannot be read or decoded, or holds no samples, or a microphone that cannot be opened, is said; the clip plays on; 6 channels are said', async () => {
    const { page, pick, errors } = await openPlaying();
    await pick(files.notAudio);
    await waitForText(page, /^Error: notes\.wav could not be decoded: it is not audio.*Still playing mono-clip\.$/);
    // A file that cannot be read (a dropped folder, a file deleted since): here its read is made to fail.
    await page.evaluate(() => {
      const read = File.prototype.arrayBuffer;
      File.prototype.arrayBuffer = function (this: File) {
        return this.name === 'notes.wav' ? Promise.reject(new DOMException('A requested file or directory could not be found.', 'NotFoundError')) : read.call(this);
      };
    });
    await pick(files.notAudio);
    await waitForText(page, /^Error: notes\.wav could not be read: it is a folder, or was moved or deleted \(A requested file or directory could not be found\.\)\. Still playing mono-clip\.$/);
    await pick(files.noSamples);
    await waitForText(page, /^Error: blip\.wav holds no audio \(no samples at 192000 Hz\)\. Still playing mono-clip\.$/);
    assert.match(await renderNote(page), /^Renders mono-clip/, 'Render stays on the file that plays');
    // No fake capture device here: the microphone cannot be opened (no device, or permission refused).
    await page.click('#headphones');
    await page.click('#microphone');
    await waitForText(page, /^Error: the microphone could not be opened \((NotFoundError|NotAllowedError|NotReadableError): .+\)\. Still playing mono-clip\.$/);
    assert.equal(await page.evaluate(() => (document.getElementById('upmixer') as unknown as { mode: string }).mode), 'quality', 'still in quality mode');
    await pick(files.sixChannels);
    await waitForText(page, /^Playing surround \(1\.0 s, 6 channels, downmixed to stereo\), looped\.$/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the latest pick plays, even when an earlier one decodes last; Stop cancels a pick still decoding; the same file can be picked again', async () => {
    const { page, pick, errors } = await openPlaying();
    await setHold(page, true);
    await pick(files.first);
    await page.waitForFunction(() => (window as unknown as { __held: unknown[] }).__held.length === 1, { timeout: HANG_GUARD_MS });
    await setHold(page, false);
    await pick(files.second);
    await waitForText(page, /^Playing second/);
    await releaseHeld(page); // the first pick's decode ends now, after the second's
    await letAudioRun(page, 0.5);
    assert.match(await nowPlaying(page), /^Playing second/);
    assert.match(await renderNote(page), /^Renders second/);

    await setHold(page, true);
    await pick(files.first);
    await page.waitForFunction(() => (window as unknown as { __held: unknown[] }).__held.length === 1, { timeout: HANG_GUARD_MS });
    await page.click('#stop');
    await setHold(page, false);
    await releaseHeld(page);
    await letAudioRun(page, 0.5);
    assert.equal(await nowPlaying(page), 'Stopped.');
    assert.equal(await page.$eval('#stop', (button) => (button as HTMLButtonElement).disabled), true);
    assert.equal(await heldCount(page), 0);

    // The same file picked again after Stop plays again.
    await pick(files.second);
    await waitForText(page, /^Playing second/);
    await page.click('#stop');
    await waitForText(page, /^Stopped\.$/);
    await pick(files.second);
    await waitForText(page, /^Playing second/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the download keeps the rendered file\'s name when another file is picked during the render', async () => {
    const { page, pick, errors } = await openPlaying();
    await setHold(page, true);
    await page.click('#render');
    await page.waitForFunction(() => (window as unknown as { __held: unknown[] }).__held.length === 1, { timeout: HANG_GUARD_MS });
    await setHold(page, false);
    await pick(files.second);
    await waitForText(page, /^Playing second/);
    await releaseHeld(page);
    await page.waitForFunction(() => !(document.getElementById('download') as HTMLAnchorElement).hidden, { timeout: HANG_GUARD_MS });
    const download = await page.$eval('#download', (a) => ({ name: (a as HTMLAnchorElement).download, text: a.textContent ?? '' }));
    assert.equal(download.name, 'mono-clip.stereo.wav');
    assert.match(download.text, /^Download mono-clip\.stereo\.wav/);
    assert.match(await renderNote(page), /^Renders second/, 'the next render is of the file that plays');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a render can be cancelled: no download, its Workers end, and the next render works', async () => {
    const { page, errors } = await openPlaying();
    await page.waitForFunction(() => (window as unknown as { demo: { node: { modelStatus: string } } }).demo.node.modelStatus === 'model', { timeout: HANG_GUARD_MS });
    const workersBefore = page.workers().length;
    assert.equal(await page.$eval('#cancel-render', (button) => (button as HTMLButtonElement).hidden), true, 'no Cancel before a render');
    await page.evaluate(() => void ((window as unknown as { __holdResume: boolean }).__holdResume = true));
    await page.click('#render');
    await page.waitForFunction(() => (window as unknown as { __held: unknown[] }).__held.length === 1, { timeout: HANG_GUARD_MS });
    assert.ok(page.workers().length > workersBefore, 'the render has its own model Worker');
    await page.click('#cancel-render');
    assert.equal(await renderNote(page), 'Cancelling…');
    assert.equal(await page.$eval('#cancel-render', (button) => (button as HTMLButtonElement).disabled), true);
    await page.evaluate(() => void ((window as unknown as { __holdResume: boolean }).__holdResume = false));
    await releaseHeld(page);
    await page.waitForFunction(() => (document.getElementById('render-note')?.textContent ?? '').startsWith('Render cancelled.'), { timeout: HANG_GUARD_MS });
    assert.equal(await renderNote(page), 'Render cancelled. Renders mono-clip with the current settings.');
    assert.equal(await page.$eval('#download', (a) => (a as HTMLAnchorElement).hidden), true, 'nothing to download');
    assert.equal(await page.$eval('#progress', (progress) => (progress as HTMLProgressElement).value), 0);
    assert.equal(await page.$eval('#cancel-render', (button) => (button as HTMLButtonElement).hidden), true);
    // Worker ends reach puppeteer asynchronously (no event to wait on here): looked for until seen.
    await pollUntil(() => page.workers().length === workersBefore);
    assert.equal(page.workers().length, workersBefore, 'the render\'s Worker ended');

    await page.click('#render');
    await page.waitForFunction(() => !(document.getElementById('download') as HTMLAnchorElement).hidden, { timeout: HANG_GUARD_MS });
    assert.match(await page.$eval('#download', (a) => a.textContent ?? ''), /^Download mono-clip\.stereo\.wav/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('opened over plain http from another name than localhost (no AudioWorklet): the page says why and what to open', async () => {
    // The name resolves to this machine, but the browser takes it for another host: not a secure context.
    const insecure = await launchChromium([`--user-data-dir=${join(dir, 'profile-insecure')}`, '--host-resolver-rules=MAP upmix-demo.test 127.0.0.1']);
    try {
      const page = await insecure.newPage();
      const port = new URL(url).port;
      await page.goto(`http://upmix-demo.test:${port}/`, { waitUntil: 'load' });
      assert.equal(await page.evaluate(() => isSecureContext), false);
      assert.match(await nowPlaying(page), new RegExp(`not a secure context.*open http://localhost:${port}/`));
      await page.waitForFunction(() => /could not measure/.test(document.getElementById('latency-rows')?.textContent ?? ''), { timeout: HANG_GUARD_MS });
      assert.match(await page.$eval('#latency-rows', (rows) => rows.textContent ?? ''), /could not measure: AudioWorklet is only available on secure pages/);
      await page.click('#play-example');
      await page.waitForFunction(() => /could not create/.test(document.getElementById('upmixer')?.shadowRoot?.querySelector('[part="status"]')?.textContent ?? ''), { timeout: HANG_GUARD_MS });
      assert.match(
        await page.evaluate(() => document.getElementById('upmixer')?.shadowRoot?.querySelector('[part="status"]')?.textContent ?? ''),
        /^could not create the upmixer: AudioWorklet is only available on secure pages: serve the page over https, or open it as http:\/\/localhost$/,
      );
    } finally {
      await insecure.close();
    }
  });

  test('a 16-bit export of a loud file stays under the -1 dBFS ceiling instead of clipping, lined up with the input', async () => {
    const { page, pick, errors } = await openPlaying();
    await pick(files.loud);
    await waitForText(page, /^Playing loud/);
    await page.select('#encoding', 'pcm16');
    await page.click('#render');
    await page.waitForFunction(() => !(document.getElementById('download') as HTMLAnchorElement).hidden, { timeout: HANG_GUARD_MS });
    const text = await page.$eval('#download', (a) => a.textContent ?? '');
    assert.doesNotMatch(text, /clipped/);
    const peak = await page.evaluate(async (inputBase64: string) => {
      const bytes = await (await fetch((document.getElementById('download') as HTMLAnchorElement).href)).arrayBuffer();
      const head = new TextDecoder('latin1').decode(new Uint8Array(bytes, 0, 512));
      const samples = new Int16Array(bytes, head.indexOf('data') + 8);
      let max = 0;
      for (const sample of samples) max = Math.max(max, Math.abs(sample));
      // The mid (L + R) / 2 is the input times the limiter's gain, at the same place: correlate the two
      // at offset 0 and at the limiter's look-ahead (5 ms), which a latency left uncompensated would show.
      // The export is at the file's own rate (48 kHz), whatever the device's: the input decoded at it.
      const context = new OfflineAudioContext({ numberOfChannels: 1, length: 1, sampleRate: 48_000 });
      const input = (await context.decodeAudioData(Uint8Array.from(atob(inputBase64), (c) => c.charCodeAt(0)).buffer)).getChannelData(0);
      const frames = samples.length / 2;
      const lookAhead = Math.round(0.005 * context.sampleRate);
      // (No named functions inside evaluate: tsx's keepNames would reference a helper the page lacks.)
      const [aligned, later, earlier] = [0, lookAhead, -lookAhead].map((offset) => {
        let xy = 0;
        let xx = 0;
        let yy = 0;
        for (let i = lookAhead; i < frames - lookAhead; i++) {
          const mid = (samples[2 * (i + offset)] + samples[2 * (i + offset) + 1]) / 65536;
          xy += mid * input[i];
          xx += input[i] * input[i];
          yy += mid * mid;
        }
        return xy / Math.sqrt(xx * yy);
      });
      return { max: max / 32768, frames, aligned, shifted: Math.max(Math.abs(later), Math.abs(earlier)) };
    }, readFileSync(files.loud).toString('base64'));
    assert.ok(peak.aligned > 0.95 && peak.shifted < 0.1, `the mid lines up with the input: correlation ${peak.aligned} at 0, ${peak.shifted} at +-5 ms`);
    // One second at the file's rate, every frame of it.
    assert.equal(peak.frames, 48_000);
    assert.ok(peak.max <= 10 ** (-1 / 20) + 1 / 32768, `peak ${peak.max} (${(20 * Math.log10(peak.max)).toFixed(2)} dBFS)`);
    assert.ok(peak.max > 0.5, `not silent: peak ${peak.max}`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a stereo transfer with a polarity-inverted channel gets the CLI\'s warning by its name; a sound stereo file picked next clears it and gets none', async () => {
    const { page, pick, errors } = await openPlaying();
    const shown = (): Promise<{ hidden: boolean; height: number; lines: string[]; text: string }> =>
      page.$eval('#channel-warnings', (box) => ({
        hidden: (box as HTMLElement).hidden,
        height: box.getBoundingClientRect().height,
        lines: [...box.querySelectorAll('li')].map((item) => item.textContent ?? ''),
        text: box.textContent ?? '',
      }));
    await pick(files.inverted);
    await waitForText(page, /^Playing side-a/);
    await page.waitForFunction(() => (document.getElementById('channel-warnings')?.querySelectorAll('li').length ?? 0) > 0, { timeout: HANG_GUARD_MS });
    const warned = await shown();
    // 96 dB, not "cancels completely" as the CLI says of this file: Chromium's decoder does not turn a
    // 16-bit sample and its negation into exact negatives (the check itself is the CLI's).
    assert.deepEqual(warned.lines, [
      'side-a.wav: the right channel is a polarity-inverted copy of the left (correlation -1.00): their mono sum is 96 dB below the channels, and the upmix keeps that sum (the output collapses in mono); use --channel left',
    ]);
    assert.equal(warned.hidden, false);
    assert.ok(warned.height > 0, 'the warning takes room on the page');
    assert.match(warned.text, /npx upmix/, 'says whose options the fix names');

    await pick(files.stereo);
    await waitForText(page, /^Playing mix/);
    const lines = await page.evaluate(() => (window as unknown as { demo: { channelCheck: Promise<string[] | undefined> } }).demo.channelCheck);
    assert.deepEqual(lines, [], 'no fault in a sound stereo file');
    const clean = await shown();
    assert.deepEqual({ hidden: clean.hidden, lines: clean.lines }, { hidden: true, lines: [] }, 'the first file\'s warning is gone');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a file renders and exports at its own rate, not the device\'s: a 32 kHz file gives a 32 kHz WAV of exactly its frames', async () => {
    const { page, pick, errors } = await openPlaying();
    const deviceRate = await page.evaluate(() => (window as unknown as { demo: { context: BaseAudioContext } }).demo.context.sampleRate);
    assert.notEqual(deviceRate, 32_000, 'the test needs a device at another rate');
    await pick(files.archive32k);
    await waitForText(page, /^Playing archive-32k/);
    await page.select('#encoding', 'float32');
    await page.click('#render');
    await page.waitForFunction(() => !(document.getElementById('download') as HTMLAnchorElement).hidden, { timeout: HANG_GUARD_MS });
    assert.match(await page.$eval('#download', (a) => a.textContent ?? ''), /^Download archive-32k\.stereo\.wav \(\d+\.\d MB, 32 kHz\)$/);
    const exported = await page.evaluate(async () => {
      const bytes = await (await fetch((document.getElementById('download') as HTMLAnchorElement).href)).arrayBuffer();
      const view = new DataView(bytes);
      const head = new TextDecoder('latin1').decode(new Uint8Array(bytes, 0, 512));
      const data = head.indexOf('data');
      const blockAlign = view.getUint16(head.indexOf('fmt ') + 20, true);
      const samples = new Float32Array(bytes.slice(data + 8));
      // The mid against the input (the file's 440 Hz sine at 32 kHz): lined up sample for sample.
      let xy = 0;
      let xx = 0;
      let yy = 0;
      for (let i = 0; i < samples.length / 2; i++) {
        const input = 0.3 * Math.sin((2 * Math.PI * 440 * i) / 32_000);
        const mid = (samples[2 * i] + samples[2 * i + 1]) / 2;
        xy += mid * input;
        xx += input * input;
        yy += mid * mid;
      }
      return { sampleRate: view.getUint32(head.indexOf('fmt ') + 12, true), channels: view.getUint16(head.indexOf('fmt ') + 10, true), frames: view.getUint32(data + 4, true) / blockAlign, correlation: xy / Math.sqrt(xx * yy) };
    });
    assert.deepEqual({ sampleRate: exported.sampleRate, channels: exported.channels, frames: exported.frames }, { sampleRate: 32_000, channels: 2, frames: 32_000 });
    assert.ok(exported.correlation > 0.99, `the mid is the input: correlation ${exported.correlation}`);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
