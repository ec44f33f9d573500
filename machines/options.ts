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
import { WsmError } from './errors.ts';
import type { ShouldReconnect } from './vocabulary.ts';

/** The longest delay a JavaScript timer honours (Node and browsers): 2^31 - 1 ms, about 24.8 days. */
export const MAX_DELAY_MS = 2_147_483_647;

export interface HeartbeatOptions {
  /** ms between the last proof of life and the next ping; 0 turns the heartbeat off. @default 25000 */
  readonly interval?: number;
  /** ms to wait for the pong before the socket is declared dead. @default 10000 */
  readonly timeout?: number;
}

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

export interface ConnectionOptions {
  /** Ping/pong liveness; `false` turns it off. */
  readonly heartbeat?: HeartbeatOptions | false;
  /** ms for the opening handshake (TCP, TLS, HTTP upgrade) to complete. @default 10000 */
  readonly connectTimeout?: number;
  /** ms to wait for the server's close frame before the socket is terminated. @default 5000 */
  readonly closeTimeout?: number;
  readonly backoff?: BackoffOptions;
  /** ms a connection must stay open before the attempt counter resets (flap damping). @default 5000 */
  readonly stableAfter?: number;
  /** Reconnect attempts in a row before giving up; 0 never reconnects. @default Infinity */
  readonly maxAttempts?: number;
  /** Replaces or refines the default reason classification (see `classifyReason`). */
  readonly shouldReconnect?: ShouldReconnect;
  /** A uniform random source in [0, 1) for jitter. @default Math.random */
  readonly random?: () => number;
}

export interface ResolvedConnectionOptions {
  readonly heartbeat: { readonly interval: number; readonly timeout: number } | null;
  readonly connectTimeout: number;
  readonly closeTimeout: number;
  readonly backoff: Required<BackoffOptions>;
  readonly stableAfter: number;
  readonly maxAttempts: number;
  readonly shouldReconnect: ShouldReconnect | null;
  readonly random: () => number;
}

export const DEFAULTS = {
  heartbeat: { interval: 25_000, timeout: 10_000 },
  connectTimeout: 10_000,
  closeTimeout: 5_000,
  backoff: { initial: 1_000, factor: 2, max: 30_000, jitter: 'full', maxRetryAfter: 600_000 },
  stableAfter: 5_000,
  maxAttempts: Infinity,
} as const;

const CONNECTION_KEYS = [
  'heartbeat',
  'connectTimeout',
  'closeTimeout',
  'backoff',
  'stableAfter',
  'maxAttempts',
  'shouldReconnect',
  'random',
] as const;
const HEARTBEAT_KEYS = ['interval', 'timeout'] as const;
const BACKOFF_KEYS = ['initial', 'factor', 'max', 'jitter', 'maxRetryAfter'] as const;

/**
 * Checks `options` and fills in the defaults. `extraKeys` are keys that a wrapper (the facade, the
 * CLI) owns and checks itself; they are not reported as unknown here.
 */
export function resolveConnectionOptions(
  options: ConnectionOptions = {},
  extraKeys: readonly string[] = [],
): ResolvedConnectionOptions {
  checkArgument(Array.isArray(extraKeys) && extraKeys.every((k) => typeof k === 'string'), 'resolveConnectionOptions', 'extraKeys', 'must be an array of option names', extraKeys);
  const raw: unknown = options;
  if (!isRecord(raw)) throw invalid('options', 'must be an object', raw);
  rejectUnknownKeys(raw, [...CONNECTION_KEYS, ...extraKeys], '');

  const heartbeat = resolveHeartbeat(options.heartbeat);
  const backoffIn = options.backoff === undefined ? {} : options.backoff;
  if (!isRecord(backoffIn as unknown)) throw invalid('backoff', 'must be an object', backoffIn);
  rejectUnknownKeys(backoffIn, BACKOFF_KEYS, 'backoff.');
  const backoff = {
    initial: duration('backoff.initial', backoffIn.initial, DEFAULTS.backoff.initial, { min: 1 }),
    factor: number('backoff.factor', backoffIn.factor, DEFAULTS.backoff.factor, { min: 1, max: 1_000 }),
    max: duration('backoff.max', backoffIn.max, DEFAULTS.backoff.max, { min: 1 }),
    jitter: oneOf('backoff.jitter', backoffIn.jitter, DEFAULTS.backoff.jitter, ['full', 'none'] as const),
    maxRetryAfter: duration('backoff.maxRetryAfter', backoffIn.maxRetryAfter, DEFAULTS.backoff.maxRetryAfter, {
      min: 0,
    }),
  };
  if (backoff.initial > backoff.max) {
    throw invalid(
      'backoff.initial',
      `must not exceed backoff.max (${backoff.max})`,
      backoff.initial,
    );
  }

  const maxAttempts = options.maxAttempts === undefined ? DEFAULTS.maxAttempts : options.maxAttempts;
  // Anything that is neither Infinity nor a whole number >= 0 (strings, NaN, fractions) fails here.
  if (maxAttempts !== Infinity && !(Number.isInteger(maxAttempts) && maxAttempts >= 0)) {
    throw invalid('maxAttempts', 'must be a whole number >= 0 or Infinity', maxAttempts);
  }

  const resolved: ResolvedConnectionOptions = {
    heartbeat,
    connectTimeout: duration('connectTimeout', options.connectTimeout, DEFAULTS.connectTimeout, { min: 1 }),
    closeTimeout: duration('closeTimeout', options.closeTimeout, DEFAULTS.closeTimeout, { min: 1 }),
    backoff,
    stableAfter: duration('stableAfter', options.stableAfter, DEFAULTS.stableAfter, { min: 0 }),
    maxAttempts,
    shouldReconnect: fn('shouldReconnect', options.shouldReconnect) ?? null,
    random: fn('random', options.random) ?? Math.random,
  };
  RESOLVED.add(resolved);
  return resolved;
}

function resolveHeartbeat(value: ConnectionOptions['heartbeat']): ResolvedConnectionOptions['heartbeat'] {
  if (value === false) return null;
  const given = value === undefined ? {} : value;
  if (!isRecord(given as unknown)) throw invalid('heartbeat', 'must be an object or false', given);
  rejectUnknownKeys(given, HEARTBEAT_KEYS, 'heartbeat.');
  const interval = duration('heartbeat.interval', given.interval, DEFAULTS.heartbeat.interval, { min: 0 });
  if (interval === 0) return null;
  const timeout = duration('heartbeat.timeout', given.timeout, DEFAULTS.heartbeat.timeout, { min: 1 });
  if (interval <= timeout) {
    throw invalid(
      'heartbeat.interval',
      `must be greater than heartbeat.timeout (${timeout}): a ping must be able to fail before the next one is due`,
      interval,
    );
  }
  return { interval, timeout };
}

/** A TCP port number; `min` 0 where 0 means "any free port". */
export function isPort(value: unknown, min: 0 | 1): boolean {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= 65_535;
}

/** Options made by `resolveConnectionOptions`: the machine takes no others. */
const RESOLVED = new WeakSet<object>();

/** Whether `options` came from `resolveConnectionOptions` (so every field is present, typed and in range). */
export function isResolved(options: unknown): options is ResolvedConnectionOptions {
  return RESOLVED.has(options as object);
}

/**
 * Throws `WSM_INVALID_ARGUMENT` about argument `name` of `method` unless `ok`: the misuse of a
 * function or method, as `WSM_INVALID_OPTION` is the misuse of an option.
 */
export function checkArgument(ok: boolean, method: string, name: string, rule: string, value: unknown): void {
  if (!ok) throw new WsmError('WSM_INVALID_ARGUMENT', `wsmachine: ${method}: ${name} ${rule}, got ${show(value)}`, name);
}

/** Throws `WSM_INVALID_CLOSE_CODE` unless the app may send `code` (RFC 6455 7.4: 1000 or 3000-4999). */
export function checkCloseCode(code: unknown, reason: unknown): void {
  if (typeof code !== 'number' || !Number.isInteger(code) || (code !== 1000 && (code < 3000 || code > 4999))) {
    throw new WsmError(
      'WSM_INVALID_CLOSE_CODE',
      `wsmachine: close code must be 1000 or an integer in 3000-4999, got ${show(code)}`,
      'code',
    );
  }
  if (typeof reason !== 'string' || new TextEncoder().encode(reason).length > 123) {
    throw new WsmError(
      'WSM_INVALID_CLOSE_CODE',
      `wsmachine: close reason must be a string of at most 123 UTF-8 bytes, got ${show(reason)}`,
      'reason',
    );
  }
}

function duration(name: string, value: unknown, fallback: number, range: { min: number }): number {
  return number(name, value, fallback, { min: range.min, max: MAX_DELAY_MS });
}

function number(name: string, value: unknown, fallback: number, range: { min: number; max: number }): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(name, 'must be a finite number', value);
  if (value < range.min || value > range.max) {
    throw invalid(name, `must be between ${range.min} and ${range.max}`, value);
  }
  return value;
}

function oneOf<const T extends string>(name: string, value: unknown, fallback: T, allowed: readonly T[]): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw invalid(name, `must be one of ${allowed.map(show).join(', ')}`, value);
  return value as T;
}

function fn<T>(name: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw invalid(name, 'must be a function', value);
  return value;
}

function rejectUnknownKeys(object: object, known: readonly string[], prefix: string): void {
  for (const key of Object.keys(object)) {
    if (known.includes(key)) continue;
    const hint = nearest(key, known);
    throw new WsmError(
      'WSM_UNKNOWN_OPTION',
      `wsmachine: unknown option ${prefix}${key}${hint ? ` (did you mean ${prefix}${hint}?)` : ''}`,
      prefix + key,
    );
  }
}

function invalid(name: string, rule: string, value: unknown): WsmError {
  return new WsmError('WSM_INVALID_OPTION', `wsmachine: option ${name} ${rule}, got ${show(value)}`, name);
}

/** A value as an error message shows it: strings quoted, objects by kind (never their contents). */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value === null || typeof value !== 'object') return String(value);
  return 'an object';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The known key within edit distance 2 of `key` (case-insensitive), if any. */
function nearest(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
