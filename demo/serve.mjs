// Serves the demo on localhost: the page (demo/), the build (dist/) and the example clip (examples/).
// By default every response carries the COOP/COEP headers that make the page cross-origin isolated (so
// SharedArrayBuffer exists and the meters read the engine over shared memory); --no-isolation serves
// without them, and the page works either way (meters over messages).
//
//   node demo/serve.mjs [--port 8080] [--host 127.0.0.1] [--no-isolation]
//
// --port 0 picks a free port. Prints the URL once listening. No dependencies: node:http only.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

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

function parseArgs(argv) {
  const options = { port: 8080, host: '127.0.0.1', isolation: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--no-isolation') options.isolation = false;
    else if (arg === '--port') options.port = Number(argv[++i]);
    else if (arg === '--host') options.host = argv[++i];
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

/** The file a URL path names, or null if it is outside the served folders. */
function fileFor(urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  if (path === '/' || path === '/demo' || path === '/demo/') path = '/demo/index.html';
  const file = normalize(join(ROOT, path));
  const top = file.slice(ROOT.length + 1).split(sep)[0];
  if (!file.startsWith(ROOT + sep) || !SERVED.includes(top)) return null;
  return file;
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
  const server = createServer(async (request, response) => {
    const send = (status, text) => response.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end(text);
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, 'method not allowed');
    if (request.url === '/favicon.ico') return response.writeHead(204, headers).end();
    if (request.url === '/') {
      return response.writeHead(302, { ...headers, location: '/demo/' }).end();
    }
    const file = fileFor(request.url ?? '/');
    if (file === null) return send(404, 'not found');
    let info;
    try {
      info = await stat(file);
    } catch {
      const hint = file.includes(`${sep}dist${sep}`) ? ' (run `npm run build` first)' : '';
      return send(404, `not found${hint}`);
    }
    if (!info.isFile()) return send(404, 'not found');
    response.writeHead(200, {
      ...headers,
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'no-store',
    });
    if (request.method === 'HEAD') return response.end();
    createReadStream(file).pipe(response);
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
  } catch (error) {
    if (error.code === 'EADDRINUSE') console.error(`serve: port ${options.port} is in use: try --port 0 (any free port) or another number`);
    else console.error(`serve: ${error.message}`);
    process.exit(1);
  }
}
