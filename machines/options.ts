/**
 * Connection options: defaults, and the checks that turn a bad option into an immediate `WsmError`.
 *
 * Theory of operation: the machine only ever sees a `ResolvedConnectionOptions`, in which every
 * field is present, typed and in range, so no transition has to second-guess its input. The checks
 * are the relations that make the timers meaningful:
 * - every duration is a finite number of ms that a JavaScript timer can hold (<= 2^31 - 1: Node
 *   fires a longer `setTimeout` after 1 ms, which would turn a long backoff into a hot loop);
 * - heartbeat.interval > heartbeat.timeout (websocket-client's rule: a ping must be able to fail
 *   before the next one is due), or interval 0 / `heartbeat: false` to turn the heartbeat off;
 * - backoff.initial <= backoff.max, backoff.factor >= 1;
 * - maxAttempts a whole number or Infinity.
 * Unknown keys are rejected with the nearest known key as a hint, since a misspelt option that is
 * silently ignored is the worst kind of default. Only `undefined` takes a default: `null` is refused.
 */
import {
  checkArgument,
  checkKeys,
  durationOption as duration,
  functionOption as fn,
  invalidOption as invalid,
  isRecord,
  keysOf,
  MAX_DELAY_MS,
  numberOption,
  oneOfOption as oneOf,
  recordOption,
} from '../common/checks.ts';
import type { ShouldReconnect } from './vocabulary.ts';

export { MAX_DELAY_MS };

/**
 * The heartbeat: after `interval` ms without proof of life the socket is pinged, and a pong must
 * come within `timeout` ms (a dead path is noticed within interval + timeout).
 */
export interface HeartbeatOptions {
  /** ms between the last proof of life and the next ping; 0 turns the heartbeat off. @default 25000 */
  readonly interval?: number;
  /** ms to wait for the pong before the socket is declared dead. @default 10000 */
  readonly timeout?: number;
}

/** The waits between reconnect attempts: full-jitter exponential backoff, capped. */
export interface BackoffOptions {
  /** The first step's cap, ms. @default 1000 */
  readonly initial?: number;
  /** Growth per failed attempt. @default 2 */
  readonly factor?: number;
  /** The cap of every step, ms. @default 30000 */
  readonly max?: number;
  /** `'full'`: a uniform draw in [0, step] (spreads a fleet); `'none'`: exactly the step. @default 'full' */
  readonly jitter?: 'full' | 'none';
  /** A server's `Retry-After` is honoured up to this many ms. @default 600000 */
  readonly maxRetryAfter?: number;
}

/** The connection's lifecycle options (every socket takes them; so does `resolveConnectionOptions`). */
export interface ConnectionOptions {
  /** Ping/pong liveness; `false` turns it off. @default { interval: 25000, timeout: 10000 } */
  readonly heartbeat?: HeartbeatOptions | false;
  /** ms for the opening handshake (TCP, TLS, HTTP upgrade) to complete. @default 10000 */
  readonly connectTimeout?: number;
  /** ms to wait for the server's close frame before the socket is terminated. @default 5000 */
  readonly closeTimeout?: number;
  /** The waits between reconnect attempts. @default { initial: 1000, factor: 2, max: 30000, jitter: 'full', maxRetryAfter: 600000 } */
  readonly backoff?: BackoffOptions;
  /** ms a connection must stay open before the attempt counter resets (flap damping). @default 5000 */
  readonly stableAfter?: number;
  /**
   * ms a socket may stay `paused` (a reader full, nothing read, no heartbeat) before the connection
   * is dropped as `reader-stalled` and made again: the bound on a reader that stopped reading (or
   * waits for something the pause holds back, such as `drain`). `0` never drops it. @default 60000
   */
  readonly pauseTimeout?: number;
  /** Reconnect attempts in a row before giving up; 0 never reconnects. @default Infinity */
  readonly maxAttempts?: number;
  /** Replaces or refines the default reason classification (see `classifyReason`). @default none (the default table) */
  readonly shouldReconnect?: ShouldReconnect;
  /** A uniform random source in [0, 1) for jitter. @default Math.random */
  readonly random?: () => number;
}

/** What `resolveConnectionOptions` makes of `ConnectionOptions`: every field present, typed and in range. */
export interface ResolvedConnectionOptions {
  /** The heartbeat's interval and timeout, ms; null when it is off. */
  readonly heartbeat: {
    /** ms of silence before a ping. */
    readonly interval: number;
    /** ms to wait for the pong. */
    readonly timeout: number;
  } | null;
  /** ms for the opening handshake. */
  readonly connectTimeout: number;
  /** ms for the closing handshake. */
  readonly closeTimeout: number;
  /** Every backoff option, defaulted. */
  readonly backoff: Required<BackoffOptions>;
  /** ms of uptime before the attempt counter resets. */
  readonly stableAfter: number;
  /** ms in `paused` before the connection is dropped (0: never). */
  readonly pauseTimeout: number;
  /** Reconnect attempts in a row before giving up (Infinity: never). */
  readonly maxAttempts: number;
  /** The app's policy, or null for the default table. */
  readonly shouldReconnect: ShouldReconnect | null;
  /** The random source of the jitter. */
  readonly random: () => number;
}

/** The defaults of `ConnectionOptions`, ms unless said otherwise. */
export const DEFAULTS = {
  /** A ping after 25 s of silence; the pong within 10 s. */
  heartbeat: {
    /** ms */
    interval: 25_000,
    /** ms */
    timeout: 10_000,
  },
  /** ms */
  connectTimeout: 10_000,
  /** ms */
  closeTimeout: 5_000,
  /** Full-jitter exponential backoff from 1 s, doubling, capped at 30 s; Retry-After up to 10 min. */
  backoff: {
    /** ms */
    initial: 1_000,
    /** per failed attempt */
    factor: 2,
    /** ms */
    max: 30_000,
    /** a uniform draw in [0, step] */
    jitter: 'full',
    /** ms */
    maxRetryAfter: 600_000,
  },
  /** ms */
  stableAfter: 5_000,
  /** ms */
  pauseTimeout: 60_000,
  /** never give up */
  maxAttempts: Infinity,
} as const;

const CONNECTION_KEYS = keysOf<ConnectionOptions>()(
  'heartbeat',
  'connectTimeout',
  'closeTimeout',
  'backoff',
  'stableAfter',
  'pauseTimeout',
  'maxAttempts',
  'shouldReconnect',
  'random',
);
const HEARTBEAT_KEYS = keysOf<HeartbeatOptions>()('interval', 'timeout');
const BACKOFF_KEYS = keysOf<BackoffOptions>()('initial', 'factor', 'max', 'jitter', 'maxRetryAfter');

/**
 * Checks `options` and fills in the defaults. `extraKeys` are keys that a wrapper (the facade, the
 * CLI) owns and checks itself; they are not reported as unknown here.
 */
export function resolveConnectionOptions(options: ConnectionOptions = {}, extraKeys: readonly string[] = []): ResolvedConnectionOptions {
  checkArgument(
    Array.isArray(extraKeys) && extraKeys.every((k) => typeof k === 'string'),
    'resolveConnectionOptions',
    'extraKeys',
    'must be an array of option names',
    extraKeys,
  );
  const raw: unknown = options;
  if (!isRecord(raw)) throw invalid('options', 'must be an object', raw);
  checkKeys(raw, [...CONNECTION_KEYS, ...extraKeys]);

  const heartbeat = resolveHeartbeat(options.heartbeat);
  const backoffIn: BackoffOptions = recordOption('backoff', options.backoff, BACKOFF_KEYS);
  const backoff = {
    initial: duration('backoff.initial', backoffIn.initial, DEFAULTS.backoff.initial, 1),
    factor: numberOption('backoff.factor', backoffIn.factor, DEFAULTS.backoff.factor, 1, 1_000),
    max: duration('backoff.max', backoffIn.max, DEFAULTS.backoff.max, 1),
    jitter: oneOf('backoff.jitter', backoffIn.jitter, DEFAULTS.backoff.jitter, ['full', 'none'] as const),
    maxRetryAfter: duration('backoff.maxRetryAfter', backoffIn.maxRetryAfter, DEFAULTS.backoff.maxRetryAfter, 0),
  };
  if (backoff.initial > backoff.max) {
    throw invalid('backoff.initial', `must not exceed backoff.max (${backoff.max})`, backoff.initial, 'backoff.max');
  }

  const maxAttempts = options.maxAttempts === undefined ? DEFAULTS.maxAttempts : options.maxAttempts;
  // Anything that is neither Infinity nor a whole number >= 0 (strings, NaN, fractions) fails here.
  if (maxAttempts !== Infinity && !(Number.isInteger(maxAttempts) && maxAttempts >= 0)) {
    throw invalid('maxAttempts', 'must be a whole number >= 0 or Infinity', maxAttempts);
  }

  const resolved: ResolvedConnectionOptions = {
    heartbeat,
    connectTimeout: duration('connectTimeout', options.connectTimeout, DEFAULTS.connectTimeout, 1),
    closeTimeout: duration('closeTimeout', options.closeTimeout, DEFAULTS.closeTimeout, 1),
    backoff,
    stableAfter: duration('stableAfter', options.stableAfter, DEFAULTS.stableAfter, 0),
    pauseTimeout: duration('pauseTimeout', options.pauseTimeout, DEFAULTS.pauseTimeout, 0),
    maxAttempts,
    shouldReconnect: fn('shouldReconnect', options.shouldReconnect) ?? null,
    random: fn('random', options.random) ?? Math.random,
  };
  RESOLVED.add(resolved);
  return resolved;
}

function resolveHeartbeat(value: ConnectionOptions['heartbeat']): ResolvedConnectionOptions['heartbeat'] {
  if (value === false) return null;
  const given: HeartbeatOptions = recordOption('heartbeat', value, HEARTBEAT_KEYS, 'must be an object or false');
  const interval = duration('heartbeat.interval', given.interval, DEFAULTS.heartbeat.interval, 0);
  if (interval === 0) return null;
  const timeout = duration('heartbeat.timeout', given.timeout, DEFAULTS.heartbeat.timeout, 1);
  if (interval <= timeout) {
    throw invalid(
      'heartbeat.interval',
      `must be greater than heartbeat.timeout (${timeout}): a ping must be able to fail before the next one is due`,
      interval,
      'heartbeat.timeout',
    );
  }
  return { interval, timeout };
}

/** Options made by `resolveConnectionOptions`: the machine takes no others. */
const RESOLVED = new WeakSet<object>();

/** Whether `options` came from `resolveConnectionOptions` (so every field is present, typed and in range). */
export function isResolved(options: unknown): options is ResolvedConnectionOptions {
  return RESOLVED.has(options as object);
}
