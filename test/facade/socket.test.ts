/**
 * The facade against real servers on 127.0.0.1: data path, outbox, events, stats, iteration,
 * connect()/recv(), and messages across a server restart.
 */
import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WsmError } from '../../common/errors.ts';
import { connect, ConnectionClosedError } from '../../src/index.ts';
import { createSocket } from '../../src/index.ts';
import { closeAll, freePort, rejectingServer, wsServer } from '../support/servers.ts';
import { closeSockets, FAST, socketTo } from '../support/sockets.ts';
import { thrown } from '../support/thrown.ts';
import { nextDisconnect, nextEvent, sleep, until } from '../support/wait.ts';

afterEach(async () => {
  await closeSockets();
  await closeAll();
});

describe('data path', () => {
  it('echoes text as strings and binary as bytes', async () => {
    const server = await wsServer({ echo: true });
    const socket = socketTo(server.url);
    await until(socket, 'open');
    const received: (string | Uint8Array)[] = [];
    socket.on('message', (data) => received.push(data));
    socket.send('hello');
    socket.send(new Uint8Array([1, 2, 3]));
    await nextEvent(socket, 'message', () => received.length === 2);
    expect(received[0]).toBe('hello');
    expect(received[1]).toBeInstanceOf(Uint8Array);
    expect([...(received[1] as Uint8Array)]).toEqual([1, 2, 3]);
  });

  it('delivers to option callbacks and to listeners; unsubscribe stops a listener', async () => {
    const server = await wsServer({ echo: true });
    const fromOption: unknown[] = [];
    const socket = socketTo(server.url, { onMessage: (data) => fromOption.push(data), onOpen: (e) => fromOption.push(e) });
    const fromListener: unknown[] = [];
    const off = socket.on('message', (data) => fromListener.push(data));
    await until(socket, 'open');
    socket.send('one');
    await nextEvent(socket, 'message');
    off();
    socket.send('two');
    await nextEvent(socket, 'message');
    expect(fromOption).toEqual([{ protocol: '', extensions: '', attempt: 0 }, 'one', 'two']);
    expect(fromListener).toEqual(['one']);
  });

  it('a listener that throws reaches the error listeners as WSM_CALLBACK_ERROR; the connection carries on', async () => {
    const server = await wsServer({ echo: true });
    const socket = socketTo(server.url);
    const errors: Error[] = [];
    socket.on('error', (error) => errors.push(error));
    const bug = new Error('app bug');
    socket.on('message', () => {
      throw bug;
    });
    await until(socket, 'open');
    socket.send('x');
    await nextEvent(socket, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: 'WSM_CALLBACK_ERROR',
      message: "wsmachine: the 'message' listener threw: app bug",
      cause: bug,
    });
    expect(socket.state).toBe('open');
  });
});

describe('send() checks what it is given', () => {
  it.each([
    ['an object', { hello: 1 }, 'an object'],
    ['a number', 42, '42'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a Blob', new Blob(['x']), 'an object'],
  ])('refuses %s before open and while open, with WSM_INVALID_ARGUMENT, taking nothing', async (_, data, shown) => {
    const server = await wsServer();
    const socket = socketTo(server.url);
    const before = thrown(() => socket.send(data as never));
    expect([before.code, before.message]).toEqual([
      'WSM_INVALID_ARGUMENT',
      `wsmachine: send() takes a string, an ArrayBuffer or a typed array (Uint8Array, Buffer, ...), got ${shown}`,
    ]);
    expect(socket.stats).toMatchObject({ queued: 0, queuedBytes: 0 });
    await until(socket, 'open');
    expect(thrown(() => socket.send(data as never)).code).toBe('WSM_INVALID_ARGUMENT');
    socket.send('good');
    await sleep(50);
    expect(server.received).toEqual(['good']);
  });

  it('a bad message sent before open no longer stops the good ones after it (the flush used to throw inside ws)', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url);
    expect(() => socket.send({ hello: 1 } as never)).toThrow(WsmError);
    socket.send('after it');
    await until(socket, 'open');
    await sleep(50);
    expect(server.received).toEqual(['after it']);
    expect(socket.stats.queuedBytes).toBe(0);
  });

  it('takes every binary form the WHATWG send takes: ArrayBuffer, Buffer, any typed array or DataView', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url);
    socket.send(new Uint16Array([1, 2]));
    socket.send(new DataView(new ArrayBuffer(3)));
    expect(socket.stats).toMatchObject({ queued: 2, queuedBytes: 7 });
    await until(socket, 'open');
    socket.send(new ArrayBuffer(5));
    socket.send(Buffer.from('abc'));
    await sleep(50);
    expect(server.received).toEqual(['<4 bytes>', '<3 bytes>', '<5 bytes>', '<3 bytes>']);
  });
});

describe('outbox', () => {
  it('queues while connecting and flushes in order before any newer message', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url);
    socket.send('1');
    socket.send('2');
    expect(socket.stats.queued).toBe(2);
    socket.on('open', () => socket.send('3'));
    await until(socket, 'open');
    socket.send('4');
    await sleep(50);
    expect(server.received).toEqual(['1', '2', '3', '4']);
    expect(socket.stats.queued).toBe(0);
  });

  it('refuses a message over the count bound with WSM_OUTBOX_FULL, and does not take it', async () => {
    const socket = socketTo(`ws://127.0.0.1:${await freePort()}`, { outbox: { maxMessages: 2 } });
    socket.send('a');
    socket.send('b');
    const error = thrown(() => socket.send('c'));
    expect(error.code).toBe('WSM_OUTBOX_FULL');
    expect(socket.stats.queued).toBe(2);
  });

  it('refuses a message over the byte bound (UTF-8 bytes, not characters)', async () => {
    const socket = socketTo(`ws://127.0.0.1:${await freePort()}`, { outbox: { maxBytes: 10 } });
    socket.send('ééééé');
    expect(socket.stats.queuedBytes).toBe(10);
    expect(thrown(() => socket.send('x')).code).toBe('WSM_OUTBOX_FULL');
  });

  it('hands unsent messages back in the close event when the socket closes for good', async () => {
    const server = await rejectingServer(403);
    const socket = socketTo(server.url);
    socket.send('kept 1');
    socket.send(new Uint8Array([7]));
    const close = await nextEvent(socket, 'close');
    expect(close.reason).toEqual({ type: 'handshake-rejected', status: 403 });
    expect(close.unsent).toEqual(['kept 1', new Uint8Array([7])]);
    expect(socket.stats.queued).toBe(0);
  });

  it('hands them back from close() too, and refuses send on a closed socket with WSM_CLOSED', async () => {
    const socket = socketTo(`ws://127.0.0.1:${await freePort()}`);
    socket.send('never sent');
    const info = await socket.close();
    expect(info.unsent).toEqual(['never sent']);
    const error = thrown(() => socket.send('late'));
    expect(error.code).toBe('WSM_CLOSED');
    expect(error.message).toContain('closed-by-client');
  });

  it('keeps messages across a reconnect: sent while backing off, delivered on the next open', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url);
    const { socket: peer } = await server.nextConnection();
    await until(socket, 'open');
    peer.close(1012);
    await until(socket, 'backing-off');
    socket.send('after restart');
    await until(socket, 'open');
    await sleep(50);
    expect(server.received).toEqual(['after restart']);
  });
});

describe('events and stats', () => {
  it('reports the state timeline with reasons, attempts and delays', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url);
    const timeline: string[] = [];
    socket.on('state', (e) =>
      timeline.push(`${e.from}->${e.to}${e.reason ? ` ${e.reason.type}` : ''}${e.delayMs === null ? '' : ` ${e.delayMs}ms`}`),
    );
    const { socket: peer } = await server.nextConnection();
    await until(socket, 'open');
    peer.close(1001);
    await nextEvent(socket, 'state', (e) => e.to === 'open');
    await socket.close();
    expect(timeline).toEqual([
      'connecting->open',
      'open->backing-off closed-by-server 50ms',
      'backing-off->connecting',
      'connecting->open',
      'open->closing',
      'closing->closed closed-by-client',
    ]);
  });

  it('measures the round trip of real ping frames and counts reconnects', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url);
    const pong = await nextEvent(socket, 'pong');
    expect(pong.rttMs).toBeGreaterThanOrEqual(0);
    expect(socket.stats).toMatchObject({ state: 'open', rttMs: pong.rttMs, reconnects: 0, attempts: 0, queued: 0 });
    expect(socket.stats.lastPongAt).toBeTypeOf('number');
    expect(socket.stats.connectedAt).toBeTypeOf('number');
    for (const client of server.clients()) client.terminate();
    await nextEvent(socket, 'open');
    expect(socket.stats.reconnects).toBe(1);
  });

  it('reports server pings', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url, { heartbeat: false });
    const { socket: peer } = await server.nextConnection();
    await until(socket, 'open');
    peer.ping('hi');
    const data = await nextEvent(socket, 'ping');
    expect(Buffer.from(data).toString()).toBe('hi');
  });

  it('exposes the live actor, and passes the inspect option to it', async () => {
    const server = await wsServer();
    const inspected: string[] = [];
    const socket = socketTo(server.url, { inspect: (event) => inspected.push(event.type) });
    await until(socket, 'open');
    expect(socket.actor.getSnapshot().matches({ live: { connected: 'open' } })).toBe(true);
    expect(inspected).toContain('@xstate.actor');
    expect(inspected).toContain('@xstate.snapshot');
    expect(inspected.filter((t) => t === '@xstate.event').length).toBeGreaterThanOrEqual(2);
  });

  it('trace: transitions with reasons, frame kinds and sizes (never content), pings and pongs, secrets redacted', async () => {
    const server = await wsServer({ echo: true });
    const lines: string[] = [];
    const socket = socketTo(`${server.url}/?token=tr4ceSecret`, { trace: (line) => lines.push(line) });
    const { socket: peer } = await server.nextConnection();
    await until(socket, 'open');
    socket.send('héllo');
    socket.send(new Uint8Array(3));
    await nextEvent(socket, 'message', (m) => typeof m !== 'string');
    await nextEvent(socket, 'pong');
    peer.ping();
    await nextEvent(socket, 'ping');
    peer.close(1001, 'tr4ceSecret bye');
    await until(socket, 'backing-off');
    expect(lines).toEqual(
      expect.arrayContaining([
        'wsmachine: connecting -> open',
        'wsmachine: > text 6 bytes',
        'wsmachine: > binary 3 bytes',
        'wsmachine: < text 6 bytes',
        'wsmachine: < binary 3 bytes',
        'wsmachine: > ping',
        'wsmachine: < ping',
        'wsmachine: open -> backing-off  closed-by-server 1001 "*** bye", retry 1 in 50 ms',
      ]),
    );
    expect(lines.some((l) => /^wsmachine: < pong \d+ ms$/.test(l))).toBe(true);
    expect(lines.join('\n')).not.toContain('tr4ceSecret');
    expect(lines.join('\n')).not.toContain('héllo');
  });

  it('close() then reconnect() in the same tick: close() resolves when the closing socket is replaced, and it connects again', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url);
    await until(socket, 'open');
    const closing = socket.close(4000, 'switching');
    socket.reconnect();
    socket.send('kept for the new connection');
    const info = await Promise.race([closing, sleep(1_000).then(() => 'still pending')]);
    expect(info).toEqual({ reason: { type: 'closed-by-client', code: 4000, reason: 'switching' }, gaveUp: false, unsent: [] });
    await until(socket, 'open');
    await sleep(50);
    expect(server.received).toEqual(['kept for the new connection']);
  });

  it('reconnect() then close() or send() inside a listener of a closed socket: both act on the restart (found in review)', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url, { maxAttempts: 0 });
    const { socket: peer } = await server.nextConnection();
    await until(socket, 'open');
    let closing: Promise<unknown> | undefined;
    socket.on('close', () => {
      if (closing) return;
      socket.reconnect();
      socket.send('for the restarted socket');
      closing = socket.close(4000, 'changed my mind');
    });
    peer.close(1008, 'policy');
    await until(socket, 'closed');
    const info = await Promise.race([closing, sleep(1_000).then(() => 'still pending')]);
    expect(info).toMatchObject({ reason: { type: 'closed-by-client', code: 4000 }, unsent: ['for the restarted socket'] });
    expect(socket.state).toBe('closed');
  });

  it('reconnect() replaces an open socket now', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url);
    await until(socket, 'open');
    socket.reconnect();
    expect(socket.state).toBe('connecting');
    await until(socket, 'open');
    await sleep(20);
    expect(server.clients()).toHaveLength(1);
  });
});

describe('the first events reach the listeners the creator adds', () => {
  it('connect() rejects when the first attempt fails synchronously (a URL provider that throws)', async () => {
    const error = await connect(
      () => {
        throw new Error('no url today');
      },
      { connectTimeout: 500 },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect((error as ConnectionClosedError).reason).toEqual({ type: 'adapter-error', message: 'no url today' });
  });

  it('createSocket: listeners added after it returns hear a synchronous first failure', async () => {
    const socket = createSocket(
      () => {
        throw new Error('no url today');
      },
      { maxAttempts: 0 },
    );
    const states: string[] = [];
    socket.on('state', (e) => states.push(`${e.from}->${e.to}`));
    const close = await nextEvent(socket, 'close', () => true, 1_000);
    expect(close.reason.type).toBe('adapter-error');
    expect(states).toEqual(['connecting->closed']);
  });

  it('reconnect() right after createSocket, then the first attempt fails synchronously: the new attempt carries on', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const server = await wsServer();
    let calls = 0;
    const socket = socketTo(
      () => {
        if (calls++ === 0) throw new Error('first token fetch failed');
        return server.url;
      },
      { maxAttempts: 0 },
    );
    socket.reconnect();
    await until(socket, 'open', 1_000);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('createSocket: the first reconnecting event too', async () => {
    const socket = socketTo(() => {
      throw new Error('no url today');
    });
    const reconnecting = await nextEvent(socket, 'reconnecting', () => true, 1_000);
    expect(reconnecting).toMatchObject({ attempt: 1, reason: { type: 'adapter-error' } });
  });
});

describe('providers', () => {
  it('asks the URL and header providers again on every attempt', async () => {
    const server = await wsServer();
    let n = 0;
    const socket = socketTo(async () => `${server.url}/?attempt=${n}`, {
      headers: async () => ({ 'x-token': `token-${n++}` }),
    });
    const first = await server.nextConnection();
    await until(socket, 'open');
    first.socket.close(1001);
    const second = await server.nextConnection();
    expect([first.request.url, first.request.headers['x-token']]).toEqual(['/?attempt=0', 'token-0']);
    expect([second.request.url, second.request.headers['x-token']]).toEqual(['/?attempt=1', 'token-1']);
  });

  it('a URL provider that rejects is an adapter-error, retried', async () => {
    let calls = 0;
    const socket = socketTo(async () => {
      calls++;
      throw new Error('token service down');
    });
    const event = await nextDisconnect(socket);
    expect(event.reason).toEqual({ type: 'adapter-error', message: 'token service down' });
    await nextDisconnect(socket);
    expect(calls).toBe(2);
  });
});

describe('misuse throws at once, nothing connects', () => {
  it.each([
    ['url', () => createSocket('http://example.test')],
    ['url', () => createSocket(42 as never)],
    ['heartbeat.interval', () => createSocket('ws://127.0.0.1:1', { heartbeat: { interval: 100, timeout: 100 } })],
    ['outbox.maxMessages', () => createSocket('ws://127.0.0.1:1', { outbox: { maxMessages: -1 } })],
    ['onMessage', () => createSocket('ws://127.0.0.1:1', { onMessage: 'x' as never })],
    ['protocols', () => createSocket('ws://127.0.0.1:1', { protocols: ['ok', 'not ok'] })],
    ['protocols', () => createSocket('ws://127.0.0.1:1', { protocols: ['v1', 'v1'] })],
    ['headers', () => createSocket('ws://127.0.0.1:1', { headers: { 'bad name': 'x' } })],
    ['headers.X-Evil', () => createSocket('ws://127.0.0.1:1', { headers: { 'X-Evil': 'a\r\nInjected: yes' } })],
    ['ws', () => createSocket('ws://127.0.0.1:1', { ws: 5 as never })],
    ['adapter', () => createSocket('ws://127.0.0.1:1', { adapter: (() => {}) as never })],
    ['clock', () => createSocket('ws://127.0.0.1:1', { clock: {} as never })],
    ['inspect', () => createSocket('ws://127.0.0.1:1', { inspect: 3 as never })],
    ['resendUnconfirmed', () => createSocket('ws://127.0.0.1:1', { resendUnconfirmed: 'yes' as never })],
    ['trace', () => createSocket('ws://127.0.0.1:1', { trace: 'verbose' as never })],
    ['outbox.maxBytes', () => createSocket('ws://127.0.0.1:1', { outbox: { maxBytes: 1.5 } })],
    // Static URLs by the WHATWG parser, as ws and browsers read them: each of these used to pass
    // construction and fail every attempt as an adapter-error, retried forever.
    ['url', () => createSocket('ws://')],
    ['url', () => createSocket('ws://127.0.0.1:99999/')],
    ['url', () => createSocket('ws://bad host/')],
    ['url', () => createSocket('ws://127.0.0.1:1/#part')],
    ['url', () => createSocket(new URL('https://example.test/'))],
    ['ws.protocolVersion', () => createSocket('ws://127.0.0.1:1', { ws: { protocolVersion: 7 } })],
    ['ws.agent', () => createSocket('ws://127.0.0.1:1', { ws: { agent: 5 as never } })],
    ['ws.handshakeTimeout', () => createSocket('ws://127.0.0.1:1', { ws: { handshakeTimeout: -1 } })],
    ['ws.headers', () => createSocket('ws://127.0.0.1:1', { ws: { headers: { 'a b': 'c' } } })],
    ['ws.origin', () => createSocket('ws://127.0.0.1:1', { ws: { origin: 'x\r\ny' } })],
    // Found in review: what Node's http.request refuses on every attempt, refused once here.
    ['headers.X-Nul', () => createSocket('ws://127.0.0.1:1', { headers: { 'X-Nul': 'a\u0000b' } })],
    ['headers.X-Euro', () => createSocket('ws://127.0.0.1:1', { headers: { 'X-Euro': '5 €' } })],
    ['ws.maxHeaderSize', () => createSocket('ws://127.0.0.1:1', { ws: { maxHeaderSize: -1 } as never })],
    ['ws.signal', () => createSocket('ws://127.0.0.1:1', { ws: { signal: {} } as never })],
    ['ws.insecureHTTPParser', () => createSocket('ws://127.0.0.1:1', { ws: { insecureHTTPParser: 'yes' } as never })],
    ['ws.localPort', () => createSocket('ws://127.0.0.1:1', { ws: { localPort: 'x' } as never })],
  ])('%s', (option, make) => {
    const error = thrown(make);
    expect(error.code).toBe('WSM_INVALID_OPTION');
    expect(error.option).toBe(option);
  });

  it('shows a value of the wrong type as it is (a string quoted)', () => {
    expect(thrown(() => createSocket('ws://127.0.0.1:1', { outbox: { maxMessages: '10' as never } })).message).toBe(
      'wsmachine: option outbox.maxMessages must be a whole number >= 0, got "10"',
    );
  });

  it('says why a URL was refused', () => {
    expect(thrown(() => createSocket('ws://127.0.0.1:99999/')).message).toBe(
      'wsmachine: option url must be a ws:// or wss:// URL, or a function returning one; got "ws://127.0.0.1:99999/" (it does not parse)',
    );
    expect(thrown(() => createSocket('wss://h.test/#x')).message).toContain('(it has a #fragment)');
    expect(thrown(() => createSocket('http://h.test/')).message).toContain('(its scheme is http:)');
    expect(thrown(() => createSocket('ws://127.0.0.1:1', { ws: { protocolVersion: 7 } })).message).toBe(
      'wsmachine: option ws.protocolVersion must be 8 or 13, got 7',
    );
  });

  it('connect() with maxAttempts: undefined still never retries (found in review: it retried forever, pending)', async () => {
    const error = await connect(`ws://127.0.0.1:${await freePort()}`, { maxAttempts: undefined } as never).catch((e: unknown) => e);
    expect((error as ConnectionClosedError).reason).toMatchObject({ type: 'network-error', code: 'ECONNREFUSED' });
  });

  it('connect() rejects at once with the same errors, for await and .catch() alike', async () => {
    await expect(connect('ws://127.0.0.1:99999/', { connectTimeout: 500 })).rejects.toMatchObject({
      code: 'WSM_INVALID_OPTION',
      option: 'url',
    });
    await expect(connect('ws://127.0.0.1:1', { ws: { protocolVersion: 7 } })).rejects.toMatchObject({ option: 'ws.protocolVersion' });
    await expect(connect('ws://127.0.0.1:1', null as never)).rejects.toMatchObject({ code: 'WSM_INVALID_OPTION', option: 'options' });
  });

  it('an unknown option names the nearest', () => {
    expect(thrown(() => createSocket('ws://127.0.0.1:1', { protocol: 'x' } as never)).message).toContain('did you mean protocols?');
  });

  it('a bad close code', async () => {
    const socket = socketTo(`ws://127.0.0.1:${await freePort()}`);
    expect(() => socket.close(1006)).toThrow(WsmError);
  });

  it('the URL in an error message has its credentials and query values masked', () => {
    const error = thrown(() => createSocket('http://user:secret@host/?token=abc'));
    expect(error.message).not.toContain('secret');
    expect(error.message).not.toContain('abc');
  });
});

describe('for await', () => {
  it('yields messages in order and ends when the socket closes for good', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url);
    const { socket: peer } = await server.nextConnection();
    await until(socket, 'open');
    for (const text of ['a', 'b', 'c']) peer.send(text);
    setTimeout(() => peer.close(1008, 'policy'), 50);
    const got: unknown[] = [];
    for await (const message of socket) got.push(message);
    expect(got).toEqual(['a', 'b', 'c']);
    expect(socket.state).toBe('closed');
  });
});

describe('connect()', () => {
  it('round trip: resolves when open, recv() takes messages in order, close() resolves when closed', async () => {
    const server = await wsServer({ echo: true });
    const connection = await connect(server.url, FAST);
    connection.send('ping 1');
    connection.send('ping 2');
    expect(await connection.recv()).toBe('ping 1');
    expect(await connection.recv()).toBe('ping 2');
    const info = await connection.close();
    expect(info.reason.type).toBe('closed-by-client');
    await expect(connection.recv()).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('rejects with the reason when the server refuses, without retrying', async () => {
    const server = await rejectingServer(503, { 'Retry-After': '5' });
    const error = await connect(server.url, FAST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionClosedError);
    expect((error as ConnectionClosedError).code).toBe('WSM_CONNECTION_CLOSED');
    expect((error as ConnectionClosedError).reason).toEqual({ type: 'handshake-rejected', status: 503, retryAfterMs: 5_000 });
    // Nothing was given up: connect() never reconnects (maxAttempts 0), so no retry was ever allowed.
    expect((error as ConnectionClosedError).gaveUp).toBe(false);
    expect(server.requests()).toBe(1);
  });

  it('a clean 1000 close from the server ends it without gaveUp (connect() never retries, so gives nothing up)', async () => {
    const server = await wsServer();
    const connection = await connect(server.url, FAST);
    for (const client of server.clients()) client.close(1000, 'done');
    const error = (await connection.recv().catch((e: unknown) => e)) as ConnectionClosedError;
    expect([error.reason, error.gaveUp]).toEqual([{ type: 'closed-by-server', code: 1000, reason: 'done' }, false]);
  });

  it('recv() rejects with the reason when the server goes away', async () => {
    const server = await wsServer();
    const connection = await connect(server.url, FAST);
    const pending = connection.recv();
    for (const client of server.clients()) client.close(1001, 'bye');
    const error = await pending.catch((e: unknown) => e);
    expect((error as ConnectionClosedError).reason).toEqual({ type: 'closed-by-server', code: 1001, reason: 'bye' });
  });
});

describe('across a server restart', () => {
  it('numbered messages every 10 ms for 3 s, server down for 1 s: each arrives exactly once, in order', async () => {
    let server = await wsServer();
    const port = server.port;
    const socket = socketTo(server.url, { backoff: { initial: 100, max: 200, jitter: 'full' } });
    await until(socket, 'open');
    let sent = 0;
    const sender = setInterval(() => socket.send(String(sent++)), 10);
    try {
      await sleep(1_000);
      // A restart as servers do it: close every client with 1012 (service restart), stop, start again.
      for (const client of server.clients()) client.close(1012, 'restart');
      await Promise.all(server.clients().map((c) => once(c, 'close')));
      const before = [...server.received];
      await server.close();
      await sleep(1_000);
      server = await wsServer({ port });
      await sleep(1_000);
      clearInterval(sender);
      await until(socket, 'open', 2_000);
      await sleep(100);
      const all = [...before, ...server.received];
      expect(socket.stats.queued).toBe(0);
      expect(all).toEqual(Array.from({ length: sent }, (_, i) => String(i)));
      expect(sent).toBeGreaterThan(150);
    } finally {
      clearInterval(sender);
    }
  });
});
