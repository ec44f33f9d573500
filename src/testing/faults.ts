/**
 * Fault injection on loopback, for the demo and for tests (yours and ours): a ws echo server that
 * can restart, close its clients with any code, or refuse upgrades with an HTTP status; and a TCP
 * proxy that can silently black-hole both directions. Everything binds 127.0.0.1 only.
 */
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { createServer as createTcpServer, connect as tcpConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { checkArgument, isPort } from '../../common/checks.ts';

/**
 * Listens on a random port of 127.0.0.1 (or `port`) and returns it, plus a `close` that destroys
 * every connection the server accepted (a plain `server.close()` would wait for them) and stops it.
 */
export async function listenLocal(
  server: Server,
  port = 0,
): Promise<{
  /** The port it listens on. */
  port: number;
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  /** Destroys every accepted connection and stops listening. */
  close(): Promise<void>;
}> {
  checkArgument(
    typeof (server as { listen?: unknown } | null)?.listen === 'function',
    'listenLocal',
    'server',
    'must be a net.Server',
    server,
  );
  checkArgument(isPort(port, 0), 'listenLocal', 'port', 'must be a port (0 for any free one)', port);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    url: `ws://127.0.0.1:${actual}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A `ws` echo server on 127.0.0.1 that can fail on demand (see `echoServer`). */
export interface EchoServer {
  /** The port it listens on. */
  readonly port: number;
  /** `ws://127.0.0.1:<port>/`. */
  readonly url: string;
  /** Connected clients right now. */
  clients(): number;
  /** Closes every client with `code` (a close frame: the clean way servers restart). */
  closeClients(code: number, reason?: string): void;
  /** Destroys every client's TCP connection without a close frame. */
  dropClients(): void;
  /** Refuses the next `count` upgrade requests with `status` and `headers`. */
  rejectNext(count: number, status: number, headers?: Readonly<Record<string, string>>): void;
  /** Stops listening (after closing clients with 1012), keeping the port for `start`. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

/**
 * Starts a `ws` echo server on 127.0.0.1 (a random port unless `options.port`): it echoes every
 * message and can close, drop or refuse its clients, and stop and start again on its port.
 * @example
 * const server = await echoServer();
 * const socket = createSocket(server.url);
 * server.dropClients(); // the socket reconnects
 * @throws WsmError `WSM_INVALID_ARGUMENT` for options that are not an object or a port that is not one.
 */
export async function echoServer(options: { port?: number } = {}): Promise<EchoServer> {
  checkArgument(typeof options === 'object' && options !== null, 'echoServer', 'options', 'must be an object', options);
  checkArgument(
    options.port === undefined || isPort(options.port, 0),
    'echoServer',
    'options.port',
    'must be a port (0 for any free one)',
    options.port,
  );
  let wss: WebSocketServer | undefined;
  let rejections: { count: number; status: number; headers: Readonly<Record<string, string>> } = {
    count: 0,
    status: 0,
    headers: {},
  };
  let port = options.port ?? 0;

  const listen = async () => {
    const server = new WebSocketServer({
      host: '127.0.0.1',
      port,
      verifyClient: (_info, callback) => {
        if (rejections.count <= 0) return callback(true);
        rejections.count--;
        callback(false, rejections.status, 'Rejected', { ...rejections.headers });
      },
    });
    server.on('connection', (socket) => {
      socket.on('error', () => {});
      socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
    });
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
    wss = server;
  };
  await listen();

  const each = (fn: (socket: WebSocket) => void) => {
    for (const socket of wss?.clients ?? []) fn(socket);
  };
  return {
    get port() {
      return port;
    },
    get url() {
      return `ws://127.0.0.1:${port}`;
    },
    clients: () => wss?.clients.size ?? 0,
    closeClients: (code, reason = '') => {
      checkArgument(
        isCloseCode(code),
        'EchoServer.closeClients',
        'code',
        'must be a close code a server may send (1000-1003, 1007-1014, 3000-4999)',
        code,
      );
      checkArgument(
        typeof reason === 'string' && Buffer.byteLength(reason) <= 123,
        'EchoServer.closeClients',
        'reason',
        'must be a string of at most 123 bytes',
        reason,
      );
      each((s) => s.close(code, reason));
    },
    dropClients: () => each((s) => s.terminate()),
    rejectNext: (count, status, headers = {}) => {
      checkArgument(Number.isSafeInteger(count) && count >= 0, 'EchoServer.rejectNext', 'count', 'must be a whole number >= 0', count);
      checkArgument(
        Number.isInteger(status) && status >= 200 && status <= 599,
        'EchoServer.rejectNext',
        'status',
        'must be an HTTP status in 200-599',
        status,
      );
      checkArgument(
        typeof headers === 'object' && headers !== null && Object.values(headers).every((v) => typeof v === 'string' && !/[\r\n]/.test(v)),
        'EchoServer.rejectNext',
        'headers',
        'must be an object of header strings',
        headers,
      );
      rejections = { count, status, headers };
    },
    stop: async () => {
      const server = wss;
      if (!server) return;
      wss = undefined;
      const closed = Promise.all([...server.clients].map((socket) => once(socket, 'close')));
      for (const socket of server.clients) socket.close(1012, 'restart');
      // A client that does not answer the close frame within 2 s is cut off.
      const patience = new AbortController();
      await Promise.race([closed, delay(2_000, undefined, { signal: patience.signal }).catch(() => {})]);
      patience.abort();
      for (const socket of server.clients) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    start: listen,
  };
}

/** What a server may put in a close frame (RFC 6455 7.4.1; 1004-1006 and 1015 are never sent). */
const isCloseCode = (code: unknown): boolean =>
  Number.isInteger(code) &&
  (((code as number) >= 1000 && (code as number) <= 1014 && ![1004, 1005, 1006].includes(code as number)) ||
    ((code as number) >= 3000 && (code as number) <= 4999));

/** A TCP proxy on 127.0.0.1 that can black-hole its traffic (see `tcpProxy`). */
export interface TcpProxy {
  /** The port it listens on. */
  readonly port: number;
  /** `ws://127.0.0.1:<port>/`. */
  readonly url: string;
  /** TCP connections accepted so far. */
  connections(): number;
  /** From now on, every byte in both directions is dropped; both TCP connections stay open. */
  blackhole(): void;
  /** Bytes flow again (on the connections that are still open, and new ones). */
  restore(): void;
  /** Destroys every connection and stops listening. */
  close(): Promise<void>;
}

/**
 * A TCP proxy to 127.0.0.1:`targetPort`. `blackhole()` is the half-open case of a dead NAT entry
 * or a vanished peer: no FIN, no RST, no data, and nothing tells the client.
 */
export async function tcpProxy(targetPort: number): Promise<TcpProxy> {
  checkArgument(isPort(targetPort, 1), 'tcpProxy', 'targetPort', 'must be a port', targetPort);
  const upstreams = new Set<Socket>();
  let dropping = false;
  let accepted = 0;
  const server = createTcpServer((client) => {
    accepted++;
    const upstream = tcpConnect(targetPort, '127.0.0.1');
    upstreams.add(upstream);
    const end = () => {
      upstreams.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      from.on('data', (chunk) => {
        if (!dropping) to.write(chunk);
      });
      from.on('error', end);
      from.on('close', end);
    }
  });
  const listening = await listenLocal(server);
  return {
    ...listening,
    connections: () => accepted,
    blackhole: () => {
      dropping = true;
    },
    restore: () => {
      dropping = false;
    },
    close: async () => {
      for (const upstream of upstreams) upstream.destroy();
      await listening.close();
    },
  };
}
