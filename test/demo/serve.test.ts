/**
 * demo/serve.mjs as a static server (in-process, on a free port): precompressed assets by
 * Accept-Encoding with Vary and ETag/304 revalidation; symlinks that lead out of the served folders are
 * 404; files that cannot be opened are answered (404/500) and the server keeps serving. Needs `npm run
 * build` (the precompressed `.br`/`.gz` files are build output).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Server } from 'node:http';
import { startDemoServer } from '../../demo/serve.mjs';

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
});
