/**
 * The socket behind every entry's `createSocket(url, options)`, whatever the adapter underneath:
 * it composes the parts of the facade (options, emitter, outbox, delivery ledger, message
 * iterators) around one connection machine.
 *
 * Theory of operation
 * - The lifecycle runs in the connection machine, started on the next microtask, so that no event
 *   is emitted before the creator could subscribe (the socket starts connecting then).
 *   The facade only listens: the machine's emitted events (`open`, `pong`, `reconnecting`, `close`)
 *   and its snapshots (for `state`, see `stateChangeOf`) become the app's events.
 * - The data path never enters the machine. Inbound messages go adapter -> `DataSink.message` ->
 *   listeners. `send` writes straight into the current `Transport` when one is attached and the
 *   outbox is empty (so order holds); otherwise the message is queued in the bounded outbox, which
 *   is flushed, oldest first, when the next socket attaches (before the app hears `open`).
 * - No silent loss: a message is written, queued, refused at `send` with a typed error
 *   (`WSM_OUTBOX_FULL`, `WSM_CLOSED`), or handed back as `unsent` in the `close` event when the
 *   socket closes for good; what was written without proof of delivery is reported `unconfirmed`
 *   (except where nothing can confirm: a browser's WebSocket without a heartbeat, see delivery.ts).
 * - Bounded: the outbox's bounds hold the queued and the in-flight messages together; at the
 *   bound `send` refuses, and `drain` says when a refused producer may go on.
 * - `trace` costs one branch per message when off; when on, it logs kinds and sizes, never content.
 * Past 300 lines for two reasons: every public member carries its documentation here, where the
 * state it reads lives; and the bound over the outbox and the ledger together, which reads both
 * and the machine's state, lives beside them.
 */
import { createActor, type Actor, type SnapshotFrom } from 'xstate';
import {
  isOutgoingData,
  Sealed,
  type AdapterBinding,
  type AdapterOptions,
  type DataSink,
  type OutgoingData,
  type Provider,
  type SocketAdapter,
  type Transport,
} from '../../adapters/contract.ts';
import { checkCloseCode, show } from '../../common/checks.ts';
import { WsmError } from '../../common/errors.ts';
import {
  closedSnapshot,
  connectionMachine,
  type ConnectionEmitted,
  type ConnectionMachine,
  type ConnectionStateName,
} from '../../machines/connection.machine.ts';
import { stateNameOf } from '../../machines/state-change.ts';
import { stateChangeOf } from '../../machines/state-change.ts';
import type { DisconnectReason, SocketCommand } from '../../machines/vocabulary.ts';
import { DeliveryLedger } from './delivery.ts';
import { Emitter } from './emitter.ts';
import type { CloseInfo, IncomingData, Listener, SocketEventName, SocketStats } from './events.ts';
import { duration, stateLine } from './format.ts';
import { MessageQueue, Readers } from './messages.ts';
import { byteSize, Outbox } from './outbox.ts';
import { resolveSocketOptions, type BaseSocketOptions } from './socket-options.ts';

/**
 * Takes back everything in `socket`'s outbox, oldest first (a face's `drainQueuedMessages`).
 * Set by the class's static block, the one place that reaches its private outbox.
 */
export let takeQueued: (socket: WsmSocket) => OutgoingData[];

/**
 * How a face over the socket other than `createSocket`'s (`ReconnectingWebSocket`) shapes it.
 * Every field defaults to `createSocket`'s behaviour.
 */
export interface SocketShape {
  /** Start in `closed`: nothing connects until `reconnect()`. */
  readonly startClosed?: boolean;
  /**
   * Keep taking messages into the outbox while closed for good, and keep them there when the socket
   * closes (no `unsent`): the next `reconnect()` sends them. `send` then refuses only at the bound.
   */
  readonly queueWhileClosed?: boolean;
  /**
   * Flush the outbox after the app heard `open`, not before: what the open listeners send (an
   * authentication) goes first, then what was queued.
   */
  readonly flushAfterOpen?: boolean;
  /** Hears each socket's close (its close frame's code and reason, or 1006), before the machine does. */
  readonly socketClosed?: (code: number, reason: string, wasClean: boolean) => void;
}

/**
 * A connection that keeps itself connected: made by `createSocket`. Its state, events, stats and
 * delivery accounting are described on each member; `actor` is the XState actor underneath.
 */
export class WsmSocket implements AsyncIterable<IncomingData> {
  /** The live XState actor: subscribe, inspect, or read its snapshot. */
  readonly actor: Actor<ConnectionMachine>;
  readonly #outbox: Outbox;
  readonly #now: () => number;
  readonly #events = new Emitter();
  readonly #ledger: DeliveryLedger;
  // Created on first use: an idle socket with no iterator pays for none of this.
  #readers: Readers | undefined;
  readonly #inbox: { readonly maxMessages: number; readonly maxBytes: number };
  #transport: Transport | undefined;
  #state: ConnectionStateName;
  #closeWaiters: ((info: CloseInfo) => void)[] = [];
  #lastClose: CloseInfo | undefined;
  #opens = 0;
  #lastPongAt: number | null = null;
  #connectedAt: number | null = null;
  readonly #resend: boolean;
  readonly #trace: ((line: string) => void) | undefined;
  /** The bounds of what the socket holds (queued and in flight together): `outbox`'s. */
  readonly #maxMessages: number;
  readonly #maxBytes: number;
  /** A send was refused at the bound: `drain` is owed once the socket holds half of it or less. */
  #drainOwed = false;
  /** A confirmation came while the machine awaited its pong, and the ledger is still half full. */
  #reconfirm = false;
  /** No heartbeat, so no pong confirms anything: the ledger keeps nothing (see delivery.ts). */
  readonly #heartbeat: boolean;
  /**
   * Nothing can confirm delivery on the current transport (no heartbeat, and pings that need the
   * server's cooperation): the ledger keeps nothing, and the bound counts the socket's buffer.
   */
  #untracked = false;
  /** Set when the actor itself failed (see #onActorError): the socket is closed for good. */
  #failed = false;
  /** A reconnect() of a closed socket not yet taken by the (busy) actor. */
  #restarting = false;
  readonly #shape: SocketShape;
  /** Between attach and the app's open listeners under `flushAfterOpen`: sends skip the outbox. */
  #openPending = false;

  // Made by an entry's createSocket, which names the adapter and the options that adapter owns.
  constructor(url: Provider<string | URL>, options: BaseSocketOptions, binding: AdapterBinding, shape: SocketShape = {}) {
    this.#shape = shape;
    const resolved = resolveSocketOptions(url, options, binding, (error) => this.#events.report(error));
    this.#outbox = new Outbox(resolved.outbox);
    this.#maxMessages = resolved.outbox.maxMessages;
    this.#maxBytes = resolved.outbox.maxBytes;
    this.#inbox = resolved.inbox;
    this.#heartbeat = resolved.connection.heartbeat !== null;
    this.#ledger = new DeliveryLedger();
    this.#resend = resolved.resend;
    this.#trace = resolved.trace;
    this.#now = resolved.now;
    for (const [event, listener] of resolved.listeners) this.#events.on(event, listener as never);

    const adapterOptions: AdapterOptions = {
      ...resolved.own,
      url,
      sink: new WsmSocket.#Sink(this),
      now: this.#now,
      closeTimeout: resolved.connection.closeTimeout,
      ...(resolved.protocols === undefined ? {} : { protocols: resolved.protocols }),
    };
    const machine = machineFor(resolved.adapter);
    const input = { options: resolved.connection, socket: new Sealed(adapterOptions) };
    this.actor = createActor(machine, {
      input,
      ...(shape.startClosed ? { snapshot: closedSnapshot(machine, input) } : {}),
      ...(resolved.clock ? { clock: resolved.clock } : {}),
      ...(resolved.inspect ? { inspect: resolved.inspect } : {}),
    });
    this.#state = stateNameOf(this.actor.getSnapshot().value);

    // One wildcard listener and one subscription: each `actor.on` costs a Set and a closure per socket.
    this.actor.on('*', (event) => this.#onMachineEvent(event));
    this.actor.subscribe({ next: (snapshot) => this.#onSnapshot(snapshot), error: (error) => this.#onActorError(error) });
    // Started on the next microtask, not here: the first attempt can fail synchronously (a provider
    // that throws), and its events must reach the listeners the creator adds right after this
    // returns. Calls made before then (send, close, reconnect) are queued by the actor's mailbox.
    queueMicrotask(() => {
      if (DISPOSED.has(this)) return;
      this.#events.ready();
      this.actor.start();
    });
  }

  static {
    takeQueued = (socket) => {
      const items = socket.#outbox.takeAll();
      socket.#checkDrain();
      return items;
    };
  }

  /** The data path's entry points, on the prototype (no closures per socket). */
  static readonly #Sink = class implements DataSink {
    constructor(private readonly owner: WsmSocket) {}

    attach(transport: Transport): void {
      const owner = this.owner;
      owner.#transport = transport;
      owner.#untracked = !owner.#heartbeat && transport.confirm === undefined;
      if (owner.#shape.flushAfterOpen) owner.#openPending = true;
      else owner.#flush(transport);
    }

    detach(transport: Transport, clean: boolean): void {
      if (this.owner.#transport === transport) this.owner.#endDelivery(clean);
    }

    closed(code: number, reason: string, wasClean: boolean): void {
      this.owner.#shape.socketClosed?.(code, reason, wasClean);
    }

    pinged(seq: number): void {
      this.owner.#trace?.('> ping');
      this.owner.#ledger.pinged(seq);
    }

    ponged(seq: number): void {
      const owner = this.owner;
      if (!owner.#ledger.ponged(seq)) return;
      // Still half full after the confirmation: the next one is asked for now, not at the next
      // interval. A machine still awaiting this pong takes the probe once back in open (its `pong`).
      if (owner.#halfFull()) {
        if (!owner.#heartbeat) owner.#transport?.confirm?.();
        else if (owner.state === 'awaiting-pong') owner.#reconfirm = true;
        else queueMicrotask(() => owner.#askConfirmation());
      }
      owner.#checkDrain();
    }

    message(data: IncomingData): void {
      this.owner.#deliver(data);
    }

    // After the machine failed, its socket's last words (terminated asynchronously) are not news.
    ping(data: Uint8Array): void {
      if (this.owner.#failed) return;
      this.owner.#trace?.('< ping');
      this.owner.#events.emit('ping', data);
    }

    error(error: Error): void {
      if (!this.owner.#failed) this.owner.#events.emit('error', error);
    }
  };

  /**
   * A reader is full (`reading.pause`: an open socket that can stop reading stops, the machine's
   * `paused`) or none is any more (`reading.resume`). Only a pausable transport is ever paused;
   * without one the machine has left `paused` already.
   */
  #reading(type: 'reading.pause' | 'reading.resume'): void {
    if (!this.#failed && this.#transport?.pausable) this.actor.send({ type });
  }

  /** The machine's emitted events, as the app's. */
  #onMachineEvent(event: ConnectionEmitted): void {
    switch (event.type) {
      case 'open': {
        this.#opens++;
        this.#connectedAt = this.#now();
        const transport = this.#transport;
        this.#events.emit('open', { protocol: event.protocol, extensions: transport?.extensions ?? '', attempt: event.attempt });
        // A reader still full from the last connection holds this one back from the start.
        if (this.#readers?.anyFull) this.#reading('reading.pause');
        if (this.#openPending) {
          this.#openPending = false;
          // An open listener may have closed or replaced the socket: only the one that opened is flushed.
          if (transport && this.#transport === transport) this.#flush(transport);
        }
        if (this.#reconfirm) {
          this.#reconfirm = false;
          if (this.#halfFull()) this.actor.send({ type: 'probe' });
        }
        return;
      }
      case 'pong':
        this.#trace?.(`< pong ${duration(event.rttMs)}`);
        this.#lastPongAt = this.#now();
        this.#events.emit('pong', { rttMs: event.rttMs });
        if (this.#reconfirm) {
          this.#reconfirm = false;
          if (this.#halfFull()) this.actor.send({ type: 'probe' });
        }
        return;
      case 'reconnecting':
        this.#events.emit('reconnecting', { attempt: event.attempt, delayMs: event.delayMs, reason: event.reason });
        return;
      case 'error':
        this.#events.report(event.error);
        return;
      case 'close': {
        const unsent = this.#shape.queueWhileClosed ? [] : this.#outbox.takeAll();
        const info: CloseInfo = { reason: event.reason, gaveUp: event.gaveUp, unsent };
        this.#lastClose = info;
        if (this.#readers) for (const queue of this.#readers.all) queue.end();
        // The waiters of this close are taken first: a close() called by a close listener (after a
        // reconnect()) belongs to the next close.
        const settle = this.#settleClose();
        this.#events.emit('close', info);
        settle(info);
        return;
      }
    }
  }

  #onSnapshot(snapshot: SnapshotFrom<ConnectionMachine>): void {
    const change = stateChangeOf(this.#state, snapshot);
    const { from, to } = change;
    if (to === from) return;
    this.#state = to;
    if (from === 'closed') this.#restarting = false;
    if (to === 'connecting' || to === 'backing-off' || to === 'closed') this.#connectedAt = null;
    this.#trace?.(stateLine(change, to === 'closed' && snapshot.context.gaveUp));
    this.#events.emit('state', change);
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
    this.#events.report(error instanceof Error ? error : new Error(message));
    // The socket's detach would come after the close below: its in-flight messages are accounted now.
    if (this.#transport) this.#endDelivery(false);
    const from = this.#state;
    this.#state = 'closed';
    this.#events.emit('state', { from, to: 'closed', reason, attempt: this.actor.getSnapshot().context.attempt, delayMs: null });
    this.#onMachineEvent({ type: 'close', reason, gaveUp: false });
    // Its socket may still hand over messages it had read: the data path stays free of a check for this.
    this.#events.silence('message');
  }

  /** The state name: connecting, open, awaiting-pong, paused (reading stopped: see `inbox`), closing, backing-off or closed. */
  get state(): ConnectionStateName {
    return this.#failed ? 'closed' : stateNameOf(this.actor.getSnapshot().value);
  }

  /** `state === 'closed'` without walking the snapshot (for `send`): closed is a top-level state. */
  get #closed(): boolean {
    return this.#failed || this.actor.getSnapshot().value === 'closed';
  }

  /** The socket's figures now (a fresh object on each read). */
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
      ...this.#ledger.stats(),
      unread: this.#readers?.unread ?? 0,
    };
  }

  /**
   * Sends now when a socket is open, else queues in the outbox (flushed in order on the next open).
   * Text is a string; binary is an `ArrayBuffer`, a `Buffer` or any typed array or `DataView`.
   * Returns true when the message went into the open socket, false when it was queued.
   * @throws WsmError `WSM_OUTBOX_FULL` when the outbox is at its bound, `WSM_CLOSED` when the socket
   *   is closed for good (in both cases the message was not taken), `WSM_INVALID_ARGUMENT` for data
   *   of any other type.
   */
  send(data: OutgoingData): boolean {
    // Checked at the door: a bad value queued now would throw inside the transport at the next open.
    if (!isOutgoingData(data)) {
      throw new WsmError(
        'WSM_INVALID_ARGUMENT',
        `wsmachine: send() takes a string, an ArrayBuffer or a typed array (Uint8Array, Buffer, ...), got ${show(data)}`,
        { option: 'data', value: show(data) },
      );
    }
    if (this.#closed && !this.#restarting && (!this.#shape.queueWhileClosed || this.#failed)) {
      const reason = this.#lastClose?.reason.type ?? 'closed';
      throw new WsmError('WSM_CLOSED', `wsmachine: the socket is closed (${reason}); call reconnect() before sending`);
    }
    const size = byteSize(data);
    const held = this.#ledger.count + this.#outbox.length;
    const heldBytes = this.#heldBytes();
    // A socket that holds nothing takes any one message (a bound, not a size limit: see maxPayload).
    if ((held > 0 || heldBytes > 0) && (held + 1 > this.#maxMessages || heldBytes + size > this.#maxBytes)) this.#refuse(size);
    // The message that fills the bound owes a drain too, so that a producer that stops on
    // `writable` (without a refusal) hears when to go on.
    if (held + 1 >= this.#maxMessages || heldBytes + size >= this.#maxBytes) this.#drainOwed = !this.#untracked || !this.#transport;
    const transport = this.#transport;
    if (transport !== undefined && (this.#outbox.length === 0 || this.#openPending) && transport.send(data)) {
      this.#written(data, size);
      return true;
    }
    this.#outbox.push(data, size);
    return false;
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

  /**
   * Whether the socket holds less than its bounds (`outbox`: queued and in flight together), so
   * that a `send` of a small message is taken. After a refusal, `drain` says when it is true again.
   */
  get writable(): boolean {
    if (this.#failed) return false;
    return this.state !== 'closed' || this.#restarting || this.#shape.queueWhileClosed === true
      ? this.#ledger.count + this.#outbox.length < this.#maxMessages && this.#heldBytes() < this.#maxBytes
      : false;
  }

  /**
   * Bytes sent and not yet handed to the network: what the open socket buffers (its
   * `bufferedAmount`) plus what waits in the outbox.
   */
  get bufferedAmount(): number {
    return (this.#transport?.bufferedAmount ?? 0) + this.#outbox.bytes;
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
    return this.#events.on(event, listener);
  }

  /**
   * Messages as they arrive, until the socket closes for good. Each iterator buffers what it has
   * not yet taken, up to `inbox`; at that bound the socket stops reading until it has taken half.
   */
  [Symbol.asyncIterator](): AsyncIterator<IncomingData> {
    const readers = (this.#readers ??= new Readers((full) => this.#reading(full ? 'reading.pause' : 'reading.resume')));
    const queue = new MessageQueue(readers, this.#inbox);
    if (this.state === 'closed') queue.end();
    else readers.all.add(queue);
    return queue;
  }

  /** Writes the outbox, oldest first, into `transport` while it takes messages. */
  #flush(transport: Transport): void {
    this.#outbox.drain((data, size) => transport.send(data) && this.#written(data, size));
    this.#checkDrain();
  }

  /** A message went into the current socket: it is in flight until a pong confirms it. */
  #written(data: OutgoingData, size: number): true {
    if (this.#trace) this.#trace(`> ${frameKind(data)} ${size} bytes`);
    if (this.#untracked) return true;
    const wasHalfFull = this.#halfFull();
    this.#ledger.written(data, size);
    // Confirmation is asked for at half the bound, so that the pong comes back before the bound is hit.
    if (!wasHalfFull && this.#halfFull()) this.#askConfirmation();
    return true;
  }

  /** A ping that confirms what was written: the heartbeat's (which also checks liveness), else a bare one. */
  #askConfirmation(): void {
    if (!this.#heartbeat) this.#transport?.confirm?.();
    else if (this.state === 'open') {
      if (this.#halfFull()) this.actor.send({ type: 'probe' });
    } else this.#reconfirm = true;
  }

  /**
   * The bytes the socket holds: queued, and in flight (what a pong has not yet confirmed, which
   * includes what the socket has not yet handed to the kernel); without a heartbeat nothing is
   * tracked in flight, so what the socket still buffers counts instead.
   */
  #heldBytes(): number {
    return this.#outbox.bytes + (this.#untracked ? (this.#transport?.bufferedAmount ?? 0) : this.#ledger.bytes);
  }

  /** In flight at half of either bound (or more). */
  #halfFull(): boolean {
    return this.#ledger.count * 2 >= this.#maxMessages || this.#ledger.bytes * 2 >= this.#maxBytes;
  }

  /** Refuses a send at the bound (`drain` follows once there is room again). */
  #refuse(size: number): never {
    // Where nothing tells when the platform's buffer empties (a browser's, untracked), no drain can be promised.
    const told = !(this.#untracked && this.#transport);
    if (told) this.#drainOwed = true;
    const messages = this.#ledger.count + this.#outbox.length;
    throw new WsmError(
      'WSM_OUTBOX_FULL',
      `wsmachine: the socket holds ${messages} messages, ${this.#heldBytes()} bytes not yet confirmed (queued or in flight; bounds ` +
        `${this.#maxMessages} messages, ${this.#maxBytes} bytes): the message of ${size} bytes was not taken; ` +
        (told ? "send again on 'drain'" : 'poll writable (this WebSocket does not tell when its buffer empties)'),
    );
  }

  /** `drain`, once, when a refused socket holds half of its bounds or less. */
  #checkDrain(): void {
    if (!this.#drainOwed || this.state === 'closed') return;
    if ((this.#ledger.count + this.#outbox.length) * 2 > this.#maxMessages || this.#heldBytes() * 2 > this.#maxBytes) return;
    this.#drainOwed = false;
    this.#events.emit('drain', undefined);
  }

  /** The transport is gone: what it did not confirm is reported, and resent if asked. */
  #endDelivery(clean: boolean): void {
    this.#transport = undefined;
    this.#openPending = false;
    const messages = this.#ledger.end(clean, this.#resend);
    if (messages.length > 0) {
      if (this.#resend) this.#outbox.unshift(messages);
      this.#events.emit('unconfirmed', { messages, resent: this.#resend });
    }
    this.#checkDrain();
  }

  #deliver(data: IncomingData): void {
    if (this.#trace) this.#trace(`< ${frameKind(data)} ${byteSize(data)} bytes`);
    this.#events.emit('message', data);
    if (this.#readers && this.#readers.all.size > 0) {
      const size = byteSize(data);
      for (const queue of this.#readers.all) queue.push(data, size);
    }
  }
}

/** Sockets whose owner is gone (an embedding actor that stopped): never started, or stopped. */
const DISPOSED = new WeakSet<WsmSocket>();

/**
 * Ends `socket` at once, with no close handshake: its machine stops (the socket is terminated, its
 * timers cancelled), or never starts when it has not yet. For owners that stop (socketLogic).
 */
export function disposeSocket(socket: WsmSocket): void {
  DISPOSED.add(socket);
  socket.actor.stop();
}

const frameKind = (data: OutgoingData | IncomingData): string => (typeof data === 'string' ? 'text' : 'binary');

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
