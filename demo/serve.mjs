// Serves the demo on localhost: the page (demo/), the build (dist/) and the example clip (examples/).
// By default every response carries the COOP/COEP headers that make the page cross-origin isolated (so
// SharedArrayBuffer exists and the meters read the engine over shared memory); --no-isolation serves
// without them, and the page works either way (meters over messages).
//
// Delivery (DESIGN section 10): a request that accepts brotli or gzip gets the `.br`/`.gz` file that
// build.mjs wrote beside the asset (other text, e.g. demo/*.html and the WAV, is compressed once in
// memory), with `Vary: Accept-Encoding`; every response has an ETag and `Cache-Control: no-cache`, so the
// browser keeps one copy and revalidates it (304, no body) instead of downloading it again. Symlinks are
// resolved and must stay inside the served folders; files that cannot be read are answered 404 or 500.
//
//   node demo/serve.mjs [--port 8080] [--host 127.0.0.1] [--no-isolation]
//
// --port 0 picks a free port. Prints the URL once listening. No dependencies: node:http only.
import { existsSync } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { pipeline } from 'node:stream';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** Only these top-level folders are served. */
const SERVED = ['demo', 'dist', 'examples'];
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wav': 'audio/wav',
  '.onnx': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
/** Worth compressing (PNG is compressed already). */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.wav', '.onnx', '.wasm', '.svg']);
/** Files without a precompressed sibling are compressed in memory up to this size. */
const MAX_COMPRESS_IN_MEMORY = 4 * 1024 * 1024;

function parseArgs(argv) {
  const options = { port: 8080, host: '127.0.0.1', isolation: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--no-isolation') options.isolation = false;
    else if (arg === '--port') options.port = Number(argv[++i]);
    else if (arg === '--host') {
      options.host = argv[++i] ?? '';
      // A missing value must not fall back to listening on every interface (or take the next option).
      if (options.host === '' || options.host.startsWith('-')) {
        console.error('serve: --host takes an address or name (127.0.0.1, localhost, 0.0.0.0 for every interface)');
        process.exit(2);
      }
    }
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: node demo/serve.mjs [--port 8080] [--host 127.0.0.1] [--no-isolation]');
      process.exit(0);
    } else {
      console.error(`serve: unknown option ${arg} (try --help)`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    console.error('serve: --port takes a number from 0 to 65535');
    process.exit(2);
  }
  return options;
}

/** The file a URL path names, or null if it is outside the served folders (by name; symlinks are checked later). */
function fileFor(urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  if (path === '/' || path === '/demo' || path === '/demo/') path = '/demo/index.html';
  const file = normalize(join(ROOT, path));
  const top = file.slice(ROOT.length + 1).split(sep)[0];
  if (!file.startsWith(ROOT + sep) || !SERVED.includes(top)) return null;
  return { file, top };
}

/** The real path of `file` if it exists and lies inside the real served folder `top`; null otherwise. */
async function realInside(file, top) {
  try {
    const [real, base] = await Promise.all([realpath(file), realpath(join(ROOT, top))]);
    return real.startsWith(base + sep) ? real : null;
  } catch {
    return null;
  }
}

/** Which encoding the request accepts, of those offered (brotli first). */
function acceptedEncodings(header) {
  const accepted = new Set();
  for (const part of String(header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) continue;
    accepted.add(name);
  }
  return ['br', 'gzip'].filter((encoding) => accepted.has(encoding));
}

const etagOf = (info, encoding) => `"${info.size.toString(16)}-${Math.round(info.mtimeMs).toString(16)}${encoding ? `-${encoding}` : ''}"`;

/** In-memory compressed copies of small files without a precompressed sibling, by path, encoding and version. */
const compressedInMemory = new Map();

function compressInMemory(bytes, encoding) {
  return encoding === 'br'
    ? brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
    : gzipSync(bytes, { level: 9 });
}

/** Reads a whole file (an open handle), or throws. */
async function readAll(file) {
  const handle = await open(file, 'r');
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/**
 * Picks what to send for `file`: a precompressed sibling, an in-memory compressed copy, or the file.
 * Resolves with `{ encoding, info, path?, body? }`.
 */
async function representation(file, top, info, acceptEncoding) {
  if (!COMPRESSIBLE.has(extname(file))) return { encoding: null, info, path: file };
  for (const encoding of acceptedEncodings(acceptEncoding)) {
    const sibling = await realInside(`${file}.${encoding === 'br' ? 'br' : 'gz'}`, top);
    if (sibling === null) continue;
    const siblingInfo = await stat(sibling).catch(() => null);
    // A sibling older than the file is stale (an asset rebuilt without compression): not used.
    if (siblingInfo?.isFile() && siblingInfo.mtimeMs >= info.mtimeMs) return { encoding, info: siblingInfo, path: sibling };
  }
  const [encoding] = acceptedEncodings(acceptEncoding);
  if (encoding === undefined || info.size > MAX_COMPRESS_IN_MEMORY) return { encoding: null, info, path: file };
  const key = `${file}\0${encoding}\0${info.size}\0${info.mtimeMs}`;
  let body = compressedInMemory.get(key);
  if (body === undefined) {
    body = compressInMemory(await readAll(file), encoding);
    compressedInMemory.set(key, body);
  }
  return { encoding, info: { size: body.length, mtimeMs: info.mtimeMs }, body };
}

/** Whether browsers take `host` for a secure context over plain http (localhost and loopback addresses). */
function isLoopback(host) {
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Starts the server; resolves with it and its URL once listening. */
export async function startDemoServer({ port = 8080, host = '127.0.0.1', isolation = true } = {}) {
  const headers = isolation
    ? {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cross-Origin-Resource-Policy': 'same-origin',
      }
    : {};
  const handle = async (request, response) => {
    const send = (status, text) => response.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(text);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return send(405, 'method not allowed');
    }
    if (request.url === '/favicon.ico') return response.writeHead(204, headers).end();
    if (request.url === '/') {
      return response.writeHead(302, { ...headers, location: '/demo/' }).end();
    }
    const named = fileFor(request.url ?? '/');
    if (named === null) return send(404, 'not found');
    const hint = named.top === 'dist' ? ' (run `npm run build` first)' : '';
    // Symlinks are followed only where they stay inside the served folder.
    const file = await realInside(named.file, named.top);
    if (file === null) return send(404, `not found${hint}`);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return send(404, `not found${hint}`);
    const chosen = await representation(file, named.top, info, request.headers['accept-encoding']);
    const etag = etagOf(chosen.info, chosen.encoding);
    const common = {
      ...headers,
      'cache-control': 'no-cache',
      etag,
      ...(COMPRESSIBLE.has(extname(file)) ? { vary: 'Accept-Encoding' } : {}),
    };
    const matches = String(request.headers['if-none-match'] ?? '')
      .split(',')
      .some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
    if (matches) return response.writeHead(304, common).end();
    const entity = {
      ...common,
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': chosen.info.size,
      ...(chosen.encoding ? { 'content-encoding': chosen.encoding } : {}),
    };
    if (chosen.body !== undefined) {
      response.writeHead(200, entity);
      return response.end(request.method === 'HEAD' ? undefined : chosen.body);
    }
    // Opened before the head is written, so that a file that cannot be read is still a clean error.
    const fileHandle = await open(chosen.path, 'r');
    if (request.method === 'HEAD') {
      await fileHandle.close();
      return response.writeHead(200, entity).end();
    }
    response.writeHead(200, entity);
    // pipeline, not pipe: when the browser drops the request (a reload, a cancelled fetch) the file is
    // closed at once, not left open until garbage collection.
    pipeline(fileHandle.createReadStream(), response, (error) => {
      if (error && error.code !== 'ERR_STREAM_PREMATURE_CLOSE') console.error(`serve: sending ${chosen.path} failed: ${error.message}`);
    });
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error) => {
      console.error(`serve: ${request.url}: ${error.message}`);
      if (response.headersSent) return response.destroy();
      const status = error.code === 'ENOENT' || error.code === 'EISDIR' || error.code === 'ENOTDIR' ? 404 : 500;
      response.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(status === 404 ? 'not found' : 'could not read the file');
    });
  });
  await new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolveListen);
  });
  const address = server.address();
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { server, url: `http://${shownHost}:${address.port}/` };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = parseArgs(process.argv.slice(2));
  try {
    const { url } = await startDemoServer(options);
    console.log(`demo: ${url}  (${options.isolation ? 'cross-origin isolated: COOP/COEP headers on' : 'not isolated: --no-isolation'}; Ctrl+C stops)`);
    // Browsers run AudioWorklets only on secure pages (https, or loopback addresses): over a LAN address the page cannot sound.
    if (!isLoopback(options.host)) {
      console.error(`serve: browsers run the upmixer (an AudioWorklet) only on https pages or localhost: open http://localhost:${new URL(url).port}/ on this machine; other machines need the page over https`);
    }
    // Served without the build, the page would show buttons that do nothing.
    if (!existsSync(join(ROOT, 'dist', 'demo.js'))) console.error('serve: dist/demo.js is missing: run `npm run build` first (`npm run demo` builds and serves)');
  } catch (error) {
    // Through npm, options go after `--` (`npm start --port 0` would be taken by npm itself).
    if (error.code === 'EADDRINUSE') console.error(`serve: port ${options.port} is in use: try --port 0 (any free port) or another number (npm start -- --port 0)`);
    else console.error(`serve: ${error.message}`);
    process.exit(1);
  }
}
