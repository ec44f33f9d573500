/**
 * The connection machine on a virtual clock with a fake socket: one test per disconnect path, per
 * user and environment event in each state, the attempt budget, flap damping and late timers.
 * TEST_OPTIONS: heartbeat 1000/400, connect 2000, close 500, backoff 100 x2 up to 1000 (no jitter),
 * stableAfter 3000.
 */
import { describe, expect, it, vi } from 'vitest';
import { createActor } from 'xstate';
import { closedSnapshot, connectionMachine } from '../../machines/connection.machine.ts';
import { stateNameOf } from '../../machines/state-change.ts';
import { WsmError } from '../../common/errors.ts';
import { resolveConnectionOptions } from '../../machines/options.ts';
import type { DisconnectReason, SocketEvent } from '../../machines/vocabulary.ts';
import { startConnection, startIn, type Harness } from '../support/harness.ts';
import { thrown } from '../support/thrown.ts';
import { fakeSockets } from '../support/fake-socket.ts';
import { VirtualClock } from '../../src/testing/virtual-clock.ts';

/** A harness whose first socket is open. */
function opened(options: Parameters<typeof startConnection>[0] = {}): Harness {
  const h = startConnection(options);
  h.open();
  expect(h.state()).toBe('open');
  return h;
}

/** The `reconnecting` events emitted so far. */
function reconnects(h: Harness) {
  return h.emitted.filter((e) => e.type === 'reconnecting');
}

function lastEmitted(h: Harness) {
  return h.emitted.at(-1);
}

describe('connecting', () => {
  it('starts connecting at once, with one socket for attempt 0', () => {
    const h = startConnection();
    expect(h.state()).toBe('connecting');
    expect(h.sockets.all).toHaveLength(1);
    expect(h.sockets.current().input).toEqual({ attempt: 0, config: undefined });
    const { options: _options, ...context } = h.context();
    expect(context).toEqual({
      socket: undefined,
      attempt: 0,
      reason: null,
      decision: { retry: false },
      retryDelayMs: 0,
      gaveUp: false,
      rttMs: null,
    });
  });

  it('opens on socket.open and tells listeners which subprotocol was chosen', () => {
    const h = startConnection();
    h.sockets.current().emit({ type: 'socket.open', protocol: 'graphql-ws' });
    expect(h.state()).toBe('open');
    expect(h.emitted).toEqual([{ type: 'open', attempt: 0, protocol: 'graphql-ws' }]);
    expect(h.actor.getSnapshot().hasTag('connected')).toBe(true);
  });
});

describe('disconnect paths', () => {
  it.each<[string, number, DisconnectReason['type'], 'backing-off' | 'closed', number | null]>([
    ['normal closure', 1000, 'closed-by-server', 'backing-off', 100],
    ['going away', 1001, 'closed-by-server', 'backing-off', 100],
    ['internal error', 1011, 'closed-by-server', 'backing-off', 100],
    ['service restart: short delay', 1012, 'closed-by-server', 'backing-off', 100],
    ['try again later: long delay', 1013, 'closed-by-server', 'backing-off', 1_000],
    ['app code (retried by default)', 4001, 'closed-by-server', 'backing-off', 100],
    ['policy violation: stop', 1008, 'closed-by-server', 'closed', null],
    ['protocol error: stop', 1002, 'closed-by-server', 'closed', null],
    ['message too big: stop', 1009, 'closed-by-server', 'closed', null],
  ])('server close frame %s (%i) -> %s', (_name, code, type, next, delayMs) => {
    const h = opened();
    h.sockets.current().emit({ type: 'socket.close', code, reason: 'bye', wasClean: true });
    expect(h.state()).toBe(next);
    expect(h.context().reason).toEqual({ type, code, reason: 'bye' });
    expect(h.sockets.current().disposed).toBe(true);
    // The socket said it closed: there is nothing left to terminate.
    expect(h.sockets.current().commands).toEqual([]);
    if (delayMs === null) {
      expect(lastEmitted(h)).toEqual({ type: 'close', reason: { type, code, reason: 'bye' }, gaveUp: false });
    } else {
      expect(reconnects(h)).toEqual([{ type: 'reconnecting', attempt: 1, delayMs, reason: { type, code, reason: 'bye' } }]);
    }
  });

  it('connection lost: a close without a close frame is 1006, whatever code the adapter saw', () => {
    const h = opened();
    h.sockets.current().emit({ type: 'socket.close', code: 1000, reason: '', wasClean: false });
    expect(h.state()).toBe('backing-off');
    expect(h.context().reason).toEqual({ type: 'connection-lost', code: 1006 });
  });

  it('connection lost: code 1006 is a loss even when an adapter calls it clean', () => {
    const h = opened();
    h.sockets.current().emit({ type: 'socket.close', code: 1006, reason: '', wasClean: true });
    expect(h.context().reason).toEqual({ type: 'connection-lost', code: 1006 });
  });

  it('heartbeat timeout: the half-open path, no close event ever arrives', () => {
    const h = opened();
    h.clock.advance(999);
    expect(h.state()).toBe('open');
    h.clock.advance(1);
    expect(h.state()).toBe('awaiting-pong');
    expect(h.commands()).toEqual([{ type: 'ping' }]);
    h.clock.advance(399);
    expect(h.state()).toBe('awaiting-pong');
    h.clock.advance(1);
    expect(h.state()).toBe('backing-off');
    expect(h.context().reason).toEqual({ type: 'heartbeat-timeout', timeoutMs: 400 });
    // A dead socket gets no close handshake: it is terminated, then released.
    expect(h.commands()).toEqual([{ type: 'ping' }, { type: 'terminate' }]);
    expect(h.sockets.current().disposed).toBe(true);
  });

  it('a pong in time keeps the socket: awaiting-pong -> open with the round trip recorded', () => {
    const h = opened();
    h.clock.advance(1_000);
    h.sockets.current().emit({ type: 'socket.pong', rttMs: 12 });
    expect(h.state()).toBe('open');
    expect(h.context().rttMs).toBe(12);
    expect(lastEmitted(h)).toEqual({ type: 'pong', rttMs: 12 });
    // The next ping is due a full interval after the pong, and the pong timer is gone.
    h.clock.advance(999);
    expect(h.state()).toBe('open');
    h.clock.advance(1);
    expect(h.state()).toBe('awaiting-pong');
    expect(h.commands()).toEqual([{ type: 'ping' }, { type: 'ping' }]);
  });

  it('connect timeout: a handshake that never completes is abandoned', () => {
    const h = startConnection();
    h.clock.advance(1_999);
    expect(h.state()).toBe('connecting');
    h.clock.advance(1);
    expect(h.state()).toBe('backing-off');
    expect(h.context().reason).toEqual({ type: 'connect-timeout', timeoutMs: 2_000 });
    expect(h.sockets.all[0]?.commands).toEqual([{ type: 'terminate' }]);
    expect(h.sockets.all[0]?.disposed).toBe(true);
  });

  it('handshake rejected with 401: stops, no retry', () => {
    const h = startConnection();
    h.sockets.current().emit({ type: 'socket.rejected', status: 401 });
    expect(h.state()).toBe('closed');
    expect(lastEmitted(h)).toEqual({ type: 'close', reason: { type: 'handshake-rejected', status: 401 }, gaveUp: false });
  });

  it('handshake rejected with 503 and Retry-After: waits exactly that long', () => {
    const h = startConnection();
    h.sockets.current().emit({ type: 'socket.rejected', status: 503, retryAfterMs: 7_000 });
    expect(h.state()).toBe('backing-off');
    expect(h.context().reason).toEqual({ type: 'handshake-rejected', status: 503, retryAfterMs: 7_000 });
    h.clock.advance(6_999);
    expect(h.state()).toBe('backing-off');
    h.clock.advance(1);
    expect(h.state()).toBe('connecting');
    expect(h.sockets.all).toHaveLength(2);
  });

  it('handshake rejected with 503 without Retry-After: the normal backoff', () => {
    const h = startConnection();
    h.sockets.current().emit({ type: 'socket.rejected', status: 503 });
    // No retryAfterMs key at all (exactOptionalPropertyTypes), not one set to undefined.
    expect(h.context().reason).toStrictEqual({ type: 'handshake-rejected', status: 503 });
    expect(reconnects(h)).toEqual([
      { type: 'reconnecting', attempt: 1, delayMs: 100, reason: { type: 'handshake-rejected', status: 503 } },
    ]);
  });

  it('network error while connecting (connection refused)', () => {
    const h = startConnection();
    h.sockets.current().emit({ type: 'socket.error', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' });
    expect(h.state()).toBe('backing-off');
    expect(h.context().reason).toEqual({
      type: 'network-error',
      code: 'ECONNREFUSED',
      message: 'connect ECONNREFUSED 127.0.0.1:1',
    });
    expect(h.sockets.all[0]?.commands).toEqual([{ type: 'terminate' }]);
  });

  it('network error on an open socket (a write into a dead socket)', () => {
    const h = opened();
    h.sockets.current().emit({ type: 'socket.error', code: 'EPIPE', message: 'write EPIPE' });
    expect(h.state()).toBe('backing-off');
    expect(h.context().reason).toMatchObject({ type: 'network-error', code: 'EPIPE' });
  });

  it('the adapter throwing is one more failure, not a crashed actor, and nothing is logged', () => {
    const warn = vi.spyOn(console, 'warn');
    const h = startConnection();
    h.sockets.current().emit({ type: 'socket.error', code: 'ECONNREFUSED', message: '' });
    h.sockets.failNext(1);
    h.clock.advance(100);
    expect(h.state()).toBe('backing-off');
    expect(h.context().reason).toEqual({ type: 'adapter-error', message: 'adapter exploded' });
    expect(h.actor.getSnapshot().status).toBe('active');
    expect(h.errors).toEqual([]);
    h.clock.advance(200);
    expect(h.state()).toBe('connecting');
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('offline: the environment says the network is gone, the socket is dropped', () => {
    const h = opened();
    h.send({ type: 'network.offline' });
    expect(h.state()).toBe('backing-off');
    expect(h.context().reason).toEqual({ type: 'offline' });
    expect(h.commands()).toEqual([{ type: 'terminate' }]);
  });

  it('drops late events from a socket that was already replaced', () => {
    const h = opened();
    const old = h.sockets.current();
    old.emit({ type: 'socket.close', code: 1001, reason: '', wasClean: true });
    h.clock.advance(100);
    h.open();
    expect(h.sockets.all).toHaveLength(2);
    old.emit({ type: 'socket.close', code: 1008, reason: 'late', wasClean: true });
    old.emit({ type: 'socket.error', code: 'ECONNRESET', message: 'late' });
    expect(h.state()).toBe('open');
    expect(h.sockets.current().disposed).toBe(false);
  });
});

describe('user close', () => {
  it('while connecting: no handshake is possible, the attempt is terminated', () => {
    const h = startConnection();
    h.send({ type: 'close', code: 4000, reason: 'done' });
    expect(h.state()).toBe('closed');
    expect(h.sockets.current().commands).toEqual([{ type: 'terminate' }]);
    expect(lastEmitted(h)).toEqual({ type: 'close', reason: { type: 'closed-by-client', code: 4000, reason: 'done' }, gaveUp: false });
    expect(h.clock.pending).toBe(0);
  });

  it.each(['open', 'awaiting-pong'] as const)('while %s: sends the close frame and waits in closing', (from) => {
    const h = opened();
    if (from === 'awaiting-pong') h.clock.advance(1_000);
    expect(h.state()).toBe(from);
    h.send({ type: 'close', code: 1000, reason: 'bye' });
    expect(h.state()).toBe('closing');
    expect(h.commands().at(-1)).toEqual({ type: 'close', code: 1000, reason: 'bye' });
    h.sockets.current().emit({ type: 'socket.close', code: 1000, reason: 'bye', wasClean: true });
    expect(h.state()).toBe('closed');
    expect(h.context().reason).toEqual({ type: 'closed-by-client', code: 1000, reason: 'bye' });
    expect(h.commands().filter((c) => c.type === 'terminate')).toEqual([]);
    expect(h.clock.pending).toBe(0);
  });

  it('defaults to code 1000 with an empty reason', () => {
    const h = opened();
    h.send({ type: 'close' });
    expect(h.commands()).toEqual([{ type: 'close', code: 1000, reason: '' }]);
  });

  it('close timeout: a server that never answers the close frame gets terminated', () => {
    const h = opened();
    h.send({ type: 'close' });
    h.clock.advance(499);
    expect(h.state()).toBe('closing');
    h.clock.advance(1);
    expect(h.state()).toBe('closed');
    expect(h.commands()).toEqual([{ type: 'close', code: 1000, reason: '' }, { type: 'terminate' }]);
    expect(h.sockets.current().disposed).toBe(true);
    expect(lastEmitted(h)).toMatchObject({ type: 'close', reason: { type: 'closed-by-client' } });
  });

  it.each<SocketEvent | { type: 'network.offline' }>([
    { type: 'socket.error', code: 'ECONNRESET', message: '' },
    { type: 'network.offline' },
  ])('a $type while closing completes the close as closed-by-client', (event) => {
    const h = opened();
    h.send({ type: 'close', code: 4000, reason: 'x' });
    h.actor.send(event);
    expect(h.state()).toBe('closed');
    expect(h.context().reason).toEqual({ type: 'closed-by-client', code: 4000, reason: 'x' });
  });

  it('a second close while closing is ignored: one close frame only', () => {
    const h = opened();
    h.send({ type: 'close' });
    h.send({ type: 'close', code: 4000 });
    expect(h.state()).toBe('closing');
    expect(h.commands()).toEqual([{ type: 'close', code: 1000, reason: '' }]);
  });

  it('while backing off: cancels the reconnect, nothing is left scheduled', () => {
    const h = startConnection();
    h.sockets.current().emit({ type: 'socket.error', code: 'ECONNREFUSED', message: '' });
    h.send({ type: 'close', code: 4000, reason: 'later' });
    expect(h.state()).toBe('closed');
    expect(lastEmitted(h)).toEqual({ type: 'close', reason: { type: 'closed-by-client', code: 4000, reason: 'later' }, gaveUp: false });
    expect(h.clock.pending).toBe(0);
    h.clock.advance(60_000);
    expect(h.sockets.all).toHaveLength(1);
  });

  it('while closed: ignored, no second close event', () => {
    const h = startConnection();
    h.send({ type: 'close' });
    const count = h.emitted.length;
    h.send({ type: 'close' });
    expect(h.state()).toBe('closed');
    expect(h.emitted).toHaveLength(count);
  });
});

describe('connect and reconnect', () => {
  it('closed is not final: connect starts a fresh streak', () => {
    const h = startConnection({ maxAttempts: 1 });
    h.sockets.current().emit({ type: 'socket.error', code: 'ECONNREFUSED', message: '' });
    h.clock.advance(100);
    h.sockets.current().emit({ type: 'socket.error', code: 'ECONNREFUSED', message: '' });
    expect(h.state()).toBe('closed');
    expect(h.context().gaveUp).toBe(true);
    h.send({ type: 'connect' });
    expect(h.state()).toBe('connecting');
    expect(h.context()).toMatchObject({ attempt: 0, gaveUp: false });
    expect(h.sockets.live()).toHaveLength(1);
  });

  it.each(['connecting', 'open', 'awaiting-pong', 'closing'] as const)(
    'connect while %s is ignored: one socket, unchanged state',
    (state) => {
      const h = startConnection();
      if (state !== 'connecting') h.open();
      if (state === 'awaiting-pong') h.clock.advance(1_000);
      if (state === 'closing') h.send({ type: 'close' });
      h.send({ type: 'connect' });
      expect(h.state()).toBe(state);
      expect(h.sockets.all).toHaveLength(1);
    },
  );

  it('connect while backing off keeps the schedule', () => {
    const h = startConnection();
    h.sockets.current().emit({ type: 'socket.error', code: 'ECONNREFUSED', message: '' });
    h.send({ type: 'connect' });
    expect(h.state()).toBe('backing-off');
    h.clock.advance(100);
    expect(h.state()).toBe('connecting');
  });

  it.each(['connecting', 'open', 'awaiting-pong', 'closing'] as const)('reconnect while %s replaces the socket now', (state) => {
    const h = startConnection();
    if (state !== 'connecting') h.open();
    if (state === 'awaiting-pong') h.clock.advance(1_000);
    if (state === 'closing') h.send({ type: 'close' });
    const old = h.sockets.current();
    h.send({ type: 'reconnect' });
    expect(h.state()).toBe('connecting');
    expect(old.commands.at(-1)).toEqual({ type: 'terminate' });
    expect(old.disposed).toBe(true);
    expect(h.sockets.live()).toEqual([h.sockets.current()]);
    expect(h.sockets.all).toHaveLength(2);
  });

  it('reconnect while backing off skips the wait and resets the attempt count', () => {
    const h = startConnection();
    for (let i = 0; i < 3; i++) {
      h.sockets.current().emit({ type: 'socket.error', code: 'ECONNREFUSED', message: '' });
      if (i < 2) h.clock.next();
    }
    expect(h.context().attempt).toBe(3);
    h.send({ type: 'reconnect' });
    expect(h.state()).toBe('connecting');
    expect(h.context().attempt).toBe(0);
    expect(h.clock.pending).toBe(1);
  });

  it('reconnect from closed starts again, with a fresh streak after giving up', () => {
    const h = startConnection({ maxAttempts: 1 });
    for (let i = 0; i < 2; i++) {
      h.sockets.current().emit({ type: 'socket.error', code: 'ECONNREFUSED', message: '' });
      h.clock.next();
    }
    expect(h.context()).toMatchObject({ attempt: 1, gaveUp: true });
    h.send({ type: 'reconnect' });
    expect(h.state()).toBe('connecting');
    expect(h.context()).toMatchObject({ attempt: 0, gaveUp: false });
    expect(h.sockets.live()).toHaveLength(1);
  });

  it('reconnect while connecting after failures starts a fresh streak', () => {
    const h = startConnection();
    for (let i = 0; i < 2; i++) {
      h.sockets.current().emit({ type: 'socket.error', code: 'ECONNREFUSED', message: '' });
      h.clock.next();
    }
    expect(h.state()).toBe('connecting');
    expect(h.context().attempt).toBe(2);
    h.send({ type: 'reconnect' });
    expect(h.context().attempt).toBe(0);
    expect(h.sockets.current().input.attempt).toBe(0);
  });
});

describe('environment events', () => {
  it.each(['page.visible', 'network.online', 'probe'] as const)(
    '%s pings an open socket at once (it may have died while timers were frozen)',
    (type) => {
      const h = opened();
      h.clock.advance(10);
      h.send({ type });
      expect(h.state()).toBe('awaiting-pong');
      expect(h.commands()).toEqual([{ type: 'ping' }]);
    },
  );

  it.each(['page.visible', 'network.online', 'probe'] as const)('%s with the heartbeat off changes nothing', (type) => {
    const h = opened({ heartbeat: false });
    h.send({ type });
    expect(h.state()).toBe('open');
    expect(h.commands()).toEqual([]);
  });

  it.each(['page.visible', 'network.online'] as const)('%s while backing off connects now', (type) => {
    const h = startConnection({ backoff: { initial: 5_000, max: 5_000, jitter: 'none' } });
    h.sockets.current().emit({ type: 'socket.error', code: 'ENETUNREACH', message: '' });
    expect(h.state()).toBe('backing-off');
    h.send({ type });
    expect(h.state()).toBe('connecting');
    expect(h.sockets.all).toHaveLength(2);
    expect(h.context().attempt).toBe(1);
  });

  it('page.hidden never changes the connection', () => {
    const h = opened();
    h.send({ type: 'page.hidden' });
    expect(h.state()).toBe('open');
    expect(h.commands()).toEqual([]);
  });

  it('network.offline while connecting abandons the attempt', () => {
    const h = startConnection();
    h.send({ type: 'network.offline' });
    expect(h.state()).toBe('backing-off');
    expect(h.context().reason).toEqual({ type: 'offline' });
  });

  it('network.offline and online while closed do not resurrect it', () => {
    const h = startConnection();
    h.send({ type: 'close' });
    h.send({ type: 'network.offline' });
    h.send({ type: 'network.online' });
    h.send({ type: 'page.visible' });
    expect(h.state()).toBe('closed');
    expect(h.sockets.all).toHaveLength(1);
  });
});

describe("paused: the app's reader is full (receive-side backpressure)", () => {
  it('stops reading and runs no heartbeat deadline while paused; resuming pings at once', () => {
    const h = opened();
    h.send({ type: 'reading.pause' });
    expect(h.state()).toBe('paused');
    expect(h.commands()).toEqual([{ type: 'pause' }]);
    // Only stableAfter (owned by `connected`) and the pause timeout are left: no ping is due.
    h.clock.advance(59_999);
    expect(h.state()).toBe('paused');
    expect(h.commands()).toEqual([{ type: 'pause' }]);
    h.send({ type: 'reading.resume' });
    expect(h.state()).toBe('awaiting-pong');
    expect(h.commands()).toEqual([{ type: 'pause' }, { type: 'resume' }, { type: 'ping' }]);
    // The backlog's first frame answers; a dead path fails the fresh deadline like any other.
    h.sockets.current().emit({ type: 'socket.pong', rttMs: 3 });
    expect(h.state()).toBe('open');
  });

  it('a pause while a pong is awaited drops that deadline (the pong waits behind the backlog)', () => {
    const h = opened();
    h.clock.advance(1_000);
    expect(h.state()).toBe('awaiting-pong');
    h.send({ type: 'reading.pause' });
    h.clock.advance(10_000);
    expect(h.state()).toBe('paused');
    h.send({ type: 'reading.resume' });
    h.clock.advance(400);
    expect(h.context().reason).toEqual({ type: 'heartbeat-timeout', timeoutMs: 400 });
    expect(h.commands()).toEqual([{ type: 'ping' }, { type: 'pause' }, { type: 'resume' }, { type: 'ping' }, { type: 'terminate' }]);
  });

  it('close while paused reads again for the handshake, then sends the close frame', () => {
    const h = opened();
    h.send({ type: 'reading.pause' });
    h.send({ type: 'close', code: 1000, reason: 'bye' });
    expect(h.state()).toBe('closing');
    expect(h.commands()).toEqual([{ type: 'pause' }, { type: 'resume' }, { type: 'close', code: 1000, reason: 'bye' }]);
  });

  it('a socket that ends while paused is not told to read again', () => {
    const h = opened();
    h.send({ type: 'reading.pause' });
    h.sockets.current().emit({ type: 'socket.close', code: 1006, reason: '', wasClean: false });
    expect(h.state()).toBe('backing-off');
    expect(h.commands()).toEqual([{ type: 'pause' }]);
  });

  it('any other way out of paused reads again before the socket goes (reconnect, an error)', () => {
    const h = opened();
    h.send({ type: 'reading.pause' });
    h.send({ type: 'reconnect' });
    expect(h.sockets.all[0]?.commands).toEqual([{ type: 'pause' }, { type: 'resume' }, { type: 'terminate' }]);
    h.open();
    h.send({ type: 'reading.pause' });
    h.sockets.current().emit({ type: 'socket.error', code: 'ECONNRESET', message: '' });
    expect(h.state()).toBe('backing-off');
    expect(h.sockets.all[1]?.commands).toEqual([{ type: 'pause' }, { type: 'resume' }, { type: 'terminate' }]);
  });

  it('a reader that stays full for the pause timeout: the connection is dropped as reader-stalled and made again', () => {
    const h = opened({ pauseTimeout: 2_000 });
    h.send({ type: 'reading.pause' });
    h.clock.advance(1_999);
    expect(h.state()).toBe('paused');
    h.clock.advance(1);
    expect(h.state()).toBe('backing-off');
    expect(h.context().reason).toEqual({ type: 'reader-stalled', timeoutMs: 2_000 });
    expect(h.commands()).toEqual([{ type: 'pause' }, { type: 'resume' }, { type: 'terminate' }]);
  });

  it('pauseTimeout 0: a paused socket waits for its reader as long as it takes', () => {
    const h = opened({ pauseTimeout: 0 });
    h.send({ type: 'reading.pause' });
    h.clock.advance(3_600_000);
    expect(h.state()).toBe('paused');
  });

  it('without a heartbeat, resuming just reads again', () => {
    const h = opened({ heartbeat: false });
    h.send({ type: 'reading.pause' });
    h.send({ type: 'reading.resume' });
    expect(h.state()).toBe('open');
    expect(h.commands()).toEqual([{ type: 'pause' }, { type: 'resume' }]);
  });
});

describe('heartbeat off', () => {
  it('never pings and never times out an idle socket', () => {
    const h = opened({ heartbeat: false });
    h.clock.advance(3_600_000);
    expect(h.state()).toBe('open');
    expect(h.commands()).toEqual([]);
    expect(h.clock.pending).toBe(0);
  });
});

describe('attempts, backoff and giving up', () => {
  const refuse = (h: Harness) => h.sockets.current().emit({ type: 'socket.error', code: 'ECONNREFUSED', message: '' });

  it('backs off exponentially up to the cap, one attempt per failure', () => {
    const h = startConnection();
    for (let i = 0; i < 6; i++) {
      refuse(h);
      h.clock.next();
    }
    expect(reconnects(h).map((e) => [e.attempt, e.delayMs])).toEqual([
      [1, 100],
      [2, 200],
      [3, 400],
      [4, 800],
      [5, 1_000],
      [6, 1_000],
    ]);
    expect(h.sockets.all.map((s) => s.input.attempt)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('draws the jitter from the injected random source, once per backoff', () => {
    const draws = [0.25, 0.75];
    const h = startConnection({ backoff: { initial: 100, max: 1_000, jitter: 'full' }, random: () => draws.shift() ?? 0 });
    refuse(h);
    h.clock.next();
    refuse(h);
    expect(reconnects(h).map((e) => e.delayMs)).toEqual([25, 150]);
    expect(draws).toEqual([]);
  });

  it('maxAttempts: after the last attempt fails the machine closes with gaveUp', () => {
    const h = startConnection({ maxAttempts: 2 });
    refuse(h);
    h.clock.next();
    refuse(h);
    h.clock.next();
    refuse(h);
    expect(h.state()).toBe('closed');
    expect(h.sockets.all).toHaveLength(3);
    expect(lastEmitted(h)).toEqual({
      type: 'close',
      reason: { type: 'network-error', code: 'ECONNREFUSED', message: '' },
      gaveUp: true,
    });
    expect(h.context().attempt).toBe(2);
    expect(h.clock.pending).toBe(0);
  });

  it('maxAttempts 0 never reconnects, and gives up nothing (no retry was ever allowed)', () => {
    const h = opened({ maxAttempts: 0 });
    h.sockets.current().emit({ type: 'socket.close', code: 1001, reason: '', wasClean: true });
    expect(h.state()).toBe('closed');
    expect(h.context().gaveUp).toBe(false);
  });

  it('stableAfter: the counter resets only after the socket stayed open that long', () => {
    const h = startConnection();
    refuse(h);
    h.clock.next();
    refuse(h);
    h.clock.next();
    h.open();
    expect(h.context().attempt).toBe(2);
    // The heartbeat toggles open/awaiting-pong underneath without restarting the stability timer.
    for (let t = 0; t < 2; t++) {
      h.clock.advance(1_000);
      h.sockets.current().emit({ type: 'socket.pong', rttMs: 1 });
    }
    h.clock.advance(999);
    expect(h.context().attempt).toBe(2);
    h.clock.advance(1);
    expect(h.context().attempt).toBe(0);
    h.sockets.current().emit({ type: 'socket.close', code: 1006, reason: '', wasClean: false });
    expect(reconnects(h).at(-1)).toMatchObject({ attempt: 1, delayMs: 100 });
  });

  it('flapping connections (open, then drop before stableAfter) still spend the attempt budget', () => {
    const h = startConnection({ maxAttempts: 3 });
    for (let i = 0; i < 4; i++) {
      h.open();
      h.clock.advance(500);
      h.sockets.current().emit({ type: 'socket.close', code: 1011, reason: '', wasClean: true });
      h.clock.next();
    }
    expect(h.state()).toBe('closed');
    expect(h.context()).toMatchObject({ attempt: 3, gaveUp: true });
  });

  it('a shouldReconnect that stops an app code ends in closed without gaveUp', () => {
    const h = opened({
      shouldReconnect: (reason, { decision }) => (reason.type === 'closed-by-server' && reason.code === 4001 ? false : decision),
    });
    h.sockets.current().emit({ type: 'socket.close', code: 4001, reason: 'auth', wasClean: true });
    expect(h.state()).toBe('closed');
    expect(h.context().gaveUp).toBe(false);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('policy bug');
      },
    ],
    ['answers undefined', () => undefined],
  ])('a shouldReconnect that %s: the default decision holds, an error is emitted, the machine lives on', (_, policy) => {
    const h = opened({ shouldReconnect: policy as never });
    h.sockets.current().emit({ type: 'socket.close', code: 1013, reason: '', wasClean: true });
    expect(h.state()).toBe('backing-off');
    expect(h.context().decision).toEqual({ retry: true, delay: 'long' });
    const errors = h.emitted.filter((e) => e.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ error: { code: 'WSM_CALLBACK_ERROR', option: 'shouldReconnect' } });
    expect(h.errors).toEqual([]);
    h.send({ type: 'close' });
    expect(h.state()).toBe('closed');
    expect(h.clock.pending).toBe(0);
  });

  it('a random that leaves [0, 1): the wait is drawn from Math.random within the step, and an error is emitted', () => {
    const h = startConnection({ backoff: { initial: 100, max: 1_000, jitter: 'full' }, random: () => 7 });
    refuse(h);
    const delay = reconnects(h)[0]?.delayMs;
    expect(Number.isInteger(delay) && (delay as number) >= 0 && (delay as number) < 100).toBe(true);
    expect(h.emitted.filter((e) => e.type === 'error')).toMatchObject([{ error: { code: 'WSM_CALLBACK_ERROR', option: 'random' } }]);
    expect(h.errors).toEqual([]);
  });
});

describe('timers that fire late (sleep, SIGSTOP, throttled tab)', () => {
  it('an overdue ping timer probes at once on wake instead of trusting the silent socket', () => {
    const h = opened();
    h.clock.advance(200);
    h.clock.freeze(5 * 60_000);
    h.clock.advance(0);
    // The socket was silent far longer than interval + timeout: it is pinged, not trusted.
    expect(h.state()).toBe('awaiting-pong');
    expect(h.commands()).toEqual([{ type: 'ping' }]);
    // The pong deadline runs from the wake, not from before the sleep.
    h.clock.advance(399);
    expect(h.state()).toBe('awaiting-pong');
    h.clock.advance(1);
    expect(h.context().reason).toEqual({ type: 'heartbeat-timeout', timeoutMs: 400 });
  });

  it('a wake signal probes at once even when the frozen timers are not yet due', () => {
    // Timers on a monotonic clock stop during system sleep: nothing is overdue after the wake.
    const h = opened();
    h.clock.advance(100);
    h.send({ type: 'page.visible' });
    expect(h.state()).toBe('awaiting-pong');
    h.sockets.current().emit({ type: 'socket.pong', rttMs: 3 });
    expect(h.state()).toBe('open');
  });

  it('a backoff that fires late connects at once', () => {
    const h = startConnection();
    h.sockets.current().emit({ type: 'socket.error', code: 'ENETDOWN', message: '' });
    h.clock.freeze(60_000);
    h.clock.advance(0);
    expect(h.state()).toBe('connecting');
  });
});

describe('without an adapter', () => {
  it('the unprovided socket actor fails with a message that says what to do', () => {
    const actor = createActor(connectionMachine, { input: { options: resolveConnectionOptions({ maxAttempts: 0 }) } });
    actor.start();
    expect(actor.getSnapshot().value).toBe('closed');
    expect(actor.getSnapshot().context.reason).toEqual({
      type: 'adapter-error',
      message: 'wsmachine: provide a socket actor: connectionMachine.provide({ actors: { socket } })',
    });
    actor.stop();
  });
});

describe('the door', () => {
  it.each([
    ['options made by hand', { options: { ...resolveConnectionOptions() } }],
    ['no options', {}],
    ['no input at all', undefined],
  ])('a machine given %s fails at creation with WSM_INVALID_ARGUMENT, not later in a transition', (_, input) => {
    const actor = createActor(connectionMachine, { input: input as never });
    const error = actor.getSnapshot().error as WsmError;
    expect(actor.getSnapshot().status).toBe('error');
    expect(error).toBeInstanceOf(WsmError);
    expect([error.code, error.message]).toEqual([
      'WSM_INVALID_ARGUMENT',
      `wsmachine: connectionMachine: input.options must come from resolveConnectionOptions(), got ${input && 'options' in input ? 'an object' : 'undefined'}`,
    ]);
  });

  it('stateNameOf refuses a value of another machine', () => {
    for (const bad of [{ a: 'b' }, 'waiting', null, 42]) {
      const error = thrown(() => stateNameOf(bad));
      expect([error.code, error.message]).toEqual([
        'WSM_INVALID_ARGUMENT',
        `wsmachine: stateNameOf: value must be a snapshot value of the connection machine, got ${typeof bad === 'string' ? '"waiting"' : bad === null ? 'null' : typeof bad === 'number' ? '42' : 'an object'}`,
      ]);
    }
    expect(stateNameOf({ live: { connected: 'awaiting-pong' } })).toBe('awaiting-pong');
    expect(stateNameOf('backing-off')).toBe('backing-off');
  });
});

describe('resources', () => {
  it.each(['backing-off', 'closed'] as const)('a stale socket actor error while %s leaves the machine running', (state) => {
    const h = startIn(state);
    const pending = h.clock.pending;
    h.actor.send({ type: 'xstate.error.actor.socket', error: new Error('stale') });
    expect(h.actor.getSnapshot().status).toBe('active');
    expect(h.state()).toBe(state);
    expect(h.clock.pending).toBe(pending);
  });

  it('stopping the actor releases the socket and every timer', () => {
    const h = opened();
    expect(h.clock.pending).toBe(2);
    h.actor.stop();
    expect(h.sockets.current().disposed).toBe(true);
    expect(h.clock.pending).toBe(0);
  });

  it.each([
    ['connecting', 1],
    ['open', 2],
    ['awaiting-pong', 2],
    ['closing', 1],
    ['backing-off', 1],
    ['closed', 0],
  ] as const)('%s holds exactly its own timers (%i)', (state, timers) => {
    const h = startConnection();
    if (state !== 'connecting' && state !== 'backing-off' && state !== 'closed') h.open();
    if (state === 'awaiting-pong') h.clock.advance(1_000);
    if (state === 'closing') h.send({ type: 'close' });
    if (state === 'backing-off') h.sockets.current().emit({ type: 'socket.error', code: 'E', message: '' });
    if (state === 'closed') h.send({ type: 'close' });
    expect(h.state()).toBe(state);
    expect(h.clock.pending).toBe(timers);
  });
});

describe('closedSnapshot: an actor that starts at rest', () => {
  it('starts in closed with no socket and no timer, and connects on connect', () => {
    const sockets = fakeSockets();
    const clock = new VirtualClock();
    const machine = connectionMachine.provide({ actors: { socket: sockets.logic } });
    const input = { options: resolveConnectionOptions({}) };
    const actor = createActor(machine, { input, snapshot: closedSnapshot(machine, input), clock });
    const emitted: string[] = [];
    actor.on('*', (event) => emitted.push(event.type));
    actor.start();
    expect(stateNameOf(actor.getSnapshot().value)).toBe('closed');
    expect([sockets.all.length, clock.pending, emitted]).toEqual([0, 0, []]);
    expect(actor.getSnapshot().context).toMatchObject({ attempt: 0, reason: null, gaveUp: false });
    actor.send({ type: 'connect' });
    expect(stateNameOf(actor.getSnapshot().value)).toBe('connecting');
    expect(sockets.all.length).toBe(1);
    actor.stop();
  });

  it('refuses options that did not come from resolveConnectionOptions', () => {
    const machine = connectionMachine.provide({ actors: { socket: fakeSockets().logic } });
    expect(thrown(() => closedSnapshot(machine, { options: { heartbeat: null } as never }))).toMatchObject({
      code: 'WSM_INVALID_ARGUMENT',
    });
  });
});
