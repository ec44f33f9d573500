/**
 * What a socket tells the app: the event names and their payloads. The facade, its trace and the
 * CLI all read this one vocabulary; `EVENT_NAMES` is checked complete against `SocketEventMap`.
 */
import type { OutgoingData } from '../../adapters/contract.ts';
import type { ConnectionStateName } from '../../machines/connection.machine.ts';
import type { StateChange } from '../../machines/state-change.ts';
import type { DisconnectReason } from '../../machines/vocabulary.ts';

export type { StateChange };

/** A message as it arrives: text as a string, binary as bytes. */
export type IncomingData = string | Uint8Array;

/** How a socket ended for good: the payload of `close`, and what `close()` resolves with. */
export interface CloseInfo {
  /** Why the socket closed for good. */
  readonly reason: DisconnectReason;
  /** True when the policy wanted to retry but `maxAttempts` was spent. */
  readonly gaveUp: boolean;
  /** Messages still queued when the socket closed for good, oldest first. */
  readonly unsent: readonly OutgoingData[];
}

/** Each event's payload, by name: `socket.on(name, (payload) => ...)`. */
export interface SocketEventMap {
  /** A connection opened (the first, or a reconnect): `attempt` is 0 for the first of a streak. */
  open: {
    /** The subprotocol the server chose ('' for none). */
    readonly protocol: string;
    /** The extensions the server accepted, as its `Sec-WebSocket-Extensions` header ('' for none). */
    readonly extensions: string;
    /** 0 for the first connection of a streak, n for the n-th reconnect. */
    readonly attempt: number;
  };
  /** A message: text as a string, binary as a `Uint8Array`. */
  message: IncomingData;
  /** The socket closed for good: no reconnect follows unless the app calls `reconnect()`. */
  close: CloseInfo;
  /** A connection ended and the next attempt is scheduled in `delayMs`. */
  reconnecting: {
    /** The attempt that comes next (1 for the first reconnect). */
    readonly attempt: number;
    /** The wait before it, ms. */
    readonly delayMs: number;
    /** Why the connection ended. */
    readonly reason: DisconnectReason;
  };
  /** The socket changed state (every change, heartbeat cycles included). */
  state: StateChange;
  /** The server pinged us (Node's `ws` adapter answers the pong itself). */
  ping: Uint8Array;
  /** The answer to our heartbeat ping, with its round trip. */
  pong: {
    /** The round trip of the ping, ms. */
    readonly rttMs: number;
  };
  /**
   * A connection ended without proof that these messages reached the server (written after the
   * last confirmed ping). With `resendUnconfirmed` they were put back at the head of the outbox.
   */
  unconfirmed: {
    /** The messages, oldest first. */
    readonly messages: readonly OutgoingData[];
    /** Whether they were queued again (`resendUnconfirmed`). */
    readonly resent: boolean;
  };
  /**
   * After `send` refused a message at the bound (`WSM_OUTBOX_FULL`), the socket holds half of its
   * bounds or less: send again. Once per refusal streak.
   */
  drain: undefined;
  /** A failure of the app's own code (`WSM_CALLBACK_ERROR`) or a socket-level error, for the log. */
  error: Error;
}

/** The names `socket.on` takes. */
export type SocketEventName = keyof SocketEventMap;

/** Every event name, once: a name missing here or unknown to `SocketEventMap` fails to compile. */
const ALL_EVENTS = {
  open: true,
  message: true,
  close: true,
  reconnecting: true,
  state: true,
  ping: true,
  pong: true,
  unconfirmed: true,
  drain: true,
  error: true,
} as const satisfies Record<SocketEventName, true>;
export const EVENT_NAMES: readonly string[] = Object.keys(ALL_EVENTS);

/**
 * A listener of event `E`. It may be async: a rejection is reported as a `WSM_CALLBACK_ERROR`
 * `error` event, like a throw (so `no-misused-promises` has nothing to say about an async listener).
 */
export type Listener<E extends SocketEventName> = (event: SocketEventMap[E]) => unknown;

/** A snapshot of a socket's figures: its state, its reconnects, its queue and its delivery accounting. */
export interface SocketStats {
  /** The state now. */
  readonly state: ConnectionStateName;
  /** Reconnect attempts in the current streak (resets after `stableAfter` of uptime). */
  readonly attempts: number;
  /** Successful opens after the first one. */
  readonly reconnects: number;
  /** The last ping's round trip, ms. */
  readonly rttMs: number | null;
  /** When the last pong arrived (the clock's time, ms). */
  readonly lastPongAt: number | null;
  /** When the current connection opened; null while not connected. */
  readonly connectedAt: number | null;
  /** Messages in the outbox. */
  readonly queued: number;
  /** Their size, bytes. */
  readonly queuedBytes: number;
  /** Messages written on the current connection and not yet confirmed by a pong. */
  readonly inFlight: number;
  /** Their bytes (with `queuedBytes`, what counts toward `outbox.maxBytes`). */
  readonly inFlightBytes: number;
  /** Messages confirmed delivered to the server's WebSocket layer (by a pong or a completed close). */
  readonly confirmed: number;
  /** Messages reported in `unconfirmed` events. */
  readonly unconfirmed: number;
  /** Of those, the ones put back in the outbox (`resendUnconfirmed`). */
  readonly resent: number;
  /** Messages read and not yet taken by the slowest reader (`for await`, `connect().recv()`); 0 with none. */
  readonly unread: number;
}
