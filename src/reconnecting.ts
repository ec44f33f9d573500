/**
 * `wsmachine/reconnecting` in Node (also exported by `wsmachine`): `ReconnectingWebSocket` over
 * Node's `ws`, or over the `WebSocket` class the options name. Its default export (and what `require`
 * returns) is the class, so that reconnecting-websocket's import line changes only in the package name.
 */
import { wsBinding, type WsAdapterOptions } from '../adapters/ws.ts';
import { webBinding } from '../adapters/web.ts';
import type { AdapterBinding } from '../adapters/contract.ts';
import { invalidOption } from '../common/checks.ts';
import { ReconnectingWebSocketBase, type ProtocolsProvider, type UrlProvider } from './facade/reconnecting.ts';
import type { ReconnectingOptions, ReconnectingPlatform } from './facade/reconnecting-options.ts';

/** Options of `ReconnectingWebSocket` in Node: the peers', wsmachine's, and (over ws) `headers` and `ws`. */
export interface ReconnectingWebSocketOptions extends ReconnectingOptions, Pick<WsAdapterOptions, 'headers' | 'ws'> {}

/** ws's own class (or another copy of ws): pings are frames, and the ws adapter can drive it. */
const isWsClass = (value: unknown): value is WsAdapterOptions['WebSocket'] =>
  typeof value === 'function' &&
  typeof (value.prototype as { ping?: unknown } | undefined)?.ping === 'function' &&
  typeof (value.prototype as { terminate?: unknown }).terminate === 'function';

const wsCarrier: AdapterBinding = { ...wsBinding, keys: [...wsBinding.keys, 'WebSocket'] };

const nodePlatform: ReconnectingPlatform = {
  keys: wsBinding.keys,
  // Not Node's global WebSocket (Node >= 22) by default: ws has ping frames, HTTP statuses and headers.
  carrier(WebSocket) {
    if (WebSocket === undefined) return { binding: wsBinding, own: {}, pingFrames: true };
    if (isWsClass(WebSocket)) return { binding: wsCarrier, own: { WebSocket }, pingFrames: true };
    if (typeof WebSocket !== 'function') throw invalidOption('WebSocket', 'must be a WebSocket class', WebSocket);
    return { binding: webBinding, own: { web: { WebSocket } }, pingFrames: false };
  },
};

/**
 * A WebSocket that reconnects: the WHATWG API (`readyState`, `send`, `close`, `onmessage`,
 * `addEventListener`, ...) with reconnecting-websocket's and partysocket's options and extras
 * (`reconnect()`, `retryCount`), over wsmachine's connection machine: a heartbeat that catches
 * half-open sockets, typed reasons (`disconnectReason`, on every `close` event too), a bounded queue.
 * @example
 * import ReconnectingWebSocket from 'wsmachine/reconnecting';
 * const rws = new ReconnectingWebSocket('wss://feed.example/ws', [], { maxRetries: 10 });
 * rws.addEventListener('open', () => rws.send('hello!'));
 * rws.onmessage = (event) => console.log(event.data);
 */
export class ReconnectingWebSocket extends ReconnectingWebSocketBase {
  /**
   * Connects at once (unless `startClosed`); `url` and `protocols` may be functions, called before every attempt.
   * @throws WsmError `WSM_INVALID_OPTION` / `WSM_UNKNOWN_OPTION` for a bad URL, subprotocol or option, before anything connects.
   */
  constructor(url: UrlProvider, protocols?: ProtocolsProvider, options: ReconnectingWebSocketOptions = {}) {
    super(url, protocols, options, nodePlatform);
  }
}

export default ReconnectingWebSocket;
// What `require('wsmachine/reconnecting')` returns (Node >= 20.19): the class itself, as reconnecting-websocket's CommonJS build does.
export { ReconnectingWebSocket as 'module.exports' };
