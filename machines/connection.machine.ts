/**
 * The connection statechart: the whole life of one logical WebSocket connection.
 *
 * Theory of operation
 * - Rule 1: every decision about the connection lives in this file or in the pure policy it calls
 *   (`policy.ts`). Adapters report what a socket did (`SocketEvent`) and carry out `SocketCommand`s.
 * - Rule 2: this file does no I/O and reads no clock. Every timer is a named delay owned by a
 *   state (`after`), so leaving the state cancels it; the actor's clock (real or virtual) runs it.
 * - Rule 3: a socket exists exactly while the machine is in `live`, which invokes the socket actor.
 *   Leaving `live` by any path sends `terminate` (unless the socket already reported its end) and
 *   stops the actor, whose cleanup releases the socket. Late events of a stopped actor are dropped
 *   by XState, so an old socket can never disturb a new one.
 * - Rule 4: every way a connection ends is a transition that records a typed `DisconnectReason`,
 *   then passes the choice state `failed`, where the policy picks `backing-off` or `closed`.
 *   A silent socket is not a missing event: it is the `pongTimeout` transition.
 * - Messages never pass through here (an event costs microseconds; a message must not pay it).
 *   Inbound data reaches the machine only as the one `socket.pong` that answers a ping.
 *
 * States (the keys are the public vocabulary):
 *   live.connecting           the opening handshake is under way         timer connectTimeout
 *   live.connected.open       open and proven alive recently             timer pingInterval
 *   live.connected.awaiting-pong  a ping is out, the pong is due         timer pongTimeout
 *   live.connected.paused     open, not reading: the app's reader is full  timer pauseTimeout
 *   live.closing              our close frame is out                     timer closeTimeout
 *   failed                    choice: retry or give up (never at rest)
 *   backing-off               no socket, waiting to reconnect            timer backoff
 *   closed                    no socket, nothing scheduled; not final
 * `live.connected` owns `stableAfter`: the attempt counter resets only after the connection stayed
 * up that long (flap damping), however often the heartbeat toggles open/awaiting-pong beneath it.
 *
 * Sleep and throttled timers: timers run on a monotonic clock that stops while a laptop sleeps and
 * is throttled in a background tab, so after a wake the ping timer may be far from due while the
 * socket is long dead (its NAT mapping expired). Wake signals (`page.visible`, `network.online`,
 * the app's `probe`) therefore ping an open socket at once instead of trusting it; a timer that
 * fires late lands in the same place, since `pingInterval` leads to a probe, never to trust.
 *
 * Backpressure on receive: when the app's reader falls behind, the facade sends `reading.pause`
 * and `paused` stops reading the socket, so TCP pushes back on the server. A paused socket cannot
 * read a pong either, so `paused` owns no deadline; `reading.resume` pings at once, and the first
 * frame read (the backlog) answers it: the path is proven again before any deadline runs.
 *
 * Past 300 lines for one reason: the statechart is one definition, read in one place; what each
 * state ignores on purpose lives beside it (ignored-events.ts), the words for a change in
 * state-change.ts.
 */
import { assertEvent, assign, emit, enqueueActions, fromCallback, raise, sendTo, setup } from 'xstate';
import { checkArgument } from '../common/checks.ts';
import { isResolved, type ResolvedConnectionOptions } from './options.ts';
import type { WsmError } from '../common/errors.ts';
import { classifyReason, decide, reasonOfError, retryDelay } from './policy.ts';
import type { ConnectionEvent, DisconnectReason, RetryDecision, SocketActorErrorEvent, SocketCommand, SocketEvent } from './vocabulary.ts';

/** What the machine hands the socket actor on every attempt. */
export interface SocketInput<TConfig = unknown> {
  /** 0 for the first connection of a streak, n for the n-th reconnect attempt. */
  readonly attempt: number;
  /** The adapter's own configuration (URL, headers, ...), passed through untouched. */
  readonly config: TConfig;
}

/**
 * `options` come from `resolveConnectionOptions` (which throws on misuse). `socket` is opaque to the
 * machine: it is handed to the socket actor, so that one provided machine serves every connection
 * (`machine.provide` copies the whole machine, about 27 KB, which a per-socket closure would pay).
 */
export interface ConnectionInput {
  /** The connection's options, from `resolveConnectionOptions`. */
  readonly options: ResolvedConnectionOptions;
  /** The adapter's configuration (a `Sealed` one keeps it out of snapshots and logs). */
  readonly socket?: unknown;
}

export interface ConnectionContext {
  /** The connection's options, as resolved. */
  readonly options: ResolvedConnectionOptions;
  /** The adapter's configuration, handed to each socket actor. */
  readonly socket: unknown;
  /** Reconnect attempts made since the last stable connection (or since connect/reconnect). */
  attempt: number;
  /** Why the last connection ended; null until one has. */
  reason: DisconnectReason | null;
  /** What the policy decided for `reason` (no retry before any disconnect). */
  decision: RetryDecision;
  /** The wait drawn for the current `backing-off` (drawn once, so the event and the timer agree). */
  retryDelayMs: number;
  /** True in `closed` when the policy wanted to retry but `maxAttempts` was spent. */
  gaveUp: boolean;
  /** The last measured ping round trip. */
  rttMs: number | null;
}

/** Emitted to `actor.on(type, fn)` listeners: the facade's events are built from these. */
export type ConnectionEmitted =
  /** A connection opened. */
  | {
      readonly type: 'open';
      /** 0 for the first connection of a streak, n for the n-th reconnect. */
      readonly attempt: number;
      /** The subprotocol the server chose ('' for none). */
      readonly protocol: string;
    }
  /** The answer to a heartbeat ping. */
  | {
      readonly type: 'pong';
      /** Its round trip, ms. */
      readonly rttMs: number;
    }
  /** A connection ended and the next attempt is scheduled. */
  | {
      readonly type: 'reconnecting';
      /** The attempt that comes next. */
      readonly attempt: number;
      /** The wait before it, ms. */
      readonly delayMs: number;
      /** Why the connection ended. */
      readonly reason: DisconnectReason;
    }
  /** The machine reached `closed`: no reconnect follows unless asked. */
  | {
      readonly type: 'close';
      /** Why. */
      readonly reason: DisconnectReason;
      /** True when retries were allowed and `maxAttempts` was spent. */
      readonly gaveUp: boolean;
    }
  /** One of the app's callbacks (`shouldReconnect`, `random`) failed; the default was used instead. */
  | {
      readonly type: 'error';
      /** The `WSM_CALLBACK_ERROR`. */
      readonly error: WsmError;
    };

/** The state names users see: the leaf of the snapshot's value. */
export type ConnectionStateName = 'connecting' | 'open' | 'awaiting-pong' | 'paused' | 'closing' | 'backing-off' | 'closed';

const unprovidedSocket = fromCallback<SocketCommand, SocketInput>(() => {
  throw new Error('wsmachine: provide a socket actor: connectionMachine.provide({ actors: { socket } })');
});

/** The reason a `socket.close` stands for: a close frame is the server's word, its absence a loss. */
function reasonOfClose(event: Extract<SocketEvent, { type: 'socket.close' }>): DisconnectReason {
  return event.wasClean && event.code !== 1006
    ? { type: 'closed-by-server', code: event.code, reason: event.reason }
    : { type: 'connection-lost', code: 1006 };
}

/** The recorded reason; every path into `backing-off` and `closed` records one first. */
function lastReason(context: ConnectionContext): DisconnectReason {
  if (!context.reason) throw new Error('wsmachine: internal error: no disconnect reason recorded');
  return context.reason;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function initialContext(input: ConnectionInput): ConnectionContext {
  return {
    options: input.options,
    socket: input.socket,
    attempt: 0,
    reason: null,
    decision: { retry: false },
    retryDelayMs: 0,
    gaveUp: false,
    rttMs: null,
  };
}

/**
 * The connection statechart, with no socket actor of its own: provide one (an adapter) and start
 * it with resolved options; or embed it in an app's own machine with `invoke`.
 * @example
 * const machine = connectionMachine.provide({ actors: { socket: wsAdapter } });
 * const actor = createActor(machine, {
 *   input: { options: resolveConnectionOptions({ heartbeat: { interval: 10_000, timeout: 3_000 } }), socket: new Sealed({ url }) },
 * });
 * actor.on('open', ({ attempt }) => console.log('open, attempt', attempt));
 * actor.start();
 * @throws WsmError (as the actor's error) `WSM_INVALID_ARGUMENT` when `input.options` did not come from `resolveConnectionOptions`.
 */
export const connectionMachine = setup({
  types: {
    context: {} as ConnectionContext,
    events: {} as ConnectionEvent | SocketActorErrorEvent,
    input: {} as ConnectionInput,
    emitted: {} as ConnectionEmitted,
    tags: {} as 'connected',
  },
  actors: { socket: unprovidedSocket },
  delays: {
    connectTimeout: ({ context }) => context.options.connectTimeout,
    // With the heartbeat off the guarded transition below never fires; 0 keeps the timer harmless.
    pingInterval: ({ context }) => context.options.heartbeat?.interval ?? 0,
    pongTimeout: ({ context }) => context.options.heartbeat?.timeout ?? 0,
    closeTimeout: ({ context }) => context.options.closeTimeout,
    stableAfter: ({ context }) => context.options.stableAfter,
    // With the pause timeout off the guarded transition below never fires; 0 keeps the timer harmless.
    pauseTimeout: ({ context }) => context.options.pauseTimeout,
    backoff: ({ context }) => context.retryDelayMs,
  },
  guards: {
    heartbeatOn: ({ context }) => context.options.heartbeat !== null,
    pauseTimeoutOn: ({ context }) => context.options.pauseTimeout > 0,
    mayRetry: ({ context }) => context.decision.retry && context.attempt < context.options.maxAttempts,
  },
  actions: {
    // The app's shouldReconnect may throw or answer nonsense: then the default decision holds and the
    // app hears why (an `error` emitted), so a bug in a policy can neither kill the actor nor leak the socket.
    fail: enqueueActions(({ context, enqueue }, params: { reason: DisconnectReason }) => {
      let decision: RetryDecision;
      try {
        decision = decide(params.reason, context.attempt, context.options.shouldReconnect);
      } catch (error) {
        decision = classifyReason(params.reason);
        enqueue.emit({ type: 'error', error: error as WsmError });
      }
      enqueue.assign({ reason: params.reason, decision });
    }),
    // Runs only behind `mayRetry`, so the decision is a retry. A `random` that fails is replaced by
    // Math.random for this draw (and reported), so the wait stays a whole number in its bounds.
    scheduleRetry: enqueueActions(({ context, enqueue }) => {
      const { delay } = context.decision as Extract<RetryDecision, { retry: true }>;
      const attempt = context.attempt + 1;
      const { backoff, random } = context.options;
      let retryDelayMs: number;
      try {
        retryDelayMs = retryDelay(delay, attempt, backoff, random);
      } catch (error) {
        retryDelayMs = retryDelay(delay, attempt, backoff, Math.random);
        enqueue.emit({ type: 'error', error: error as WsmError });
      }
      enqueue.assign({ attempt, retryDelayMs });
    }),
    // "Gave up" means retries were allowed and spent: with maxAttempts 0 nothing was ever retried.
    giveUp: assign(({ context }) => ({ gaveUp: context.decision.retry && context.options.maxAttempts > 0 })),
    freshStreak: assign({ attempt: 0, gaveUp: false }),
    resetAttempts: assign({ attempt: 0 }),
    requestClose: assign(({ event }) => {
      assertEvent(event, 'close');
      const reason: DisconnectReason = { type: 'closed-by-client', code: event.code ?? 1000, reason: event.reason ?? '' };
      return { reason, decision: { retry: false } as const, gaveUp: false };
    }),
    recordPong: assign(({ event }) => {
      assertEvent(event, 'socket.pong');
      return { rttMs: event.rttMs };
    }),
    ping: sendTo('socket', { type: 'ping' } satisfies SocketCommand),
    pauseReading: sendTo('socket', { type: 'pause' } satisfies SocketCommand),
    // Like terminateSocket: a socket that reported its end, or whose actor threw, has nothing to read.
    resumeReading: enqueueActions(({ event, enqueue }) => {
      if (event.type === 'socket.close' || event.type === 'xstate.error.actor.socket') return;
      enqueue.sendTo('socket', { type: 'resume' } satisfies SocketCommand);
    }),
    // Entered only by the app's `close`, which requestClose recorded as the reason.
    sendClose: sendTo('socket', ({ context }) => {
      const { code, reason } = lastReason(context) as Extract<DisconnectReason, { type: 'closed-by-client' }>;
      return { type: 'close', code, reason } satisfies SocketCommand;
    }),
    // A socket that reported its own end, or whose actor threw (it is stopped: XState would warn
    // on the console), has nothing left to terminate.
    terminateSocket: enqueueActions(({ event, enqueue }) => {
      if (event.type === 'socket.close' || event.type === 'xstate.error.actor.socket') return;
      enqueue.sendTo('socket', { type: 'terminate' } satisfies SocketCommand);
    }),
    emitOpen: emit(({ context, event }) => {
      assertEvent(event, 'socket.open');
      return { type: 'open', attempt: context.attempt, protocol: event.protocol } as const;
    }),
    emitPong: emit(({ event }) => {
      assertEvent(event, 'socket.pong');
      return { type: 'pong', rttMs: event.rttMs } as const;
    }),
    emitReconnecting: emit(
      ({ context }) =>
        ({
          type: 'reconnecting',
          attempt: context.attempt,
          delayMs: context.retryDelayMs,
          reason: lastReason(context),
        }) as const,
    ),
    emitClose: emit(
      ({ context }) =>
        ({
          type: 'close',
          reason: lastReason(context),
          gaveUp: context.gaveUp,
        }) as const,
    ),
  },
}).createMachine({
  id: 'connection',
  context: ({ input }) => {
    // A bad input puts the new actor in XState's error status with this WsmError (the parent of an
    // invoked machine hears it as the invoke's error), instead of failing later in some transition.
    checkArgument(
      isResolved(input?.options),
      'connectionMachine',
      'input.options',
      'must come from resolveConnectionOptions()',
      input?.options,
    );
    return initialContext(input);
  },
  initial: 'live',
  on: {
    // Only `live` has a socket actor, so an actor error anywhere else is stale; XState would turn an
    // unhandled error event into an errored (dead) machine, so it is swallowed here on purpose.
    'xstate.error.actor.socket': {},
  },
  states: {
    live: {
      invoke: {
        id: 'socket',
        src: 'socket',
        input: ({ context }): SocketInput => ({ attempt: context.attempt, config: context.socket }),
        onError: {
          target: 'failed',
          actions: { type: 'fail', params: ({ event }) => ({ reason: { type: 'adapter-error', message: errorMessage(event.error) } }) },
        },
      },
      exit: 'terminateSocket',
      on: {
        'socket.close': {
          target: 'failed',
          actions: {
            type: 'fail',
            params: ({ event }) => {
              assertEvent(event, 'socket.close');
              return { reason: reasonOfClose(event) };
            },
          },
        },
        'socket.error': {
          target: 'failed',
          actions: {
            type: 'fail',
            params: ({ event }) => {
              assertEvent(event, 'socket.error');
              return { reason: reasonOfError(event.code, event.message) };
            },
          },
        },
        'network.offline': {
          target: 'failed',
          actions: { type: 'fail', params: { reason: { type: 'offline' } } },
        },
        // A new socket now: leave and re-enter `live`, so the old socket actor is stopped first.
        reconnect: { target: 'live', reenter: true, actions: 'freshStreak' },
      },
      initial: 'connecting',
      states: {
        connecting: {
          on: {
            'socket.open': { target: 'connected', actions: 'emitOpen' },
            'socket.rejected': {
              target: '#connection.failed',
              actions: {
                type: 'fail',
                params: ({ event }) => {
                  assertEvent(event, 'socket.rejected');
                  const reason: DisconnectReason =
                    event.retryAfterMs === undefined
                      ? { type: 'handshake-rejected', status: event.status }
                      : { type: 'handshake-rejected', status: event.status, retryAfterMs: event.retryAfterMs };
                  return { reason };
                },
              },
            },
            // No close handshake is possible before open: drop the attempt.
            close: { target: '#connection.closed', actions: 'requestClose' },
          },
          after: {
            connectTimeout: {
              target: '#connection.failed',
              actions: {
                type: 'fail',
                params: ({ context }) => ({ reason: { type: 'connect-timeout', timeoutMs: context.options.connectTimeout } }),
              },
            },
          },
        },
        connected: {
          tags: 'connected',
          after: { stableAfter: { actions: 'resetAttempts' } },
          on: { close: { target: 'closing', actions: 'requestClose' } },
          initial: 'open',
          states: {
            open: {
              after: { pingInterval: { guard: 'heartbeatOn', target: 'awaiting-pong' } },
              on: {
                // Wake signals: the socket may have died while timers were frozen; ask it now.
                probe: { guard: 'heartbeatOn', target: 'awaiting-pong' },
                'page.visible': { guard: 'heartbeatOn', target: 'awaiting-pong' },
                'network.online': { guard: 'heartbeatOn', target: 'awaiting-pong' },
                'reading.pause': 'paused',
              },
            },
            'awaiting-pong': {
              entry: 'ping',
              on: {
                'socket.pong': { target: 'open', actions: ['recordPong', 'emitPong'] },
                // The pong would wait behind the unread backlog: the deadline would measure the app's
                // reader, not the path. Resuming pings again.
                'reading.pause': 'paused',
              },
              after: {
                // The half-open path: no close event will ever come; this deadline is the exit.
                pongTimeout: {
                  target: '#connection.failed',
                  actions: {
                    type: 'fail',
                    params: ({ context }) => ({
                      reason: { type: 'heartbeat-timeout', timeoutMs: context.options.heartbeat?.timeout ?? 0 },
                    }),
                  },
                },
              },
            },
            paused: {
              entry: 'pauseReading',
              // Every exit reads again: a close handshake must read the server's close frame.
              exit: 'resumeReading',
              on: {
                // A wake, like the end of a sleep: the path went unwatched, so it is probed at once.
                'reading.resume': { target: 'open', actions: raise({ type: 'probe' }) },
              },
              after: {
                // The bound on a reader that stopped reading, or that waits for what the pause holds
                // back (a drain needs a pong): without it, the connection would stay paused for ever.
                pauseTimeout: {
                  guard: 'pauseTimeoutOn',
                  target: '#connection.failed',
                  actions: {
                    type: 'fail',
                    params: ({ context }) => ({ reason: { type: 'reader-stalled', timeoutMs: context.options.pauseTimeout } }),
                  },
                },
              },
            },
          },
        },
        closing: {
          entry: 'sendClose',
          on: {
            // Any end of the socket completes our close; the reason stays closed-by-client.
            'socket.close': '#connection.closed',
            'socket.error': '#connection.closed',
            'network.offline': '#connection.closed',
          },
          after: { closeTimeout: '#connection.closed' },
        },
      },
    },
    failed: {
      always: [
        { guard: 'mayRetry', target: 'backing-off', actions: 'scheduleRetry' },
        { target: 'closed', actions: 'giveUp' },
      ],
    },
    'backing-off': {
      entry: 'emitReconnecting',
      after: { backoff: 'live' },
      on: {
        reconnect: { target: 'live', actions: 'freshStreak' },
        // The network or the user is back: waiting out the backoff would only delay recovery.
        'network.online': 'live',
        'page.visible': 'live',
        close: { target: 'closed', actions: 'requestClose' },
      },
    },
    closed: {
      entry: 'emitClose',
      on: {
        connect: { target: 'live', actions: 'freshStreak' },
        reconnect: { target: 'live', actions: 'freshStreak' },
      },
    },
  },
});

export type ConnectionMachine = typeof connectionMachine;

/**
 * A snapshot of `machine` (the connection machine, provided) at rest in `closed`, for an actor
 * that starts there (`createActor(machine, { snapshot })`) and connects only on `connect` or
 * `reconnect`. The input is checked as at a normal start.
 */
export function closedSnapshot(machine: ConnectionMachine, input: ConnectionInput) {
  checkArgument(isResolved(input?.options), 'closedSnapshot', 'input.options', 'must come from resolveConnectionOptions()', input?.options);
  return machine.resolveState({ value: 'closed', context: initialContext(input) });
}
