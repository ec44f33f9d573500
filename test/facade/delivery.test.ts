/**
 * Delivery accounting against real servers on 127.0.0.1: a pong (or a close handshake we started)
 * confirms what was written before it; what a dead connection never confirmed is reported, and with
 * `resendUnconfirmed` sent again on the next connection.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OutgoingData } from '../../adapters/contract.ts';
import { closeSockets, socketTo } from '../support/sockets.ts';
import { closeAll, tcpProxy, wsServer } from '../support/servers.ts';
import { nextEvent, sleep, until, waitFor } from '../support/wait.ts';

afterEach(async () => {
  await closeSockets();
  await closeAll();
});

describe('confirmation', () => {
  it('a pong confirms every message written before its ping', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url);
    await until(socket, 'open');
    for (let i = 0; i < 5; i++) socket.send(`m${i}`);
    expect(socket.stats.inFlight).toBe(5);
    await nextEvent(socket, 'pong');
    expect(socket.stats).toMatchObject({ inFlight: 0, confirmed: 5, unconfirmed: 0 });
  });

  it('a close handshake we started confirms everything before it', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url, { heartbeat: false });
    await until(socket, 'open');
    for (let i = 0; i < 3; i++) socket.send(`m${i}`);
    let reported = 0;
    socket.on('unconfirmed', () => reported++);
    await socket.close();
    expect(socket.stats).toMatchObject({ inFlight: 0, confirmed: 3, unconfirmed: 0 });
    expect(reported).toBe(0);
    expect(server.received).toEqual(['m0', 'm1', 'm2']);
  });

  it('many messages without a pong ask for one at half the bound, and again while half full after it', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url, { heartbeat: { interval: 60_000, timeout: 1_000 }, outbox: { maxMessages: 10 } });
    await until(socket, 'open');
    const pongs: number[] = [];
    socket.on('pong', () => pongs.push(socket.stats.confirmed));
    for (let i = 0; i < 10; i++) socket.send(`m${i}`);
    await nextEvent(socket, 'pong', () => socket.stats.confirmed === 10, 2_000);
    // The first ping went out behind m4; the second, asked for as its pong came back, behind m9.
    expect(pongs).toEqual([5, 10]);
  });

  it('without a heartbeat, ping frames still confirm (no liveness deadline): the ledger empties', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url, { heartbeat: false, outbox: { maxMessages: 10 } });
    await until(socket, 'open');
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 5; i++) socket.send(`r${round} m${i}`);
      await waitFor(() => socket.stats.inFlight === 0, 'confirmed');
    }
    expect(socket.stats).toMatchObject({ confirmed: 25, inFlight: 0, state: 'open' });
  });
});

describe('a connection that dies', () => {
  async function blackHoled(resendUnconfirmed: boolean) {
    const server = await wsServer();
    const proxy = await tcpProxy(server.port);
    const socket = socketTo(proxy.url, { resendUnconfirmed });
    await until(socket, 'open');
    socket.send('confirmed');
    await nextEvent(socket, 'pong');
    proxy.blackhole();
    for (const text of ['lost 1', 'lost 2', 'lost 3']) socket.send(text);
    const reported = await nextEvent(socket, 'unconfirmed');
    return { server, proxy, socket, reported };
  }

  it('reports what was written after the last confirmed ping', async () => {
    const { socket, reported } = await blackHoled(false);
    expect(reported).toEqual({ messages: ['lost 1', 'lost 2', 'lost 3'], resent: false });
    expect(socket.stats).toMatchObject({ confirmed: 1, unconfirmed: 3, resent: 0, inFlight: 0, queued: 0 });
  });

  it('with resendUnconfirmed, sends it again first on the next connection (at-least-once, in order)', async () => {
    const { server, proxy, socket, reported } = await blackHoled(true);
    expect(reported.resent).toBe(true);
    expect(socket.stats.queued).toBe(3);
    socket.send('newer');
    proxy.restore();
    await until(socket, 'open');
    await sleep(50);
    expect(server.received).toEqual(['confirmed', 'lost 1', 'lost 2', 'lost 3', 'newer']);
    expect(socket.stats).toMatchObject({ unconfirmed: 3, resent: 3, queued: 0 });
  });

  it('resent messages still unsent when the socket closes for good come back in the close event', async () => {
    const { socket } = await blackHoled(true);
    const info = await socket.close();
    const unsent: readonly OutgoingData[] = info.unsent;
    expect(unsent).toEqual(['lost 1', 'lost 2', 'lost 3']);
  });
});
