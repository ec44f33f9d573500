/**
 * Every DisconnectReason produced for real: the ws adapter and the facade against servers on
 * 127.0.0.1 that fail in each way. Small timers keep the suite fast; the assertions are on the
 * reason, the decision that follows, and the socket's state, never on how fast the machine is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, freePort, rejectingServer, silentTcpServer, tcpProxy, wsServer } from '../support/servers.ts';
import { closeSockets, socketTo } from '../support/sockets.ts';
import { nextDisconnect, nextEvent, until } from '../support/wait.ts';

afterEach(async () => {
  await closeSockets();
  await closeAll();
});

describe('server close frames', () => {
  it.each([
    [1000, 'backing-off', 50],
    [1001, 'backing-off', 50],
    [1011, 'backing-off', 50],
    [1012, 'backing-off', 50],
    [1013, 'backing-off', 200],
    [4001, 'backing-off', 50],
    [1008, 'closed', null],
  ] as const)('close %i -> closed-by-server, then %s', async (code, next, delayMs) => {
    const server = await wsServer();
    const socket = socketTo(server.url);
    const { socket: peer } = await server.nextConnection();
    await until(socket, 'open');
    peer.close(code, 'server says so');
    const event = await nextDisconnect(socket);
    expect(event.reason).toEqual({ type: 'closed-by-server', code, reason: 'server says so' });
    expect(event.to).toBe(next);
    expect(event.delayMs).toBe(delayMs);
    if (next === 'backing-off') {
      await until(socket, 'open');
      expect(server.clients()).toHaveLength(1);
    }
  });
});

describe('transport failures', () => {
  it('server gone without a close frame (all clients terminated) -> connection-lost, reconnects', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url);
    await until(socket, 'open');
    for (const client of server.clients()) client.terminate();
    const event = await nextDisconnect(socket);
    expect(event.reason).toEqual({ type: 'connection-lost', code: 1006 });
    expect(event.to).toBe('backing-off');
    await until(socket, 'open');
  });

  it('connection refused -> network-error ECONNREFUSED, retried with backoff', async () => {
    const socket = socketTo(`ws://127.0.0.1:${await freePort()}`);
    const event = await nextDisconnect(socket);
    expect(event.reason).toMatchObject({ type: 'network-error', code: 'ECONNREFUSED' });
    expect(event.to).toBe('backing-off');
    const again = await nextDisconnect(socket);
    expect(again.attempt).toBe(2);
  });

  it('a server that accepts TCP but never answers the upgrade -> connect-timeout', async () => {
    const server = await silentTcpServer();
    const socket = socketTo(server.url);
    const event = await nextDisconnect(socket);
    expect(event.reason).toEqual({ type: 'connect-timeout', timeoutMs: 500 });
    expect(server.connections()).toBe(1);
  });

  it('a proxy that black-holes both directions, both TCP sockets open -> heartbeat-timeout (half-open)', async () => {
    const server = await wsServer();
    const proxy = await tcpProxy(server.port);
    const socket = socketTo(proxy.url);
    await until(socket, 'open');
    await nextEvent(socket, 'pong');
    proxy.blackhole();
    let closeEvents = 0;
    socket.on('close', () => closeEvents++);
    const event = await nextDisconnect(socket);
    expect(event.reason).toEqual({ type: 'heartbeat-timeout', timeoutMs: 150 });
    expect(event.to).toBe('backing-off');
    expect(closeEvents).toBe(0);
    proxy.restore();
    await until(socket, 'open');
    expect(proxy.connections()).toBe(2);
  });
});

describe('handshake rejections', () => {
  it('401 -> handshake-rejected, stops: closed without gaveUp, no second request', async () => {
    const server = await rejectingServer(401);
    const socket = socketTo(server.url);
    const close = await nextEvent(socket, 'close');
    expect(close.reason).toEqual({ type: 'handshake-rejected', status: 401 });
    expect(close.gaveUp).toBe(false);
    expect(socket.state).toBe('closed');
    expect(server.requests()).toBe(1);
  });

  it('503 with Retry-After: 1 -> waits that long before the next attempt', async () => {
    const server = await rejectingServer(503, { 'Retry-After': '1' });
    const socket = socketTo(server.url);
    const event = await nextEvent(socket, 'reconnecting');
    expect(event.reason).toEqual({ type: 'handshake-rejected', status: 503, retryAfterMs: 1_000 });
    expect(event.delayMs).toBe(1_000);
    // The next attempt is scheduled no earlier than the server asked.
    const started = Date.now();
    await nextEvent(socket, 'state', (e) => e.to === 'connecting');
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(server.requests()).toBe(1);
  });
});

describe('user close', () => {
  it('to a server that never answers the close frame -> close timeout, then terminate', async () => {
    // The proxy swallows our close frame: the server never sees it, so nothing answers.
    const server = await wsServer();
    const proxy = await tcpProxy(server.port);
    const socket = socketTo(proxy.url, { heartbeat: false });
    const { socket: peer } = await server.nextConnection();
    await until(socket, 'open');
    const peerClosed = new Promise<number>((resolve) => peer.on('close', (code) => resolve(code)));
    proxy.blackhole();
    const started = Date.now();
    const info = await socket.close(4000, 'bye');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(info.reason).toEqual({ type: 'closed-by-client', code: 4000, reason: 'bye' });
    expect(socket.state).toBe('closed');
    // Terminated: the TCP connection ends without a close handshake, which the server sees as 1006.
    expect(await peerClosed).toBe(1006);
  });

  it('to a server that answers -> a clean close handshake', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url);
    const { socket: peer } = await server.nextConnection();
    await until(socket, 'open');
    const peerClosed = new Promise<[number, string]>((resolve) => peer.on('close', (code, reason) => resolve([code, reason.toString()])));
    const info = await socket.close(1000, 'done');
    expect(info).toEqual({ reason: { type: 'closed-by-client', code: 1000, reason: 'done' }, gaveUp: false, unsent: [] });
    expect(await peerClosed).toEqual([1000, 'done']);
  });
});
