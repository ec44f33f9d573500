/**
 * Programmer misuse throws a `WsmError` at once, with a stable `code` a program can branch on and a
 * message that names the option and the value. Network trouble never throws: it is a state and a
 * `DisconnectReason`.
 */

export type WsmErrorCode =
  /** An option has the wrong type, is out of range, or breaks a relation with another option. */
  | 'WSM_INVALID_OPTION'
  /** An option key that does not exist (usually a typo; the message suggests the nearest key). */
  | 'WSM_UNKNOWN_OPTION'
  /** A close code the app may not send (only 1000 and 3000-4999 are allowed by RFC 6455). */
  | 'WSM_INVALID_CLOSE_CODE'
  /** `send` while the outbox is at its message or byte bound: the message was not taken. */
  | 'WSM_OUTBOX_FULL'
  /** `send` on a socket that is closed for good (closed by the app, stopped by policy, or gave up). */
  | 'WSM_CLOSED'
  /** `connect()` could not open, or `recv()` found the connection closed; `reason` says why. */
  | 'WSM_CONNECTION_CLOSED';

export class WsmError extends Error {
  override readonly name = 'WsmError';
  constructor(
    readonly code: WsmErrorCode,
    message: string,
    /** The option (dotted path) the error is about, when there is one. */
    readonly option?: string,
  ) {
    super(message);
  }
}
