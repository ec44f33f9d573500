/**
 * `ReconnectingWebSocket` in Node against real servers on 127.0.0.1: the WHATWG surface, the
 * peers' semantics (event order, readyState across reconnects, startClosed, maxRetries, the queue),
 * and what wsmachine adds underneath (the heartbeat, connectionTimeout, typed reasons).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import WS from 'ws';
import { webBinding } from '../../adapters/web.ts';
import { resolveReconnectingOptions } from '../../src/facade/reconnecting-options.ts';
import { ReconnectingWebSocket, type WsmError } from '../../src/index.ts';
import { closeAll, freePort, silentTcpServer, tcpProxy, wsServer } from '../support/servers.ts';
import { closeRws, nextOf, record, rwsTo, waitFor } from '../support/reconnecting.ts';
import { thrown } from '../support/thrown.ts';

afterEach(async () => {
  await closeRws();
  await closeAll();
});

describe('the WHATWG surface', () => {
  it('has the four constants on the class and on instances, and readyState follows the connection', async () => {
    const server = await wsServer({ echo: true });
    expect([
      ReconnectingWebSocket.CONNECTING,
      ReconnectingWebSocket.OPEN,
      ReconnectingWebSocket.CLOSING,
      ReconnectingWebSocket.CLOSED,
    ]).toEqual([0, 1, 2, 3]);
    const rws = rwsTo(server.url);
    expect([rws.CONNECTING, rws.OPEN, rws.CLOSING, rws.CLOSED]).toEqual([0, 1, 2, 3]);
    expect(rws.readyState).toBe(rws.CONNECTING);
    await nextOf(rws, 'open');
    expect(rws.readyState).toBe(rws.OPEN);
    rws.close(1000, 'done');
    expect(rws.readyState).toBe(rws.CLOSING);
    const close = await nextOf(rws, 'close');
    expect(rws.readyState).toBe(rws.CLOSED);
    expect([close.code, close.reason, close.wasClean, close.disconnectReason]).toEqual([
      1000,
      'done',
      true,
      { type: 'closed-by-client', code: 1000, reason: 'done' },
    ]);
  });

  it('reports url, protocol and extensions as negotiated', async () => {
    const server = await wsServer({ handleProtocols: (offered) => [...offered].at(-1) ?? false, perMessageDeflate: true });
    const rws = rwsTo(`${server.url}/feed?x=1`, ['v1', 'v2']);
    expect(rws.url).toBe(`${server.url}/feed?x=1`);
    expect([rws.protocol, rws.extensions]).toEqual(['', '']);
    await nextOf(rws, 'open');
    expect(rws.protocol).toBe('v2');
    expect(rws.extensions).toMatch(/^permessage-deflate/);
  });

  it('calls on<type> handlers before the listeners, honours once and removeEventListener, and dispatchEvent', async () => {
    const server = await wsServer({ echo: true });
    const rws = rwsTo(server.url);
    const calls: string[] = [];
    rws.addEventListener('message', () => calls.push('listener'));
    rws.addEventListener('message', () => calls.push('once'), { once: true });
    const removed = () => calls.push('removed');
    rws.addEventListener('message', removed);
    rws.removeEventListener('message', removed);
    rws.addEventListener('message', { handleEvent: () => calls.push('object') });
    rws.onmessage = function (this: unknown, event) {
      calls.push(`onmessage ${String(event.data)} ${this === rws}`);
    };
    rws.send('a');
    rws.send('b');
    await waitFor(() => calls.length === 7, 'seven calls');
    expect(calls).toEqual(['onmessage a true', 'listener', 'once', 'object', 'onmessage b true', 'listener', 'object']);
    const custom = new Event('custom');
    let seen: Event | undefined;
    rws.addEventListener('custom', (event) => (seen = event));
    expect(rws.dispatchEvent(custom)).toBe(true);
    expect(seen).toBe(custom);
  });

  it('delivers events shaped as the platform: MessageEvent with data, close with code and reason, target the socket', async () => {
    const server = await wsServer({ echo: true });
    const rws = rwsTo(server.url);
    const open = await nextOf(rws, 'open');
    expect(open).toBeInstanceOf(Event);
    expect(open.target).toBe(rws);
    rws.send('hi');
    const message = await nextOf(rws, 'message');
    expect(message).toBeInstanceOf(MessageEvent);
    expect(message.data).toBe('hi');
    server.clients()[0]?.close(4001, 'bye');
    const close = await nextOf(rws, 'close');
    expect(close).toBeInstanceOf(Event);
    expect([close.type, close.code, close.reason, close.wasClean, close.disconnectReason.type]).toEqual([
      'close',
      4001,
      'bye',
      true,
      'closed-by-server',
    ]);
  });

  it('binaryType: blob by default, arraybuffer on demand, anything else refused', async () => {
    const server = await wsServer({ echo: true });
    const rws = rwsTo(server.url);
    expect(rws.binaryType).toBe('blob');
    await nextOf(rws, 'open');
    const bytes = new Uint8Array([1, 2, 3, 250]);
    rws.send(bytes);
    const blob = (await nextOf(rws, 'message')).data as Blob;
    expect(blob).toBeInstanceOf(Blob);
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([1, 2, 3, 250]);
    rws.binaryType = 'arraybuffer';
    rws.send(bytes.buffer);
    const buffer = (await nextOf(rws, 'message')).data as ArrayBuffer;
    expect(buffer).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(buffer)]).toEqual([1, 2, 3, 250]);
    // A Buffer of ws's (a view into a pooled ArrayBuffer) arrives as exactly its own bytes.
    server.clients()[0]?.send(Buffer.from([9, 8]), { binary: true });
    expect([...new Uint8Array((await nextOf(rws, 'message')).data as ArrayBuffer)]).toEqual([9, 8]);
    for (const bad of ['blobs', 'nodebuffer'])
      expect(thrown(() => (rws.binaryType = bad as never))).toMatchObject({ code: 'WSM_INVALID_ARGUMENT' });
    expect(rws.binaryType).toBe('arraybuffer');
  });

  it('bufferedAmount counts what is queued while not open, and empties once flushed', async () => {
    const port = await freePort();
    const rws = rwsTo(`ws://127.0.0.1:${port}`);
    rws.send('12345');
    rws.send(new Uint8Array(10));
    expect(rws.bufferedAmount).toBe(15);
    const server = await wsServer({ port });
    await nextOf(rws, 'open', () => true, 5_000);
    await waitFor(() => server.received.length === 2, 'both received');
    expect(server.received).toEqual(['12345', '<10 bytes>']);
    expect(rws.bufferedAmount).toBe(0);
  });
});

describe('the peers semantics, on the machine', () => {
  it('dispatches open before flushing the queue: what onopen sends goes first; flushBeforeOpen restores the peers order', async () => {
    for (const [flushBeforeOpen, expected] of [
      [false, ['hello from onopen', 'queued 1', 'queued 2']],
      [true, ['queued 1', 'queued 2', 'hello from onopen']],
    ] as const) {
      const server = await wsServer();
      const rws = rwsTo(server.url, undefined, { flushBeforeOpen });
      rws.send('queued 1');
      rws.send('queued 2');
      rws.onopen = () => rws.send('hello from onopen');
      await waitFor(() => server.received.length === 3, 'three received');
      expect(server.received).toEqual(expected);
    }
  });

  it('one close per connection that ends; readyState CLOSED while waiting, CONNECTING while connecting, across a server restart', async () => {
    const server = await wsServer();
    const port = server.port;
    const rws = rwsTo(server.url);
    const log = record(rws);
    await nextOf(rws, 'open');
    await server.close();
    await nextOf(rws, 'close');
    // The server is down: each failed attempt is an error, then a close (1006), as browsers do.
    await nextOf(rws, 'close');
    expect(rws.retryCount).toBeGreaterThanOrEqual(1);
    const back = await wsServer({ port });
    await nextOf(rws, 'open', () => true, 5_000);
    expect(back.clients()).toHaveLength(1);
    const opens = log.filter((l) => l.startsWith('open'));
    expect(opens).toEqual(['open 1', 'open 1']);
    const ends = log.filter((l) => !l.startsWith('open'));
    // The first end: the server's connection lost (no close frame), then refused attempts.
    expect(ends[0]).toBe('error 3');
    expect(ends[1]).toBe('close 1006 3');
    for (let i = 2; i < ends.length; i += 2) expect([ends[i], ends[i + 1]]).toEqual(['error 3', 'close 1006 3']);
    expect(rws.disconnectReason?.type).toBe('network-error');
  });

  it('startClosed: nothing connects, sends are queued, reconnect() connects and flushes', async () => {
    const server = await wsServer();
    let connections = 0;
    server.wss.on('connection', () => connections++);
    const rws = rwsTo(server.url, undefined, { startClosed: true });
    expect([rws.readyState, rws.state]).toEqual([rws.CLOSED, 'closed']);
    rws.send('early');
    expect(rws.bufferedAmount).toBe(5);
    rws.reconnect();
    expect(rws.readyState).toBe(rws.CONNECTING);
    await nextOf(rws, 'open');
    await waitFor(() => server.received.length === 1, 'the queued message');
    expect(server.received).toEqual(['early']);
    // Had the socket connected at construction, reconnect() would have replaced that connection.
    expect(connections).toBe(1);
  });

  it('drainQueuedMessages takes back what is queued, which is then never sent', async () => {
    const port = await freePort();
    const rws = rwsTo(`ws://127.0.0.1:${port}`);
    rws.send('a');
    rws.send(new Uint8Array([1]));
    expect(rws.drainQueuedMessages()).toEqual(['a', new Uint8Array([1])]);
    expect([rws.bufferedAmount, rws.drainQueuedMessages()]).toEqual([0, []]);
    rws.send('b');
    const server = await wsServer({ port });
    await nextOf(rws, 'open', () => true, 5_000);
    await waitFor(() => server.received.length === 1, 'b');
    expect(server.received).toEqual(['b']);
  });

  it('maxRetries spent: CLOSED and no more attempts; reconnect() starts again with a fresh retryCount', async () => {
    const port = await freePort();
    const rws = rwsTo(`ws://127.0.0.1:${port}`, undefined, { maxRetries: 2 });
    let closes = 0;
    rws.addEventListener('close', () => closes++);
    await waitFor(() => rws.state === 'closed', 'closed after the retries');
    expect(closes).toBe(3);
    expect(rws.readyState).toBe(rws.CLOSED);
    expect(rws.stats.attempts).toBe(2);
    rws.send('kept for the next connection');
    const server = await wsServer({ port });
    rws.reconnect();
    expect(rws.retryCount).toBe(0);
    await nextOf(rws, 'open');
    await waitFor(() => server.received.length === 1, 'the queued message');
    expect(closes).toBe(3);
  });

  it('reconnect(code, reason) ends the live connection with one close event carrying them, and connects again', async () => {
    const server = await wsServer();
    const rws = rwsTo(server.url);
    await nextOf(rws, 'open');
    const closes: string[] = [];
    rws.addEventListener('close', (e) => closes.push(`${e.code} ${e.reason} ${rws.readyState}`));
    rws.reconnect(4000, 'switching');
    expect(closes).toEqual(['4000 switching 0']);
    await nextOf(rws, 'open');
    expect(closes).toHaveLength(1);
    expect(thrown(() => rws.reconnect(1001))).toMatchObject({ code: 'WSM_INVALID_CLOSE_CODE' });
  });

  it("close(): the close event reports the server's answer; a handshake that times out is 1006, not clean", async () => {
    const server = await wsServer();
    const proxy = await tcpProxy(server.port);
    const rws = rwsTo(`ws://127.0.0.1:${proxy.port}`, undefined, { closeTimeout: 200 });
    await nextOf(rws, 'open');
    proxy.blackhole();
    rws.close(4000, 'bye');
    expect(rws.readyState).toBe(rws.CLOSING);
    const close = await nextOf(rws, 'close');
    expect([close.code, close.reason, close.wasClean, close.disconnectReason]).toEqual([
      1006,
      '',
      false,
      { type: 'closed-by-client', code: 4000, reason: 'bye' },
    ]);
  });

  it('reconnect() while CLOSING or CONNECTING: one close for the connection it replaces, then a new one', async () => {
    const server = await wsServer();
    const rws = rwsTo(server.url);
    await nextOf(rws, 'open');
    const log = record(rws);
    rws.close(4000, 'leaving');
    expect(rws.readyState).toBe(rws.CLOSING);
    rws.reconnect();
    expect(log).toEqual(['close 1000 0']);
    await nextOf(rws, 'open');
    const silent = await silentTcpServer();
    const hung = rwsTo(silent.url, undefined, { connectionTimeout: 2_000 });
    const hungLog = record(hung);
    await waitFor(() => silent.connections() === 1, 'the first attempt');
    hung.reconnect(4001, 'again');
    expect(hungLog).toEqual(['close 4001 0']);
    await waitFor(() => silent.connections() === 2, 'the second attempt');
    expect(log).toEqual(['close 1000 0', 'open 1']);
  });

  it('syncClose: nothing of the closed connection is dispatched after its close, not even messages in flight', async () => {
    const server = await wsServer({
      onConnection: (socket) => socket.on('message', () => Array.from({ length: 200 }, (_, i) => socket.send(`m${i}`))),
    });
    const rws = rwsTo(server.url, undefined, { syncClose: true });
    await nextOf(rws, 'open');
    const log = record(rws);
    rws.addEventListener('message', () => {
      if (rws.readyState === rws.OPEN) rws.close();
    });
    rws.send('go');
    await waitFor(() => rws.state === 'closed', 'closed');
    expect(log).toEqual(['message 1', 'close 1000 3']);
  });

  it('a listener that throws or rejects does not disturb the socket: an error event (WSM_CALLBACK_ERROR), else console.error', async () => {
    const server = await wsServer({ echo: true });
    const rws = rwsTo(server.url);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      rws.onopen = () => {
        throw new Error('open handler');
      };
      await nextOf(rws, 'open');
      await waitFor(() => logged.mock.calls.length === 1, 'console.error without an error listener');
      const reported = logged.mock.calls[0]?.[0] as WsmError;
      expect([reported.code, reported.message]).toEqual(['WSM_CALLBACK_ERROR', 'wsmachine: onopen threw: open handler']);
      const errors: string[] = [];
      rws.addEventListener('error', (e) =>
        errors.push(`${e.error.message} ${e.disconnectReason === null ? 'null' : e.disconnectReason.type}`),
      );
      rws.addEventListener('message', () => {
        throw new Error('sync');
      });
      rws.addEventListener('message', () => Promise.reject(new Error('async')));
      const after = vi.fn();
      rws.addEventListener('message', after);
      rws.send('x');
      await waitFor(() => errors.length === 2, 'two error events');
      expect(errors.sort()).toEqual(['wsmachine: a message listener threw: async null', 'wsmachine: a message listener threw: sync null']);
      expect(after).toHaveBeenCalledOnce();
      expect(rws.readyState).toBe(rws.OPEN);
    } finally {
      logged.mockRestore();
    }
  });

  it('syncClose: close() dispatches close at once and readyState reads CLOSED (partysocket >= 1.2)', async () => {
    const server = await wsServer();
    const rws = rwsTo(server.url, undefined, { syncClose: true });
    await nextOf(rws, 'open');
    const log = record(rws);
    rws.close(4002, 'now');
    expect(log).toEqual(['close 4002 3']);
    expect(rws.readyState).toBe(rws.CLOSED);
    await waitFor(() => rws.state === 'closed', 'the handshake over');
    expect(log).toEqual(['close 4002 3']);
    rws.close();
    expect(log).toHaveLength(1);
  });

  it('in flight counts too: a server that stops reading fills the bound; drain is dispatched once it reads again', async () => {
    let peer: import('ws').WebSocket | undefined;
    const server = await wsServer({ onConnection: (socket) => (peer = socket) });
    const rws = rwsTo(server.url, undefined, { maxEnqueuedBytes: 64 * 1024 });
    await nextOf(rws, 'open');
    await waitFor(() => peer !== undefined, 'the server side');
    peer?.pause();
    let taken = 0;
    const chunk = new Uint8Array(8 * 1024);
    for (let i = 0; i < 100; i++) {
      try {
        rws.send(chunk);
        taken++;
      } catch (error) {
        expect((error as WsmError).code).toBe('WSM_OUTBOX_FULL');
      }
    }
    expect(taken).toBe(8);
    expect(rws.stats).toMatchObject({ inFlight: 8, inFlightBytes: 64 * 1024 });
    const drained = nextOf(rws, 'drain');
    peer?.resume();
    await drained;
    expect(rws.send(chunk)).toBe(true);
  });

  it('a full queue is reported: send throws WSM_OUTBOX_FULL without taking the message; dropWhenFull drops (send returns false)', async () => {
    const port = await freePort();
    const strict = rwsTo(`ws://127.0.0.1:${port}`, undefined, { maxEnqueuedMessages: 2 });
    expect([strict.send('1'), strict.send('2')]).toEqual([false, false]);
    expect(thrown(() => strict.send('3'))).toMatchObject({ code: 'WSM_OUTBOX_FULL' });
    const lenient = rwsTo(`ws://127.0.0.1:${port}`, undefined, { maxEnqueuedMessages: 1, dropWhenFull: true });
    expect([lenient.send('1'), lenient.send('2')]).toEqual([false, false]);
    expect(lenient.bufferedAmount).toBe(1);
    const server = await wsServer({ port });
    await Promise.all([nextOf(strict, 'open'), nextOf(lenient, 'open')]);
    await waitFor(() => server.received.length === 3, 'what was taken');
    expect(server.received.sort()).toEqual(['1', '1', '2']);
    expect(strict.send('now')).toBe(true);
  });
});

describe('what wsmachine adds underneath', () => {
  it('a hung upgrade is abandoned after connectionTimeout: error, close 1006, disconnectReason connect-timeout; retried', async () => {
    const silent = await silentTcpServer();
    const rws = rwsTo(silent.url, undefined, { connectionTimeout: 200 });
    const log = record(rws);
    const close = await nextOf(rws, 'close');
    expect(close.disconnectReason).toEqual({ type: 'connect-timeout', timeoutMs: 200 });
    expect([close.code, close.wasClean]).toEqual([1006, false]);
    expect(log.slice(0, 2)).toEqual(['error 3', 'close 1006 3']);
    await waitFor(() => silent.connections() >= 2, 'a second attempt');
  });

  it('the heartbeat catches a half-open path (a black hole behind a proxy) and reconnects', async () => {
    const server = await wsServer();
    const proxy = await tcpProxy(server.port);
    const rws = rwsTo(`ws://127.0.0.1:${proxy.port}`, undefined, { heartbeat: { interval: 200, timeout: 100 } });
    await nextOf(rws, 'open');
    proxy.blackhole();
    const close = await nextOf(rws, 'close', () => true, 3_000);
    expect(close.disconnectReason).toEqual({ type: 'heartbeat-timeout', timeoutMs: 100 });
    proxy.restore();
    await nextOf(rws, 'open', () => true, 5_000);
  });

  it('the peers defaults hold without options: exact waits from minReconnectionDelay (drawn per socket in 1-5 s), 4 s to connect', () => {
    const platform = { keys: [], carrier: () => ({ binding: webBinding, own: {}, pingFrames: false }) };
    const draws = [0, 0.999].map((r) => {
      const random = vi.spyOn(Math, 'random').mockReturnValue(r);
      try {
        return resolveReconnectingOptions({}, platform).socket;
      } finally {
        random.mockRestore();
      }
    });
    expect(draws.map((o) => o.backoff?.initial)).toEqual([1_000, 1_000 + 0.999 * 4_000]);
    expect(draws[0]).toMatchObject({
      connectTimeout: 4_000,
      stableAfter: 5_000,
      maxAttempts: Infinity,
      backoff: { max: 10_000, factor: 1.3, jitter: 'none' },
      outbox: { maxMessages: 10_000 },
      // Over a WHATWG WebSocket, a ping needs the server's answer: no heartbeat unless web.ping says it.
      heartbeat: false,
    });
    expect(resolveReconnectingOptions({ web: { ping: 'p' } }, platform).socket.heartbeat).toBeUndefined();
    expect(resolveReconnectingOptions({ maxEnqueuedMessages: Infinity }, platform).socket.outbox).toEqual({
      maxMessages: Number.MAX_SAFE_INTEGER,
    });
    // The peers cap every wait at maxReconnectionDelay, the first one too.
    expect(resolveReconnectingOptions({ minReconnectionDelay: 5_000, maxReconnectionDelay: 2_000 }, platform).socket.backoff).toMatchObject(
      {
        initial: 2_000,
        max: 2_000,
      },
    );
  });

  it('with ws as the WebSocket option, pings are frames; with another class, the heartbeat waits for web.ping', async () => {
    let pings = 0;
    const server = await wsServer({ echo: true, onConnection: (socket) => socket.on('ping', () => pings++) });
    const overWs = rwsTo(server.url, undefined, { WebSocket: WS, heartbeat: { interval: 100, timeout: 80 } });
    await nextOf(overWs, 'open');
    await waitFor(() => pings >= 1, 'a ping frame');
    overWs.close();
    // A plain function is not ws's class: the web adapter drives what it returns, as any WHATWG WebSocket.
    function Whatwg(url: string, protocols?: string | string[]) {
      return new WS(url, protocols);
    }
    const overWeb = rwsTo(server.url, undefined, {
      WebSocket: Whatwg,
      web: { ping: 'are you there' },
      heartbeat: { interval: 100, timeout: 80 },
    });
    await nextOf(overWeb, 'open');
    await waitFor(() => server.received.includes('are you there'), 'the app-level ping');
    expect(thrown(() => rwsTo(server.url, undefined, { WebSocket: Whatwg, headers: { a: 'b' } }))).toMatchObject({
      code: 'WSM_INVALID_OPTION',
      option: 'headers',
    });
  });
});

describe('the last line of defence', () => {
  it('a machine that fails (a clock that throws) ends in close; send and reconnect then refuse with WSM_CLOSED', async () => {
    const server = await wsServer();
    let broken = false;
    const clock = {
      setTimeout: (fn: () => void, ms: number) => {
        if (broken) throw new Error('clock broke');
        return setTimeout(fn, ms);
      },
      clearTimeout: (id: unknown) => clearTimeout(id as NodeJS.Timeout),
    };
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const rws = rwsTo(server.url, undefined, { clock });
      await nextOf(rws, 'open');
      const closed = nextOf(rws, 'close');
      broken = true;
      server.clients()[0]?.close(4000);
      const close = await closed;
      expect(close.disconnectReason).toMatchObject({ type: 'adapter-error', message: expect.stringContaining('clock broke') as unknown });
      expect(rws.readyState).toBe(rws.CLOSED);
      expect(thrown(() => rws.send('lost?'))).toMatchObject({ code: 'WSM_CLOSED' });
      expect(thrown(() => rws.reconnect())).toMatchObject({ code: 'WSM_CLOSED' });
    } finally {
      logged.mockRestore();
    }
  });
});

describe('options, checked at the door', () => {
  it('refuses wsmachine twins of the peers names, bad values and misuse with WSM_* codes', () => {
    const url = 'ws://127.0.0.1:1';
    const cases: [unknown, string, string][] = [
      [{ connectTimeout: 100 }, 'WSM_UNKNOWN_OPTION', 'connectTimeout'],
      [{ maxAttempts: 1 }, 'WSM_UNKNOWN_OPTION', 'maxAttempts'],
      [{ backoff: { initial: 5 } }, 'WSM_UNKNOWN_OPTION', 'backoff.initial'],
      [{ maxRetries: -1 }, 'WSM_INVALID_OPTION', 'maxRetries'],
      [{ reconnectionDelayGrowFactor: 0.5 }, 'WSM_INVALID_OPTION', 'reconnectionDelayGrowFactor'],
      [{ maxEnqueuedMessages: 1.5 }, 'WSM_INVALID_OPTION', 'maxEnqueuedMessages'],
      [{ WebSocket: 'ws' }, 'WSM_INVALID_OPTION', 'WebSocket'],
      [{ web: { ping: 'p' } }, 'WSM_INVALID_OPTION', 'web'],
      [{ debug: true, trace: () => {} }, 'WSM_INVALID_OPTION', 'debug'],
      [{ maxEnqueuedBytes: -1 }, 'WSM_INVALID_OPTION', 'maxEnqueuedBytes'],
    ];
    for (const [options, code, option] of cases) {
      expect(
        thrown(() => new ReconnectingWebSocket(url, [], options as never)),
        JSON.stringify(options),
      ).toMatchObject({ code });
      expect(String((thrown(() => new ReconnectingWebSocket(url, [], options as never)) as Error).message)).toContain(option);
    }
    expect(thrown(() => new ReconnectingWebSocket('http://h.test'))).toMatchObject({ code: 'WSM_INVALID_OPTION', option: 'url' });
    expect(thrown(() => new ReconnectingWebSocket(42 as never))).toMatchObject({ code: 'WSM_INVALID_OPTION', option: 'url' });
    expect(thrown(() => new ReconnectingWebSocket(url, 'your protocol'))).toMatchObject({
      code: 'WSM_INVALID_OPTION',
      option: 'protocols',
    });
    const rws = rwsTo(url, null, { startClosed: true });
    expect(thrown(() => rws.send(42 as never))).toMatchObject({ code: 'WSM_INVALID_ARGUMENT' });
    expect(thrown(() => rws.send(new Blob(['x']) as never))).toMatchObject({ code: 'WSM_INVALID_ARGUMENT', value: 'a Blob' });
    expect(thrown(() => rws.close(1005))).toMatchObject({ code: 'WSM_INVALID_CLOSE_CODE' });
  });
});
