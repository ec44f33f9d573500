/**
 * Runs the real connection machine with a fake socket on a virtual clock.
 */
import { createActor } from 'xstate';
import { connectionMachine, type ConnectionEmitted, type ConnectionStateName } from '../../machines/connection.machine.ts';
import { stateNameOf } from '../../machines/state-change.ts';
import { resolveConnectionOptions, type ConnectionOptions } from '../../machines/options.ts';
import type { ConnectionEvent } from '../../machines/vocabulary.ts';
import { VirtualClock } from '../../src/testing/virtual-clock.ts';
import { fakeSockets } from './fake-socket.ts';

/** Options that make delays easy to read in tests: no jitter unless a test asks for it. */
export const TEST_OPTIONS = {
  heartbeat: { interval: 1_000, timeout: 400 },
  connectTimeout: 2_000,
  closeTimeout: 500,
  backoff: { initial: 100, factor: 2, max: 1_000, jitter: 'none' },
  stableAfter: 3_000,
} as const satisfies ConnectionOptions;

export function startConnection(options: ConnectionOptions = {}) {
  const clock = new VirtualClock();
  const sockets = fakeSockets();
  const emitted: ConnectionEmitted[] = [];
  const errors: unknown[] = [];
  const actor = createActor(connectionMachine.provide({ actors: { socket: sockets.logic } }), {
    input: { options: resolveConnectionOptions({ ...TEST_OPTIONS, ...options }) },
    clock,
  });
  actor.on('*', (event) => emitted.push(event));
  actor.subscribe({ error: (error) => errors.push(error) });
  actor.start();
  const harness = {
    actor,
    clock,
    sockets,
    emitted,
    errors,
    state: (): ConnectionStateName => stateNameOf(actor.getSnapshot().value),
    context: () => actor.getSnapshot().context,
    send: (event: ConnectionEvent) => actor.send(event),
    /** Opens the current socket (the handshake completes). */
    open: () => sockets.current().emit({ type: 'socket.open', protocol: '' }),
    /** The commands the current socket received. */
    commands: () => sockets.current().commands,
  };
  return harness;
}

export type Harness = ReturnType<typeof startConnection>;

/** Drives a fresh harness into `state` by the shortest ordinary route. */
export function startIn(state: ConnectionStateName, options: ConnectionOptions = {}): Harness {
  const h = startConnection(options);
  const fail = () => h.sockets.current().emit({ type: 'socket.error', code: 'ECONNREFUSED', message: '' });
  switch (state) {
    case 'connecting':
      break;
    case 'open':
      h.open();
      break;
    case 'awaiting-pong':
      h.open();
      h.send({ type: 'probe' });
      break;
    case 'paused':
      h.open();
      h.send({ type: 'reading.pause' });
      break;
    case 'closing':
      h.open();
      h.send({ type: 'close' });
      break;
    case 'backing-off':
      fail();
      break;
    case 'closed':
      h.send({ type: 'close' });
      break;
  }
  if (h.state() !== state) throw new Error(`startIn: reached ${h.state()}, not ${state}`);
  return h;
}
