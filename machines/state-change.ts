/**
 * One state change as every reader sees it (the socket's `state` event, its trace, the CLI's
 * timeline and the local inspector): derived from the snapshot the machine moved to, once, here.
 */
import { checkArgument, keysOf } from '../common/checks.ts';
import type { ConnectionContext, ConnectionStateName } from './connection.machine.ts';
import type { DisconnectReason } from './vocabulary.ts';

/** Every state name, once: a name missing here or unknown to `ConnectionStateName` fails to compile. */
const STATE_NAMES: ReadonlySet<unknown> = new Set(
  keysOf<Record<ConnectionStateName, true>>()('connecting', 'open', 'awaiting-pong', 'paused', 'closing', 'backing-off', 'closed'),
);

/**
 * The user-facing state name of a snapshot value (its deepest active state).
 * @throws WsmError `WSM_INVALID_ARGUMENT` for a value that is not the connection machine's.
 */
export function stateNameOf(value: unknown): ConnectionStateName {
  let node = value;
  while (typeof node === 'object' && node !== null) node = Object.values(node)[0];
  checkArgument(STATE_NAMES.has(node), 'stateNameOf', 'value', 'must be a snapshot value of the connection machine', value);
  return node as ConnectionStateName;
}

/** One state change, as the `state` event, the trace and the CLI's timeline show it. */
export interface StateChange {
  /** The state left. */
  readonly from: ConnectionStateName;
  /** The state entered. */
  readonly to: ConnectionStateName;
  /** Why the connection ended, on the way to `backing-off` and `closed`. */
  readonly reason: DisconnectReason | null;
  /** Reconnect attempts in the current streak (0 for the first connection). */
  readonly attempt: number;
  /** The wait, on the way to `backing-off`. */
  readonly delayMs: number | null;
}

/**
 * The change from state `from` to the state of `snapshot` (which may be the same state).
 * @throws WsmError `WSM_INVALID_ARGUMENT` for a `from` or a snapshot that is not the connection machine's.
 */
export function stateChangeOf(
  from: ConnectionStateName,
  snapshot: { readonly value: unknown; readonly context: ConnectionContext },
): StateChange {
  checkArgument(STATE_NAMES.has(from), 'stateChangeOf', 'from', 'must be a state name of the connection machine', from);
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
