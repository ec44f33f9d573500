/**
 * The options of a socket: their types, their checks, and what the socket is built from.
 *
 * Theory of operation: everything is checked here, before anything connects, and a bad option
 * throws a `WsmError` (the toolkit of common/checks.ts). The connection's own options go to
 * `resolveConnectionOptions`; the adapter's (Node's `headers` and `ws`, the browser's `web`) are
 * named and checked by its `AdapterBinding`, which the entry passes in: this file knows no adapter.
 * The app's callbacks that run inside the machine or the data path (`trace`, `clock.now`,
 * `inspect`) are wrapped so that a throw becomes a report (see guarded.ts), never a dead actor.
 */
import type { InspectionEvent, Observer } from 'xstate';
import { protocolList, socketUrl, type AdapterBinding, type Provider, type SocketAdapter } from '../../adapters/contract.ts';
import { booleanOption, countOption, functionOption, invalidOption, isRecord, keysOf, recordOption } from '../../common/checks.ts';
import type { WsmError } from '../../common/errors.ts';
import { resolveConnectionOptions, type ConnectionOptions, type ResolvedConnectionOptions } from '../../machines/options.ts';
import type { Listener, SocketEventName } from './events.ts';
import { guardedInspector, guardedNow, traceSink } from './guarded.ts';
import { INBOX_DEFAULTS, type InboxOptions } from './messages.ts';
import { OUTBOX_DEFAULTS, type OutboxOptions } from './outbox.ts';

/** A clock for the machine's timers (a `VirtualClock` in tests) and, if it has `now`, for stats. */
export interface SocketClock {
  /** Schedules `fn` after `ms`; returns an id for `clearTimeout`. */
  setTimeout(fn: (...args: unknown[]) => void, ms: number): unknown;
  /** Cancels a timer. */
  clearTimeout(id: unknown): void;
  /** The time in ms, for `stats` and round trips. @default Date.now */
  now?(): number;
}

/**
 * The options every socket takes, whatever its adapter; each entry adds its adapter's own
 * (`headers` and `ws` for Node's `ws`, `web` for the browsers' WebSocket).
 */
export interface BaseSocketOptions extends ConnectionOptions {
  /**
   * Subprotocols to offer in the handshake (HTTP tokens, no repeats), or a function (sync or async)
   * called for fresh ones on every attempt. @default none
   */
  readonly protocols?: Provider<string | readonly string[]>;
  /**
   * Bounds of what the socket holds for the app: messages queued while no socket is open, plus,
   * while one is, those written and not yet confirmed by a pong. At the bound `send` throws
   * `WSM_OUTBOX_FULL`; `drain` says when to send again. @default { maxMessages: 10000, maxBytes: 1048576 }
   */
  readonly outbox?: OutboxOptions;
  /**
   * Bounds of what each reader (`for await`, `connect().recv()`) holds that the app has not taken
   * yet. At the bound the socket stops reading (state `paused`), so TCP pushes back on the server,
   * until the app has taken half; a browser's WebSocket cannot stop reading (see the README).
   * Listeners (`on('message')`) are not buffered and not bounded. @default { maxMessages: 10000, maxBytes: 1048576 }
   */
  readonly inbox?: InboxOptions;
  /**
   * After a connection ends without proof of delivery, queue the unconfirmed messages first in the
   * outbox for the next connection (at-least-once: the server may see some twice). @default false
   */
  readonly resendUnconfirmed?: boolean;
  /**
   * The socket actor logic (a custom transport), given the adapter options as `input.config`.
   * @default the entry's adapter: `wsAdapter` from `wsmachine`, `webAdapter` from `wsmachine/browser`
   */
  readonly adapter?: SocketAdapter;
  /** The timers' clock (a `VirtualClock` in tests). @default the platform's timers and Date.now */
  readonly clock?: SocketClock;
  /**
   * Log every transition (with its reason), every frame's kind and size (never its content), pings
   * and pongs, like Python websocket-client's `enableTrace`. `true` writes to console.error; a function
   * receives each line. Credentials from the URL and headers are redacted. @default false
   */
  readonly trace?: boolean | ((line: string) => unknown);
  /** An XState inspection observer, passed to `createActor` (the local or the Stately inspector). @default none */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => unknown);
  /** Listens to `open` from the start (as `socket.on('open', fn)`). @default none */
  readonly onOpen?: Listener<'open'>;
  /** Listens to `message` from the start. @default none */
  readonly onMessage?: Listener<'message'>;
  /** Listens to `close` from the start. @default none */
  readonly onClose?: Listener<'close'>;
  /** Listens to `error` from the start. @default none */
  readonly onError?: Listener<'error'>;
  /** Listens to `ping` from the start. @default none */
  readonly onPing?: Listener<'ping'>;
  /** Listens to `pong` from the start. @default none */
  readonly onPong?: Listener<'pong'>;
}

/** The socket's own option names (beside the connection's and the adapter's). */
const FACADE_KEYS = keysOf<Omit<BaseSocketOptions, keyof ConnectionOptions>>()(
  'protocols',
  'outbox',
  'inbox',
  'resendUnconfirmed',
  'adapter',
  'clock',
  'trace',
  'inspect',
  'onOpen',
  'onMessage',
  'onClose',
  'onError',
  'onPing',
  'onPong',
);

const LISTENER_OPTIONS = [
  ['open', 'onOpen'],
  ['message', 'onMessage'],
  ['close', 'onClose'],
  ['error', 'onError'],
  ['ping', 'onPing'],
  ['pong', 'onPong'],
] as const satisfies readonly (readonly [SocketEventName, keyof BaseSocketOptions])[];

/** What a socket is built from: every option checked, defaulted and guarded. */
export interface ResolvedSocketOptions {
  readonly connection: ResolvedConnectionOptions;
  /** The options the adapter owns, as given. */
  readonly own: Readonly<Record<string, unknown>>;
  readonly protocols: Provider<string | readonly string[]> | undefined;
  readonly outbox: Required<OutboxOptions>;
  readonly inbox: Required<InboxOptions>;
  readonly resend: boolean;
  readonly adapter: SocketAdapter;
  readonly clock: SocketClock | undefined;
  readonly now: () => number;
  /** The trace sink, or undefined: the data path pays one branch when tracing is off. */
  readonly trace: ((line: string) => void) | undefined;
  readonly inspect: ((event: InspectionEvent) => void) | undefined;
  /** The `on*` options, as listeners to add. */
  readonly listeners: readonly (readonly [SocketEventName, (payload: never) => void])[];
}

/**
 * Checks every option of a socket over `binding`'s adapter. `report` receives the failures of the
 * guarded callbacks later on.
 * @throws WsmError `WSM_INVALID_OPTION` / `WSM_UNKNOWN_OPTION`.
 */
export function resolveSocketOptions(
  url: Provider<string | URL>,
  options: BaseSocketOptions,
  binding: AdapterBinding,
  report: (error: WsmError) => void,
): ResolvedSocketOptions {
  const connection = resolveConnectionOptions(options, [...FACADE_KEYS, ...binding.keys]);
  // A static URL is checked now by the adapters' own rule; a provider's values on every attempt.
  if (typeof url !== 'function') socketUrl(url, 'option');
  const own: Record<string, unknown> = {};
  for (const key of binding.keys) {
    const value = (options as Record<string, unknown>)[key];
    if (value !== undefined) own[key] = value;
  }
  const { protocols, adapter, clock, inspect, trace } = options;
  if (typeof protocols !== 'function') protocolList(protocols, 'option');
  if (adapter !== undefined && (!isRecord(adapter) || typeof adapter.transition !== 'function')) {
    throw invalidOption('adapter', 'must be XState actor logic (fromCallback)', adapter);
  }
  if (clock !== undefined && (typeof clock?.setTimeout !== 'function' || typeof clock.clearTimeout !== 'function')) {
    throw invalidOption('clock', 'must have setTimeout and clearTimeout (and may have now)', clock);
  }
  if (inspect !== undefined && typeof inspect !== 'function' && !isRecord(inspect)) {
    throw invalidOption('inspect', 'must be a function or an observer', inspect);
  }
  // The order of the checks (and so the first error of several) is the one of 0.1.
  binding.check(own);
  const outboxBounds = bounds('outbox', options.outbox, OUTBOX_DEFAULTS);
  const inboxBounds = bounds('inbox', options.inbox, INBOX_DEFAULTS);
  const resend = booleanOption('resendUnconfirmed', options.resendUnconfirmed, false);
  if (trace !== undefined && typeof trace !== 'boolean' && typeof trace !== 'function') {
    throw invalidOption('trace', 'must be a boolean or a function', trace);
  }
  return {
    connection,
    own,
    protocols,
    outbox: outboxBounds,
    inbox: inboxBounds,
    resend,
    adapter: adapter ?? binding.adapter,
    clock,
    now: clock?.now ? guardedNow(clock.now.bind(clock), report) : Date.now,
    trace: trace ? traceSink(trace, url, binding.secretHeaders(own), report) : undefined,
    inspect: inspect ? guardedInspector(inspect, report) : undefined,
    listeners: LISTENER_OPTIONS.flatMap(([event, key]) => {
      const listener = functionOption(key, options[key]);
      return listener ? [[event, listener] as const] : [];
    }),
  };
}

/** A pair of bounds (`outbox`, `inbox`): whole numbers, defaulted one by one. */
function bounds(
  name: 'outbox' | 'inbox',
  value: OutboxOptions | InboxOptions | undefined,
  defaults: { readonly maxMessages: number; readonly maxBytes: number },
): { maxMessages: number; maxBytes: number } {
  const given = recordOption(name, value, keysOf<OutboxOptions>()('maxMessages', 'maxBytes'));
  return {
    maxMessages: countOption(`${name}.maxMessages`, given.maxMessages, defaults.maxMessages),
    maxBytes: countOption(`${name}.maxBytes`, given.maxBytes, defaults.maxBytes),
  };
}
