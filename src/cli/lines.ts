/**
 * The CLI's own lines: the clock time of the timeline, a state change as a JSON line for scripts,
 * and the live status line.
 */
import type { StateChange } from '../facade/events.ts';
import { duration } from '../facade/format.ts';
import type { SocketStats } from '../facade/socket.ts';

/** 12:00:03.120, local time. */
export function clockTime(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

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
