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
 * - The attempt's skeleton (commands, ping sequence, data path bookkeeping, cleanup) is shared
 *   with the ws adapter (attempt.ts).
 */
import { functionOption, invalidOption, isRecord, show } from '../common/checks.ts';
import { callbackError, catchRejection, isThenable, WsmError } from '../common/errors.ts';
import { secretsOf } from '../common/redact.ts';
import { adapterLogic, OPEN, type Attempt } from './attempt.ts';
import type { AdapterBinding, AdapterOptions, OutgoingData } from './contract.ts';

/** The WHATWG WebSocket surface this adapter uses. */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** The subprotocol the server chose. */
  readonly protocol: string;
  /** Bytes queued by `send` and not yet handed to the network. */
  readonly bufferedAmount: number;
  /** The extensions the server accepted. */
  readonly extensions?: string;
  /** Set to `'arraybuffer'` by the adapter. */
  binaryType: string;
  /** The handshake completed. */
  onopen: ((event: unknown) => void) | null;
  /** A message arrived. */
  onmessage: ((event: { data: unknown }) => void) | null;
  /** The socket closed. */
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null;
  /** A failure (its close event follows). */
  onerror: ((event: unknown) => void) | null;
  /** Sends a message. */
  send(data: OutgoingData): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
}

/** A WebSocket class: the platform's, or one the app passes (a test double, a polyfill). */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

/** The web adapter's own options (the `web` option of `createSocket` from `wsmachine/browser`). */
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

/**
 * The `web` option: an object whose callbacks are functions, checked before anything connects.
 * @throws WsmError `WSM_INVALID_OPTION`.
 */
export function checkWebOptions(web: unknown): asserts web is WebOptions {
  if (!isRecord(web)) throw invalidOption('web', 'must be an object', web);
  const { ping, isPong, WebSocket } = web;
  if (ping !== undefined && typeof ping !== 'string' && typeof ping !== 'function')
    throw invalidOption('web.ping', 'must be a string or a function', ping);
  functionOption('web.isPong', isPong);
  if (WebSocket !== undefined && typeof WebSocket !== 'function')
    throw invalidOption('web.WebSocket', 'must be a WebSocket constructor', WebSocket);
}

const CLOSING = 2;

/** The answer of the app's `web.isPong` or `web.ping`: a throw or a promise fails the attempt. */
function answerOf(
  attempt: Attempt<WebAdapterOptions>,
  name: string,
  call: () => unknown,
  wanted: (answer: unknown) => boolean,
  rule: string,
): unknown {
  let answer: unknown;
  try {
    answer = call();
  } catch (error) {
    attempt.fail(callbackError(name, error));
    return undefined;
  }
  if (wanted(answer)) return answer;
  catchRejection(answer, () => {});
  attempt.fail(
    new WsmError('WSM_CALLBACK_ERROR', `wsmachine: ${name} must ${rule}, got ${isThenable(answer) ? 'a promise' : show(answer)}`, {
      option: name,
    }),
  );
  return undefined;
}

/** Opens one WebSocket and translates its events for the attempt. */
function open(attempt: Attempt<WebAdapterOptions>, url: unknown): void {
  const { options, sink } = attempt;
  attempt.secrets = secretsOf(typeof url === 'string' || url instanceof URL ? url : undefined);
  const href = attempt.href(url);
  const Impl = options.web?.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!Impl) throw new Error('wsmachine: this runtime has no WebSocket; pass web.WebSocket');
  const ping = options.web?.ping ?? 'ping';
  const isPong = options.web?.isPong ?? ((data: string | Uint8Array) => data === 'pong');
  const ws = new Impl(href, attempt.protocols);
  let pongOwed: number | undefined;
  // Adopted before anything else can throw, so that cleanup always releases this socket.
  attempt.adopt({
    ping(seq) {
      if (ws.readyState !== OPEN) return false;
      const message = answerOf(
        attempt,
        'web.ping',
        () => (typeof ping === 'function' ? ping() : ping),
        (answer) => typeof answer === 'string',
        'return a string',
      );
      if (message === undefined) return false;
      ws.send(message as string);
      pongOwed = seq;
      return true;
    },
    close: (code, reason) => ws.close(code, reason),
    terminate: () => ws.close(),
    release() {
      ws.onopen = ws.onmessage = ws.onclose = null;
      ws.onerror = () => {};
      if (ws.readyState < CLOSING) ws.close();
    },
  });
  ws.binaryType = 'arraybuffer';
  // The app's web.isPong and web.ping run inside the socket's handlers: a throw from them fails
  // this attempt (an adapter-error reason, retried) instead of escaping into the runtime.
  const isPongMessage = (message: string | Uint8Array): boolean =>
    Boolean(
      answerOf(
        attempt,
        'web.isPong',
        () => isPong(message),
        (answer) => !isThenable(answer),
        'answer at once',
      ),
    );

  ws.onopen = () => attempt.opened(ws, ws.protocol);
  ws.onmessage = ({ data }) => {
    const message = typeof data === 'string' ? data : new Uint8Array(data as ArrayBuffer);
    if (pongOwed !== undefined && isPongMessage(message)) {
      const seq = pongOwed;
      pongOwed = undefined;
      // The confirmation first, so that the `pong` the app hears comes with its stats up to date.
      attempt.ponged(seq);
      attempt.alive();
      return;
    }
    attempt.alive();
    // A failing web.isPong has just ended this attempt: nothing of it reaches the app any more.
    if (attempt.stopped) return;
    sink.message?.(message);
  };
  // The web API gives an error no detail; the close event that always follows says the rest.
  ws.onerror = () => {};
  ws.onclose = ({ code, reason, wasClean }) => attempt.closed(code, reason, wasClean && code !== 1006);
}

/** The socket actor: `connectionMachine.provide({ actors: { socket: webAdapter } })`. */
export const webAdapter = adapterLogic<WebAdapterOptions, [unknown]>(
  'web',
  (attempt) => {
    const { url } = attempt.options;
    attempt.secrets = secretsOf(typeof url === 'function' ? undefined : url);
    return [url];
  },
  open,
);

/** The web adapter as the facade uses it: it owns `web`, and checks it itself. */
export const webBinding: AdapterBinding = {
  adapter: webAdapter,
  keys: ['web'] satisfies (keyof WebAdapterOptions)[],
  check({ web }) {
    if (web !== undefined) checkWebOptions(web);
  },
  secretHeaders: () => ({}),
};
