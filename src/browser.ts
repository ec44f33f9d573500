/**
 * `wsmachine/browser`: the facade for browsers (and other runtimes with a WHATWG WebSocket), over
 * the web adapter, with the page's own signals (`watchEnvironment`). What `wsmachine` resolves to
 * under the `browser` export condition. It imports no Node built-in and not `ws`.
 */
import type { Provider } from '../adapters/contract.ts';
import { webBinding, type WebAdapterOptions } from '../adapters/web.ts';
import { WsmError } from '../common/errors.ts';
import { connectWith, type Connection } from './facade/connect.ts';
import type { BaseSocketOptions } from './facade/socket-options.ts';
import { WsmSocket } from './facade/socket.ts';

export * from './facade/public.ts';
export { watchEnvironment, type EventTargetLike } from './facade/environment.ts';
export type { WebOptions, WebSocketConstructor, WebSocketLike } from '../adapters/web.ts';

/** Options of `createSocket` and `connect` in a browser: every socket's, plus the web adapter's `web`. */
export interface SocketOptions extends BaseSocketOptions, Pick<WebAdapterOptions, 'web'> {}

/**
 * Creates a socket over the runtime's WebSocket that connects at once (on the next microtask, so
 * that the listeners added right after this returns hear everything) and keeps itself connected.
 * @example
 * const socket = createSocket('wss://feed.example/ws', { heartbeat: { interval: 15_000, timeout: 5_000 } });
 * socket.on('message', (data) => console.log(data));
 * socket.on('state', ({ from, to, reason }) => console.log(from, '->', to, reason?.type ?? ''));
 * socket.send('subscribe:prices'); // queued until open
 * @throws WsmError `WSM_INVALID_OPTION` / `WSM_UNKNOWN_OPTION` for a bad URL or option (Node's
 *   `headers` and `ws` among them), before anything connects.
 */
export function createSocket(url: Provider<string | URL>, options: SocketOptions = {}): WsmSocket {
  // Named here rather than refused as unknown: the same code may run under Node and in a bundle.
  for (const nodeOnly of ['headers', 'ws']) {
    if ((options as Record<string, unknown> | null)?.[nodeOnly] !== undefined) {
      throw new WsmError(
        'WSM_INVALID_OPTION',
        `wsmachine: option ${nodeOnly} is for Node's ws adapter; a browser WebSocket cannot set it`,
        { option: nodeOnly },
      );
    }
  }
  return new WsmSocket(url, options, webBinding);
}

/**
 * Opens one connection over the runtime's WebSocket and resolves once it is open, with `send`,
 * `recv()` and `close()`. It keeps the heartbeat and does not reconnect unless `maxAttempts` says so.
 * @example
 * const conn = await connect('wss://echo.example/ws');
 * conn.send('hello');
 * console.log(await conn.recv());
 * await conn.close();
 * @throws WsmError (as a rejection) `WSM_INVALID_OPTION` / `WSM_UNKNOWN_OPTION` at once for a bad
 *   URL or option; `WSM_CONNECTION_CLOSED` (a `ConnectionClosedError`) when it cannot open.
 */
export function connect(url: Provider<string | URL>, options: SocketOptions = {}): Promise<Connection> {
  return connectWith(createSocket, url, options);
}
