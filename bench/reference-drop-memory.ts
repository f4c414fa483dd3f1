/**
 * Memory of a reference dropped on `<stereo-upmixer>` in Chromium (puppeteer-core, Debian's Chromium): a
 * 10-minute 48 kHz 16-bit stereo WAV (110 MB) is given to the element's file input (a File backed by the
 * disk, as a drop gives), and the proportional set size (PSS, /proc/PID/smaps_rollup) of all Chromium's
 * processes together is sampled every 20 ms from just before until the style is applied. Prints the
 * baseline, the peak and the growth. Approximate by nature: PSS counts what the processes touched,
 * including memory the allocators keep after a free, and a sample may miss a short peak; a difference of
 * tens of MB is not a measurement, hundreds are. Linux only (/proc).
 *
 * Run: `npm run build && node --import tsx bench/reference-drop-memory.ts [seconds]`. To measure another
 * tree (an older one, for a before/after), copy this file and reference-drop.page.ts into its bench/ and run
 * it there after its own build: the page uses only the public API.
 */
import { build } from 'esbuild';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { ElementHandle } from 'puppeteer-core';
import { launchChromium } from '../test/support/chromium.js';
import { writeLongStereoWav } from '../test/support/long-stereo-wav.js';

const seconds = Number(process.argv[2] ?? 600);
const folder = mkdtempSync(join(tmpdir(), 'reference-drop-'));
const reference = join(folder, 'reference.wav');
await writeLongStereoWav(reference, seconds, 48_000);

const page = (await build({ entryPoints: ['bench/reference-drop.page.ts'], bundle: true, format: 'esm', target: 'es2022', write: false, logLevel: 'warning' })).outputFiles[0].text;
const server = createServer((request, response) => {
  const url = request.url ?? '/';
  if (url === '/') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>');
  if (url === '/page.js') return void response.writeHead(200, { 'content-type': 'text/javascript' }).end(page);
  const name = url.startsWith('/dist/') ? url.slice('/dist/'.length) : '';
  if (!/^[\w.-]+\.js$/.test(name)) return void response.writeHead(404).end();
  try {
    response.writeHead(200, { 'content-type': extname(name) === '.js' ? 'text/javascript' : 'application/octet-stream' }).end(readFileSync(join('dist', name)));
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

/** Chromium's process and all its descendants. */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parent = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // Ended meanwhile.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]) ?? []));
  return tree;
}

/** PSS of `pids` together, in bytes. */
function pss(pids: number[]): number {
  let kilobytes = 0;
  for (const pid of pids) {
    try {
      kilobytes += Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      // Ended meanwhile.
    }
  }
  return kilobytes * 1024;
}

const browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
try {
  const tab = await browser.newPage();
  const { port } = server.address() as AddressInfo;
  await tab.goto(`http://127.0.0.1:${port}/`);
  await tab.waitForFunction('window.dropState === "ready"', { timeout: 60_000 });
  const root = browser.process()?.pid ?? -1;
  await new Promise((resolve) => setTimeout(resolve, 2000)); // let the page settle
  const baseline = pss(processTree(root));
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, pss(processTree(root)))), 20);
  const started = performance.now();
  const input = (await tab.$('pierce/input[type="file"]')) as ElementHandle<HTMLInputElement>;
  await input.uploadFile(reference);
  await tab.waitForFunction('window.dropState.startsWith("style") || window.dropState.startsWith("error")', { timeout: 600_000, polling: 100 });
  clearInterval(sampler);
  peak = Math.max(peak, pss(processTree(root)));
  const outcome = (await tab.evaluate('window.dropState')) as string;
  const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  console.log(`reference dropped on <stereo-upmixer>: ${seconds} s at 48000 Hz, 16-bit stereo WAV (${mib(seconds * 48_000 * 4)} of file, ${mib(seconds * 48_000 * 8)} as float32 channels)`);
  console.log(`Chromium PSS, all processes: before ${mib(baseline)}; peak until the style came ${mib(peak)}; growth ${mib(peak - baseline)} (${outcome}; ${((performance.now() - started) / 1000).toFixed(1)} s)`);
} finally {
  await browser.close();
  server.close();
  rmSync(folder, { recursive: true, force: true });
}
