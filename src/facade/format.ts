/**
 * What happened, in words: a reason, a duration, a clock time, a state change as one line. Pure
 * functions of the facade's events, shared by the trace, the CLI, the demo and the local inspector
 * (whose page shows the text made here, so there is one wording).
 */
import { checkArgument } from '../../common/checks.ts';
import { isDisconnectReason, type DisconnectReason } from '../../machines/vocabulary.ts';
import type { StateChange } from './events.ts';

/** 850 ms, 1.4 s, 2.0 min. */
export function duration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** 12:00:03.120, local time. */
export function clockTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Why a state change happened: `heartbeat-timeout after 10000 ms, retry 2 in 1.4 s` ('' for none). */
export function stateDetails(event: StateChange, gaveUp = false): string {
  const details: string[] = [];
  if (event.reason) details.push(describeReason(event.reason));
  if (event.to === 'backing-off' && event.delayMs !== null) details.push(`retry ${event.attempt} in ${duration(event.delayMs)}`);
  if (event.to === 'closed' && gaveUp) details.push('gave up');
  return details.join(', ');
}

/** `awaiting-pong -> backing-off  heartbeat-timeout after 10000 ms, retry 2 in 1.4 s` */
export function stateLine(event: StateChange, gaveUp = false): string {
  const head = `${event.from} -> ${event.to}`;
  const details = stateDetails(event, gaveUp);
  return details ? `${head}  ${details}` : head;
}

/**
 * A reason in a few words: `heartbeat-timeout after 10000 ms`, `closed-by-server 1013 "bye"`.
 * @throws WsmError `WSM_INVALID_ARGUMENT` for anything but a `DisconnectReason`.
 */
export function describeReason(reason: DisconnectReason): string {
  checkArgument(isDisconnectReason(reason), 'describeReason', 'reason', 'must be a DisconnectReason', reason);
  switch (reason.type) {
    case 'closed-by-server':
    case 'closed-by-client':
      return `${reason.type} ${reason.code}${reason.reason ? ` ${JSON.stringify(reason.reason)}` : ''}`;
    case 'connection-lost':
      return 'connection-lost (no close frame, 1006)';
    case 'heartbeat-timeout':
    case 'connect-timeout':
    case 'reader-stalled':
      return `${reason.type} after ${reason.timeoutMs} ms`;
    case 'handshake-rejected':
      return `handshake-rejected HTTP ${reason.status}${reason.retryAfterMs === undefined ? '' : `, Retry-After ${reason.retryAfterMs} ms`}`;
    case 'network-error':
      return `network-error ${reason.code}`;
    case 'protocol-error':
      return `protocol-error ${reason.code} (${reason.detail})`;
    case 'tls-error':
      return `tls-error ${reason.code}`;
    case 'adapter-error':
      return `adapter-error ${reason.message}`;
    case 'offline':
      return 'offline';
  }
}
