/**
 * What a socket tells the app: the event names and their payloads. The facade, its trace and the
 * CLI all read this one vocabulary; `EVENT_NAMES` is checked complete against `SocketEventMap`.
 */
import type { OutgoingData } from '../../adapters/contract.ts';
import type { ConnectionStateName } from '../../machines/connection.machine.ts';
import type { DisconnectReason } from '../../machines/vocabulary.ts';

/** A message as it arrives: text as a string, binary as bytes. */
export type IncomingData = string | Uint8Array;

/** How a socket ended for good: the payload of `close`, and what `close()` resolves with. */
export interface CloseInfo {
  readonly reason: DisconnectReason;
  /** True when the policy wanted to retry but `maxAttempts` was spent. */
  readonly gaveUp: boolean;
  /** Messages still queued when the socket closed for good, oldest first. */
  readonly unsent: readonly OutgoingData[];
}

/** One state change, as the `state` event, the trace and the CLI's timeline show it. */
export interface StateChange {
  readonly from: ConnectionStateName;
  readonly to: ConnectionStateName;
  /** Why the connection ended, on the way to `backing-off` and `closed`. */
  readonly reason: DisconnectReason | null;
  readonly attempt: number;
  /** The wait, on the way to `backing-off`. */
  readonly delayMs: number | null;
}

/** Each event's payload, by name: `socket.on(name, (payload) => ...)`. */
export interface SocketEventMap {
  /** A connection opened (the first, or a reconnect): `attempt` is 0 for the first of a streak. */
  open: { readonly protocol: string; readonly attempt: number };
  message: IncomingData;
  /** The socket closed for good: no reconnect follows unless the app calls `reconnect()`. */
  close: CloseInfo;
  /** A connection ended and the next attempt is scheduled in `delayMs`. */
  reconnecting: { readonly attempt: number; readonly delayMs: number; readonly reason: DisconnectReason };
  state: StateChange;
  /** The server pinged us (Node's `ws` adapter answers the pong itself). */
  ping: Uint8Array;
  /** The answer to our heartbeat ping, with its round trip. */
  pong: { readonly rttMs: number };
  /**
   * A connection ended without proof that these messages reached the server (written after the
   * last confirmed ping). With `resendUnconfirmed` they were put back at the head of the outbox.
   */
  unconfirmed: { readonly messages: readonly OutgoingData[]; readonly resent: boolean };
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
  error: true,
} as const satisfies Record<SocketEventName, true>;
export const EVENT_NAMES: readonly string[] = Object.keys(ALL_EVENTS);

export type Listener<E extends SocketEventName> = (event: SocketEventMap[E]) => void;
