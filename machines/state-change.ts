/**
 * One state change as every reader sees it (the socket's `state` event, its trace, the CLI's
 * timeline and the local inspector): derived from the snapshot the machine moved to, once, here.
 */
import type { ConnectionContext, ConnectionStateName } from './connection.machine.ts';
import { stateNameOf } from './connection.machine.ts';
import type { DisconnectReason } from './vocabulary.ts';

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

/** The change from state `from` to the state of `snapshot` (which may be the same state). */
export function stateChangeOf(
  from: ConnectionStateName,
  snapshot: { readonly value: unknown; readonly context: ConnectionContext },
): StateChange {
  const to = stateNameOf(snapshot.value);
  const { context } = snapshot;
  return {
    from,
    to,
    reason: to === 'backing-off' || to === 'closed' ? context.reason : null,
    attempt: context.attempt,
    delayMs: to === 'backing-off' ? context.retryDelayMs : null,
  };
}
