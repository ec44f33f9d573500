/**
 * Programmer misuse throws a `WsmError` at once, with a stable `code` a program can branch on and a
 * message that names the option and the value. Network trouble never throws: it is a state and a
 * `DisconnectReason`. A failure of the app's own callbacks never throws either: it becomes an
 * `error` event (or a reason), since the code that would catch it is not on the stack.
 */

export type WsmErrorCode =
  /** An option has the wrong type, is out of range, or breaks a relation with another option. */
  | 'WSM_INVALID_OPTION'
  /** An option key that does not exist (usually a typo; the message suggests the nearest key). */
  | 'WSM_UNKNOWN_OPTION'
  /** A function or method was called with an argument of the wrong type (`send(42)`, `on('nope', fn)`). */
  | 'WSM_INVALID_ARGUMENT'
  /** A close code the app may not send (only 1000 and 3000-4999 are allowed by RFC 6455). */
  | 'WSM_INVALID_CLOSE_CODE'
  /** `send` while the outbox is at its message or byte bound: the message was not taken. */
  | 'WSM_OUTBOX_FULL'
  /** `send` on a socket that is closed for good (closed by the app, stopped by policy, or gave up). */
  | 'WSM_CLOSED'
  /** `connect()` could not open, or `recv()` found the connection closed; `reason` says why. */
  | 'WSM_CONNECTION_CLOSED'
  /**
   * One of the app's callbacks (`shouldReconnect`, `random`, a listener, `trace`, `inspect`) threw
   * or returned what it may not. Never thrown: delivered as an `error` event, `cause` holding what
   * the callback threw; the connection carries on with the default behaviour.
   */
  | 'WSM_CALLBACK_ERROR';

/** The structured facts of a `WsmError`, for programs (the CLI maps `option` to its flag names). */
export interface WsmErrorDetails {
  /** The option (dotted path) or argument the error is about. */
  readonly option?: string | undefined;
  /** What the value must be, in words: `must be a finite number`. */
  readonly rule?: string | undefined;
  /** The value as the message shows it (strings quoted, objects by kind, URLs redacted). */
  readonly value?: string | undefined;
  /** The other option of a relation rule (`heartbeat.timeout` for `heartbeat.interval`). */
  readonly related?: string | undefined;
  /** What caused it (what a failing callback threw). */
  readonly cause?: unknown;
}

/**
 * What wsmachine throws at a programmer's misuse (and reports for a failing callback): `code` is
 * stable for programs; the message names the option and the value.
 */
export class WsmError extends Error {
  /** Always `'WsmError'`. */
  override readonly name = 'WsmError';
  /** The option (dotted path) or argument the error is about, when there is one. */
  declare readonly option?: string;
  /** What the value must be, in words, when the error is about a value. */
  declare readonly rule?: string;
  /** The value as the message shows it (never a secret: URLs redacted, objects by kind). */
  declare readonly value?: string;
  /** The other option of a relation rule. */
  declare readonly related?: string;

  constructor(
    /** The stable code a program branches on. */
    readonly code: WsmErrorCode,
    message: string,
    details: WsmErrorDetails = {},
  ) {
    // A JavaScript caller of the 0.1 signature (code, message, option) gets the option, not a TypeError.
    const facts: WsmErrorDetails = typeof details === 'string' ? { option: details } : (details ?? {});
    super(message, 'cause' in facts ? { cause: facts.cause } : undefined);
    const { option, rule, value, related } = facts;
    if (option !== undefined) this.option = option;
    if (rule !== undefined) this.rule = rule;
    if (value !== undefined) this.value = value;
    if (related !== undefined) this.related = related;
  }
}

/**
 * When a callback returned a promise (an `async` listener), its rejection goes to `onRejected`
 * instead of becoming an unhandled rejection, which would end a Node process.
 */
export function catchRejection(value: unknown, onRejected: (error: unknown) => void): void {
  if (isThenable(value)) value.then(undefined, onRejected);
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/** The `WSM_CALLBACK_ERROR` for a callback (`name`) that threw `error`. */
export function callbackError(name: string, error: unknown): WsmError {
  const detail = error instanceof Error ? error.message : String(error);
  return new WsmError('WSM_CALLBACK_ERROR', `wsmachine: ${name} threw: ${detail}`, { option: name, cause: error });
}
