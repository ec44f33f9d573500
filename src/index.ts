/**
 * `wsmachine`: the facade for apps, over Node's `ws`. Bundled for a browser (the `browser` export
 * condition), the same import line resolves to `wsmachine/browser` instead.
 */
import type { Provider } from '../adapters/contract.ts';
import { wsBinding, type WsAdapterOptions } from '../adapters/ws.ts';
import { connectWith, type Connection } from './facade/connect.ts';
import type { BaseSocketOptions } from './facade/socket-options.ts';
import { WsmSocket } from './facade/socket.ts';
import { socketLogicOver, type SocketLogic } from './facade/logic.ts';

export * from './facade/public.ts';
export { ReconnectingWebSocket, type ReconnectingWebSocketOptions } from './reconnecting.ts';

/** Options of `createSocket` and `connect` in Node: every socket's, plus the `ws` adapter's `headers` and `ws`. */
export interface SocketOptions extends BaseSocketOptions, Pick<WsAdapterOptions, 'headers' | 'ws'> {}

/**
 * Creates a socket over Node's `ws` that connects at once (on the next microtask, so that the
 * listeners added right after this returns hear everything) and keeps itself connected.
 * @example
 * const socket = createSocket('wss://feed.example/ws', { heartbeat: { interval: 15_000, timeout: 5_000 } });
 * socket.on('message', (data) => console.log(data));
 * socket.on('state', ({ from, to, reason }) => console.log(from, '->', to, reason?.type ?? ''));
 * socket.send('subscribe:prices'); // queued until open
 * @throws WsmError `WSM_INVALID_OPTION` / `WSM_UNKNOWN_OPTION` for a bad URL or option, before anything connects.
 */
export function createSocket(url: Provider<string | URL>, options: SocketOptions = {}): WsmSocket {
  return new WsmSocket(url, options, wsBinding);
}

/**
 * Opens one connection and resolves once it is open: the short connection of Python
 * websocket-client's `create_connection`, with `send`, `recv()` and `close()`. It keeps the
 * heartbeat and does not reconnect unless `maxAttempts` says so. What `recv()` has not taken yet
 * is held up to `inbox`; at that bound the socket stops reading until `recv()` catches up.
 * @example
 * const conn = await connect('wss://echo.example/ws');
 * conn.send('hello');
 * console.log(await conn.recv());
 * await conn.close();
 * @throws WsmError (as a rejection, so that `await` and `.catch()` both see it) `WSM_INVALID_OPTION`
 *   / `WSM_UNKNOWN_OPTION` at once for a bad URL or option; `WSM_CONNECTION_CLOSED` (a
 *   `ConnectionClosedError` with the reason) when the connection cannot open.
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
