/**
 * The facade's parts on their own: the emitter, the delivery ledger and the message iterator
 * (the socket that composes them is tested in socket.test.ts and its neighbours).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeliveryLedger } from '../../src/facade/delivery.ts';
import { Emitter } from '../../src/facade/emitter.ts';
import { MessageQueue, Readers } from '../../src/facade/messages.ts';
import { thrown } from '../support/thrown.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Emitter', () => {
  it('calls the listeners of an event in order; the function returned removes one', () => {
    const events = new Emitter();
    events.ready();
    const seen: string[] = [];
    events.on('message', (m) => seen.push(`a:${String(m)}`));
    const off = events.on('message', (m) => seen.push(`b:${String(m)}`));
    events.emit('message', 'one');
    off();
    events.emit('message', 'two');
    expect(seen).toEqual(['a:one', 'b:one', 'a:two']);
  });

  it('refuses an unknown event and a listener that is not a function', () => {
    const events = new Emitter();
    const unknown = thrown(() => events.on('mesage' as never, () => {}));
    expect([unknown.code, unknown.option]).toEqual(['WSM_INVALID_ARGUMENT', 'event']);
    expect(unknown.message).toContain('the events are open, message, close');
    expect(thrown(() => events.on('open', 42 as never)).message).toBe("wsmachine: on('open'): listener must be a function, got 42");
  });

  it('a listener returning a thenable whose then throws: an error event, and the next listener still runs', () => {
    const events = new Emitter();
    events.ready();
    const errors: Error[] = [];
    events.on('error', (error) => errors.push(error));
    const after = vi.fn();
    events.on('message', () => ({
      then() {
        throw new Error('bad then');
      },
    }));
    events.on('message', after);
    events.emit('message', 'x');
    expect(errors.map((e) => e.message)).toEqual(["wsmachine: the 'message' listener threw: bad then"]);
    expect(after).toHaveBeenCalledOnce();
  });

  it("a listener's throw or rejection becomes an error event; the next listener still runs", async () => {
    const events = new Emitter();
    events.ready();
    const errors: Error[] = [];
    events.on('error', (error) => errors.push(error));
    const after = vi.fn();
    events.on('open', () => {
      throw new Error('boom');
    });
    events.on('open', async () => Promise.reject(new Error('later')));
    events.on('open', after);
    events.emit('open', { protocol: '', extensions: '', attempt: 0 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(after).toHaveBeenCalledOnce();
    expect(errors.map((e) => [(e as { code?: string }).code, e.message])).toEqual([
      ['WSM_CALLBACK_ERROR', "wsmachine: the 'open' listener threw: boom"],
      ['WSM_CALLBACK_ERROR', "wsmachine: the 'open' listener threw: later"],
    ]);
  });

  it('holds reports until ready, then sends them to the error listeners, or console.error when there are none', () => {
    const events = new Emitter();
    const console = vi.spyOn(globalThis.console, 'error').mockImplementation(() => {});
    const errors: Error[] = [];
    events.report(new Error('early'));
    events.on('error', (error) => errors.push(error));
    expect(errors).toEqual([]);
    events.ready();
    expect(errors.map((e) => e.message)).toEqual(['early']);
    const lonely = new Emitter();
    lonely.ready();
    lonely.report(new Error('nobody listens'));
    expect(console).toHaveBeenCalledWith(new Error('nobody listens'));
  });

  it('a failing error listener goes to console.error, not round again', () => {
    const events = new Emitter();
    events.ready();
    const console = vi.spyOn(globalThis.console, 'error').mockImplementation(() => {});
    events.on('error', () => {
      throw new Error('in the error listener');
    });
    events.emit('error', new Error('first'));
    expect(console).toHaveBeenCalledOnce();
    expect(String(console.mock.calls[0]?.[0])).toContain("the 'error' listener threw: in the error listener");
  });
});

describe('DeliveryLedger', () => {
  it('a pong confirms what was written before its ping, not after', () => {
    const ledger = new DeliveryLedger();
    ledger.written('a', 1);
    ledger.written('b', 1);
    ledger.pinged(1);
    ledger.written('c', 1);
    expect([ledger.count, ledger.bytes]).toEqual([3, 3]);
    ledger.ponged(1);
    expect(ledger.stats()).toEqual({ inFlight: 1, inFlightBytes: 1, confirmed: 2, unconfirmed: 0, resent: 0 });
    expect([ledger.count, ledger.bytes]).toEqual([1, 1]);
    expect(ledger.end(false, false)).toEqual(['c']);
    expect(ledger.stats()).toEqual({ inFlight: 0, inFlightBytes: 0, confirmed: 2, unconfirmed: 1, resent: 0 });
  });

  it('a later pong confirms for the earlier pings too; an unknown or stale pong confirms nothing', () => {
    const ledger = new DeliveryLedger();
    ledger.written('a', 1);
    ledger.pinged(1);
    ledger.written('b', 1);
    ledger.pinged(2);
    ledger.ponged(7);
    expect(ledger.stats().confirmed).toBe(0);
    ledger.ponged(2);
    ledger.ponged(1);
    expect(ledger.stats()).toMatchObject({ inFlight: 0, confirmed: 2 });
  });

  it('counts the bytes in flight', () => {
    const ledger = new DeliveryLedger();
    ledger.written('abc', 3);
    ledger.written(new Uint8Array(10), 10);
    ledger.pinged(1);
    ledger.written('d', 1);
    ledger.ponged(1);
    expect([ledger.count, ledger.bytes]).toEqual([1, 1]);
  });

  it('a clean end confirms everything; a resent end counts them resent', () => {
    const clean = new DeliveryLedger();
    clean.written('a', 1);
    expect(clean.end(true, false)).toEqual([]);
    expect(clean.stats()).toMatchObject({ confirmed: 1, unconfirmed: 0 });
    const lost = new DeliveryLedger();
    lost.written('a', 1);
    lost.written('b', 1);
    expect(lost.end(false, true)).toEqual(['a', 'b']);
    expect(lost.stats()).toMatchObject({ unconfirmed: 2, resent: 2 });
  });
});

describe('MessageQueue', () => {
  const BOUNDS = { maxMessages: 100, maxBytes: 1_000 };

  it('hands buffered messages first, then waits; end settles the waiting next() calls as done', async () => {
    const readers = new Readers(() => {});
    const onEnd = vi.spyOn(readers, 'ended');
    const queue = new MessageQueue(readers, BOUNDS);
    queue.push('a');
    expect(await queue.next()).toEqual({ value: 'a', done: false });
    const waiting = queue.next();
    queue.push('b');
    expect(await waiting).toEqual({ value: 'b', done: false });
    const last = queue.next();
    queue.end();
    expect(await last).toEqual({ value: undefined, done: true });
    expect(onEnd).toHaveBeenCalledOnce();
  });

  it('return() drops what is buffered and ends', async () => {
    const queue = new MessageQueue(new Readers(() => {}), BOUNDS);
    queue.push('a');
    expect(await queue.return()).toEqual({ value: undefined, done: true });
    expect(await queue.next()).toEqual({ value: undefined, done: true });
  });

  it('holds the socket once at either bound and lets go once taken down to half of both', async () => {
    const holds: boolean[] = [];
    const readers = new Readers((full) => holds.push(full));
    const byCount = new MessageQueue(readers, { maxMessages: 4, maxBytes: 1_000 });
    for (const m of ['a', 'b', 'c']) byCount.push(m);
    expect(holds).toEqual([]);
    byCount.push('d');
    byCount.push('e'); // past the bound: already read, so kept, and no second hold
    expect(holds).toEqual([true]);
    expect(byCount.length).toBe(5);
    for (let i = 0; i < 2; i++) await byCount.next();
    expect(holds).toEqual([true]); // 3 left: more than half of 4
    await byCount.next();
    expect(holds).toEqual([true, false]);

    const byBytes = new MessageQueue(readers, { maxMessages: 100, maxBytes: 10 });
    byBytes.push('x'.repeat(6));
    byBytes.push('é'.repeat(2)); // 4 bytes of UTF-8: 10 in all
    expect(holds).toEqual([true, false, true]);
    await byBytes.next();
    expect(holds).toEqual([true, false, true, false]);
  });

  it('a full reader that ends (the socket closed, or return()) no longer holds the socket; the others still do', async () => {
    const holds: boolean[] = [];
    const readers = new Readers((full) => holds.push(full));
    const one = new MessageQueue(readers, { maxMessages: 1, maxBytes: 1_000 });
    const two = new MessageQueue(readers, { maxMessages: 1, maxBytes: 1_000 });
    readers.all.add(one).add(two);
    one.push('a');
    two.push('a');
    expect(holds).toEqual([true]);
    await one.return();
    expect(holds).toEqual([true]);
    expect(readers.anyFull).toBe(true);
    two.end();
    expect(holds).toEqual([true, false]);
    expect(readers.all.size).toBe(0);
    expect(await two.next()).toEqual({ value: 'a', done: false }); // what was read is still the app's
  });
});
