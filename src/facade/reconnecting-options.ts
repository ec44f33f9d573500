/**
 * The options of `ReconnectingWebSocket`: reconnecting-websocket's and partysocket's, under their
 * names and defaults, turned into a socket's options; and wsmachine's own beside them.
 *
 * Theory of operation
 * - The peers' names replace wsmachine's twins (`connectionTimeout` for `connectTimeout`,
 *   `maxRetries` for `maxAttempts`, `minUptime` for `stableAfter`, the three reconnection-delay
 *   options for `backoff`'s initial/max/factor, `maxEnqueuedMessages` for `outbox.maxMessages`):
 *   one name per setting, so the twins are refused as unknown, with the peer's name as the hint.
 * - The peers' defaults hold, except where the difference is the point (see the README's tables):
 *   what the socket holds is bounded (10 000 messages, 1 MiB) and a full socket is reported; the heartbeat is on
 *   where pings are frames (Node's `ws`), off over a WHATWG WebSocket unless `web.ping` says what
 *   the server answers. Jitter is opt-in (`backoff.jitter`): the peers' waits are exact.
 * - The peers draw `minReconnectionDelay` once per page (1-5 s); here it is drawn per socket, so
 *   that a fleet spreads out.
 * - Which adapter carries the socket is the entry's decision (`ReconnectingPlatform`): this file
 *   knows no adapter.
 */
import type { AdapterBinding } from '../../adapters/contract.ts';
import type { WebOptions } from '../../adapters/web.ts';
import {
  booleanOption,
  checkKeys,
  durationOption,
  invalidOption,
  isRecord,
  keysOf,
  numberOption,
  recordOption,
} from '../../common/checks.ts';
import type { BackoffOptions, HeartbeatOptions } from '../../machines/options.ts';
import type { BaseSocketOptions } from './socket-options.ts';
import type { SocketShape } from './socket.ts';

/** The options every `ReconnectingWebSocket` takes; the Node entry adds `headers` and `ws`. */
export interface ReconnectingOptions extends Omit<
  BaseSocketOptions,
  | 'protocols'
  | 'connectTimeout'
  | 'stableAfter'
  | 'pauseTimeout'
  | 'maxAttempts'
  | 'backoff'
  | 'outbox'
  | 'inbox'
  | 'adapter'
  | 'onOpen'
  | 'onMessage'
  | 'onClose'
  | 'onError'
  | 'onPing'
  | 'onPong'
> {
  /**
   * The WebSocket class to use: any WHATWG-compatible one, or `ws`'s (then pings are real ping
   * frames, and HTTP statuses and headers are known). @default in Node, `ws`; in a browser, the
   * global `WebSocket`, read at each attempt
   */
  readonly WebSocket?: unknown;
  /** The longest wait between attempts, ms. @default 10000 */
  readonly maxReconnectionDelay?: number;
  /** The wait before the first retry, ms. @default 1000 + Math.random() * 4000, drawn per socket */
  readonly minReconnectionDelay?: number;
  /** How much the wait grows per failed attempt. @default 1.3 */
  readonly reconnectionDelayGrowFactor?: number;
  /** ms a connection must stay open before `retryCount` resets. @default 5000 */
  readonly minUptime?: number;
  /** ms for an attempt to open before it is abandoned and retried. @default 4000 */
  readonly connectionTimeout?: number;
  /** Retries in a row before giving up (`reconnect()` starts again). @default Infinity */
  readonly maxRetries?: number;
  /**
   * The most messages held: queued while not open, and in flight (sent, not yet confirmed by a
   * pong) while open (`Infinity` lifts the count bound; `maxEnqueuedBytes` still holds). At the
   * bound `send` throws `WSM_OUTBOX_FULL` (or drops, with `dropWhenFull`); a `drain` event follows.
   * @default 10000
   */
  readonly maxEnqueuedMessages?: number;
  /** The most bytes held, queued and in flight together (`Infinity` lifts the bound). @default 1048576 (1 MiB) */
  readonly maxEnqueuedBytes?: number;
  /** Start with `readyState` CLOSED and connect only on `reconnect()`. @default false */
  readonly startClosed?: boolean;
  /**
   * Log every transition, frame kind and size (never content) to `console.log`, prefixed `RWS>`
   * (`trace` sends the same lines elsewhere; the two are exclusive). @default false
   */
  readonly debug?: boolean;
  /** Drop a message sent while the queue is full (`send` returns false), as the peers do, instead of throwing. @default false */
  readonly dropWhenFull?: boolean;
  /**
   * Flush the queue before dispatching `open` (the peers' order): then what the open listeners send
   * comes after what was queued. @default false: `open` first, so a handshake sent in `onopen` goes first
   */
  readonly flushBeforeOpen?: boolean;
  /**
   * `close()` dispatches its `close` event at once and `readyState` reads CLOSED (partysocket >= 1.2);
   * the close handshake goes on underneath. @default false: CLOSING until the handshake ends, then `close`
   */
  readonly syncClose?: boolean;
  /**
   * Ping/pong liveness (`false`: off). @default { interval: 25000, timeout: 10000 } where pings are
   * ping frames (over ws, in Node); off over a WHATWG WebSocket unless `web.ping` or `web.isPong` is given
   */
  readonly heartbeat?: HeartbeatOptions | false;
  /** wsmachine's backoff extras: `jitter` ('full' spreads a fleet) and the `Retry-After` cap. @default { jitter: 'none', maxRetryAfter: 600000 } */
  readonly backoff?: Pick<BackoffOptions, 'jitter' | 'maxRetryAfter'>;
  /** Over a WHATWG WebSocket: the application-level ping and pong (setting either turns the heartbeat on). @default none */
  readonly web?: Omit<WebOptions, 'WebSocket'>;
}

/** The peers' defaults (reconnecting-websocket 4.4, partysocket 1.3), where wsmachine keeps them. */
const PEER_DEFAULTS = {
  maxReconnectionDelay: 10_000,
  reconnectionDelayGrowFactor: 1.3,
  minUptime: 5_000,
  connectionTimeout: 4_000,
  maxRetries: Infinity,
} as const;

/** How an entry carries a `ReconnectingWebSocket`: the adapter for the `WebSocket` option given. */
export interface ReconnectingPlatform {
  /**
   * The binding for `WebSocket` (undefined when not given), the options it adds to the socket's,
   * and whether its pings are protocol frames (so a heartbeat needs nothing from the server).
   * @throws WsmError `WSM_INVALID_OPTION` for a `WebSocket` this entry cannot use.
   */
  carrier(WebSocket: unknown): {
    readonly binding: AdapterBinding;
    readonly own: Readonly<Record<string, unknown>>;
    readonly pingFrames: boolean;
  };
  /** The options only this entry's adapters take (Node's `headers`, `ws`). */
  readonly keys: readonly string[];
}

const OWN_KEYS = keysOf<ReconnectingOptions>()(
  'WebSocket',
  'maxReconnectionDelay',
  'minReconnectionDelay',
  'reconnectionDelayGrowFactor',
  'minUptime',
  'connectionTimeout',
  'maxRetries',
  'maxEnqueuedMessages',
  'maxEnqueuedBytes',
  'startClosed',
  'debug',
  'dropWhenFull',
  'flushBeforeOpen',
  'syncClose',
  'backoff',
  'web',
  'heartbeat',
  'closeTimeout',
  'shouldReconnect',
  'random',
  'resendUnconfirmed',
  'clock',
  'trace',
  'inspect',
);

/** What a `ReconnectingWebSocket` is built from. */
export interface ResolvedReconnecting {
  readonly socket: BaseSocketOptions;
  readonly binding: AdapterBinding;
  readonly shape: SocketShape;
  readonly dropWhenFull: boolean;
  readonly syncClose: boolean;
}

/**
 * Checks the options under the peers' names and makes a socket's options of them.
 * @throws WsmError `WSM_INVALID_OPTION` / `WSM_UNKNOWN_OPTION`.
 */
export function resolveReconnectingOptions(options: unknown, platform: ReconnectingPlatform): ResolvedReconnecting {
  if (!isRecord(options)) throw invalidOption('options', 'must be an object', options);
  checkKeys(options, [...OWN_KEYS, ...platform.keys]);
  const o = options as ReconnectingOptions & Record<string, unknown>;
  const maxDelay = durationOption('maxReconnectionDelay', o.maxReconnectionDelay, PEER_DEFAULTS.maxReconnectionDelay, 0);
  const minDelay = durationOption('minReconnectionDelay', o.minReconnectionDelay, 1_000 + Math.random() * 4_000, 0);
  const factor = numberOption(
    'reconnectionDelayGrowFactor',
    o.reconnectionDelayGrowFactor,
    PEER_DEFAULTS.reconnectionDelayGrowFactor,
    1,
    1_000,
  );
  const maxRetries = countOrInfinity('maxRetries', o.maxRetries, PEER_DEFAULTS.maxRetries);
  const maxMessages = countOrInfinity('maxEnqueuedMessages', o.maxEnqueuedMessages, 10_000);
  const { binding, own, pingFrames } = platform.carrier(o.WebSocket);
  const web = o.web;
  if (web !== undefined && pingFrames) {
    throw invalidOption('web', "is for a WHATWG WebSocket; over ws the heartbeat's pings are ping frames");
  }
  for (const key of platform.keys) {
    if (o[key] !== undefined && !binding.keys.includes(key)) {
      throw invalidOption(key, "needs ws's WebSocket (the WebSocket option names another class)");
    }
  }
  const debug = booleanOption('debug', o.debug, false);
  if (debug && o.trace !== undefined)
    throw invalidOption('debug', 'cannot be set with trace (both say where the lines go)', debug, 'trace');
  const socket: BaseSocketOptions & Record<string, unknown> = {
    ...pick(o, ['heartbeat', 'closeTimeout', 'shouldReconnect', 'random', 'resendUnconfirmed', 'clock', 'inspect', ...platform.keys]),
    ...own,
    ...(web === undefined ? {} : { web: { ...web, ...(own.web as object | undefined) } }),
    // Where a ping needs the server's cooperation and none was described, there is no heartbeat.
    ...(o.heartbeat === undefined && !pingFrames && web?.ping === undefined && web?.isPong === undefined ? { heartbeat: false } : {}),
    connectTimeout: durationOption('connectionTimeout', o.connectionTimeout, PEER_DEFAULTS.connectionTimeout, 1),
    stableAfter: durationOption('minUptime', o.minUptime, PEER_DEFAULTS.minUptime, 0),
    maxAttempts: maxRetries,
    backoff: {
      jitter: 'none',
      ...recordOption('backoff', o.backoff, ['jitter', 'maxRetryAfter']),
      // The peers cap every wait at the maximum, the first one included; a wait of 0 is 1 ms here.
      initial: Math.max(1, Math.min(minDelay, maxDelay)),
      max: Math.max(1, maxDelay),
      factor,
    },
    outbox: {
      maxMessages: bounded(maxMessages),
      ...(o.maxEnqueuedBytes === undefined ? {} : { maxBytes: bounded(countOrInfinity('maxEnqueuedBytes', o.maxEnqueuedBytes, 0)) }),
    },
    ...(debug ? { trace: (line: string) => console.log('RWS>', line) } : o.trace === undefined ? {} : { trace: o.trace }),
  };
  return {
    socket,
    binding,
    shape: {
      startClosed: booleanOption('startClosed', o.startClosed, false),
      queueWhileClosed: true,
      flushAfterOpen: !booleanOption('flushBeforeOpen', o.flushBeforeOpen, false),
    },
    dropWhenFull: booleanOption('dropWhenFull', o.dropWhenFull, false),
    syncClose: booleanOption('syncClose', o.syncClose, false),
  };
}

function pick(options: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of keys) if (options[key] !== undefined) picked[key] = options[key];
  return picked;
}

/** A whole number >= 0 or Infinity (the peers' way to lift a bound), or `fallback` when undefined. */
function countOrInfinity(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (value !== Infinity && !(Number.isSafeInteger(value) && (value as number) >= 0)) {
    throw invalidOption(option, 'must be a whole number >= 0 or Infinity', value);
  }
  return value as number;
}

/** A bound the outbox can hold: Infinity as the largest safe integer. */
const bounded = (value: number): number => (value === Infinity ? Number.MAX_SAFE_INTEGER : value);
