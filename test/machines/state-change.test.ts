/** The one state-change view (`stateChangeOf`) that the socket, the CLI and the inspector read. */
import { describe, expect, it } from 'vitest';
import { stateChangeOf } from '../../machines/state-change.ts';
import { startConnection } from '../support/harness.ts';

describe('stateChangeOf', () => {
  it('names the reason and the wait on the way to backing-off, and no reason on the way to open', () => {
    const h = startConnection();
    h.open();
    expect(stateChangeOf('connecting', h.actor.getSnapshot())).toEqual({ from: 'connecting', to: 'open', reason: null, attempt: 0, delayMs: null });
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

  it('refuses a snapshot value that is not the connection machine\'s', () => {
    expect(() => stateChangeOf('open', { value: 'elsewhere', context: startConnection().context() })).toThrow(/stateNameOf: value must be a snapshot value/);
  });
});
