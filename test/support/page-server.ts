/**
 * A page for the browser tests: a source entry bundled with esbuild (an IIFE under `globalName`),
 * served at `/<globalName>.js` beside `page` from 127.0.0.1, with a ws server on the same port.
 * `close()` ends every connection and stops both.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { WebSocketServer } from 'ws';

export interface PageServer {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** The same origin as `ws://`. */
  readonly wsUrl: string;
  readonly wss: WebSocketServer;
  close(): Promise<void>;
}

/** Bundles `entry` (relative to the repository) and serves it with `page`. */
export async function servePage(entry: string, globalName: string, page: string): Promise<PageServer> {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL(`../../${entry}`, import.meta.url))],
    bundle: true,
    format: 'iife',
    globalName,
    platform: 'browser',
    write: false,
    target: 'es2022',
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]?.text ?? '';
  const http = createServer((req, res) => {
    if (req.url === `/${globalName}.js`) res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else res.writeHead(200, { 'content-type': 'text/html' }).end(page);
  });
  const wss = new WebSocketServer({ server: http });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
  return {
    url,
    wsUrl: url.replace('http', 'ws'),
    wss,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
