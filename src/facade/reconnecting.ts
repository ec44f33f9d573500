/**
 * `ReconnectingWebSocket`: the WHATWG WebSocket API, and reconnecting-websocket's and
 * partysocket's extras, over one `WsmSocket` (so over the same connection machine).
 *
 * Theory of operation
 * - The lifecycle is the machine's; this class only translates. `readyState` is read off the
 *   machine's state (connecting -> CONNECTING, open, awaiting-pong and paused -> OPEN, closing -> CLOSING,
 *   backing-off and closed -> CLOSED, as the peers read their old socket between attempts).
 * - One `close` event per connection that ends: on each state change that ends a live connection
 *   (to backing-off or closed, with its reason), and from `reconnect()` itself, which replaces a
 *   live connection without passing either state. A connection that ends without a close
 *   handshake dispatches `error` first, as browsers do.
 * - `open` is dispatched before the queue is flushed (what `onopen` sends goes first), unless
 *   `flushBeforeOpen`; with `syncClose`, `close()` dispatches its `close` at once and the later
 *   end of that connection is not dispatched again (`#announced`).
 * - Messages go from the socket's data path straight to `message` events: never through the
 *   machine. `binaryType` shapes binary data at dispatch.
 * - Listeners live on the platform's `EventTarget`, each wrapped (guarded-listeners.ts): a throw
 *   becomes an `error` event (`WSM_CALLBACK_ERROR`), never a crash of the process.
 */
import { checkUrlText, isOutgoingData, socketUrl, type OutgoingData, type Provider } from '../../adapters/contract.ts';
import { checkArgument, checkCloseCode } from '../../common/checks.ts';
import { isThenable, WsmError } from '../../common/errors.ts';
import type { ConnectionStateName } from '../../machines/connection.machine.ts';
import type { DisconnectReason } from '../../machines/vocabulary.ts';
import type { SocketStats, StateChange } from './events.ts';
import { describeReason } from './format.ts';
import { resolveReconnectingOptions, type ReconnectingOptions, type ReconnectingPlatform } from './reconnecting-options.ts';
import { GuardedListeners } from './guarded-listeners.ts';
import { takeQueued, WsmSocket } from './socket.ts';
import {
  checkBinaryType,
  closeEvent,
  errorEvent,
  messageEvent,
  type BinaryTypeName,
  type ReconnectingCloseEvent,
  type ReconnectingErrorEvent,
  type ReconnectingEventMap,
} from './web-events.ts';

/** The URL: a string, or a function (sync or async) called for a fresh one before every attempt. */
export type UrlProvider = string | URL | (() => string | URL | Promise<string | URL>);

/** The subprotocols: none, one, a list, or a function (sync or async) called before every attempt. */
export type ProtocolsProvider =
  null | string | readonly string[] | (() => string | readonly string[] | null | Promise<string | readonly string[] | null>);

/** A listener object of event `K`, as the platform takes: its `handleEvent` is called. */
export interface ReconnectingListenerObject<K extends keyof ReconnectingEventMap> {
  /** Called with each event. */
  handleEvent(event: ReconnectingEventMap[K]): unknown;
}

/** A listener of event `K`: a function or an object with `handleEvent`. */
export type ReconnectingListener<K extends keyof ReconnectingEventMap> =
  ((event: ReconnectingEventMap[K]) => unknown) | ReconnectingListenerObject<K>;

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

const READY_STATES: Readonly<Record<ConnectionStateName, 0 | 1 | 2 | 3>> = {
  connecting: CONNECTING,
  open: OPEN,
  'awaiting-pong': OPEN,
  paused: OPEN,
  closing: CLOSING,
  'backing-off': CLOSED,
  closed: CLOSED,
};

const isLive = (state: ConnectionStateName): boolean => READY_STATES[state] !== CLOSED;

/** The options of `addEventListener`, as the platform's. */
export interface ReconnectingListenerOptions {
  /** Remove the listener after its first call. @default false */
  readonly once?: boolean;
  /** The platform's capture flag (there is no propagation here). @default false */
  readonly capture?: boolean;
  /** The platform's passive flag. @default false */
  readonly passive?: boolean;
  /** Removes the listener when aborted. @default none */
  readonly signal?: AbortSignal;
}

/**
 * The class both entries export as `ReconnectingWebSocket`; each passes the platform that decides
 * the adapter. Its members are documented here.
 */
export class ReconnectingWebSocketBase extends EventTarget {
  /** The connection is not yet open. */
  static readonly CONNECTING = CONNECTING;
  /** The connection is open. */
  static readonly OPEN = OPEN;
  /** The connection is closing. */
  static readonly CLOSING = CLOSING;
  /** The connection is closed, or waiting to reconnect. */
  static readonly CLOSED = CLOSED;

  /** Called on `open`, before the listeners added with `addEventListener`. @default null */
  onopen: ((event: ReconnectingEventMap['open']) => unknown) | null = null;
  /** Called on each `message`. @default null */
  onmessage: ((event: ReconnectingEventMap['message']) => unknown) | null = null;
  /** Called on each `close` (one per connection that ends). @default null */
  onclose: ((event: ReconnectingEventMap['close']) => unknown) | null = null;
  /** Called on each `error`. @default null */
  onerror: ((event: ReconnectingEventMap['error']) => unknown) | null = null;

  readonly #socket: WsmSocket;
  readonly #dropWhenFull: boolean;
  readonly #syncClose: boolean;
  #binaryType: BinaryTypeName = 'blob';
  #url = '';
  #protocol = '';
  #extensions = '';
  #reason: DisconnectReason | null = null;
  /** `syncClose` dispatched the `close` of the live connection already; its end is not news. */
  #announced = false;
  /** reconnect() of a closed socket, not yet taken by the machine (it starts on a microtask). */
  #restarting = false;
  /** The close frame of the socket that ended last (set before the machine hears of it). */
  #frame: readonly [number, string, boolean] | undefined;
  readonly #listeners = new GuardedListeners((error, fromErrorListener) => this.#report(error, fromErrorListener));

  protected constructor(url: UrlProvider, protocols: ProtocolsProvider | undefined, options: unknown, platform: ReconnectingPlatform) {
    super();
    // The one URL rule; a provider's values are checked on each attempt.
    if (typeof url !== 'function') socketUrl(url, 'option');
    const resolved = resolveReconnectingOptions(options ?? {}, platform);
    this.#dropWhenFull = resolved.dropWhenFull;
    this.#syncClose = resolved.syncClose;
    const socketOptions = protocols === undefined || protocols === null ? resolved.socket : { ...resolved.socket, protocols };
    const shape = {
      ...resolved.shape,
      socketClosed: (code: number, text: string, wasClean: boolean) => (this.#frame = [code, text, wasClean]),
    };
    this.#socket = new WsmSocket(this.#tracked(url), socketOptions as never, resolved.binding, shape);
    // The on<type> handlers run first, as the peers call them, under the same guard as the listeners.
    for (const type of ['open', 'message', 'close', 'error'] as const) {
      super.addEventListener(type, (event) => this.#listeners.call(this, type, this[`on${type}`], event));
    }
    const socket = this.#socket;
    socket.on('open', ({ protocol, extensions }) => {
      this.#protocol = protocol;
      this.#extensions = extensions;
      this.dispatchEvent(new Event('open'));
    });
    socket.on('message', (data) => {
      // After a syncClose, the closing socket's last messages are not news: its close was.
      if (!this.#announced) this.dispatchEvent(messageEvent(data, this.#binaryType));
    });
    socket.on('state', (change) => this.#onState(change));
    socket.on('drain', () => this.dispatchEvent(new Event('drain')));
    // Socket-level errors are told by the reason of the connection they end; the app's failing callbacks here.
    socket.on('error', (error) => {
      if (error instanceof WsmError) this.#report(error, false);
    });
  }

  /** A failure of the app's own code: an `error` event when someone listens, else console.error. */
  #report(error: WsmError, fromErrorListener: boolean): void {
    const heard = typeof this.onerror === 'function' || this.#listeners.errorListeners > 0;
    if (fromErrorListener || !heard) console.error(error);
    else this.dispatchEvent(errorEvent(error, null));
  }

  /** The URL, recorded as each attempt resolves it (a provider's value included). */
  #tracked(url: UrlProvider): Provider<string | URL> {
    const record = (value: string | URL): string | URL => {
      const text = value instanceof URL ? value.href : String(value);
      this.#url = checkUrlText(text).href ?? text;
      return value;
    };
    if (typeof url !== 'function') {
      record(url);
      return url;
    }
    return () => {
      const value = url();
      return isThenable(value) ? Promise.resolve(value).then(record) : record(value);
    };
  }

  #onState({ from, to, reason }: StateChange): void {
    this.#restarting = false;
    if (reason === null || !isLive(from) || isLive(to)) return;
    const frame = this.#frame;
    this.#frame = undefined;
    this.#reason = reason;
    if (this.#announced) {
      this.#announced = false;
      return;
    }
    const [code, text, wasClean] = closeFacts(reason, from, frame);
    if (!wasClean) this.dispatchEvent(errorEvent(new Error(`wsmachine: ${describeReason(reason)}`), reason));
    this.dispatchEvent(closeEvent(code, text, wasClean, reason));
  }

  /** CONNECTING (0), OPEN (1), CLOSING (2) or CLOSED (3; also while waiting to reconnect). */
  get readyState(): 0 | 1 | 2 | 3 {
    if (this.#restarting) return CONNECTING;
    return this.#announced ? CLOSED : READY_STATES[this.#socket.state];
  }

  /** 0. */
  get CONNECTING(): 0 {
    return CONNECTING;
  }
  /** 1. */
  get OPEN(): 1 {
    return OPEN;
  }
  /** 2. */
  get CLOSING(): 2 {
    return CLOSING;
  }
  /** 3. */
  get CLOSED(): 3 {
    return CLOSED;
  }

  /** The URL of the current (or last) attempt; '' before a URL provider first answered. */
  get url(): string {
    return this.#url;
  }

  /** The subprotocol the server chose on the last open ('' for none). */
  get protocol(): string {
    return this.#protocol;
  }

  /** The extensions the server accepted on the last open ('' for none). */
  get extensions(): string {
    return this.#extensions;
  }

  /**
   * How binary messages arrive: as a `Blob` (`'blob'`) or an `ArrayBuffer` (`'arraybuffer'`).
   * @default 'blob'
   * @throws WsmError `WSM_INVALID_ARGUMENT` when set to anything else (the platform would ignore it silently).
   */
  get binaryType(): BinaryTypeName {
    return this.#binaryType;
  }
  /** Sets how binary messages arrive from now on. */
  set binaryType(value: BinaryTypeName) {
    this.#binaryType = checkBinaryType(value);
  }

  /** Bytes sent and not yet handed to the network: the open socket's buffer plus the queue. */
  get bufferedAmount(): number {
    return this.#socket.bufferedAmount;
  }

  /** Retries since the last connection that stayed up `minUptime` (0 on the first connection). */
  get retryCount(): number {
    return this.#socket.actor.getSnapshot().context.attempt;
  }

  /** The machine's state: connecting, open, awaiting-pong, paused, closing, backing-off or closed. */
  get state(): ConnectionStateName {
    return this.#socket.state;
  }

  /** Why the last connection ended; null until one has. */
  get disconnectReason(): DisconnectReason | null {
    return this.#reason;
  }

  /** The socket's figures: reconnects, round trip, queue and delivery accounting. */
  get stats(): SocketStats {
    return this.#socket.stats;
  }

  /**
   * Sends now when open, else queues (flushed on the next open). Returns true when the message went
   * to the open socket, false when it was queued (or dropped, with `dropWhenFull`).
   * @throws WsmError `WSM_OUTBOX_FULL` when the queue is at `maxEnqueuedMessages` or
   *   `maxEnqueuedBytes` (unless `dropWhenFull`), `WSM_INVALID_ARGUMENT` for data that is not a
   *   string, an ArrayBuffer or a typed array (a `Blob` included: send its bytes), `WSM_CLOSED`
   *   when the connection machine itself failed.
   */
  send(data: OutgoingData): boolean {
    if (!isOutgoingData(data) && typeof Blob === 'function' && (data as unknown) instanceof Blob) {
      throw new WsmError(
        'WSM_INVALID_ARGUMENT',
        'wsmachine: send() takes no Blob (its bytes are read asynchronously, which would reorder messages); send await blob.arrayBuffer()',
        { option: 'data', value: 'a Blob' },
      );
    }
    try {
      return this.#socket.send(data);
    } catch (error) {
      if (this.#dropWhenFull && error instanceof WsmError && error.code === 'WSM_OUTBOX_FULL') return false;
      throw error;
    }
  }

  /**
   * Closes for good: a close handshake when open, at once otherwise. Nothing reconnects until
   * `reconnect()`; what is queued stays queued for it. Does nothing when already closed.
   * @throws WsmError `WSM_INVALID_CLOSE_CODE` for a code other than 1000 or 3000-4999, or a reason over 123 UTF-8 bytes.
   */
  close(code = 1000, reason = ''): void {
    checkCloseCode(code, reason);
    const state = this.#socket.state;
    if (state === 'closed' || this.#announced) return;
    const announce = this.#syncClose && isLive(state);
    this.#announced = announce;
    void this.#socket.close(code, reason);
    if (!announce) return;
    const why: DisconnectReason = { type: 'closed-by-client', code, reason };
    this.#reason = why;
    this.dispatchEvent(closeEvent(code, reason, true, why));
  }

  /** Takes back what is queued and not yet sent, oldest first (partysocket's): it will not be sent. */
  drainQueuedMessages(): OutgoingData[] {
    return takeQueued(this.#socket);
  }

  /**
   * Drops the connection (or the wait) and connects again with a fresh `retryCount`; also after
   * `close()`, `startClosed` or `maxRetries`. A live connection ends with a `close` event carrying
   * `code` and `reason` (the old socket is terminated, not closed with them).
   * @throws WsmError `WSM_INVALID_CLOSE_CODE` for a code other than 1000 or 3000-4999, or a reason over 123 UTF-8 bytes;
   *   `WSM_CLOSED` when the connection machine itself failed (see `disconnectReason`): make a new one.
   */
  reconnect(code?: number, reason?: string): void {
    checkCloseCode(code ?? 1000, reason ?? '');
    const ended = isLive(this.#socket.state) && !this.#announced;
    this.#announced = false;
    this.#socket.reconnect();
    this.#restarting = this.#socket.state === 'closed';
    if (!ended) return;
    const why: DisconnectReason = { type: 'closed-by-client', code: code ?? 1000, reason: reason ?? '' };
    this.#reason = why;
    this.dispatchEvent(closeEvent(code ?? 1000, reason ?? '', true, why));
  }

  /**
   * Adds a listener of `open`, `message`, `close` or `error` (options as the platform's: `once`, `signal`).
   * A listener that throws (or rejects) does not disturb the socket: the failure is an `error` event
   * (`WSM_CALLBACK_ERROR`), or console.error when nobody listens to `error` (Node's own
   * `EventTarget` would end the process).
   * @throws WsmError `WSM_INVALID_ARGUMENT` for a type that is not a string or a listener that is neither a function, an object nor null.
   */
  override addEventListener<K extends keyof ReconnectingEventMap>(
    type: K,
    listener: ReconnectingListener<K> | null,
    options?: boolean | ReconnectingListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: ((event: Event) => unknown) | { handleEvent(event: Event): unknown } | null,
    options?: boolean | ReconnectingListenerOptions,
  ): void;
  override addEventListener(type: string, listener: unknown, options?: boolean | ReconnectingListenerOptions): void {
    checkListener('addEventListener', type, listener);
    const wrapper = this.#listeners.add(type, listener, options);
    if (wrapper) super.addEventListener(type, wrapper, options);
  }

  /**
   * Removes a listener added with `addEventListener`.
   * @throws WsmError `WSM_INVALID_ARGUMENT` for a type that is not a string or a listener that is neither a function, an object nor null.
   */
  override removeEventListener<K extends keyof ReconnectingEventMap>(
    type: K,
    listener: ReconnectingListener<K> | null,
    options?: boolean | ReconnectingListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: ((event: Event) => unknown) | { handleEvent(event: Event): unknown } | null,
    options?: boolean | ReconnectingListenerOptions,
  ): void;
  override removeEventListener(type: string, listener: unknown, options?: boolean | ReconnectingListenerOptions): void {
    checkListener('removeEventListener', type, listener);
    const wrapper = this.#listeners.remove(type, listener, options);
    if (wrapper) super.removeEventListener(type, wrapper, options);
  }
}

function checkListener(method: string, type: unknown, listener: unknown): void {
  checkArgument(typeof type === 'string', method, 'type', 'must be an event name', type);
  checkArgument(
    listener === null || typeof listener === 'function' || typeof listener === 'object',
    method,
    'listener',
    'must be a function, an object with handleEvent, or null',
    listener,
  );
}

/**
 * The close event's code, reason and wasClean for how a connection ended (1006: no close frame).
 * Our own close reports the server's answer (`frame`): a close that timed out or failed has none.
 */
function closeFacts(
  reason: DisconnectReason,
  from: ConnectionStateName,
  frame: readonly [number, string, boolean] | undefined,
): readonly [number, string, boolean] {
  switch (reason.type) {
    case 'closed-by-server':
      return [reason.code, reason.reason, true];
    case 'closed-by-client':
      return from === 'closing' && frame?.[2] ? frame : [1006, '', false];
    default:
      return [1006, '', false];
  }
}

export type { ReconnectingCloseEvent, ReconnectingErrorEvent, ReconnectingOptions };
