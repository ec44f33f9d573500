/**
 * The socket as actor logic for an app's own machine: `invoke: { src: socketLogic, input: { url } }`.
 *
 * Theory of operation
 * - One `WsmSocket` per actor, made when the actor starts (a bad option fails the actor, so the
 *   parent hears it as the invoke's error: `onError`, with the `WsmError`).
 * - What the socket tells goes to the parent's mailbox as `wsm.*` events. Messages go there
 *   straight from the socket's data path: they never pass through the connection machine, nor
 *   through this actor's own mailbox.
 * - The parent's commands (`send`, `close`, `reconnect`, `probe`) arrive through `transition`. A
 *   command the socket refuses (a full outbox, a closed socket, bad data, a bad close code) comes
 *   back to the parent as a `wsm.error` event and the socket carries on: a refusal is news for the
 *   parent's logic, not the end of its child.
 * - The snapshot's `context` holds the connection state, the last state change and the stats,
 *   refreshed on every state change, pong and close (not per message), so `useSelector`-style reads
 *   re-render on what matters, and an inspector of the app's root actor sees the socket's states.
 * - Stopping the actor (or its parent) stops the connection machine at once: the socket is
 *   terminated and no timer or handle is left.
 */
import type { ActorLogic, ActorScope, AnyActorRef, EventObject, Snapshot } from 'xstate';
import type { OutgoingData, Provider } from '../../adapters/contract.ts';
import { isRecord, show } from '../../common/checks.ts';
import { WsmError } from '../../common/errors.ts';
import type { ConnectionStateName } from '../../machines/connection.machine.ts';
import type { CloseInfo, IncomingData, SocketEventMap, SocketStats, StateChange } from './events.ts';
import type { BaseSocketOptions } from './socket-options.ts';
import { disposeSocket, type WsmSocket } from './socket.ts';

/** What the socket actor sends its parent; every type starts with `wsm.`. */
export type SocketLogicEvent =
  /** A connection opened. */
  | ({ readonly type: 'wsm.open' } & SocketEventMap['open'])
  /** A message arrived. */
  | {
      readonly type: 'wsm.message';
      /** Text as a string, binary as a `Uint8Array`. */
      readonly data: IncomingData;
    }
  /** The connection changed state. */
  | ({ readonly type: 'wsm.state' } & StateChange)
  /** A connection ended and the next attempt is scheduled. */
  | ({ readonly type: 'wsm.reconnecting' } & SocketEventMap['reconnecting'])
  /** A connection ended without proof that these messages reached the server. */
  | ({ readonly type: 'wsm.unconfirmed' } & SocketEventMap['unconfirmed'])
  /** After a refused `send` (`WSM_OUTBOX_FULL`), the socket has room again. */
  | { readonly type: 'wsm.drain' }
  /** The socket closed for good (a `reconnect` command starts it again). */
  | ({ readonly type: 'wsm.close' } & CloseInfo)
  /** A command was refused (`WSM_*`), or a callback or the socket failed (for the log). */
  | {
      readonly type: 'wsm.error';
      /** The `WsmError` (or the socket-level error). */
      readonly error: Error;
    };

/** What the parent may send the socket actor. */
export type SocketLogicCommand =
  /** Send now when open, else queue in the outbox (as `WsmSocket.send`). */
  | {
      readonly type: 'send';
      /** Text, or binary in any form `WebSocket.send` takes. */
      readonly data: OutgoingData;
    }
  /** Close for good (as `WsmSocket.close`). */
  | {
      readonly type: 'close';
      /** 1000 or 3000-4999. @default 1000 */
      readonly code?: number;
      /** At most 123 UTF-8 bytes. @default '' */
      readonly reason?: string;
    }
  /** Drop whatever there is and connect now (also restarts a closed socket). */
  | { readonly type: 'reconnect' }
  /** Ping an open socket now. */
  | { readonly type: 'probe' };

/** The input of the socket actor: the URL and the socket options of the entry it came from. */
export type SocketLogicInput<O extends BaseSocketOptions> = O & {
  /** The URL, or a function (sync or async) called for a fresh one on every attempt. */
  readonly url: Provider<string | URL>;
};

/** The socket actor's snapshot: XState's status, and the connection's state and stats. */
export type SocketLogicSnapshot = Snapshot<undefined> & {
  /** Refreshed on every state change, pong and close. */
  readonly context: {
    /** The connection's state. */
    readonly state: ConnectionStateName;
    /** The socket's figures (null before the actor started). */
    readonly stats: SocketStats | null;
    /** The last state change, with its reason and wait (null before the first). */
    readonly change: StateChange | null;
    /** In `closed`: whether retries were allowed and `maxAttempts` was spent. */
    readonly gaveUp: boolean;
  };
};

/** The socket as actor logic: invoke or spawn it with `input: { url, ...options }`. */
export type SocketLogic<O extends BaseSocketOptions> = ActorLogic<SocketLogicSnapshot, SocketLogicCommand, SocketLogicInput<O>>;

type Scope = ActorScope<SocketLogicSnapshot, SocketLogicCommand>;

/** This actor's own refresh of its snapshot (never sent by a parent), with the change that caused it. */
const SYNC = 'wsm.sync';
type Sync = { readonly type: typeof SYNC; readonly change?: StateChange; readonly closed?: CloseInfo; readonly tell?: SocketLogicEvent };

/** The logics made here, so that an inspector can tell a socket child from any other actor. */
const LOGICS = new WeakSet<object>();

/** Whether `logic` is a socket actor logic (`socketLogic` of an entry). */
export function isSocketLogic(logic: unknown): boolean {
  return typeof logic === 'object' && logic !== null && LOGICS.has(logic);
}

/** Socket actor logic over an entry's `createSocket` (each entry has its own adapter). */
export function socketLogicOver<O extends BaseSocketOptions>(
  createSocket: (url: Provider<string | URL>, options: O) => WsmSocket,
): SocketLogic<O> {
  const sockets = new WeakMap<AnyActorRef, WsmSocket>();
  const inputs = new WeakMap<AnyActorRef, SocketLogicInput<O>>();
  const relays = new WeakMap<AnyActorRef, (event: SocketLogicEvent) => void>();

  const start = (scope: Scope): void => {
    const input = inputs.get(scope.self);
    if (input === undefined) {
      // XState restores a persisted child without its input; the URL, options and callbacks are not in a snapshot.
      throw new WsmError(
        'WSM_INVALID_ARGUMENT',
        'wsmachine: socketLogic has no input: a socket cannot be restored from a persisted snapshot; invoke it afresh',
        {
          option: 'input',
        },
      );
    }
    if (!isRecord(input) || !('url' in input)) {
      throw new WsmError('WSM_INVALID_ARGUMENT', `wsmachine: socketLogic: input must be { url, ...options }, got ${show(input)}`, {
        option: 'input',
        value: show(input),
      });
    }
    const { url, ...options } = input;
    const socket = createSocket(url, options as unknown as O);
    sockets.set(scope.self, socket);
    const parent = scope.self._parent;
    const tell = (event: SocketLogicEvent): void => {
      if (scope.self.getSnapshot().status === 'active') parent?.send(event);
    };
    // Lifecycle events go through this actor's own mailbox, in order, and reach the parent once the
    // snapshot they change is committed (a parent that reads the child then sees the new state).
    // Messages go straight to the parent: they change nothing here.
    const sync = (facts: Omit<Sync, 'type'>): void => scope.self.send({ type: SYNC, ...facts } as Sync as unknown as SocketLogicCommand);
    relays.set(scope.self, tell);
    socket.on('open', (event) => sync({ tell: { type: 'wsm.open', ...event } }));
    socket.on('message', (data) => tell({ type: 'wsm.message', data }));
    socket.on('state', (change) => sync({ change, tell: { type: 'wsm.state', ...change } }));
    socket.on('pong', () => sync({}));
    socket.on('reconnecting', (event) => sync({ tell: { type: 'wsm.reconnecting', ...event } }));
    socket.on('unconfirmed', (event) => sync({ tell: { type: 'wsm.unconfirmed', ...event } }));
    socket.on('drain', () => tell({ type: 'wsm.drain' }));
    socket.on('close', (info) => sync({ closed: info, tell: { type: 'wsm.close', ...info } }));
    socket.on('error', (error) => sync({ tell: { type: 'wsm.error', error } }));
  };

  const logic: SocketLogic<O> = {
    getInitialSnapshot: (scope, input) => {
      inputs.set(scope.self, input);
      return {
        status: 'active',
        output: undefined,
        error: undefined,
        context: { state: 'connecting', stats: null, change: null, gaveUp: false },
      };
    },
    start: (_snapshot, scope) => start(scope),
    transition: (snapshot, event: EventObject, scope) => {
      const socket = sockets.get(scope.self);
      if (event.type === 'xstate.stop') {
        // The machine stops: the socket is terminated and its timers cancelled (nothing is left behind).
        if (socket) disposeSocket(socket);
        sockets.delete(scope.self);
        return { ...snapshot, status: 'stopped' } as SocketLogicSnapshot;
      }
      if (!socket || snapshot.status !== 'active') return snapshot;
      if (event.type === SYNC) {
        const sync = event as Sync;
        const relay = relays.get(scope.self);
        if (sync.tell && relay) {
          const told = sync.tell;
          scope.defer(() => relay(told));
        }
        const change = sync.change ?? snapshot.context.change;
        // gaveUp belongs to a stay in `closed`: the close sets it, leaving `closed` clears it.
        const gaveUp = sync.closed ? sync.closed.gaveUp : sync.change && sync.change.to !== 'closed' ? false : snapshot.context.gaveUp;
        return { ...snapshot, context: { state: socket.state, stats: socket.stats, change, gaveUp } };
      }
      try {
        command(socket, event as SocketLogicCommand);
      } catch (error) {
        if (!(error instanceof WsmError)) throw error;
        scope.self._parent?.send({ type: 'wsm.error', error } satisfies SocketLogicEvent);
      }
      return snapshot;
    },
    getPersistedSnapshot: (snapshot) => snapshot,
  };
  LOGICS.add(logic);
  return logic;
}

/** Carries out the parent's command on the socket; a refusal throws its `WsmError`. */
function command(socket: WsmSocket, event: SocketLogicCommand): void {
  switch (event.type) {
    case 'send':
      socket.send(event.data);
      return;
    case 'close':
      void socket.close(event.code, event.reason);
      return;
    case 'reconnect':
      socket.reconnect();
      return;
    case 'probe':
      socket.probe();
      return;
    default:
      throw new WsmError(
        'WSM_INVALID_ARGUMENT',
        `wsmachine: socketLogic: unknown command ${show((event as EventObject).type)}; the commands are send, close, reconnect, probe`,
        { option: 'type', value: show((event as EventObject).type) },
      );
  }
}
