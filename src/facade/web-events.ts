/**
 * The events of `ReconnectingWebSocket`, shaped as the platform's WebSocket events: `open` an
 * `Event`, `message` a `MessageEvent` (the runtime's own class), `close` with `code`, `reason` and
 * `wasClean`, `error` with `message` and `error`. `close` and `error` also carry wsmachine's typed
 * `DisconnectReason`. Node 20 has `Event` and `MessageEvent` but neither `CloseEvent` nor
 * `ErrorEvent`, so those two are small classes over `Event` here (`instanceof Event` holds
 * everywhere), as reconnecting-websocket and partysocket do.
 */
import { WsmError } from '../../common/errors.ts';
import type { DisconnectReason } from '../../machines/vocabulary.ts';
import type { IncomingData } from './events.ts';

/** A `close` event: one per connection that ends (an attempt that fails included). */
export interface ReconnectingCloseEvent extends Event {
  /** The close code: the server's, the app's, or 1006 when no close frame arrived. */
  readonly code: number;
  /** The close frame's reason text ('' for none). */
  readonly reason: string;
  /** Whether the connection ended with a close handshake. */
  readonly wasClean: boolean;
  /** Why the connection ended, typed (wsmachine's addition). */
  readonly disconnectReason: DisconnectReason;
}

/**
 * An `error` event: dispatched before the `close` of a connection that ended without a close
 * handshake (as browsers do), and for a failure of the app's own callbacks (`WSM_CALLBACK_ERROR`).
 */
export interface ReconnectingErrorEvent extends Event {
  /** What went wrong, in words. */
  readonly message: string;
  /** The same, as an `Error` (a `WsmError` for the app's own callbacks). */
  readonly error: Error;
  /** Why the connection ended, typed; null for an error that ended no connection. */
  readonly disconnectReason: DisconnectReason | null;
}

/** Each event's type, by name: `addEventListener(name, (event) => ...)`. */
export interface ReconnectingEventMap {
  /** A connection opened. */
  open: Event;
  /** A message: `data` is a string, or binary as `binaryType` says. */
  message: MessageEvent;
  /** A connection ended. */
  close: ReconnectingCloseEvent;
  /** A connection failed, or one of the app's callbacks did. */
  error: ReconnectingErrorEvent;
  /** wsmachine's addition: after `send` refused at the bound (`WSM_OUTBOX_FULL`), there is room again. */
  drain: Event;
}

/** What `binaryType` takes: the WHATWG values. */
export type BinaryTypeName = 'blob' | 'arraybuffer';

class CloseEventImpl extends Event implements ReconnectingCloseEvent {
  constructor(
    readonly code: number,
    readonly reason: string,
    readonly wasClean: boolean,
    readonly disconnectReason: DisconnectReason,
  ) {
    super('close');
  }
}

class ErrorEventImpl extends Event implements ReconnectingErrorEvent {
  readonly message: string;
  constructor(
    readonly error: Error,
    readonly disconnectReason: DisconnectReason | null,
  ) {
    super('error');
    this.message = error.message;
  }
}

export function closeEvent(code: number, reason: string, wasClean: boolean, why: DisconnectReason): ReconnectingCloseEvent {
  return new CloseEventImpl(code, reason, wasClean, why);
}

export function errorEvent(error: Error, why: DisconnectReason | null): ReconnectingErrorEvent {
  return new ErrorEventImpl(error, why);
}

/** The runtime's MessageEvent, read once (every browser and Node >= 15 have one). */
const MessageEventClass: new (type: string, init: { data: unknown }) => MessageEvent =
  typeof MessageEvent === 'function'
    ? MessageEvent
    : (class extends Event {
        readonly data: unknown;
        constructor(type: string, init: { data: unknown }) {
          super(type);
          this.data = init.data;
        }
      } as never);

export function messageEvent(data: IncomingData, binaryType: BinaryTypeName): MessageEvent {
  return new MessageEventClass('message', { data: typeof data === 'string' ? data : binaryData(data, binaryType) });
}

function binaryData(bytes: Uint8Array, binaryType: BinaryTypeName): Blob | ArrayBuffer {
  switch (binaryType) {
    case 'blob':
      return new Blob([bytes]);
    case 'arraybuffer':
      // Whole when the bytes own their buffer (the web adapter's); a copy of a slice of a pooled one (ws's).
      return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? (bytes.buffer as ArrayBuffer)
        : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  }
}

/**
 * A `binaryType` value, checked: the platform ignores a bad one silently, which hides a typo.
 * @throws WsmError `WSM_INVALID_ARGUMENT`.
 */
export function checkBinaryType(value: unknown): BinaryTypeName {
  if (value === 'blob' || value === 'arraybuffer') return value;
  const allowed = "'blob' or 'arraybuffer'";
  throw new WsmError('WSM_INVALID_ARGUMENT', `wsmachine: binaryType must be ${allowed}, got ${JSON.stringify(value) ?? String(value)}`, {
    option: 'binaryType',
    rule: `must be ${allowed}`,
  });
}
