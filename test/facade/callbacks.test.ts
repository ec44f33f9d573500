/**
 * The app's own callbacks fail, against real servers on 127.0.0.1: `shouldReconnect`, `random`,
 * URL and header providers, listeners, `trace`, `inspect`. Each failure becomes an `error` event
 * (`WSM_CALLBACK_ERROR`) or a typed reason; the actor never reaches XState's `error` status, no
 * exception escapes to the host process, `close()` resolves and no connection is left behind.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WsmError } from '../../common/errors.ts';
import type { SocketClock, WsmSocket } from '../../src/index.ts';
import { closeAll, tcpProxy, wsServer } from '../support/servers.ts';
import { closeSockets, socketTo } from '../support/sockets.ts';
import { watchUncaught } from '../support/uncaught.ts';
import { nextDisconnect, nextEvent, sleep, until } from '../support/wait.ts';
import { thrown } from '../support/thrown.ts';

let uncaught: ReturnType<typeof watchUncaught>;
beforeEach(() => {
  uncaught = watchUncaught();
});
afterEach(async () => {
  await closeSockets();
  await closeAll();
  uncaught.stop();
  vi.restoreAllMocks();
});

/** Every `error` event of `socket` from now on. */
function errorsOf(socket: WsmSocket): WsmError[] {
  const errors: WsmError[] = [];
  socket.on('error', (error) => errors.push(error as WsmError));
  return errors;
}

/** After the test's failure: the actor is alive, nothing escaped, close() resolves, the server holds nothing. */
async function expectSurvived(socket: WsmSocket, server: { clients(): unknown[] }): Promise<void> {
  expect(socket.actor.getSnapshot().status).toBe('active');
  expect(uncaught.seen).toEqual([]);
  const info = await socket.close();
  expect(info.reason.type).toBe('closed-by-client');
  for (let i = 0; i < 50 && server.clients().length > 0; i++) await sleep(10);
  expect(server.clients()).toHaveLength(0);
}

describe('shouldReconnect', () => {
  it.each([
    [
      'throws',
      () => {
        throw new Error('policy bug');
      },
      'wsmachine: shouldReconnect threw: policy bug',
    ],
    ['returns undefined', () => undefined, 'wsmachine: shouldReconnect must return a boolean or { retry, delay }, got undefined'],
  ])('%s on a heartbeat timeout (the server stopped answering): the default decision holds', async (_, policy, message) => {
    const server = await wsServer();
    const proxy = await tcpProxy(server.port);
    const socket = socketTo(proxy.url, { heartbeat: { interval: 300, timeout: 100 }, shouldReconnect: policy as never });
    const errors = errorsOf(socket);
    await until(socket, 'open');
    await nextEvent(socket, 'pong');
    proxy.blackhole();
    const event = await nextDisconnect(socket);
    expect(event).toMatchObject({ to: 'backing-off', reason: { type: 'heartbeat-timeout', timeoutMs: 100 } });
    expect(errors.map((e) => [e.code, e.message])).toEqual([['WSM_CALLBACK_ERROR', message]]);
    await expectSurvived(socket, server);
  });
});

describe('random', () => {
  it.each([
    ['returns NaN', () => NaN, 'wsmachine: random must return a number in [0, 1), got NaN'],
    ['returns a negative number', () => -3, 'wsmachine: random must return a number in [0, 1), got -3'],
    [
      'throws',
      () => {
        throw new Error('no entropy');
      },
      'wsmachine: random threw: no entropy',
    ],
  ])('%s: the wait is drawn from Math.random instead, a whole number within the step', async (_, random, message) => {
    const server = await wsServer();
    const socket = socketTo(server.url, { random: random, backoff: { initial: 50, max: 200, jitter: 'full' } });
    const errors = errorsOf(socket);
    const { socket: peer } = await server.nextConnection();
    await until(socket, 'open');
    peer.close(1001);
    const reconnecting = await nextEvent(socket, 'reconnecting');
    expect(Number.isInteger(reconnecting.delayMs)).toBe(true);
    expect(reconnecting.delayMs).toBeGreaterThanOrEqual(0);
    expect(reconnecting.delayMs).toBeLessThan(50);
    expect(errors.map((e) => e.message)).toEqual([message]);
    await until(socket, 'open');
    await expectSurvived(socket, server);
  });
});

describe('providers', () => {
  type Given = { readonly url?: unknown; readonly headers?: unknown };
  it.each<[string, Given, string]>([
    [
      'a URL provider that throws',
      {
        url: () => {
          throw new Error('vault sealed');
        },
      },
      'vault sealed',
    ],
    ['a URL provider that returns a number', { url: () => 42 }, 'wsmachine: the url provider must return a ws:// or wss:// URL, got 42'],
    [
      'a URL provider that returns http://',
      { url: async () => 'http://127.0.0.1:1/' },
      'wsmachine: the url provider must return a ws:// or wss:// URL, got "http://127.0.0.1:1/" (its scheme is http:)',
    ],
    [
      'a header provider that throws',
      {
        headers: () => {
          throw new Error('no token');
        },
      },
      'no token',
    ],
    [
      'a header provider that returns a line break',
      { headers: async () => ({ 'x-a': 'b\r\nc' }) },
      'wsmachine: the headers provider returned headers.x-a, which is not a string of header characters (no line break, no control character, nothing past Latin-1)',
    ],
  ])('%s: an adapter-error reason, retried', async (_, given, message) => {
    const server = await wsServer();
    const socket = socketTo((given.url ?? server.url) as never, given.headers ? { headers: given.headers as never } : {});
    const event = await nextDisconnect(socket);
    expect(event).toMatchObject({ to: 'backing-off', reason: { type: 'adapter-error', message } });
    await expectSurvived(socket, server);
  });
});

describe('listeners, trace and inspect', () => {
  it('a listener that throws with no error listener: console.error, nothing uncaught', async () => {
    const console = vi.spyOn(globalThis.console, 'error').mockImplementation(() => {});
    const server = await wsServer();
    const socket = socketTo(server.url, {
      onOpen: () => {
        throw new Error('open handler bug');
      },
    });
    await until(socket, 'open');
    await sleep(10);
    expect(console).toHaveBeenCalledTimes(1);
    expect(console.mock.calls[0]?.[0]).toMatchObject({
      code: 'WSM_CALLBACK_ERROR',
      message: "wsmachine: the 'open' listener threw: open handler bug",
    });
    await expectSurvived(socket, server);
  });

  it('an error listener that throws: console.error, not a loop', async () => {
    const console = vi.spyOn(globalThis.console, 'error').mockImplementation(() => {});
    const server = await wsServer();
    const socket = socketTo(server.url);
    socket.on('state', () => {
      throw new Error('state handler bug');
    });
    socket.on('error', () => {
      throw new Error('error handler bug');
    });
    await until(socket, 'open');
    await sleep(10);
    expect(console.mock.calls.map((call) => (call[0] as Error).message)).toEqual([
      "wsmachine: the 'error' listener threw: error handler bug",
    ]);
    await expectSurvived(socket, server);
  });

  it('a trace function that throws: an error event per line, the socket carries on', async () => {
    const server = await wsServer({ echo: true });
    const socket = socketTo(server.url, {
      trace: () => {
        throw new Error('log full');
      },
    });
    const errors = errorsOf(socket);
    await until(socket, 'open');
    socket.send('x');
    await nextEvent(socket, 'message');
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(new Set(errors.map((e) => e.message))).toEqual(new Set(['wsmachine: trace threw: log full']));
    await expectSurvived(socket, server);
  });

  it('an inspect observer that throws: error events, the socket still opens', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url, {
      inspect: {
        next: () => {
          throw new Error('inspector gone');
        },
      },
    });
    const errors = errorsOf(socket);
    await until(socket, 'open');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.message).toBe('wsmachine: inspect threw: inspector gone');
    await expectSurvived(socket, server);
  });
});

describe('async callbacks whose promise rejects (found in review)', () => {
  it('an async listener, trace and inspect: their rejections are error events, nothing unhandled', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url, {
      trace: async () => {
        throw new Error('async trace');
      },
      inspect: async () => {
        throw new Error('async inspect');
      },
    });
    const errors = errorsOf(socket);
    socket.on('open', async () => {
      await sleep(1);
      throw new Error('async open listener');
    });
    await until(socket, 'open');
    await sleep(20);
    const messages = new Set(errors.map((e) => e.message));
    expect(messages).toContain("wsmachine: the 'open' listener threw: async open listener");
    expect(messages).toContain('wsmachine: trace threw: async trace');
    expect(messages).toContain('wsmachine: inspect threw: async inspect');
    await expectSurvived(socket, server);
  });

  it('an async shouldReconnect is refused (the decision is needed now), its rejection caught', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url, {
      shouldReconnect: (async () => {
        throw new Error('async policy');
      }) as never,
    });
    const errors = errorsOf(socket);
    const { socket: peer } = await server.nextConnection();
    await until(socket, 'open');
    peer.close(1001);
    const event = await nextDisconnect(socket);
    await sleep(10);
    expect(event.to).toBe('backing-off');
    expect(errors.map((e) => e.message)).toEqual(['wsmachine: shouldReconnect must answer at once, got a promise']);
    await expectSurvived(socket, server);
  });

  it('a URL provider may return any thenable, not only a native promise', async () => {
    const server = await wsServer();
    const socket = socketTo(() => ({ then: (resolve: (url: string) => void) => resolve(server.url) }) as never);
    await until(socket, 'open');
    await expectSurvived(socket, server);
  });
});

describe('the last line of defence', () => {
  it('a clock that throws fails the machine: the socket is released, close and close() still come', async () => {
    const server = await wsServer();
    let broken = false;
    const clock: SocketClock = {
      setTimeout: (fn, ms) => {
        if (broken) throw new Error('clock broke');
        return setTimeout(fn, ms);
      },
      clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
    };
    const console = vi.spyOn(globalThis.console, 'error').mockImplementation(() => {});
    const socket = socketTo(server.url, { clock, resendUnconfirmed: true, heartbeat: { interval: 60_000, timeout: 1_000 } });
    const order: string[] = [];
    for (const name of ['unconfirmed', 'close', 'error', 'message'] as const) socket.on(name, () => order.push(name));
    await until(socket, 'open');
    socket.send('in flight 1');
    socket.send('in flight 2');
    const closed = nextEvent(socket, 'close');
    broken = true;
    socket.probe();
    const info = await closed;
    expect(info.reason).toEqual({ type: 'adapter-error', message: 'wsmachine: the connection machine failed: clock broke' });
    // Nothing lost: the in-flight messages were reported, put back, and handed back with the close.
    expect(info.unsent).toEqual(['in flight 1', 'in flight 2']);
    expect(socket.state).toBe('closed');
    expect(socket.stats).toMatchObject({ queued: 0, inFlight: 0, connectedAt: null });
    await sleep(50);
    expect(order).toEqual(['error', 'unconfirmed', 'close']);
    expect(console).not.toHaveBeenCalled();
    expect(thrown(() => socket.reconnect()).code).toBe('WSM_CLOSED');
    expect(await socket.close()).toBe(info);
    for (let i = 0; i < 50 && server.clients().length > 0; i++) await sleep(10);
    expect(server.clients()).toHaveLength(0);
    expect(uncaught.seen).toEqual([]);
  });

  it('a clock whose now() throws: error events, Date.now in its place, the socket works (found in review)', async () => {
    const server = await wsServer({ echo: true });
    const clock: SocketClock = {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
      now: () => {
        throw new Error('now broke');
      },
    };
    const socket = socketTo(server.url, { clock });
    const errors = errorsOf(socket);
    await until(socket, 'open');
    await nextEvent(socket, 'pong');
    expect(socket.stats.connectedAt).toBeTypeOf('number');
    expect(new Set(errors.map((e) => e.message))).toEqual(new Set(['wsmachine: clock.now threw: now broke']));
    await expectSurvived(socket, server);
  });
});
