/**
 * `wsmachine/reconnecting` in a browser (also exported by `wsmachine/browser`): `ReconnectingWebSocket`
 * over the page's `WebSocket` (read at each attempt), or the class the options name. It imports no
 * Node built-in and not `ws`.
 */
import { webBinding } from '../adapters/web.ts';
import { invalidOption } from '../common/checks.ts';
import { ReconnectingWebSocketBase, type ProtocolsProvider, type UrlProvider } from './facade/reconnecting.ts';
import type { ReconnectingOptions, ReconnectingPlatform } from './facade/reconnecting-options.ts';

/** Options of `ReconnectingWebSocket` in a browser: the peers' and wsmachine's. */
export type ReconnectingWebSocketOptions = ReconnectingOptions;

const browserPlatform: ReconnectingPlatform = {
  keys: [],
  carrier(WebSocket) {
    if (WebSocket !== undefined && typeof WebSocket !== 'function')
      throw invalidOption('WebSocket', 'must be a WebSocket class', WebSocket);
    return { binding: webBinding, own: WebSocket === undefined ? {} : { web: { WebSocket } }, pingFrames: false };
  },
};

/**
 * A WebSocket that reconnects: the WHATWG API (`readyState`, `send`, `close`, `onmessage`,
 * `addEventListener`, ...) with reconnecting-websocket's and partysocket's options and extras
 * (`reconnect()`, `retryCount`), over wsmachine's connection machine: typed reasons
 * (`disconnectReason`, on every `close` event too), a bounded queue, and a heartbeat once
 * `web.ping` says what the server answers.
 * @example
 * import ReconnectingWebSocket from 'wsmachine/reconnecting';
 * const rws = new ReconnectingWebSocket('wss://feed.example/ws');
 * rws.binaryType = 'arraybuffer';
 * rws.addEventListener('message', (event) => console.log(event.data));
 */
export class ReconnectingWebSocket extends ReconnectingWebSocketBase {
  /**
   * Connects at once (unless `startClosed`); `url` and `protocols` may be functions, called before every attempt.
   * @throws WsmError `WSM_INVALID_OPTION` / `WSM_UNKNOWN_OPTION` for a bad URL, subprotocol or option, before anything connects.
   */
  constructor(url: UrlProvider, protocols?: ProtocolsProvider, options: ReconnectingWebSocketOptions = {}) {
    super(url, protocols, options, browserPlatform);
  }
}

export default ReconnectingWebSocket;
// What `require('wsmachine/reconnecting')` returns (Node >= 20.19): the class itself, as reconnecting-websocket's CommonJS build does.
export { ReconnectingWebSocket as 'module.exports' };
