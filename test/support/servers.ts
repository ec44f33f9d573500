/**
 * Real servers on 127.0.0.1 (random ports) that misbehave on purpose. Every helper returns a
 * `close()` that ends every connection it accepted and stops listening; tests call it in `finally`
 * or through `track()` + `closeAll()`.
 */
import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { WebSocketServer, type ServerOptions, type WebSocket } from 'ws';
import { listenLocal, tcpProxy as faultProxy, type TcpProxy } from '../../src/testing/faults.ts';

export interface Closable {
  close(): Promise<void>;
}

const open = new Set<Closable>();

/** Registers a server so that `closeAll()` (in afterEach) stops it. */
export function track<T extends Closable>(server: T): T {
  open.add(server);
  return server;
}

export async function closeAll(): Promise<void> {
  const servers = [...open];
  open.clear();
  await Promise.all(servers.map((s) => s.close()));
}

export interface WsServer extends Closable {
  readonly wss: WebSocketServer;
  readonly port: number;
  readonly url: string;
  /** Server-side sockets currently connected. */
  clients(): WebSocket[];
  /** Resolves with the next server-side connection (and the upgrade request). */
  nextConnection(): Promise<{ socket: WebSocket; request: IncomingMessage }>;
  /** Every message received from clients, as text, in arrival order. */
  readonly received: string[];
}

/** A `ws` server; echoes text messages when `echo` is set. */
export async function wsServer(
  options: { port?: number; echo?: boolean; onConnection?: (socket: WebSocket, request: IncomingMessage) => void } & ServerOptions = {},
): Promise<WsServer> {
  const { echo, onConnection, port, ...serverOptions } = options;
  const wss = new WebSocketServer({ host: '127.0.0.1', port: port ?? 0, ...serverOptions });
  await once(wss, 'listening');
  const received: string[] = [];
  const waiters: ((c: { socket: WebSocket; request: IncomingMessage }) => void)[] = [];
  wss.on('connection', (socket, request) => {
    socket.on('error', () => {});
    socket.on('message', (data, isBinary) => {
      const text = isBinary ? `<${(data as Buffer).length} bytes>` : (data as Buffer).toString();
      received.push(text);
      if (echo) socket.send(data, { binary: isBinary });
    });
    onConnection?.(socket, request);
    waiters.shift()?.({ socket, request });
  });
  const actualPort = (wss.address() as AddressInfo).port;
  return track<WsServer>({
    wss,
    port: actualPort,
    url: `ws://127.0.0.1:${actualPort}`,
    received,
    clients: () => [...wss.clients],
    nextConnection: () => new Promise((resolve) => waiters.push(resolve)),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  });
}

/** A TCP server that accepts connections and never says a word (the upgrade never completes). */
export async function silentTcpServer(): Promise<Closable & { port: number; url: string; connections: () => number }> {
  let accepted = 0;
  const server = createTcpServer(() => accepted++);
  return track({ ...(await listenLocal(server)), connections: () => accepted });
}

/** An HTTP server that answers every upgrade request with `status` and `headers`. */
export async function rejectingServer(
  status: number,
  headers: Record<string, string> = {},
): Promise<Closable & { port: number; url: string; requests: () => number }> {
  let requests = 0;
  const server = createHttpServer((_req, res) => res.writeHead(status, headers).end());
  server.on('upgrade', (_req, socket: Socket) => {
    requests++;
    const lines = [`HTTP/1.1 ${status} Rejected`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    socket.end(`${lines.join('\r\n')}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  });
  return track({ ...(await listenLocal(server)), requests: () => requests });
}

/** The fault-injection proxy of src/testing/faults.ts, stopped by `closeAll()`. */
export async function tcpProxy(targetPort: number): Promise<TcpProxy> {
  return track(await faultProxy(targetPort));
}

/** A port on 127.0.0.1 that nothing listens on (bound once, then released). */
export async function freePort(): Promise<number> {
  const server = createTcpServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
