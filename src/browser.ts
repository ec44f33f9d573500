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
import { socketLogicOver, type SocketLogic } from './facade/logic.ts';

export * from './facade/public.ts';
export { ReconnectingWebSocket, type ReconnectingWebSocketOptions } from './reconnecting-browser.ts';
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
 * What `recv()` has not taken yet is held: a browser's WebSocket cannot stop reading, so `inbox`
 * cannot pause it (`stats.unread` shows the backlog).
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

/**
 * The socket as actor logic for an app's own machine: `invoke` or `spawn` it with
 * `input: { url, ...options }` (the options of `createSocket`). The parent receives `wsm.*` events
 * (`SocketLogicEvent`) and sends it `send`, `close`, `reconnect` and `probe` (`SocketLogicCommand`);
 * a refused command comes back as `wsm.error`. Its snapshot's `context` has the state and stats.
 * Stopping it (or its parent) terminates the socket at once.
 * @example
 * const app = setup({
 *   types: { events: {} as SocketLogicEvent | { type: 'say'; text: string } },
 *   actors: { socket: socketLogic },
 * }).createMachine({
 *   invoke: { id: 'socket', src: 'socket', input: { url: 'wss://chat.example/ws' } },
 *   on: {
 *     'wsm.open': { actions: sendTo('socket', { type: 'send', data: 'join:lobby' }) },
 *     'wsm.message': { actions: ({ event }) => console.log(event.data) },
 *     say: { actions: sendTo('socket', ({ event }) => ({ type: 'send', data: event.text })) },
 *   },
 * });
 * @throws WsmError (as the actor's error, which the parent hears as the invoke's `onError`)
 *   `WSM_INVALID_OPTION` / `WSM_UNKNOWN_OPTION` for a bad URL or option, `WSM_INVALID_ARGUMENT` for an input that is not an object.
 */
export const socketLogic: SocketLogic<SocketOptions> = /* @__PURE__ */ socketLogicOver(createSocket);
