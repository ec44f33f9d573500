/**
 * The socket actor over the WHATWG `WebSocket` (browsers, Deno, Bun, Node >= 22): a translator,
 * not a decider.
 *
 * Theory of operation
 * - Same contract as the `ws` adapter (adapters/contract.ts): socket events in, commands out, the
 *   data path straight to the sink. What the web API cannot do is done at the application level:
 *   - `ping` sends an application message (`web.ping`, default "ping"); the server's answer
 *     (`web.isPong`, default: the text "pong") is the pong. It is consumed here, never delivered
 *     to the app, and, like a ping frame, it travelled behind everything we sent, so it confirms
 *     delivery. Any other inbound message still proves liveness.
 *   - `terminate` is `close()`: a page cannot destroy a TCP connection; the handlers are removed
 *     at once, so nothing of that socket reaches the machine again.
 * - Browsers hide why a connection failed (no HTTP status, no errno): a failure before open is a
 *   close without a close frame (1006), so the machine names it `connection-lost` and retries.
 * - Binary messages arrive as `Uint8Array` (`binaryType = 'arraybuffer'`).
 */
import { fromCallback } from 'xstate';
import { callbackError, catchRejection, isThenable, WsmError } from '../machines/errors.ts';
import { show } from '../machines/options.ts';
import { secretsOf } from '../machines/redact.ts';
import type { SocketInput } from '../machines/connection.machine.ts';
import type { SocketActorErrorEvent, SocketCommand, SocketEvent } from '../machines/vocabulary.ts';
import {
  NO_SINK,
  openConfig,
  sealedError,
  socketUrl,
  startWith,
  type AdapterBinding,
  type AdapterOptions,
  type OutgoingData,
  type Transport,
} from './contract.ts';

/** The WHATWG WebSocket surface this adapter uses. */
export interface WebSocketLike {
  readonly readyState: number;
  readonly protocol: string;
  readonly bufferedAmount: number;
  binaryType: string;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: OutgoingData): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export interface WebOptions {
  /** The application-level ping message. @default 'ping' */
  readonly ping?: string | (() => string);
  /** Whether an inbound message is the server's answer to the ping. @default data === 'pong' */
  readonly isPong?: (data: string | Uint8Array) => boolean;
  /** The WebSocket implementation. @default globalThis.WebSocket */
  readonly WebSocket?: WebSocketConstructor;
}

/**
 * The adapter's configuration: the machine's `input.socket`, handed to each attempt as
 * `input.config`. `web` is the socket option this adapter owns (`createSocket` of
 * `wsmachine/browser` takes it); the rest is the facade's.
 */
export interface WebAdapterOptions extends AdapterOptions {
  /** The application-level ping and pong, and the WebSocket implementation. @default {} */
  readonly web?: WebOptions;
}

const invalid = (option: string, rule: string, value: unknown): WsmError =>
  new WsmError('WSM_INVALID_OPTION', `wsmachine: option ${option} ${rule}, got ${show(value)}`, option);

/** The `web` option: an object whose callbacks are functions, checked before anything connects. */
export function checkWebOptions(web: unknown): asserts web is WebOptions {
  if (typeof web !== 'object' || web === null || Array.isArray(web)) throw invalid('web', 'must be an object', web);
  const { ping, isPong, WebSocket } = web as Record<string, unknown>;
  if (ping !== undefined && typeof ping !== 'string' && typeof ping !== 'function') throw invalid('web.ping', 'must be a string or a function', ping);
  if (isPong !== undefined && typeof isPong !== 'function') throw invalid('web.isPong', 'must be a function', isPong);
  if (WebSocket !== undefined && typeof WebSocket !== 'function') throw invalid('web.WebSocket', 'must be a WebSocket constructor', WebSocket);
}

const OPEN = 1;
const CLOSING = 2;

class WebTransport implements Transport {
  constructor(private readonly socket: WebSocketLike) {}

  send(data: OutgoingData): boolean {
    if (this.socket.readyState !== OPEN) return false;
    this.socket.send(data);
    return true;
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }
}

/** The socket actor: `connectionMachine.provide({ actors: { socket: webAdapter } })`. */
export const webAdapter = fromCallback<SocketCommand, SocketInput>(({ input, sendBack, receive }) => {
  const options = openConfig<WebAdapterOptions>(input.config, 'web');
  const Impl = options.web?.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  const now = options.now ?? Date.now;
  const sink = options.sink ?? NO_SINK;
  const ping = options.web?.ping ?? 'ping';
  const isPong = options.web?.isPong ?? ((data: string | Uint8Array) => data === 'pong');
  const send = (event: SocketEvent | SocketActorErrorEvent): void => sendBack(event);
  let socket: WebSocketLike | undefined;
  let attached: Transport | undefined;
  let stopped = false;
  let closeSent = false;
  let pingSeq = 0;
  let pingSentAt: number | undefined;
  let pongOwed: number | undefined;

  const detach = (clean: boolean): void => {
    if (attached) sink.detach?.(attached, clean);
    attached = undefined;
  };

  let secrets = secretsOf(typeof options.url === 'function' ? undefined : options.url);
  const open = (url: unknown): void => {
    if (stopped) return;
    secrets = secretsOf(typeof url === 'string' || url instanceof URL ? url : undefined);
    const href = socketUrl(url, typeof options.url === 'function' ? 'provider' : 'option');
    if (!Impl) throw new Error('wsmachine: this runtime has no WebSocket; pass web.WebSocket');
    const protocols = options.protocols === undefined ? [] : ([] as string[]).concat(options.protocols);
    const ws = new Impl(href, protocols);
    socket = ws;
    ws.binaryType = 'arraybuffer';
    const transport = new WebTransport(ws);
    ws.onopen = () => {
      attached = transport;
      sink.attach?.(transport);
      send({ type: 'socket.open', protocol: ws.protocol });
    };
    ws.onmessage = ({ data }) => {
      const message = typeof data === 'string' ? data : new Uint8Array(data as ArrayBuffer);
      if (pingSentAt !== undefined) {
        const rttMs = now() - pingSentAt;
        pingSentAt = undefined;
        send({ type: 'socket.pong', rttMs });
      }
      if (pongOwed !== undefined && pongOf(message)) {
        sink.ponged?.(pongOwed);
        pongOwed = undefined;
        return;
      }
      // A failing web.isPong has just ended this attempt: nothing of it reaches the app any more.
      if (stopped) return;
      sink.message?.(message);
    };
    // The web API gives an error no detail; the close event that always follows says the rest.
    ws.onerror = () => {};
    ws.onclose = ({ code, reason, wasClean }) => {
      detach(closeSent && wasClean);
      send({ type: 'socket.close', code, reason, wasClean: wasClean && code !== 1006 });
    };
  };

  const fail = (error: unknown): void => {
    if (!stopped) send({ type: 'xstate.error.actor.socket', error: sealedError(error, secrets) });
  };
  // The app's web.isPong and web.ping run inside the socket's handlers: a throw from them fails
  // this socket (an adapter-error reason, retried) instead of escaping into the runtime.
  const pongOf = (message: string | Uint8Array): boolean => {
    let answer: unknown;
    try {
      answer = isPong(message);
    } catch (error) {
      fail(callbackError('web.isPong', error));
      return false;
    }
    if (!isThenable(answer)) return Boolean(answer);
    catchRejection(answer, () => {});
    fail(new WsmError('WSM_CALLBACK_ERROR', 'wsmachine: web.isPong must answer at once, got a promise', 'web.isPong'));
    return false;
  };
  const pingMessage = (): string | undefined => {
    let message: unknown;
    try {
      message = typeof ping === 'function' ? ping() : ping;
    } catch (error) {
      fail(callbackError('web.ping', error));
      return undefined;
    }
    if (typeof message === 'string') return message;
    catchRejection(message, () => {});
    fail(new WsmError('WSM_CALLBACK_ERROR', `wsmachine: web.ping must return a string, got ${show(message)}`, 'web.ping'));
    return undefined;
  };

  startWith([options.url], open, fail);

  receive((command) => {
    if (!socket) return;
    switch (command.type) {
      case 'ping': {
        if (socket.readyState !== OPEN) return;
        const message = pingMessage();
        if (message === undefined) return;
        pingSentAt = now();
        pingSeq++;
        socket.send(message);
        pongOwed = pingSeq;
        sink.pinged?.(pingSeq);
        return;
      }
      case 'close':
        closeSent = true;
        socket.close(command.code, command.reason);
        return;
      case 'terminate':
        socket.close();
        return;
    }
  });

  return () => {
    stopped = true;
    detach(false);
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    socket.onerror = () => {};
    if (socket.readyState < CLOSING) socket.close();
  };
});

/** The web adapter as the facade uses it: it owns `web`, and checks it itself. */
export const webBinding: AdapterBinding = {
  adapter: webAdapter,
  keys: ['web'] satisfies (keyof WebAdapterOptions)[],
  check({ web }) {
    if (web !== undefined) checkWebOptions(web);
  },
  secretHeaders: () => ({}),
};
