/**
 * Reconnect policy as pure functions: which disconnects are worth a retry, and how long to wait.
 *
 * Theory of operation:
 * - `classifyReason` is the default table (README, "Disconnect reasons"). Transport trouble is retried; a
 *   server that says the client is wrong (protocol error 1002, unacceptable data 1003/1007,
 *   policy 1008, too big 1009, missing extension 1010, TLS 1015, HTTP 4xx but 408/429) is not,
 *   since the same request would fail the same way and a retry loop would only load the server.
 *   Close 1000/1001 from the server are retried: the app did not ask to close. App codes
 *   3000-4999 are retried by default; an app maps its own codes with `shouldReconnect`.
 * - A server that breaks the protocol (`protocol-error`, classified by the close code the client
 *   answered with) or presents a certificate that does not verify (`tls-error`) is not retried:
 *   the next attempt would meet the same server.
 * - `decide` lets the user's `shouldReconnect` refine that decision; it sees the default, so a
 *   policy for one app code is one line.
 * - `retryDelay` turns a decision into ms: full-jitter exponential backoff (AWS's "full jitter":
 *   a uniform draw in [0, step]) so a fleet that lost its server at once does not come back at once;
 *   `Retry-After` is a floor (never earlier than the server asked) plus at most one initial step
 *   of jitter, capped by `maxRetryAfter` so a hostile header cannot park a client for a year.
 * Randomness comes only from the injected `random`; nothing here reads a clock.
 */
import { callbackError, catchRejection, isThenable, WsmError } from '../common/errors.ts';
import { checkArgument, show } from '../common/checks.ts';
import { type BackoffOptions, type ResolvedConnectionOptions } from './options.ts';
import { isDisconnectReason, type DisconnectReason, type RetryDecision } from './vocabulary.ts';

const RETRY: RetryDecision = { retry: true, delay: 'backoff' };
const STOP: RetryDecision = { retry: false };

/** Close codes after which the same request would fail again (RFC 6455 7.4.1, IANA registry). */
const STOP_CODES: ReadonlySet<number> = new Set([1002, 1003, 1007, 1008, 1009, 1010, 1015]);

/** The default reconnect decision for a disconnect. @throws WsmError `WSM_INVALID_ARGUMENT` for anything but a `DisconnectReason`. */
export function classifyReason(reason: DisconnectReason): RetryDecision {
  checkArgument(isDisconnectReason(reason), 'classifyReason', 'reason', 'must be a DisconnectReason', reason);
  switch (reason.type) {
    case 'closed-by-client':
      return STOP;
    case 'protocol-error':
      return STOP_CODES.has(reason.code) ? STOP : RETRY;
    case 'tls-error':
      // A certificate that failed to verify will fail again; retrying would only train people to
      // turn verification off. Pass the CA (or fix the server) and reconnect.
      return STOP;
    case 'closed-by-server':
      if (reason.code === 1012) return { retry: true, delay: 'short' };
      if (reason.code === 1013) return { retry: true, delay: 'long' };
      return STOP_CODES.has(reason.code) ? STOP : RETRY;
    case 'handshake-rejected': {
      const { status, retryAfterMs } = reason;
      const transient = status === 408 || status === 429 || (status >= 500 && status <= 599);
      if (!transient) return STOP;
      return retryAfterMs === undefined ? RETRY : { retry: true, delay: retryAfterMs };
    }
    case 'connection-lost':
    case 'heartbeat-timeout':
    case 'connect-timeout':
    case 'network-error':
    case 'adapter-error':
    case 'offline':
      return RETRY;
    case 'reader-stalled':
      // The path was fine; a new connection lets the reader catch up, and a server that already gave
      // up on the silent client (its own ping timeout) is left for a fresh one.
      return RETRY;
  }
}

/**
 * The decision after `reason`, with the user's `shouldReconnect` (if any) applied over the default.
 * Throws `WSM_CALLBACK_ERROR` when `shouldReconnect` throws or answers something else than a boolean
 * or a decision; the machine then keeps the default decision.
 */
export function decide(
  reason: DisconnectReason,
  attempt: number,
  shouldReconnect: ResolvedConnectionOptions['shouldReconnect'],
): RetryDecision {
  const decision = classifyReason(reason);
  checkArgument(isAttempt(attempt), 'decide', 'attempt', 'must be a whole number >= 0', attempt);
  checkArgument(
    shouldReconnect == null || typeof shouldReconnect === 'function',
    'decide',
    'shouldReconnect',
    'must be a function or null',
    shouldReconnect,
  );
  if (!shouldReconnect) return decision;
  let answer: unknown;
  try {
    answer = shouldReconnect(reason, { attempt, decision });
  } catch (error) {
    throw callbackError('shouldReconnect', error);
  }
  if (isThenable(answer)) {
    // Its rejection would be unhandled; the decision is needed now, so a promise is refused.
    catchRejection(answer, () => {});
    throw new WsmError('WSM_CALLBACK_ERROR', 'wsmachine: shouldReconnect must answer at once, got a promise', {
      option: 'shouldReconnect',
    });
  }
  if (answer === true) return decision.retry ? decision : RETRY;
  if (answer === false) return STOP;
  if (isRecord(answer) && answer.retry === false) return STOP;
  if (isRecord(answer) && answer.retry === true && isDelay(answer.delay)) return { retry: true, delay: answer.delay };
  throw new WsmError('WSM_CALLBACK_ERROR', `wsmachine: shouldReconnect must return a boolean or { retry, delay }, got ${show(answer)}`, {
    option: 'shouldReconnect',
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isDelay(delay: unknown): delay is Extract<RetryDecision, { retry: true }>['delay'] {
  return (
    delay === 'backoff' || delay === 'short' || delay === 'long' || (typeof delay === 'number' && Number.isFinite(delay) && delay >= 0)
  );
}

const isAttempt = (attempt: unknown): boolean => Number.isSafeInteger(attempt) && (attempt as number) >= 0;

/** Resolved backoff options: what `resolveConnectionOptions` makes of `backoff`. */
function isBackoff(backoff: unknown): boolean {
  const { initial, factor, max, maxRetryAfter, jitter } = (backoff ?? {}) as Record<string, unknown>;
  return (
    [initial, factor, max, maxRetryAfter].every((n) => typeof n === 'number' && n >= 0 && n < Infinity) &&
    (jitter === 'full' || jitter === 'none')
  );
}

function checkBackoff(method: string, attempt: unknown, backoff: unknown): void {
  checkArgument(isAttempt(attempt), method, 'attempt', 'must be a whole number >= 0', attempt);
  checkArgument(
    isBackoff(backoff),
    method,
    'backoff',
    'must be resolved backoff options (initial, factor, max, maxRetryAfter, jitter)',
    backoff,
  );
}

/** The cap of backoff step `attempt` (1-based): initial * factor^(attempt-1), at most `max`, in whole ms. */
export function backoffStep(attempt: number, backoff: Required<BackoffOptions>): number {
  checkBackoff('backoffStep', attempt, backoff);
  const exponent = Math.max(0, attempt - 1);
  return Math.round(Math.min(backoff.max, backoff.initial * backoff.factor ** exponent));
}

/**
 * The wait before reconnect attempt `attempt` (1-based) for a decision to retry. Throws
 * `WSM_CALLBACK_ERROR` when `random` throws or leaves [0, 1); the machine then draws from Math.random.
 */
export function retryDelay(
  delay: Extract<RetryDecision, { retry: true }>['delay'],
  attempt: number,
  backoff: Required<BackoffOptions>,
  random: () => number,
): number {
  checkArgument(isDelay(delay), 'retryDelay', 'delay', "must be 'backoff', 'short', 'long' or a number of ms >= 0", delay);
  checkBackoff('retryDelay', attempt, backoff);
  checkArgument(typeof random === 'function', 'retryDelay', 'random', 'must be a function', random);
  const jitter = (span: number): number => (backoff.jitter === 'full' ? Math.floor(draw(random) * span) : span);
  switch (delay) {
    case 'backoff':
      return jitter(backoffStep(attempt, backoff));
    case 'short':
      return jitter(backoff.initial);
    case 'long':
      return backoff.max - Math.floor(backoff.max / 2) + jitter(Math.floor(backoff.max / 2));
    default: {
      const floor = Math.round(Math.min(delay, backoff.maxRetryAfter));
      return backoff.jitter === 'full' ? floor + Math.floor(draw(random) * backoff.initial) : floor;
    }
  }
}

/** One value of the user's `random`, which must be a number in [0, 1); else `WSM_CALLBACK_ERROR`. */
function draw(random: () => number): number {
  let value: unknown;
  try {
    value = random();
  } catch (error) {
    throw callbackError('random', error);
  }
  if (typeof value === 'number' && value >= 0 && value < 1) return value;
  catchRejection(value, () => {});
  throw new WsmError('WSM_CALLBACK_ERROR', `wsmachine: random must return a number in [0, 1), got ${show(value)}`, { option: 'random' });
}

/**
 * `Retry-After` (RFC 9110 10.2.3) in ms from `nowMs`: delta-seconds or an HTTP-date. `undefined`
 * when absent or unparsable; a date in the past gives 0.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  checkArgument(
    value === undefined || typeof value === 'string',
    'parseRetryAfter',
    'value',
    'must be a header value (a string) or undefined',
    value,
  );
  checkArgument(Number.isFinite(nowMs), 'parseRetryAfter', 'nowMs', 'must be a time in ms', nowMs);
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at) || !/[a-z]/i.test(text)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Close codes the client answers `ws` protocol errors with (RFC 6455 7.4.1). */
const WS_ERROR_CLOSE_CODE: Readonly<Record<string, number>> = {
  WS_ERR_INVALID_UTF8: 1007,
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 1009,
  WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH: 1009,
  WS_ERR_TOO_MANY_BUFFERED_PARTS: 1009,
};

/** TLS failures: OpenSSL's certificate verification codes and Node's ERR_TLS_* / ERR_SSL_* codes. */
const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_(GET_ISSUER_CERT|VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT_LOCALLY)|HOSTNAME_MISMATCH$)/;

/**
 * The reason a `socket.error` stands for: a protocol violation by the server, a TLS failure, or a
 * plain network error (everything else).
 */
export function reasonOfError(code: string, message: string): DisconnectReason {
  checkArgument(typeof code === 'string', 'reasonOfError', 'code', 'must be a string', code);
  checkArgument(typeof message === 'string', 'reasonOfError', 'message', 'must be a string', message);
  if (code.startsWith('WS_ERR_')) {
    return { type: 'protocol-error', code: WS_ERROR_CLOSE_CODE[code] ?? 1002, detail: code, message };
  }
  if (code.startsWith('HPE_') || code === 'EHANDSHAKE') return { type: 'protocol-error', code: 1002, detail: code, message };
  if (TLS_CODE.test(code)) return { type: 'tls-error', code, message };
  return { type: 'network-error', code, message };
}
