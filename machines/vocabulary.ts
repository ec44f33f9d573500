/**
 * The closed vocabulary that the machine, the adapters, the facade and the CLI share.
 *
 * Theory of operation: every input the machine reacts to is an event whose `type` names its source
 * (`socket.*` from an adapter, plain verbs from the user, `network.*` / `page.*` from the
 * environment, `reading.*` from the data path); every output to an adapter is a `SocketCommand`; every way a connection can end is
 * one `DisconnectReason` variant carrying the facts that explain it. Adding a member to one of these
 * unions is a design change: `EVENT_TYPES` below must list it (the compiler checks), and the
 * states x events table test then demands a decision for it in every state.
 */

/** Adapter -> machine. An adapter reports what its socket did; it never decides what follows. */
export type SocketEvent =
  /** The opening handshake completed. `protocol` is the subprotocol the server chose ('' if none). */
  | {
      readonly type: 'socket.open';
      /** The subprotocol the server chose ('' for none). */
      readonly protocol: string;
    }
  /**
   * The answer to the last `ping` command: a pong frame, or (for adapters that count it) the first
   * inbound frame after the ping. At most one per `ping` command.
   */
  | {
      readonly type: 'socket.pong';
      /** ms from the ping to this answer. */
      readonly rttMs: number;
    }
  /** The socket closed. `wasClean` is true only when a close frame was received (RFC 6455 7.1.5). */
  | {
      readonly type: 'socket.close';
      /** The close code (1006 when no close frame arrived). */
      readonly code: number;
      /** The close frame's reason text ('' for none). */
      readonly reason: string;
      /** Whether a close frame arrived. */
      readonly wasClean: boolean;
    }
  /**
   * The transport failed. `code` says how: a system code (ECONNREFUSED, ENOTFOUND, ECONNRESET,
   * ...), a TLS code (DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID, ...), a `ws`
   * protocol code (WS_ERR_INVALID_UTF8, WS_ERR_INVALID_OPCODE, ...), an HTTP parser code (HPE_*),
   * `EHANDSHAKE` (the upgrade response failed validation: subprotocol, accept key, upgrade header,
   * extensions) or `EUNKNOWN`.
   */
  | {
      readonly type: 'socket.error';
      /** How it failed (see above). */ readonly code: string;
      /** The error's message, scrubbed of secrets. */ readonly message: string;
    }
  /** The server answered the upgrade request with an HTTP status instead of 101. */
  | {
      readonly type: 'socket.rejected';
      /** The HTTP status. */ readonly status: number;
      /** The server's `Retry-After`, in ms from now. */ readonly retryAfterMs?: number;
    };

/** Machine -> adapter. */
export type SocketCommand =
  /** Send a liveness probe (a ping frame, or the app-level ping message in browsers). */
  | { readonly type: 'ping' }
  /** Start the closing handshake. */
  | {
      readonly type: 'close';
      /** The close code to send. */ readonly code: number;
      /** The reason text to send. */ readonly reason: string;
    }
  /** Destroy the socket now, without a handshake. */
  | { readonly type: 'terminate' }
  /** Stop reading the socket: what the server sends waits in TCP, which pushes back on the server. */
  | { readonly type: 'pause' }
  /** Read the socket again. */
  | { readonly type: 'resume' };

/** What the app asks for. */
export type UserEvent =
  /** Start connecting; only `closed` reacts (everywhere else a connection is already wanted). */
  | { readonly type: 'connect' }
  /** Close for good: no reconnect follows. `code` is 1000 or 3000-4999. */
  | {
      readonly type: 'close';
      /** The close code. @default 1000 */ readonly code?: number;
      /** The reason text (at most 123 UTF-8 bytes). @default '' */ readonly reason?: string;
    }
  /** Drop whatever there is and connect now, from any state, with a fresh attempt count. */
  | { readonly type: 'reconnect' }
  /** Check liveness now: an open socket is pinged at once instead of at the next interval. */
  | { readonly type: 'probe' };

/** What the host environment observes. The browser adapter wires these; a Node app may send them. */
export type EnvironmentEvent =
  | { readonly type: 'network.online' }
  | { readonly type: 'network.offline' }
  | { readonly type: 'page.visible' }
  | { readonly type: 'page.hidden' };

/**
 * From the data path's owner (the facade): the app's reader fell behind (`reading.pause`: its
 * buffer reached its bound) or caught up (`reading.resume`). Sent only over a socket that can stop
 * reading; while reading is paused no pong can be read, so the heartbeat's deadline is suspended.
 */
export type ReadingEvent = { readonly type: 'reading.pause' } | { readonly type: 'reading.resume' };

/** Raised by XState when the socket actor throws (bad URL, a URL provider that rejects, ...). */
export interface SocketActorErrorEvent {
  /** XState's name for the error of the invoked actor `socket`. */
  readonly type: 'xstate.error.actor.socket';
  /** What the socket actor threw or sent back (its message scrubbed of secrets). */
  readonly error: unknown;
}

/** Every event the connection machine reacts to, whoever sends it. */
export type ConnectionEvent = SocketEvent | UserEvent | EnvironmentEvent | ReadingEvent;

/**
 * Every event type the machine can receive, the invoke error included. The `satisfies` clause and
 * the `Exhaustive` check make the compiler reject a list that misses or invents a type.
 */
export const EVENT_TYPES = [
  'socket.open',
  'socket.pong',
  'socket.close',
  'socket.error',
  'socket.rejected',
  'xstate.error.actor.socket',
  'connect',
  'close',
  'reconnect',
  'probe',
  'network.online',
  'network.offline',
  'page.visible',
  'page.hidden',
  'reading.pause',
  'reading.resume',
] as const satisfies readonly (ConnectionEvent | SocketActorErrorEvent)['type'][];
/** The name of an event the machine can receive. */
export type EventType = (typeof EVENT_TYPES)[number];
type Exhaustive<A, B> = [Exclude<A, B>] extends [never] ? true : never;
const everyEventTypeListed: Exhaustive<(ConnectionEvent | SocketActorErrorEvent)['type'], EventType> = true;
void everyEventTypeListed;

/** Why a connection ended (or never opened). One variant per path; `type` is the stable name. */
export type DisconnectReason =
  /** The server sent a close frame. */
  | {
      readonly type: 'closed-by-server';
      /** The close code the server sent. */ readonly code: number;
      /** Its reason text ('' for none). */ readonly reason: string;
    }
  /** The transport ended without a close frame (RFC 6455 code 1006). */
  | {
      readonly type: 'connection-lost';
      /** Always 1006: no close frame arrived. */
      readonly code: 1006;
    }
  /** An open socket did not answer a ping within the pong timeout: the half-open path. */
  | {
      readonly type: 'heartbeat-timeout';
      /** The pong timeout that ran out, ms. */
      readonly timeoutMs: number;
    }
  /** The opening handshake did not complete within the connect timeout. */
  | {
      readonly type: 'connect-timeout';
      /** The connect timeout that ran out, ms. */
      readonly timeoutMs: number;
    }
  /** The server answered the upgrade with an HTTP status instead of 101. */
  | {
      readonly type: 'handshake-rejected';
      /** The HTTP status. */ readonly status: number;
      /** The server's `Retry-After`, ms. */ readonly retryAfterMs?: number;
    }
  /** The transport failed before or while open (ECONNREFUSED, ENOTFOUND, ECONNRESET, ...). */
  | {
      readonly type: 'network-error';
      /** The system error code (ECONNREFUSED, ...). */ readonly code: string;
      /** The error's message, scrubbed of secrets. */ readonly message: string;
    }
  /**
   * The server broke the WebSocket protocol (invalid UTF-8, a reserved opcode, a message over
   * maxPayload, garbage instead of a handshake, a wrong subprotocol). `code` is the close code the
   * client answered with (1002, 1007, 1009); `detail` the underlying error code.
   */
  | {
      readonly type: 'protocol-error';
      /** The close code the client answered with (1002, 1007, 1009). */
      readonly code: number;
      /** The underlying error code (WS_ERR_INVALID_UTF8, HPE_INVALID_CONSTANT, EHANDSHAKE, ...). */
      readonly detail: string;
      /** The error's message, scrubbed of secrets. */
      readonly message: string;
    }
  /** The TLS handshake failed: an untrusted or mismatched certificate, a protocol mismatch. */
  | {
      readonly type: 'tls-error';
      /** The TLS or certificate error code. */ readonly code: string;
      /** The error's message, scrubbed of secrets. */ readonly message: string;
    }
  /** The socket actor itself threw (a URL that does not parse, a URL or header provider that rejects). */
  | {
      readonly type: 'adapter-error';
      /** What the socket actor threw, scrubbed of secrets. */
      readonly message: string;
    }
  /** The app asked to close. */
  | {
      readonly type: 'closed-by-client';
      /** The close code the app sent. */ readonly code: number;
      /** Its reason text. */ readonly reason: string;
    }
  /** The environment reported that the network went away. */
  | { readonly type: 'offline' }
  /** A reader stayed full (the socket `paused`, reading nothing) for the pause timeout. */
  | {
      readonly type: 'reader-stalled';
      /** The pause timeout that ran out, ms. */
      readonly timeoutMs: number;
    };

/** The name of a disconnect reason: `'heartbeat-timeout'`, `'closed-by-server'`, ... */
export type DisconnectReasonType = DisconnectReason['type'];

/** Every `DisconnectReason` type; the compiler rejects a list that misses or invents one. */
const REASON_TYPES = [
  'closed-by-server',
  'connection-lost',
  'heartbeat-timeout',
  'connect-timeout',
  'handshake-rejected',
  'network-error',
  'protocol-error',
  'tls-error',
  'adapter-error',
  'closed-by-client',
  'offline',
  'reader-stalled',
] as const satisfies readonly DisconnectReasonType[];
const everyReasonListed: Exhaustive<DisconnectReasonType, (typeof REASON_TYPES)[number]> = true;
void everyReasonListed;
const REASON_TYPE_SET: ReadonlySet<unknown> = new Set(REASON_TYPES);

/** Whether `value` is shaped as a `DisconnectReason` (an object whose `type` is one of them). */
export function isDisconnectReason(value: unknown): value is DisconnectReason {
  return REASON_TYPE_SET.has((value as { type?: unknown } | null | undefined)?.type);
}

/**
 * What to do after a disconnect. `delay` selects the wait: `'backoff'` the jittered exponential
 * step, `'short'` a jittered wait within the first step (a server restarting, 1012), `'long'` a
 * jittered wait near the cap (the server asked to try again later, 1013), or a number of ms (the
 * server's own `Retry-After`).
 */
export type RetryDecision =
  /** Do not reconnect. */
  | { readonly retry: false }
  /** Reconnect after the wait that `delay` selects. */
  | {
      readonly retry: true;
      /** Which wait (see above). */
      readonly delay: 'backoff' | 'short' | 'long' | number;
    };

/** The user's reconnect policy. It may return a boolean (`true` = the default delay for a retry). */
export type ShouldReconnect = (
  reason: DisconnectReason,
  info: { readonly attempt: number; readonly decision: RetryDecision },
) => RetryDecision | boolean;
