/**
 * The skeleton every adapter shares: one connection attempt as a socket actor. An adapter writes
 * only what its platform does differently (a `Driver`: how to open, ping, close, terminate and
 * release its socket); the skeleton does the rest the same way for all of them.
 *
 * Theory of operation
 * - Providers (URL, headers) are resolved by `startWith`, so a failure of the attempt is sent back
 *   as the invoke's error event, scrubbed of the attempt's `secrets`, never thrown from the start.
 * - The command switch: `ping` gets the next sequence number and is sent only on an open socket;
 *   the first inbound frame after it is the one `socket.pong` of that cycle (`alive`), and the
 *   answer that echoes it confirms delivery (`ponged`); `close` remembers that we started the
 *   handshake, so that a completed one detaches the data path as clean.
 * - The data path: `opened` attaches a `Transport` before `socket.open` reaches the machine (the
 *   outbox flushes before the app hears "open"); every end detaches it exactly once.
 * - Cleanup on every exit of the machine's `live` state marks the attempt stopped (nothing of it
 *   reaches the machine again), detaches, and lets the driver release its socket.
 */
import { fromCallback } from 'xstate';
import type { SocketInput } from '../machines/connection.machine.ts';
import type { SocketActorErrorEvent, SocketCommand, SocketEvent } from '../machines/vocabulary.ts';
import {
  NO_SINK,
  openConfig,
  protocolList,
  sealedError,
  socketUrl,
  startWith,
  type AdapterOptions,
  type DataSink,
  type OutgoingData,
  type Provider,
  type SocketAdapter,
  type Transport,
} from './contract.ts';

/** What the skeleton needs of a platform's socket to write to it. */
export interface WritableSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  /** The negotiated extensions (ws and the WHATWG API both have it; a test double may not). */
  readonly extensions?: string;
  send(data: OutgoingData): void;
}

/** An adapter's own part of one attempt: what its platform's socket does on each command. */
export interface Driver {
  /** Sends ping number `seq`; false when nothing was sent (the socket is not open). */
  ping(seq: number): boolean;
  close(code: number, reason: string): void;
  terminate(): void;
  /** Stops reading the socket (absent where the platform reads whatever arrives). */
  pause?(): void;
  /** Reads the socket again. */
  resume?(): void;
  /** Removes the socket's handlers and ends a socket that is not closed yet. Idempotent. */
  release(): void;
}

/** readyState OPEN, the same in ws and in the WHATWG API. */
export const OPEN = 1;

/** The write side handed to the data path: one small object per socket, methods on the prototype. */
class SocketTransport implements Transport {
  constructor(
    private readonly socket: WritableSocket,
    readonly pausable: boolean,
  ) {}

  send(data: OutgoingData): boolean {
    if (this.socket.readyState !== OPEN) return false;
    this.socket.send(data);
    return true;
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  get extensions(): string {
    return this.socket.extensions ?? '';
  }
}

/** A transport whose pings are protocol frames: the data path may ask for confirmation. */
class ConfirmingTransport extends SocketTransport {
  constructor(
    socket: WritableSocket,
    pausable: boolean,
    private readonly attempt: { confirm(): void },
  ) {
    super(socket, pausable);
  }

  confirm(): void {
    this.attempt.confirm();
  }
}

/** One attempt, as an adapter's code sees it: its options, and what to tell the machine. */
export class Attempt<O extends AdapterOptions> {
  readonly now: () => number;
  readonly sink: DataSink;
  /** The secrets the attempt knows (its URL's and headers'); failures are scrubbed of them. */
  secrets: readonly string[] = [];
  /** Set by the cleanup: the machine has left this attempt. */
  stopped = false;
  closeSent = false;
  #seq = 0;
  #pingSentAt: number | undefined;
  #attached: Transport | undefined;

  constructor(
    readonly options: O,
    private readonly sendBack: (event: SocketEvent | SocketActorErrorEvent) => void,
  ) {
    this.now = options.now ?? Date.now;
    this.sink = options.sink ?? NO_SINK;
  }

  /** The subprotocols to offer, as a list (a provider's value once `open` runs). */
  protocols: string[] = [];

  /** Whether the socket opened (its transport is attached, or was until it ended). */
  isOpen = false;

  /** The URL to open (the static one, or a provider's value, checked by the one URL rule). */
  href(url: unknown): string {
    return socketUrl(url, typeof this.options.url === 'function' ? 'provider' : 'option');
  }

  report(event: SocketEvent): void {
    this.sendBack(event);
  }

  /**
   * The socket opened: the data path writes to it from now on, then the machine hears it.
   * `pingFrames`: its pings are protocol frames every server answers, so the data path may ask
   * for confirmation itself (`Transport.confirm`).
   */
  opened(socket: WritableSocket, protocol: string, pingFrames = false): void {
    const pausable = this.driver?.pause !== undefined;
    const transport = pingFrames ? new ConfirmingTransport(socket, pausable, this) : new SocketTransport(socket, pausable);
    this.#attached = transport;
    this.isOpen = true;
    this.sink.attach?.(transport);
    this.sendBack({ type: 'socket.open', protocol });
  }

  /**
   * An inbound frame: after a ping, the first one is its answer (at most one `socket.pong` per ping).
   * After a resume that frame may be backlog from before the pause; it still counts, since a
   * deadline on the pong behind the backlog would measure the app's reader, not the path.
   */
  alive(): void {
    if (this.#pingSentAt === undefined) return;
    const rttMs = this.now() - this.#pingSentAt;
    this.#pingSentAt = undefined;
    this.sendBack({ type: 'socket.pong', rttMs });
  }

  /** The answer that echoes ping `seq` arrived: what was written before it reached the server. */
  ponged(seq: number): void {
    if (Number.isInteger(seq) && seq > 0 && seq <= this.#seq) this.sink.ponged?.(seq);
  }

  /** The socket closed; `wasClean` when a close frame arrived. */
  closed(code: number, reason: string, wasClean: boolean): void {
    this.sink.closed?.(code, reason, wasClean);
    this.detach(this.closeSent && wasClean);
    this.sendBack({ type: 'socket.close', code, reason, wasClean });
  }

  /** The attempt failed (a provider, a check, the platform refusing): the invoke's error, scrubbed. */
  fail(error: unknown): void {
    if (!this.stopped) this.sendBack({ type: 'xstate.error.actor.socket', error: sealedError(error, this.secrets) });
  }

  /** The driver of this attempt's socket, set by `adopt` as soon as the socket exists. */
  driver: Driver | undefined;

  /** Hands the skeleton the driver of the socket just made: from now on cleanup releases it. */
  adopt(driver: Driver): void {
    this.driver = driver;
  }

  ping(driver: Driver): void {
    // Timed before the send, so that an answer that comes inside it (a test double) still counts.
    const sentAt = this.#pingSentAt;
    this.#pingSentAt = this.now();
    this.#seq++;
    if (driver.ping(this.#seq)) {
      this.sink.pinged?.(this.#seq);
      return;
    }
    this.#seq--;
    this.#pingSentAt = sentAt;
  }

  /** A numbered ping for delivery only: its pong confirms, and proves nothing about liveness. */
  confirm(): void {
    const driver = this.driver;
    if (!driver || this.stopped) return;
    this.#seq++;
    if (driver.ping(this.#seq)) this.sink.pinged?.(this.#seq);
    else this.#seq--;
  }

  detach(clean: boolean): void {
    if (this.#attached) this.sink.detach?.(this.#attached, clean);
    this.#attached = undefined;
  }
}

/**
 * A socket adapter from an adapter's own part: `prepare` sets what the attempt knows before its
 * providers run (its static secrets) and lists the options resolved on every attempt (the URL
 * first); `open` makes the platform's socket from their values and hands its driver to
 * `attempt.adopt` right after the socket exists (before anything that may throw).
 */
export function adapterLogic<O extends AdapterOptions, const A extends readonly unknown[]>(
  name: string,
  prepare: (attempt: Attempt<O>) => { readonly [K in keyof A]: Provider<A[K]> | undefined },
  open: (attempt: Attempt<O>, ...values: A) => void,
): SocketAdapter {
  return fromCallback<SocketCommand, SocketInput>(({ input, sendBack, receive }) => {
    const attempt = new Attempt(openConfig<O>(input.config, name), sendBack);
    const { protocols } = attempt.options;
    // The subprotocols ride along as the last provider, so that every adapter gets them resolved.
    startWith<[...A, unknown]>(
      [...prepare(attempt), protocols] as never,
      (...values) => {
        if (attempt.stopped) return;
        attempt.protocols = protocolList(values.pop(), typeof protocols === 'function' ? 'provider' : 'option');
        open(attempt, ...(values as unknown as A));
      },
      (error) => attempt.fail(error),
    );

    receive((command) => {
      const driver = attempt.driver;
      if (!driver) return;
      switch (command.type) {
        case 'ping':
          attempt.ping(driver);
          return;
        case 'close':
          attempt.closeSent = true;
          driver.close(command.code, command.reason);
          return;
        case 'terminate':
          driver.terminate();
          return;
        case 'pause':
          driver.pause?.();
          return;
        case 'resume':
          driver.resume?.();
          return;
      }
    });

    return () => {
      attempt.stopped = true;
      attempt.detach(false);
      attempt.driver?.release();
    };
  });
}
