/**
 * The CLI's own lines: a state change as a JSON line for scripts, and the live status line.
 */
import type { SocketStats, StateChange } from '../facade/events.ts';
import { duration } from '../facade/format.ts';

/** One JSON line's object for a state change: from, to, and reason, attempt, delayMs where they apply. */
export function stateJson(t: number, event: StateChange): Record<string, unknown> {
  const line: Record<string, unknown> = { t, type: 'state', from: event.from, to: event.to, attempt: event.attempt };
  if (event.reason) line.reason = event.reason;
  if (event.delayMs !== null) line.delayMs = event.delayMs;
  return line;
}

/** The one-line live status: `open  attempt 0  rtt 12 ms  queued 0` */
export function statusLine(stats: SocketStats): string {
  const rtt = stats.rttMs === null ? '-' : duration(stats.rttMs);
  return `[${stats.state}]  attempt ${stats.attempts}  rtt ${rtt}  queued ${stats.queued}  reconnects ${stats.reconnects}`;
}
