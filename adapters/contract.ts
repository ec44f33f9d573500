/**
 * The contract between the connection's data path and any socket adapter (Node's `ws`, the
 * browsers' `WebSocket`): how data goes in and out without passing through the machine, and how an
 * adapter's configuration reaches it sealed.
 */

import type { CallbackActorLogic } from 'xstate';
import type { SocketInput } from '../machines/connection.machine.ts';
import { isThenable, WsmError } from '../common/errors.ts';
import { HTTP_TOKEN, invalidOption, show } from '../common/checks.ts';
import { redactText, redactUrl, scrubber } from '../common/redact.ts';
import type { SocketCommand } from '../machines/vocabulary.ts';

/** A value, or a function (sync or async) called on every attempt for a fresh one. */
export type Provider<T> = T | (() => T | Promise<T>);

/** What `send` takes, as the WHATWG `WebSocket.send` does: text, or bytes in any binary form. */
export type OutgoingData = string | ArrayBuffer | ArrayBufferView;

/** Whether `data` is an `OutgoingData` (binary from any realm: a vm context, a worker's copy). */
export function isOutgoingData(data: unknown): data is OutgoingData {
  return (
    typeof data === 'string' ||
    ArrayBuffer.isView(data) ||
    data instanceof ArrayBuffer ||
    Object.prototype.toString.call(data) === '[object ArrayBuffer]'
  );
}

/** The write side of an open socket, for the facade's data path. */
export interface Transport {
  /** Writes `data`; false (nothing written) when the socket is no longer open. */
  send(data: OutgoingData): boolean;
  /** Bytes written by the app and not yet handed to the kernel. */
  readonly bufferedAmount: number;
  /** The extensions the server accepted ('' for none). */
  readonly extensions: string;
  /**
   * Asks the server to confirm what was written so far, without a liveness deadline: a numbered
   * ping frame whose pong reaches `DataSink.ponged`. For the data path's accounting when there is
   * no heartbeat. Absent where a ping needs the server's cooperation (a browser's WebSocket).
   */
  confirm?(): void;
  /**
   * Whether the socket can stop reading (the `pause` and `resume` commands): ws can; a browser's
   * WebSocket cannot, since it reads whatever arrives. @default false
   */
  readonly pausable?: boolean;
}

/** Where an adapter delivers the data path. All optional: a bare machine needs none of them. */
export interface DataSink {
  /** The socket is open: write through `transport` from now on. Called before `socket.open`. */
  attach?(transport: Transport): void;
  /**
   * The socket behind `transport` is gone (closed, failed or abandoned): stop writing to it.
   * `clean` is true only when a close handshake that we started completed: the server's close
   * frame travelled behind everything we wrote, so it proves the server's WebSocket layer got it all.
   */
  detach?(transport: Transport, clean: boolean): void;
  /** The socket closed: its close frame's code and reason (1006 and '' when none arrived), before `detach`. */
  closed?(code: number, reason: string, wasClean: boolean): void;
  /** A ping frame carrying `seq` was written (after every message written so far). */
  pinged?(seq: number): void;
  /** The pong answering ping `seq` arrived: the server received everything written before that ping. */
  ponged?(seq: number): void;
  /** A whole message: text as a string, binary as bytes. */
  message?(data: string | Uint8Array): void;
  /** The server pinged us (ws answers the pong itself). */
  ping?(data: Uint8Array): void;
  /** A socket-level error, for the app's log; the machine hears about it separately. */
  error?(error: Error): void;
}

/**
 * Adapter configuration kept out of sight: the machine's context holds it (so every attempt gets
 * it), and context travels in snapshots, inspection events and logs. A sealed value shows as
 * "[sealed]" there; only the adapter opens it. URLs and headers carry tokens.
 */
export class Sealed<T> {
  readonly #value: T;
  constructor(value: T) {
    this.#value = value;
  }
  /** The value (for the adapter). */
  open(): T {
    return this.#value;
  }
  /** `'[sealed]'`, in snapshots and logs. */
  toJSON(): string {
    return '[sealed]';
  }
  /** `'[sealed]'`. */
  toString(): string {
    return '[sealed]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[sealed]';
  }
}

/** A provider's value: called when it is a function (its result may be a promise). */
function resolve<T>(provider: Provider<T>): T | Promise<T> {
  return typeof provider === 'function' ? (provider as () => T | Promise<T>)() : provider;
}

/**
 * Resolves the `providers` and calls `open` with their values: at once when none gives a promise
 * (no tick lost on the common path), else when all have resolved. It never throws: a provider that
 * throws or rejects, or an `open` that throws, goes to `fail`, on a microtask when it happened at
 * once. An adapter reports every failure with `sendBack` this way, never by throwing from its
 * start: XState delivers a start error after the events already queued, so a `reconnect` queued
 * before it would start a new attempt that the old error then ends; a stopped actor's `sendBack`
 * is dropped instead.
 */
export function startWith<const A extends readonly unknown[]>(
  providers: { readonly [K in keyof A]: Provider<A[K]> | undefined },
  open: (...resolved: A) => void,
  fail: (error: unknown) => void,
): void {
  try {
    const values = providers.map((provider) => (provider === undefined ? undefined : resolve(provider)));
    if (!values.some(isThenable)) {
      open(...(values as unknown as A));
      return;
    }
    Promise.all(values.map((value) => Promise.resolve(value))).then((resolved) => {
      try {
        open(...(resolved as unknown as A));
      } catch (error) {
        fail(error);
      }
    }, fail);
  } catch (error) {
    queueMicrotask(() => fail(error));
  }
}

/**
 * An adapter's failure as the machine may record it: the message scrubbed of the `secrets` the
 * adapter knows (its URL's and headers') and of URL credentials by shape, since a provider's or a
 * library's message may quote a URL the adapter never saw.
 */
export function sealedError(error: unknown, secrets: readonly string[]): Error {
  return new Error(sealedMessage(error instanceof Error ? error.message : String(error), secrets));
}

/** A message scrubbed of the known `secrets` and of URL credentials by shape. */
export function sealedMessage(message: string, secrets: readonly string[]): string {
  return redactText(scrubber(secrets)(message));
}

/**
 * Socket actor logic (`fromCallback`), as `connectionMachine.provide({ actors: { socket } })` takes
 * it: one actor per attempt, given `SocketInput` (its `config` is the adapter's options), sending
 * `SocketEvent`s back and carrying out `SocketCommand`s.
 */
export type SocketAdapter = CallbackActorLogic<SocketCommand, SocketInput>;

/**
 * An adapter as the facade uses it: its logic and the socket options it owns. The facade only
 * picks those options out, lets the adapter check them, and hands them over in the config; what
 * they mean is the adapter's business.
 */
export interface AdapterBinding {
  readonly adapter: SocketAdapter;
  /** The socket option names this adapter owns. */
  readonly keys: readonly string[];
  /** Refuses a bad owned option with `WSM_INVALID_OPTION`, before anything connects. */
  check(own: Readonly<Record<string, unknown>>): void;
  /** Header values among the owned options: secrets the facade's trace must scrub. */
  secretHeaders(own: Readonly<Record<string, unknown>>): Readonly<Record<string, string>>;
}

/** The common part of every adapter's configuration. */
export interface AdapterOptions {
  /** The URL, or a function (sync or async) called for a fresh one on every attempt. */
  readonly url: Provider<string | URL>;
  /** Subprotocols to offer, or a function (sync or async) called for fresh ones on every attempt. @default none */
  readonly protocols?: Provider<string | readonly string[] | null>;
  /** The clock for round trips and `Retry-After` dates. @default Date.now */
  readonly now?: () => number;
  /** Where the data path goes (the facade's). @default none: messages are dropped */
  readonly sink?: DataSink;
  /** The machine's closeTimeout, for adapters that wait on the transport after a close handshake. @default 5000 */
  readonly closeTimeout?: number;
}

/** The adapter configuration inside a socket actor's input, unsealed and checked. */
export function openConfig<T extends AdapterOptions>(config: unknown, adapter: string): T {
  const options = config instanceof Sealed ? (config.open() as unknown) : config;
  if (typeof options !== 'object' || options === null || !('url' in options)) {
    throw new TypeError(`wsmachine: the ${adapter} adapter needs { url } (or a Sealed one) as the machine input's socket`);
  }
  return options as T;
}

export const NO_SINK: DataSink = {};

/** The URL rule on a text: its href when it is a WebSocket URL, else what is wrong with it. */
export function checkUrlText(text: string): { readonly href?: string; readonly problem?: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: 'it does not parse' };
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return { problem: `its scheme is ${url.protocol}` };
  if (url.hash) return { problem: 'it has a #fragment' };
  return { href: url.href };
}

/**
 * Subprotocols as a list: HTTP tokens, no repeats (null or undefined: none). One rule for static
 * ones (checked at construction) and for a provider's values (checked on each attempt); otherwise
 * `WSM_INVALID_OPTION`.
 */
export function protocolList(value: unknown, from: 'option' | 'provider'): string[] {
  if (value === undefined || value === null) return [];
  const list: unknown[] = Array.isArray(value) ? value : [value];
  const bad = list.find((p) => typeof p !== 'string' || !HTTP_TOKEN.test(p));
  const problem =
    bad !== undefined
      ? `must be subprotocol tokens, got ${show(bad)}`
      : new Set(list).size !== list.length
        ? 'must not repeat a subprotocol'
        : '';
  if (problem === '') return list as string[];
  if (from === 'option') throw invalidOption('protocols', problem);
  throw new WsmError('WSM_INVALID_OPTION', `wsmachine: the protocols provider's value ${problem}`, { option: 'protocols', rule: problem });
}

/**
 * The URL a socket opens, as its href: a string or `URL` with the ws: or wss: scheme that the
 * WHATWG URL parser accepts (a host without spaces, a port up to 65535) and without a fragment.
 * One rule for a static URL (checked at construction) and for every value a URL provider returns
 * (checked on each attempt); otherwise `WSM_INVALID_OPTION`, with the URL's secrets masked.
 */
export function socketUrl(value: unknown, from: 'option' | 'provider'): string {
  const text = value instanceof URL ? value.href : value;
  const checked = typeof text === 'string' ? checkUrlText(text) : undefined;
  if (checked?.href !== undefined) return checked.href;
  const got = typeof text === 'string' ? `${JSON.stringify(redactUrl(text))} (${checked?.problem})` : show(value);
  throw new WsmError(
    'WSM_INVALID_OPTION',
    from === 'option'
      ? `wsmachine: option url must be a ws:// or wss:// URL, or a function returning one; got ${got}`
      : `wsmachine: the url provider must return a ws:// or wss:// URL, got ${got}`,
    { option: 'url', rule: 'must be a ws:// or wss:// URL', value: got },
  );
}
