/**
 * demo/serve.mjs as a static server (in-process, on a free port): precompressed assets by
 * Accept-Encoding with Vary and ETag/304 revalidation; symlinks that lead out of the served folders are
 * 404; files that cannot be opened are answered (404/500) and the server keeps serving. Needs `npm run
 * build` (the precompressed `.br`/`.gz` files are build output).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Server } from 'node:http';
import { startDemoServer } from '../../demo/serve.mjs';
import { CHROMIUM, launchChromium } from '../support/chromium.js';
import { CHILD_NODE_FLAGS } from '../support/child-node.js';
import { HANG_GUARD_MS } from '../support/hang-guard.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Runs `node serve.mjs ARGS` (the script at `script`) until what it printed matches `until` or it exits;
 * resolves with what it printed, its exit code (null while it runs) and a way to stop it.
 */
function runServe(script: string, args: string[], until: RegExp, signal: AbortSignal): Promise<{ output: string; code: number | null; url: string | undefined; stop: () => void }> {
  // The test's signal ends the server if the test times out waiting for it.
  const child = spawn(process.execPath, [...CHILD_NODE_FLAGS, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], signal });
  child.once('error', () => undefined); // the abort itself
  let output = '';
  return new Promise((resolve) => {
    const settle = (code: number | null): void => resolve({ output, code, url: /http:\/\/\S+/.exec(output)?.[0], stop: () => child.kill() });
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      if (until.test(output)) settle(null);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => settle(code));
  });
}

describe('demo/serve.mjs', () => {
  let server: Server;
  let base: string;
  const planted: string[] = [];
  const outside = mkdtempSync(join(tmpdir(), 'serve-outside-'));
  const tag = `.serve-test-${process.pid}`;

  /** Creates a path in the repository for one test; removed afterwards. */
  const plant = (path: string): string => {
    planted.push(path);
    return path;
  };

  before(async () => {
    ({ server, url: base } = await startDemoServer({ port: 0 }));
    writeFileSync(join(outside, 'secret.txt'), 'outside the served folders\n');
    mkdirSync(join(outside, 'folder'));
    writeFileSync(join(outside, 'folder', 'secret.js'), 'export const secret = 1;\n');
  });

  after(() => {
    server.close();
    for (const path of planted) rmSync(path, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  test('a precompressed asset goes as brotli, or gzip, or plain, by Accept-Encoding, with Vary and an ETag', async () => {
    const plain = readFileSync('dist/upmixer.worklet.js');
    const br = await get(`${base}dist/upmixer.worklet.js`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    assert.equal(br.status, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.match(String(br.headers['cache-control']), /no-cache/);
    assert.ok(br.body.length < plain.length / 2, `brotli ${br.body.length} bytes of ${plain.length}`);
    assert.deepEqual(brotliDecompressSync(br.body), plain);
    const gz = await get(`${base}dist/upmixer.worklet.js`, { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gz.body), plain);
    const identity = await get(`${base}dist/upmixer.worklet.js`);
    assert.equal(identity.headers['content-encoding'], undefined);
    assert.deepEqual(identity.body, plain);
    const etags = new Set([br.headers.etag, gz.headers.etag, identity.headers.etag]);
    assert.equal(etags.size, 3, 'each encoding has its own validator');
  });

  test('a matching If-None-Match is answered 304 without a body; files without a .br are compressed too', async () => {
    const first = await get(`${base}dist/ort-wasm-simd-threaded.wasm`, { 'accept-encoding': 'br' });
    assert.equal(first.status, 200);
    assert.equal(first.headers['content-encoding'], 'br');
    const again = await get(`${base}dist/ort-wasm-simd-threaded.wasm`, { 'accept-encoding': 'br', 'if-none-match': String(first.headers.etag) });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    const page = await get(`${base}demo/`, { 'accept-encoding': 'br' });
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-encoding'], 'br');
    assert.match(brotliDecompressSync(page.body).toString(), /<stereo-upmixer/);
  });

  test('a symlink leading out of examples/ or dist/ is 404 (file or folder); one staying inside is served', async () => {
    symlinkSync(join(outside, 'secret.txt'), plant(join('examples', `${tag}-out.wav`)));
    symlinkSync(join(outside, 'folder'), plant(join('dist', `${tag}-dir`)));
    symlinkSync('mono-clip.wav', plant(join('examples', `${tag}-in.wav`)));
    for (const path of [`examples/${tag}-out.wav`, `dist/${tag}-dir/secret.js`]) {
      const reply = await get(`${base}${path}`);
      assert.equal(reply.status, 404, path);
      assert.doesNotMatch(reply.body.toString(), /secret|outside/);
    }
    const inside = await get(`${base}examples/${tag}-in.wav`);
    assert.equal(inside.status, 200);
    assert.equal(inside.body.length, readFileSync('examples/mono-clip.wav').length);
  });

  test('files that cannot be opened (a dangling symlink, a folder named like a file) are 404, and the server keeps serving', async () => {
    symlinkSync(join(outside, 'gone.wav'), plant(join('examples', `${tag}-dangling.wav`)));
    symlinkSync(`${tag}-nothing.js`, plant(join('dist', `${tag}-dangling.js`)));
    mkdirSync(plant(join('examples', `${tag}-folder.wav`)));
    for (const path of [`examples/${tag}-dangling.wav`, `dist/${tag}-dangling.js`, `examples/${tag}-folder.wav`, `examples/${tag}-folder.wav/x`]) {
      for (const method of ['GET', 'HEAD']) {
        const reply = await get(`${base}${path}`, { 'accept-encoding': 'br' }, method);
        assert.ok(reply.status === 404 || reply.status === 500, `${method} ${path}: ${reply.status}`);
      }
    }
    const clip = await get(`${base}examples/mono-clip.wav`);
    assert.equal(clip.status, 200, 'still serving');
    assert.equal((await get(`${base}demo/../../package.json`)).status, 404);
    assert.equal((await get(`${base}dist/%00x`)).status, 404);
  });

  test('a download the client drops half-way closes its file at once (not at garbage collection)', { skip: !existsSync('/proc/self/fd') && 'needs /proc' }, async () => {
    const file = realpathSync('dist/ort-wasm-simd-threaded.wasm');
    const openCount = (): number => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === file;
      } catch {
        return false; // closed meanwhile
      }
    }).length;
    const warnings: string[] = [];
    const onWarning = (warning: Error): number => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      let openWhileSending = 0;
      for (let i = 0; i < 5; i++) {
        // Uncompressed (14 MB): far more than the socket buffers, so the server is still sending.
        await new Promise<void>((resolve, reject) => {
          const req = request(`${base}dist/ort-wasm-simd-threaded.wasm`, (response) => {
            response.once('data', () => {
              openWhileSending = Math.max(openWhileSending, openCount());
              req.destroy();
              resolve();
            });
          });
          req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
          req.end();
        });
      }
      assert.ok(openWhileSending > 0, 'the file is seen open while it is sent');
      for (let i = 0; i < 100 && openCount() > 0; i++) await new Promise((done) => setTimeout(done, 50));
      assert.equal(openCount(), 0, 'the dropped downloads\' file handles are closed');
      assert.deepEqual(warnings.filter((message) => /file descriptor|FileHandle/.test(message)), []);
    } finally {
      process.off('warning', onWarning);
    }
  });

  test('a port in use is one line saying what to try (also through npm), exit 1; other methods are 405 with Allow', { timeout: HANG_GUARD_MS }, async (t) => {
    const port = new URL(base).port;
    const busy = await runServe('demo/serve.mjs', ['--port', port], /$^/, t.signal);
    assert.equal(busy.code, 1);
    assert.equal(busy.output, `serve: port ${port} is in use: try --port 0 (any free port) or another number (npm start -- --port 0)\n`);
    const post = await get(`${base}demo/`, {}, 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
  });

  test('on an address other than localhost the server says that browsers need https or localhost for the upmixer; --host needs its value', { timeout: HANG_GUARD_MS }, async (t) => {
    const any = await runServe('demo/serve.mjs', ['--port', '0', '--host', '0.0.0.0'], /(?=[\s\S]*http:\/\/)(?=[\s\S]*only on https pages or localhost)/, t.signal);
    any.stop();
    assert.equal(any.code, null, any.output);
    assert.match(any.output, new RegExp(`serve: browsers run the upmixer \\(an AudioWorklet\\) only on https pages or localhost: open http://localhost:${new URL(String(any.url)).port}/ on this machine`));
    const local = await runServe('demo/serve.mjs', ['--port', '0', '--host', 'localhost'], /http:\/\//, t.signal);
    local.stop();
    assert.doesNotMatch(local.output, /https/);
    // --host without its value (last, or before another option, or empty) is refused, not every interface.
    for (const args of [['--port', '0', '--host'], ['--host', '--port', '0'], ['--port', '0', '--host', '']]) {
      const refused = await runServe('demo/serve.mjs', args, /$^/, t.signal);
      assert.equal(refused.code, 2, `${args.join(' ')}: ${refused.output}`);
      assert.equal(refused.output, 'serve: --host takes an address or name (127.0.0.1, localhost, 0.0.0.0 for every interface)\n');
    }
  });

  test('without dist/ the server says to build, and so does the page', { timeout: HANG_GUARD_MS }, async (t) => {
    // The server serves the folder above its script: a copy with demo/ and examples/ but no dist/.
    const root = join(outside, 'unbuilt');
    mkdirSync(join(root, 'demo'), { recursive: true });
    mkdirSync(join(root, 'examples'));
    for (const file of ['serve.mjs', 'index.html', 'demo.css']) copyFileSync(join('demo', file), join(root, 'demo', file));
    // Either line may come first (stdout and stderr): wait for both, or the exit.
    const unbuilt = await runServe(join(root, 'demo', 'serve.mjs'), ['--port', '0'], /(?=[\s\S]*http:\/\/)(?=[\s\S]*dist\/demo\.js is missing)/, t.signal);
    try {
      assert.equal(unbuilt.code, null, unbuilt.output);
      assert.match(unbuilt.output, /serve: dist\/demo\.js is missing: run `npm run build` first/);
      if (!existsSync(CHROMIUM)) return;
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        await page.goto(String(unbuilt.url), { waitUntil: 'load' });
        const shown = await page.$eval('#script-missing', (p) => ({ hidden: (p as HTMLElement).hidden, text: p.textContent ?? '' }));
        assert.equal(shown.hidden, false);
        assert.match(shown.text, /did not load: run npm run build/);
      } finally {
        await browser.close();
      }
    } finally {
      unbuilt.stop();
    }
  });
});
