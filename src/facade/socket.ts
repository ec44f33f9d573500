/**
 * The socket behind every entry's `createSocket(url, options)`, whatever the adapter underneath.
 *
 * Theory of operation
 * - Options are checked here, before anything connects: a bad option throws a `WsmError`. The
 *   adapter's own options (Node's `headers` and `ws`, the browser's `web`) are named and checked by
 *   its `AdapterBinding`, which the entry passes in: this file knows no adapter.
 * - The lifecycle runs in the connection machine, started on the next microtask, so that no event
 *   is emitted before the creator could subscribe (the socket starts connecting then).
 *   The facade only listens: the machine's emitted events (`open`, `pong`, `reconnecting`, `close`)
 *   and its snapshots (for `state`) become the app's events.
 * - The data path never enters the machine. Inbound messages go adapter -> `DataSink.message` ->
 *   listeners. `send` writes straight into the current `Transport` when one is attached and the
 *   outbox is empty (so order holds); otherwise the message is queued in the bounded outbox, which
 *   is flushed, oldest first, when the next socket attaches (before the app hears `open`).
 * - No silent loss: a message is written, queued, refused at `send` with a typed error
 *   (`WSM_OUTBOX_FULL`, `WSM_CLOSED`), or handed back as `unsent` in the `close` event when the
 *   socket closes for good.
 * - Delivery accounting rides on the data path at the cost of one array push per message: what a
 *   transport wrote stays "in flight" until the pong of a later numbered ping (or a close handshake
 *   we started) confirms it; when the transport goes without that proof, the in-flight messages are
 *   reported (`unconfirmed`) and, with `resendUnconfirmed`, put back at the head of the outbox.
 * - A listener that throws does not disturb the machine: the error goes to the `error` listeners
 *   as `WSM_CALLBACK_ERROR`, or, when there are none, to console.error (never an uncaught exception).
 * - `trace` costs one branch per message when off; when on, it logs kinds and sizes, never content.
 */
import { createActor, type Actor, type InspectionEvent, type Observer, type SnapshotFrom } from 'xstate';
import {
  HTTP_TOKEN,
  isOutgoingData,
  Sealed,
  socketUrl,
  type AdapterBinding,
  type AdapterOptions,
  type DataSink,
  type OutgoingData,
  type Provider,
  type SocketAdapter,
  type Transport,
} from '../../adapters/contract.ts';
import {
  connectionMachine,
  stateNameOf,
  type ConnectionEmitted,
  type ConnectionMachine,
  type ConnectionStateName,
} from '../../machines/connection.machine.ts';
import { callbackError, catchRejection, WsmError } from '../../machines/errors.ts';
import { checkCloseCode, resolveConnectionOptions, show, type ConnectionOptions } from '../../machines/options.ts';
import type { DisconnectReason, SocketCommand } from '../../machines/vocabulary.ts';
import { byteSize, Outbox, OUTBOX_DEFAULTS, type OutboxOptions } from './outbox.ts';
import { EVENT_NAMES, type CloseInfo, type IncomingData, type Listener, type SocketEventMap, type SocketEventName } from './events.ts';
import { duration, stateLine } from './format.ts';
import { scrubber, secretsOf } from '../../machines/redact.ts';


/** A clock for the machine's timers (a `VirtualClock` in tests) and, if it has `now`, for stats. */
export interface SocketClock {
  setTimeout(fn: (...args: unknown[]) => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  now?(): number;
}

/**
 * The options every socket takes, whatever its adapter; each entry adds its adapter's own
 * (`headers` and `ws` for Node's `ws`, `web` for the browsers' WebSocket).
 */
export interface BaseSocketOptions extends ConnectionOptions {
  /** Subprotocols to offer in the handshake (HTTP tokens, no repeats). @default none */
  readonly protocols?: string | readonly string[];
  /** Bounds of the queue that holds messages sent while no socket is open. */
  readonly outbox?: OutboxOptions;
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
  readonly trace?: boolean | ((line: string) => void);
  /** An XState inspection observer, passed to `createActor` (the local or the Stately inspector). @default none */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  readonly onOpen?: Listener<'open'>;
  readonly onMessage?: Listener<'message'>;
  readonly onClose?: Listener<'close'>;
  readonly onError?: Listener<'error'>;
  readonly onPing?: Listener<'ping'>;
  readonly onPong?: Listener<'pong'>;
}

export interface SocketStats {
  readonly state: ConnectionStateName;
  /** Reconnect attempts in the current streak (resets after `stableAfter` of uptime). */
  readonly attempts: number;
  /** Successful opens after the first one. */
  readonly reconnects: number;
  readonly rttMs: number | null;
  readonly lastPongAt: number | null;
  readonly connectedAt: number | null;
  readonly queued: number;
  readonly queuedBytes: number;
  /** Messages written on the current connection and not yet confirmed by a pong. */
  readonly inFlight: number;
  /** Messages confirmed delivered to the server's WebSocket layer (by a pong or a completed close). */
  readonly confirmed: number;
  /** Messages reported in `unconfirmed` events. */
  readonly unconfirmed: number;
  /** Of those, the ones put back in the outbox (`resendUnconfirmed`). */
  readonly resent: number;
}

const FACADE_KEYS = [
  'protocols',
  'outbox',
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
] as const satisfies readonly (keyof BaseSocketOptions)[];

/**
 * A connection that keeps itself connected: made by `createSocket`. Its state, events, stats and
 * delivery accounting are described on each member; `actor` is the XState actor underneath.
 */
export class WsmSocket implements AsyncIterable<IncomingData> {
  /** The live XState actor: subscribe, inspect, or read its snapshot. */
  readonly actor: Actor<ConnectionMachine>;
  readonly #outbox: Outbox;
  readonly #now: () => number;
  // Created on first use: an idle socket with no listeners pays for none of this.
  #listeners: { [E in SocketEventName]?: Listener<E>[] } = {};
  #iterators: Set<MessageQueue> | undefined;
  #transport: Transport | undefined;
  #state: ConnectionStateName;
  #closeWaiters: ((info: CloseInfo) => void)[] = [];
  #lastClose: CloseInfo | undefined;
  #opens = 0;
  #lastPongAt: number | null = null;
  #connectedAt: number | null = null;
  readonly #resend: boolean;
  /** The trace sink, or undefined: the data path pays one branch when tracing is off. */
  readonly #trace: ((line: string) => void) | undefined;
  // Delivery accounting for the current transport: messages written since the last confirmed ping,
  // the running count of the first of them, and the write count at each outstanding ping.
  #inFlight: OutgoingData[] = [];
  #inFlightBase = 0;
  #marks = new Map<number, number>();
  #probeAt: number;
  /** Failures reported before the actor started (an `inspect` that throws at creation): held for the listeners. */
  #early: Error[] | undefined = [];
  /** Set when the actor itself failed (see #onActorError): the socket is closed for good. */
  #failed = false;
  /** A reconnect() of a closed socket not yet taken by the (busy) actor. */
  #restarting = false;
  #delivery = { confirmed: 0, unconfirmed: 0, resent: 0 };

  // Made by an entry's createSocket, which names the adapter and the options that adapter owns.
  constructor(url: Provider<string | URL>, options: BaseSocketOptions, binding: AdapterBinding) {
    const resolved = resolveConnectionOptions(options, [...FACADE_KEYS, ...binding.keys]);
    checkUrl(url);
    checkFacadeOptions(options);
    const own = pickOptions(options, binding.keys);
    binding.check(own);
    this.#outbox = new Outbox(checkOutbox(options.outbox));
    this.#probeAt = this.#outbox.maxMessages;
    if (options.resendUnconfirmed !== undefined && typeof options.resendUnconfirmed !== 'boolean') {
      throw new WsmError('WSM_INVALID_OPTION', 'wsmachine: option resendUnconfirmed must be a boolean', 'resendUnconfirmed');
    }
    this.#resend = options.resendUnconfirmed ?? false;
    this.#trace = traceSink(options.trace, url, binding.secretHeaders(own), (error) => this.#report(error));
    const clock = options.clock;
    this.#now = clock?.now ? guardedNow(clock.now.bind(clock), (error) => this.#report(error)) : Date.now;

    for (const [event, key] of [
      ['open', 'onOpen'],
      ['message', 'onMessage'],
      ['close', 'onClose'],
      ['error', 'onError'],
      ['ping', 'onPing'],
      ['pong', 'onPong'],
    ] as const) {
      const callback = options[key];
      if (callback === undefined) continue;
      if (typeof callback !== 'function') {
        throw new WsmError('WSM_INVALID_OPTION', `wsmachine: option ${key} must be a function`, key);
      }
      this.on(event, callback as Listener<typeof event>);
    }

    const sink = new WsmSocket.#Sink(this);
    const adapterOptions: AdapterOptions = {
      ...own,
      url,
      sink,
      now: this.#now,
      closeTimeout: resolved.closeTimeout,
      ...(options.protocols === undefined ? {} : { protocols: options.protocols }),
    };
    this.actor = createActor(machineFor(options.adapter ?? binding.adapter), {
      input: { options: resolved, socket: new Sealed(adapterOptions) },
      ...(clock ? { clock: clock as never } : {}),
      ...(options.inspect ? { inspect: guardedInspector(options.inspect, (error) => this.#report(error)) } : {}),
    });
    this.#state = stateNameOf(this.actor.getSnapshot().value);

    // One wildcard listener and one subscription: each `actor.on` costs a Set and a closure per socket.
    this.actor.on('*', (event) => this.#onMachineEvent(event));
    this.actor.subscribe({ next: (snapshot) => this.#onSnapshot(snapshot), error: (error) => this.#onActorError(error) });
    // Started on the next microtask, not here: the first attempt can fail synchronously (a provider
    // that throws), and its events must reach the listeners the creator adds right after this
    // returns. Calls made before then (send, close, reconnect) are queued by the actor's mailbox.
    queueMicrotask(() => {
      const early = this.#early;
      this.#early = undefined;
      for (const error of early ?? []) this.#report(error);
      this.actor.start();
    });
  }

  /** The data path's entry points, on the prototype (no closures per socket). */
  static readonly #Sink = class implements DataSink {
    constructor(private readonly owner: WsmSocket) {}

    attach(transport: Transport): void {
      const owner = this.owner;
      owner.#transport = transport;
      owner.#outbox.drain((data) => transport.send(data) && owner.#written(data));
    }

    detach(transport: Transport, clean: boolean): void {
      if (this.owner.#transport === transport) this.owner.#endDelivery(clean);
    }

    pinged(seq: number): void {
      const owner = this.owner;
      owner.#trace?.('> ping');
      owner.#marks.set(seq, owner.#inFlightBase + owner.#inFlight.length);
    }

    ponged(seq: number): void {
      this.owner.#confirm(seq);
    }

    message(data: IncomingData): void {
      this.owner.#deliver(data);
    }

    // After the machine failed, its socket's last words (terminated asynchronously) are not news.
    ping(data: Uint8Array): void {
      if (this.owner.#failed) return;
      this.owner.#trace?.('< ping');
      this.owner.#emit('ping', data);
    }

    error(error: Error): void {
      if (!this.owner.#failed) this.owner.#emit('error', error);
    }
  };

  #onMachineEvent(event: ConnectionEmitted): void {
    switch (event.type) {
      case 'open':
        this.#opens++;
        this.#connectedAt = this.#now();
        this.#emit('open', { protocol: event.protocol, attempt: event.attempt });
        return;
      case 'pong':
        this.#trace?.(`< pong ${duration(event.rttMs)}`);
        this.#lastPongAt = this.#now();
        this.#emit('pong', { rttMs: event.rttMs });
        return;
      case 'reconnecting':
        this.#emit('reconnecting', { attempt: event.attempt, delayMs: event.delayMs, reason: event.reason });
        return;
      case 'error':
        this.#report(event.error);
        return;
      case 'close': {
        const info: CloseInfo = { reason: event.reason, gaveUp: event.gaveUp, unsent: this.#outbox.takeAll() };
        this.#lastClose = info;
        if (this.#iterators) for (const queue of this.#iterators) queue.end();
        // The waiters of this close are taken first: a close() called by a close listener (after a
        // reconnect()) belongs to the next close.
        const settle = this.#settleClose();
        this.#emit('close', info);
        settle(info);
        return;
      }
    }
  }

  #onSnapshot(snapshot: SnapshotFrom<ConnectionMachine>): void {
    const to = stateNameOf(snapshot.value);
    if (to === this.#state) return;
    const from = this.#state;
    this.#state = to;
    if (from === 'closed') this.#restarting = false;
    if (to === 'connecting' || to === 'backing-off' || to === 'closed') this.#connectedAt = null;
    const ended = to === 'backing-off' || to === 'closed';
    const event: SocketEventMap['state'] = {
      from,
      to,
      reason: ended ? snapshot.context.reason : null,
      attempt: snapshot.context.attempt,
      delayMs: to === 'backing-off' ? snapshot.context.retryDelayMs : null,
    };
    this.#trace?.(stateLine(event, to === 'closed' && snapshot.context.gaveUp));
    this.#emit('state', event);
    // reconnect() overrode a close() whose socket was still closing: that close is over (its socket
    // is gone) without a close for good; what is queued stays for the new connection.
    if (from === 'closing' && to !== 'closed') {
      this.#settleClose()({ reason: snapshot.context.reason as DisconnectReason, gaveUp: false, unsent: [] });
    }
  }

  /** Takes the pending close() calls now; the function returned resolves them. */
  #settleClose(): (info: CloseInfo) => void {
    const waiters = this.#closeWaiters;
    this.#closeWaiters = [];
    return (info) => {
      for (const resolve of waiters) resolve(info);
    };
  }

  /**
   * The last line of defence: the machine itself failed (a bug of wsmachine's, or a `clock` that
   * throws). XState leaves an errored actor's children running (and refuses to stop them from
   * outside), so the socket is told to terminate here, and the socket ends for good like any
   * other, so that `close()` resolves and no connection is left.
   */
  #onActorError(error: unknown): void {
    const terminate: SocketCommand = { type: 'terminate' };
    for (const child of Object.values(this.actor.getSnapshot().children)) child?.send(terminate);
    this.#failed = true;
    this.#connectedAt = null;
    const message = error instanceof Error ? error.message : String(error);
    const reason: DisconnectReason = { type: 'adapter-error', message: `wsmachine: the connection machine failed: ${message}` };
    this.#report(error instanceof Error ? error : new Error(message));
    // The socket's detach would come after the close below: its in-flight messages are accounted now.
    if (this.#transport) this.#endDelivery(false);
    const from = this.#state;
    this.#state = 'closed';
    this.#emit('state', { from, to: 'closed', reason, attempt: this.actor.getSnapshot().context.attempt, delayMs: null });
    this.#onMachineEvent({ type: 'close', reason, gaveUp: false });
    // Its socket may still hand over messages it had read: the data path stays free of a check for this.
    delete this.#listeners.message;
  }

  /** The state name: connecting, open, awaiting-pong, closing, backing-off or closed. */
  get state(): ConnectionStateName {
    return this.#failed ? 'closed' : stateNameOf(this.actor.getSnapshot().value);
  }

  get stats(): SocketStats {
    const { context } = this.actor.getSnapshot();
    return {
      state: this.state,
      attempts: context.attempt,
      reconnects: Math.max(0, this.#opens - 1),
      rttMs: context.rttMs,
      lastPongAt: this.#lastPongAt,
      connectedAt: this.#connectedAt,
      queued: this.#outbox.length,
      queuedBytes: this.#outbox.bytes,
      inFlight: this.#inFlight.length,
      ...this.#delivery,
    };
  }

  /**
   * Sends now when a socket is open, else queues in the outbox (flushed in order on the next open).
   * Text is a string; binary is an `ArrayBuffer`, a `Buffer` or any typed array or `DataView`.
   * @throws WsmError `WSM_OUTBOX_FULL` when the outbox is at its bound, `WSM_CLOSED` when the socket
   *   is closed for good (in both cases the message was not taken), `WSM_INVALID_ARGUMENT` for data
   *   of any other type.
   */
  send(data: OutgoingData): void {
    // Checked at the door: a bad value queued now would throw inside the transport at the next open.
    if (!isOutgoingData(data)) {
      throw new WsmError(
        'WSM_INVALID_ARGUMENT',
        `wsmachine: send() takes a string, an ArrayBuffer or a typed array (Uint8Array, Buffer, ...), got ${show(data)}`,
        'data',
      );
    }
    const transport = this.#transport;
    if (transport !== undefined && this.#outbox.length === 0 && transport.send(data)) {
      this.#written(data);
      return;
    }
    if (this.state === 'closed' && !this.#restarting) {
      const reason = this.#lastClose?.reason.type ?? 'closed';
      throw new WsmError(
        'WSM_CLOSED',
        `wsmachine: the socket is closed (${reason}); call reconnect() before sending`,
      );
    }
    this.#outbox.push(data);
  }

  /**
   * Closes for good: a close handshake when open (bounded by closeTimeout), at once otherwise.
   * Resolves when the machine is closed; messages still queued come back in `unsent`. Always
   * resolves: when `reconnect()` overrides the close before the socket closed, it resolves as that
   * socket is replaced, with the same reason and an empty `unsent` (the queue stays for the new one).
   * @throws WsmError `WSM_INVALID_CLOSE_CODE` for a code other than 1000 or 3000-4999, or a reason over 123 UTF-8 bytes.
   */
  close(code = 1000, reason = ''): Promise<CloseInfo> {
    checkCloseCode(code, reason);
    if (this.state === 'closed' && this.#lastClose && !this.#restarting) return Promise.resolve(this.#lastClose);
    const closed = new Promise<CloseInfo>((resolve) => this.#closeWaiters.push(resolve));
    this.actor.send({ type: 'close', code, reason });
    return closed;
  }

  /**
   * Drops whatever there is and connects now, with a fresh attempt count; also restarts a closed socket.
   * @throws WsmError `WSM_CLOSED` when the connection machine itself failed (see the `close` reason): create a new socket.
   */
  reconnect(): void {
    if (this.#failed) {
      throw new WsmError('WSM_CLOSED', 'wsmachine: the connection machine of this socket failed; create a new socket');
    }
    // Called from a listener, the reconnect waits in the busy actor's mailbox while the state still
    // reads closed: until it is taken, close() and send() treat the socket as restarting.
    if (this.state === 'closed') this.#restarting = true;
    this.actor.send({ type: 'reconnect' });
  }

  /** Pings an open socket now instead of at the next interval (after a wake, a network change). */
  probe(): void {
    if (!this.#failed) this.actor.send({ type: 'probe' });
  }

  /**
   * Adds a listener; returns the function that removes it. A listener that throws does not disturb
   * the socket: the failure is an `error` event (`WSM_CALLBACK_ERROR`).
   * @throws WsmError `WSM_INVALID_ARGUMENT` for an unknown event name or a listener that is not a function.
   */
  on<E extends SocketEventName>(event: E, listener: Listener<E>): () => void {
    if (!EVENT_NAMES.includes(event)) {
      throw new WsmError(
        'WSM_INVALID_ARGUMENT',
        `wsmachine: unknown event ${show(event)}; the events are ${EVENT_NAMES.join(', ')}`,
        'event',
      );
    }
    if (typeof listener !== 'function') {
      throw new WsmError('WSM_INVALID_ARGUMENT', `wsmachine: on('${event}') needs a function, got ${show(listener)}`, 'listener');
    }
    // Copy on write: emitting iterates a stable array, with no iterator allocation per message.
    const list: Listener<E>[] = this.#listeners[event] ?? [];
    this.#listeners[event] = [...list, listener] as never;
    return () => {
      const current: Listener<E>[] = this.#listeners[event] ?? [];
      this.#listeners[event] = current.filter((l) => l !== listener) as never;
    };
  }

  /** Messages as they arrive, until the socket closes for good. Each iterator buffers what it has not yet taken. */
  [Symbol.asyncIterator](): AsyncIterator<IncomingData> {
    const queue = new MessageQueue(() => this.#iterators?.delete(queue));
    if (this.state === 'closed') queue.end();
    else (this.#iterators ??= new Set()).add(queue);
    return queue;
  }

  /** A message went into the current socket: it is in flight until a pong confirms it. */
  #written(data: OutgoingData): true {
    if (this.#trace) this.#trace(`> ${frameKind(data)} ${byteSize(data)} bytes`);
    // Many messages and no pong yet: ask for one now rather than at the next interval.
    if (this.#inFlight.push(data) === this.#probeAt) this.actor.send({ type: 'probe' });
    return true;
  }

  #confirm(seq: number): void {
    const upTo = this.#marks.get(seq);
    if (upTo === undefined) return;
    for (const key of this.#marks.keys()) if (key <= seq) this.#marks.delete(key);
    const count = upTo - this.#inFlightBase;
    if (count <= 0) return;
    this.#inFlight.splice(0, count);
    this.#inFlightBase = upTo;
    this.#delivery.confirmed += count;
  }

  /** The transport is gone: what it did not confirm is reported, and resent if asked. */
  #endDelivery(clean: boolean): void {
    this.#transport = undefined;
    const messages = this.#inFlight;
    this.#inFlight = [];
    this.#inFlightBase = 0;
    this.#marks.clear();
    if (messages.length === 0) return;
    if (clean) {
      this.#delivery.confirmed += messages.length;
      return;
    }
    this.#delivery.unconfirmed += messages.length;
    if (this.#resend) {
      this.#outbox.unshift(messages);
      this.#delivery.resent += messages.length;
    }
    this.#emit('unconfirmed', { messages, resent: this.#resend });
  }

  #deliver(data: IncomingData): void {
    if (this.#trace) this.#trace(`< ${frameKind(data)} ${byteSize(data)} bytes`);
    const listeners = this.#listeners.message;
    if (listeners) for (let i = 0; i < listeners.length; i++) this.#call('message', listeners[i] as Listener<'message'>, data);
    if (this.#iterators) for (const queue of this.#iterators) queue.push(data);
  }

  #emit<E extends SocketEventName>(event: E, payload: SocketEventMap[E]): void {
    const listeners: Listener<E>[] | undefined = this.#listeners[event];
    if (listeners) for (let i = 0; i < listeners.length; i++) this.#call(event, listeners[i] as Listener<E>, payload);
  }

  #call<E extends SocketEventName>(event: E, listener: Listener<E>, payload: SocketEventMap[E]): void {
    const failed = (error: unknown): void => {
      const failure = callbackError(`the '${event}' listener`, error);
      if (event === 'error') console.error(failure);
      else this.#report(failure);
    };
    try {
      catchRejection(listener(payload) as unknown, failed);
    } catch (error) {
      failed(error);
    }
  }

  /**
   * A failure of the app's own code (a listener, a callback): to the `error` listeners, or to
   * console.error when there are none. Never thrown: the caller of the failed code is the machine
   * or the socket, and an uncaught exception would take the host process down with it.
   */
  #report(error: Error): void {
    if (this.#early) this.#early.push(error);
    else if (this.#listeners.error?.length) this.#emit('error', error);
    else console.error(error);
  }
}

/** One async iterator's buffer: messages not yet taken, and the pending `next()` calls. */
class MessageQueue implements AsyncIterator<IncomingData> {
  #buffer: IncomingData[] = [];
  #waiting: ((result: IteratorResult<IncomingData>) => void)[] = [];
  #ended = false;

  constructor(private readonly onReturn: () => void) {}

  push(data: IncomingData): void {
    const waiter = this.#waiting.shift();
    if (waiter) waiter({ value: data, done: false });
    else this.#buffer.push(data);
  }

  end(): void {
    this.#ended = true;
    this.onReturn();
    for (const waiter of this.#waiting.splice(0)) waiter({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<IncomingData>> {
    if (this.#buffer.length > 0) return Promise.resolve({ value: this.#buffer.shift() as IncomingData, done: false });
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  return(): Promise<IteratorResult<IncomingData>> {
    this.#buffer = [];
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }
}

/** The options named `keys` that are set in `options`. */
function pickOptions(options: object, keys: readonly string[]): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of keys) {
    const value = (options as Record<string, unknown>)[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}

/** A static URL is checked now by the adapters' own rule; a provider's values on every attempt. */
function checkUrl(url: unknown): void {
  if (typeof url !== 'function') socketUrl(url, 'option');
}

function invalid(option: string, rule: string): WsmError {
  return new WsmError('WSM_INVALID_OPTION', `wsmachine: option ${option} ${rule}`, option);
}

/** The facade's own options: types and shapes, checked before anything connects. */
function checkFacadeOptions(options: BaseSocketOptions): void {
  const { protocols, adapter, clock, inspect } = options;
  if (protocols !== undefined) {
    const list: unknown[] = Array.isArray(protocols) ? protocols : [protocols];
    const bad = list.find((p) => typeof p !== 'string' || !HTTP_TOKEN.test(p));
    if (bad !== undefined) throw invalid('protocols', `must be subprotocol tokens, got ${JSON.stringify(bad)}`);
    if (new Set(list).size !== list.length) throw invalid('protocols', 'must not repeat a subprotocol');
  }
  if (adapter !== undefined && (typeof adapter !== 'object' || adapter === null || typeof (adapter as { transition?: unknown }).transition !== 'function')) {
    throw invalid('adapter', 'must be XState actor logic (fromCallback)');
  }
  if (clock !== undefined && (typeof clock?.setTimeout !== 'function' || typeof clock.clearTimeout !== 'function')) {
    throw invalid('clock', 'must have setTimeout and clearTimeout (and may have now)');
  }
  if (inspect !== undefined && typeof inspect !== 'function' && (typeof inspect !== 'object' || inspect === null)) {
    throw invalid('inspect', 'must be a function or an observer');
  }
}

function checkOutbox(outbox: unknown): OutboxOptions {
  if (outbox === undefined) return {};
  if (typeof outbox !== 'object' || outbox === null) {
    throw new WsmError('WSM_INVALID_OPTION', 'wsmachine: option outbox must be an object', 'outbox');
  }
  const result: { maxMessages?: number; maxBytes?: number } = {};
  for (const [key, value] of Object.entries(outbox)) {
    if (key !== 'maxMessages' && key !== 'maxBytes') {
      const hint = /messages|count/i.test(key) ? ' (did you mean outbox.maxMessages?)' : /bytes|size/i.test(key) ? ' (did you mean outbox.maxBytes?)' : '';
      throw new WsmError('WSM_UNKNOWN_OPTION', `wsmachine: unknown option outbox.${key}${hint}`, `outbox.${key}`);
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw invalid(`outbox.${key}`, `must be a whole number >= 0, got ${show(value)}`);
    }
    result[key] = value;
  }
  return { ...OUTBOX_DEFAULTS, ...result };
}

const frameKind = (data: OutgoingData | IncomingData): string => (typeof data === 'string' ? 'text' : 'binary');

/** The trace option as a function that redacts the URL's and headers' secrets, or undefined. */
function traceSink(
  trace: BaseSocketOptions['trace'],
  url: Provider<string | URL>,
  headers: Readonly<Record<string, string>>,
  report: (error: WsmError) => void,
): ((line: string) => void) | undefined {
  if (trace === undefined || trace === false) return undefined;
  if (trace !== true && typeof trace !== 'function') throw invalid('trace', 'must be a boolean or a function');
  const write = trace === true ? (line: string) => console.error(line) : trace;
  const scrub = scrubber(secretsOf(typeof url === 'function' ? undefined : url, headers));
  const failed = (error: unknown): void => report(callbackError('trace', error));
  return (line) => {
    try {
      catchRejection(write(`wsmachine: ${scrub(line)}`) as unknown, failed);
    } catch (error) {
      failed(error);
    }
  };
}

/** The clock's `now`, which may not throw into a socket's event handler: a failure reads Date.now. */
function guardedNow(now: () => number, report: (error: WsmError) => void): () => number {
  return () => {
    let value: unknown;
    try {
      value = now();
    } catch (error) {
      report(callbackError('clock.now', error));
      return Date.now();
    }
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    report(new WsmError('WSM_CALLBACK_ERROR', `wsmachine: clock.now must return a time in ms, got ${show(value)}`, 'clock.now'));
    return Date.now();
  };
}

/** The inspect option as a function that cannot throw into the actor (XState would stop it). */
function guardedInspector(
  inspect: NonNullable<BaseSocketOptions['inspect']>,
  report: (error: WsmError) => void,
): (event: InspectionEvent) => void {
  const failed = (error: unknown): void => report(callbackError('inspect', error));
  return (event) => {
    try {
      catchRejection((typeof inspect === 'function' ? inspect(event) : inspect.next?.(event)) as unknown, failed);
    } catch (error) {
      failed(error);
    }
  };
}

/** One provided machine per adapter, shared by every socket that uses it. */
const machines = new WeakMap<SocketAdapter, ConnectionMachine>();
function machineFor(adapter: SocketAdapter): ConnectionMachine {
  let machine = machines.get(adapter);
  if (!machine) {
    machine = connectionMachine.provide({ actors: { socket: adapter } });
    machines.set(adapter, machine);
  }
  return machine;
}
