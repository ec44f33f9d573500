/** The one state-change view (`stateChangeOf`) that the socket, the CLI and the inspector read. */
import { describe, expect, it } from 'vitest';
import { stateChangeOf } from '../../machines/state-change.ts';
import { startConnection } from '../support/harness.ts';

describe('stateChangeOf', () => {
  it('names the reason and the wait on the way to backing-off, and no reason on the way to open', () => {
    const h = startConnection();
    h.open();
    expect(stateChangeOf('connecting', h.actor.getSnapshot())).toEqual({
      from: 'connecting',
      to: 'open',
      reason: null,
      attempt: 0,
      delayMs: null,
    });
    h.sockets.current().emit({ type: 'socket.close', code: 1011, reason: 'oops', wasClean: true });
    expect(stateChangeOf('open', h.actor.getSnapshot())).toEqual({
      from: 'open',
      to: 'backing-off',
      reason: { type: 'closed-by-server', code: 1011, reason: 'oops' },
      attempt: 1,
      delayMs: 100,
    });
  });

  it('names the reason on the way to closed, with no wait', () => {
    const h = startConnection();
    h.send({ type: 'close', code: 4000, reason: 'done' });
    expect(stateChangeOf('connecting', h.actor.getSnapshot())).toEqual({
      from: 'connecting',
      to: 'closed',
      reason: { type: 'closed-by-client', code: 4000, reason: 'done' },
      attempt: 0,
      delayMs: null,
    });
  });

  it('on the way back to connecting, no reason, though the context still holds the last one', () => {
    const h = startConnection();
    h.sockets.current().emit({ type: 'socket.error', code: 'ECONNREFUSED', message: 'refused' });
    h.clock.advance(100);
    expect(h.context().reason).toMatchObject({ type: 'network-error' });
    expect(stateChangeOf('backing-off', h.actor.getSnapshot())).toEqual({
      from: 'backing-off',
      to: 'connecting',
      reason: null,
      attempt: 1,
      delayMs: null,
    });
  });

  it("refuses a state to come from, or a snapshot value, that is not the connection machine's", () => {
    const context = startConnection().context();
    expect(() => stateChangeOf('open', { value: 'elsewhere', context })).toThrow(/stateNameOf: value must be a snapshot value/);
    expect(() => stateChangeOf('asleep' as never, { value: 'closed', context })).toThrow(
      'wsmachine: stateChangeOf: from must be a state name of the connection machine, got "asleep"',
    );
  });
});
