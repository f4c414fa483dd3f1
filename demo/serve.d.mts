// Types of demo/serve.mjs, for tests that start the demo server in-process.
import type { Server } from 'node:http';

export interface DemoServerOptions {
  /** Port to listen on; 0 picks a free one. Default 8080. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Send the COOP/COEP headers (cross-origin isolation). Default true. */
  isolation?: boolean;
}

/** Starts the demo's static server; resolves once it listens, with its URL (`http://host:port/`). */
export function startDemoServer(options?: DemoServerOptions): Promise<{ server: Server; url: string }>;
