/**
 * The socket's options on their own (`resolveSocketOptions`): the checks in the toolkit's words,
 * the defaults, and the adapter's share, named by its binding. createSocket's tests cover the
 * same rules through the entries.
 */
import { describe, expect, it, vi } from 'vitest';
import type { AdapterBinding } from '../../adapters/contract.ts';
import { webAdapter } from '../../adapters/web.ts';
import { resolveSocketOptions } from '../../src/facade/socket-options.ts';
import { thrown } from '../support/thrown.ts';

const binding = (check = vi.fn()): AdapterBinding => ({
  adapter: webAdapter,
  keys: ['own'],
  check,
  secretHeaders: () => ({ authorization: 'Bearer xyz123' }),
});
const resolve = (options: object, b = binding()) => resolveSocketOptions('ws://127.0.0.1:1/', options, b, () => {});

describe('resolveSocketOptions', () => {
  it("fills the defaults: the outbox bounds, no resend, the binding's adapter, Date.now, no trace", () => {
    const resolved = resolve({});
    expect(resolved.outbox).toEqual({ maxMessages: 10_000, maxBytes: 1_048_576 });
    expect([resolved.resend, resolved.adapter, resolved.now, resolved.trace, resolved.inspect]).toEqual([
      false,
      webAdapter,
      Date.now,
      undefined,
      undefined,
    ]);
    expect(resolved.connection.connectTimeout).toBe(10_000);
  });

  it('hands the binding exactly the options it owns, and accepts them as known', () => {
    const check = vi.fn();
    const resolved = resolve({ own: { x: 1 }, connectTimeout: 5 }, binding(check));
    expect(check).toHaveBeenCalledWith({ own: { x: 1 } });
    expect(resolved.own).toEqual({ own: { x: 1 } });
  });

  it("refuses in the toolkit's words, with structured fields", () => {
    const outbox = thrown(() => resolve({ outbox: { maxMessages: -1 } }));
    expect([outbox.option, outbox.rule, outbox.value]).toEqual(['outbox.maxMessages', 'must be a whole number >= 0', '-1']);
    expect(thrown(() => resolve({ outbox: { maxMesages: 1 } })).message).toBe(
      'wsmachine: unknown option outbox.maxMesages (did you mean outbox.maxMessages?)',
    );
    expect(thrown(() => resolve({ resendUnconfirmed: 'yes' })).message).toBe(
      'wsmachine: option resendUnconfirmed must be a boolean, got "yes"',
    );
    expect(thrown(() => resolve({ onOpen: 1 })).option).toBe('onOpen');
    expect(thrown(() => resolve({ protocols: ['a', 'a'] })).rule).toBe('must not repeat a subprotocol');
    expect(thrown(() => resolve({ onOpn: () => {} })).message).toBe('wsmachine: unknown option onOpn (did you mean onOpen?)');
  });

  it("lists the on* options as listeners, and guards the trace with the redaction of the binding's headers", () => {
    const lines: string[] = [];
    const onOpen = () => {};
    const resolved = resolve({ onOpen, trace: (line: string) => lines.push(line) });
    expect(resolved.listeners).toEqual([['open', onOpen]]);
    resolved.trace?.('sent Bearer xyz123');
    expect(lines).toEqual(['wsmachine: sent ***']);
  });
});
