/**
 * The web adapter and the browser entry in Node, with a scripted WebSocket double (the real browser
 * run is test/browser/web-adapter.test.ts): what it sends, what it consumes, what it reports.
 */
import { describe, expect, it } from 'vitest';
import { createSocket, watchEnvironment, type EventTargetLike } from '../../src/browser.ts';
import type { WsmSocket } from '../../src/index.ts';
import { VirtualClock } from '../../src/testing/virtual-clock.ts';
import { thrown } from '../support/thrown.ts';

class FakeWebSocket {
  static last: FakeWebSocket | undefined;
  readyState = 0;
  protocol = '';
  bufferedAmount = 0;
  binaryType = 'blob';
  readonly sent: unknown[] = [];
  readonly closes: unknown[][] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(
    readonly url: string,
    readonly protocols: string | string[] = [],
  ) {
    FakeWebSocket.last = this;
  }
  send(data: unknown): void {
    this.sent.push(data);
  }
  close(...args: unknown[]): void {
    this.closes.push(args);
    this.readyState = 2;
  }
  // The server's side of the script:
  open(protocol = ''): void {
    this.readyState = 1;
    this.protocol = protocol;
    this.onopen?.({});
  }
  receive(data: unknown): void {
    this.onmessage?.({ data });
  }
  closed(code: number, wasClean: boolean, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason, wasClean });
  }
}

const current = () => FakeWebSocket.last as FakeWebSocket;

/** After the actor's start and the failures an adapter reports on a microtask. */
const settled = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A socket over the scripted WebSocket, once its actor has started (on the microtask after creation). */
async function start(options: Parameters<typeof createSocket>[1] = {}) {
  const clock = new VirtualClock();
  const messages: unknown[] = [];
  const socket = createSocket('ws://feed.test/v1', {
    heartbeat: { interval: 1_000, timeout: 400 },
    backoff: { initial: 100, max: 100, jitter: 'none' },
    clock,
    ...options,
    web: { WebSocket: FakeWebSocket, ...options.web },
  });
  socket.on('message', (m) => messages.push(m));
  await Promise.resolve();
  return { socket, clock, messages };
}

describe('web adapter', () => {
  it('opens with the chosen subprotocol and asks for binary as ArrayBuffer', async () => {
    const { socket } = await start({ protocols: ['v1', 'v2'] });
    expect(current().url).toBe('ws://feed.test/v1');
    expect(current().protocols).toEqual(['v1', 'v2']);
    expect(current().binaryType).toBe('arraybuffer');
    const opens: unknown[] = [];
    socket.on('open', (e) => opens.push(e));
    current().open('v2');
    expect(socket.state).toBe('open');
    expect(opens).toEqual([{ protocol: 'v2', extensions: '', attempt: 0 }]);
  });

  it('pings with an application message; the pong is consumed, measured, and confirms what was sent before', async () => {
    const { socket, clock, messages } = await start();
    current().open();
    socket.send('order 1');
    clock.advance(1_000);
    expect(socket.state).toBe('awaiting-pong');
    expect(current().sent).toEqual(['order 1', 'ping']);
    clock.advance(7);
    current().receive('pong');
    expect(socket.state).toBe('open');
    expect(messages).toEqual([]);
    expect(socket.stats).toMatchObject({ rttMs: 7, confirmed: 1, inFlight: 0 });
  });

  it('a WebSocket that answers inside send() (a test double, a loopback polyfill) still proves liveness', async () => {
    class EagerWebSocket extends FakeWebSocket {
      override send(data: unknown): void {
        super.send(data);
        if (data === 'ping') this.receive('pong');
      }
    }
    const { socket, clock } = await start({ web: { WebSocket: EagerWebSocket } });
    current().open();
    clock.advance(1_000);
    expect(socket.state).toBe('open');
    expect(socket.stats.rttMs).toBe(0);
    clock.advance(900);
    expect(socket.state).toBe('open');
  });

  it('uses the app protocol given: a ping function and a pong predicate', async () => {
    const { socket, clock, messages } = await start({
      web: { ping: () => '{"op":"ping"}', isPong: (d) => typeof d === 'string' && d.includes('"pong"') },
    });
    current().open();
    clock.advance(1_000);
    expect(current().sent).toEqual(['{"op":"ping"}']);
    current().receive('{"op":"pong"}');
    expect(messages).toEqual([]);
    expect(socket.state).toBe('open');
  });

  it.each([
    [
      'web.ping throws',
      {
        ping: () => {
          throw new Error('no ping');
        },
      },
      'wsmachine: web.ping threw: no ping',
    ],
    ['web.ping returns a number', { ping: () => 42 as never }, 'wsmachine: web.ping must return a string, got 42'],
    [
      'web.isPong throws',
      {
        isPong: () => {
          throw new Error('bad parse');
        },
      },
      'wsmachine: web.isPong threw: bad parse',
    ],
    ['web.isPong is async', { isPong: (async () => true) as never }, 'wsmachine: web.isPong must answer at once, got a promise'],
  ])('%s: the socket fails as an adapter-error (retried), nothing escapes', async (_, web, message) => {
    const { socket, clock, messages } = await start({ web });
    current().open();
    clock.advance(1_000);
    current().receive('pong');
    expect(socket.actor.getSnapshot().context.reason).toEqual({ type: 'adapter-error', message });
    // The frame that made the attempt fail is not handed to the app afterwards.
    expect(messages).toEqual([]);
    expect(socket.state).toBe('backing-off');
    expect(socket.actor.getSnapshot().status).toBe('active');
  });

  it('a URL provider whose error quotes a URL with credentials: the reason has them masked', async () => {
    const socket = createSocket(
      () => {
        throw new Error('refresh failed for wss://tok3nUser@feed.test/?access-token=s3cretVal&room=1');
      },
      { maxAttempts: 0, web: { WebSocket: FakeWebSocket } },
    );
    await settled();
    expect(socket.actor.getSnapshot().context.reason).toEqual({
      type: 'adapter-error',
      message: 'refresh failed for wss://***@feed.test/?access-token=***&room=1',
    });
  });

  it('a URL provider is held to the static URL rule on every attempt', async () => {
    const socket = createSocket(() => 'https://feed.test/', { maxAttempts: 0, web: { WebSocket: FakeWebSocket } });
    await settled();
    expect(socket.actor.getSnapshot().context.reason).toEqual({
      type: 'adapter-error',
      message: 'wsmachine: the url provider must return a ws:// or wss:// URL, got "https://feed.test/" (its scheme is https:)',
    });
  });

  it('delivers other messages (binary as bytes) and counts them as liveness, not as delivery proof', async () => {
    const { socket, clock, messages } = await start();
    current().open();
    socket.send('x');
    clock.advance(1_000);
    current().receive(new Uint8Array([1, 2]).buffer);
    current().receive('news');
    expect(socket.state).toBe('open');
    expect(messages).toEqual([new Uint8Array([1, 2]), 'news']);
    expect(socket.stats.confirmed).toBe(0);
    // A pong that comes after another message still confirms.
    current().receive('pong');
    expect(socket.stats.confirmed).toBe(1);
  });

  it.each([
    [1001, true, { type: 'closed-by-server', code: 1001, reason: 'bye' }],
    [1006, false, { type: 'connection-lost', code: 1006 }],
  ] as const)('a close %i (clean: %s) is %j', async (code, wasClean, reason) => {
    const { socket } = await start();
    current().open();
    current().closed(code, wasClean, 'bye');
    expect(socket.actor.getSnapshot().context.reason).toEqual(reason);
    expect(socket.state).toBe('backing-off');
  });

  it('a failure before open (browsers hide the cause) is connection-lost, retried', async () => {
    const { socket } = await start();
    current().onerror?.({});
    current().closed(1006, false);
    expect(socket.actor.getSnapshot().context.reason).toEqual({ type: 'connection-lost', code: 1006 });
  });

  it('terminate is close(), and nothing of the old socket reaches the machine afterwards', async () => {
    const { socket, clock } = await start();
    current().open();
    const old = current();
    clock.advance(1_400);
    expect(socket.actor.getSnapshot().context.reason).toEqual({ type: 'heartbeat-timeout', timeoutMs: 400 });
    expect(old.closes).toEqual([[]]);
    expect(old.onclose).toBeNull();
    expect(socket.state).toBe('backing-off');
  });

  it('a close handshake it started and the server finished confirms everything in flight', async () => {
    const { socket } = await start();
    current().open();
    socket.send('a');
    const closing = socket.close(4000, 'done');
    expect(current().closes).toEqual([[4000, 'done']]);
    current().closed(4000, true, 'done');
    await closing;
    expect(socket.stats).toMatchObject({ confirmed: 1, unconfirmed: 0 });
  });

  it('a full reader cannot stop a WebSocket from reading: no pause, the heartbeat keeps running, the reader keeps all', async () => {
    const { socket, clock } = await start({ inbox: { maxMessages: 2 } });
    const reader = socket[Symbol.asyncIterator]();
    current().open();
    for (let i = 0; i < 5; i++) current().receive(`m${i}`);
    expect(socket.state).toBe('open');
    expect(socket.stats.unread).toBe(5);
    clock.advance(1_000);
    expect(socket.state).toBe('awaiting-pong');
    expect((await reader.next()).value).toBe('m0');
  });

  it('without a WebSocket in the runtime (Node 20) the attempt fails as adapter-error', async () => {
    const socket = createSocket('ws://feed.test', { maxAttempts: 0, web: {} });
    await settled();
    expect(socket.actor.getSnapshot().context.reason).toEqual({
      type: 'adapter-error',
      message: 'wsmachine: this runtime has no WebSocket; pass web.WebSocket',
    });
  });

  it('refuses the options only Node can honour', () => {
    expect(thrown(() => createSocket('ws://x.test', { headers: { a: 'b' } } as never)).option).toBe('headers');
    expect(thrown(() => createSocket('ws://x.test', { ws: {} } as never)).option).toBe('ws');
    expect(thrown(() => createSocket('ws://x.test', { web: { isPong: 'pong' as never } })).option).toBe('web.isPong');
  });
});

describe('watchEnvironment', () => {
  function fakeWindow() {
    const listeners = new Map<string, Set<() => void>>();
    const target = (key: string) => ({
      addEventListener: (type: string, fn: () => void) =>
        (listeners.get(`${key}:${type}`) ?? listeners.set(`${key}:${type}`, new Set()).get(`${key}:${type}`)!).add(fn),
      removeEventListener: (type: string, fn: () => void) => listeners.get(`${key}:${type}`)?.delete(fn),
    });
    const document = { ...target('document'), visibilityState: 'visible' };
    const window: EventTargetLike = { ...target('window'), document };
    const fire = (key: string) => listeners.get(key)?.forEach((fn) => fn());
    const count = () => [...listeners.values()].reduce((n, set) => n + set.size, 0);
    return { window, document, fire, count };
  }

  it('offline drops the socket, online connects now, a visible page probes at once; the returned function stops it all', async () => {
    const { socket }: { socket: WsmSocket } = await start();
    current().open();
    const env = fakeWindow();
    const stop = watchEnvironment(socket, env.window);
    expect(env.count()).toBe(3);

    env.fire('document:visibilitychange');
    expect(socket.state).toBe('awaiting-pong');
    current().receive('pong');
    env.document.visibilityState = 'hidden';
    env.fire('document:visibilitychange');
    expect(socket.state).toBe('open');

    env.fire('window:offline');
    expect(socket.actor.getSnapshot().context.reason).toEqual({ type: 'offline' });
    expect(socket.state).toBe('backing-off');
    env.fire('window:online');
    expect(socket.state).toBe('connecting');

    stop();
    expect(env.count()).toBe(0);
  });
});
