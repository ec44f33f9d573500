/**
 * Send-side backpressure against a real server that stops reading (its side paused, so its TCP
 * window fills): `send` refuses at the bound of what the socket holds (queued and in flight),
 * memory stays near that bound, `drain` comes once the server reads again, and every message the
 * app handed over ends confirmed, in order. Bounds on counts and bytes, never on time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { WsmError } from '../../common/errors.ts';
import { closeSockets, socketTo } from '../support/sockets.ts';
import { closeAll, freePort, wsServer } from '../support/servers.ts';
import { nextEvent, until, waitFor } from '../support/wait.ts';
import { thrown } from '../support/thrown.ts';

afterEach(async () => {
  await closeSockets();
  await closeAll();
});

const KIB = 1024;

describe.each([
  ['with the heartbeat (its probe confirms)', { interval: 60_000, timeout: 30_000 }],
  ['without a heartbeat (bare ping frames confirm)', false],
] as const)('a server that stops reading, %s', (_, heartbeat) => {
  it('send refuses at the bound, memory stays near it, drain follows the server reading again, nothing is lost', async () => {
    let peer: WebSocket | undefined;
    const order: number[] = [];
    const server = await wsServer({
      onConnection: (socket) => {
        peer = socket;
        socket.on('message', (data: Buffer) => order.push(data.readUInt32BE(0)));
      },
    });
    const socket = socketTo(server.url, { heartbeat, outbox: { maxBytes: 256 * KIB } });
    await until(socket, 'open');
    await waitFor(() => peer !== undefined, 'the server side');
    peer?.pause();

    const message = (n: number) => {
      const bytes = new Uint8Array(16 * KIB);
      new DataView(bytes.buffer).setUint32(0, n);
      return bytes;
    };
    let accepted = 0;
    let refused = 0;
    const rssBefore = process.memoryUsage().rss;
    // 4 000 attempts of 16 KiB: 64 MB had every send been taken. A refused message stays the app's
    // (it is offered again), so what the process allocates is what the socket took.
    let next = message(0);
    for (let i = 0; i < 4_000; i++) {
      try {
        socket.send(next);
        accepted++;
        next = message(accepted);
      } catch (error) {
        expect((error as WsmError).code).toBe('WSM_OUTBOX_FULL');
        refused++;
      }
    }
    const growth = process.memoryUsage().rss - rssBefore;
    // The loop is synchronous: nothing is confirmed meanwhile, so the bound takes exactly 16 of 16 KiB.
    expect(accepted).toBe(16);
    expect(refused).toBe(4_000 - 16);
    expect(socket.writable).toBe(false);
    expect(growth).toBeLessThan(32 * 1024 * KIB);

    const drained = nextEvent(socket, 'drain', () => true, 10_000);
    peer?.resume();
    await drained;
    expect(socket.writable).toBe(true);
    // Whatever the app holds back goes now, until the bound again; then everything is confirmed.
    for (let i = 0; i < 8; i++) {
      socket.send(message(accepted));
      accepted++;
    }
    await waitFor(() => socket.stats.confirmed === accepted, `all ${accepted} confirmed`, 10_000);
    expect(socket.stats).toMatchObject({ inFlight: 0, queued: 0, unconfirmed: 0 });
    await waitFor(() => order.length === accepted, 'all received');
    expect(order).toEqual(Array.from({ length: accepted }, (_, i) => i));
  }, 20_000);
});

describe('the bound and its drain, path by path', () => {
  const quiet = { interval: 60_000, timeout: 30_000 };

  it('a connection that ends frees the bound it held: unconfirmed reported, then drain', async () => {
    const server = await wsServer();
    let peer: WebSocket | undefined;
    server.wss.on('connection', (s) => (peer = s));
    const socket = socketTo(server.url, { heartbeat: quiet, outbox: { maxMessages: 4 } });
    await until(socket, 'open');
    await waitFor(() => peer !== undefined, 'the server side');
    peer?.pause();
    for (let i = 0; i < 4; i++) socket.send(`m${i}`);
    expect(thrown(() => socket.send('one too many'))).toMatchObject({ code: 'WSM_OUTBOX_FULL' });
    const drained = nextEvent(socket, 'drain');
    const unconfirmed = nextEvent(socket, 'unconfirmed');
    peer?.terminate();
    expect((await unconfirmed).messages).toEqual(['m0', 'm1', 'm2', 'm3']);
    await drained;
    expect(socket.writable).toBe(true);
  });

  it('refused while disconnected: the queue flushed on the next open is confirmed at once, and drain follows', async () => {
    const port = await freePort();
    const socket = socketTo(`ws://127.0.0.1:${port}`, { heartbeat: quiet, outbox: { maxMessages: 4 } });
    for (let i = 0; i < 4; i++) socket.send(`q${i}`);
    expect(thrown(() => socket.send('q4'))).toMatchObject({ code: 'WSM_OUTBOX_FULL' });
    const drained = nextEvent(socket, 'drain', () => true, 5_000);
    const server = await wsServer({ port });
    await drained;
    expect(server.received).toEqual(['q0', 'q1', 'q2', 'q3']);
  });

  it('a producer that refills inside its drain listener keeps going (the next confirmation is asked for)', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url, { heartbeat: quiet, outbox: { maxMessages: 20 } });
    await until(socket, 'open');
    let sent = 0;
    // Fills until refused, inside the drain listener too (synchronously, as a producer does).
    const fill = () => {
      try {
        for (; sent < 400; sent++) socket.send(`n${sent}`);
      } catch (error) {
        expect((error as WsmError).code).toBe('WSM_OUTBOX_FULL');
      }
    };
    socket.on('drain', fill);
    fill();
    await waitFor(() => socket.stats.confirmed === 400, 'all 400 confirmed');
    expect(server.received).toHaveLength(400);
  });

  it('one message larger than the bound is taken by a socket that holds nothing, refused by one that holds something', async () => {
    const server = await wsServer();
    const socket = socketTo(server.url, { heartbeat: quiet, outbox: { maxBytes: 1_000 } });
    await until(socket, 'open');
    expect(socket.send(new Uint8Array(5_000))).toBe(true);
    expect(thrown(() => socket.send(new Uint8Array(10)))).toMatchObject({ code: 'WSM_OUTBOX_FULL' });
    await nextEvent(socket, 'drain');
    expect(socket.stats).toMatchObject({ inFlight: 0, confirmed: 1 });
  });

  it('a server that answers only the first ping is caught by the next, asked for while still half full', async () => {
    let answered = 0;
    const server = await wsServer({ autoPong: false, onConnection: (s) => s.on('ping', (data) => answered++ === 0 && s.pong(data)) });
    const socket = socketTo(server.url, { heartbeat: { interval: 60_000, timeout: 300 }, outbox: { maxMessages: 10 } });
    await until(socket, 'open');
    // A ping goes out behind m4 (half the bound); its pong leaves m5-m9 in flight, still half: the next ping.
    for (let i = 0; i < 10; i++) socket.send(`m${i}`);
    const end = await nextEvent(socket, 'state', (e) => e.to === 'backing-off', 3_000);
    expect(end.reason).toEqual({ type: 'heartbeat-timeout', timeoutMs: 300 });
  });

  it('a producer that stops on writable (no refusal) still hears drain; a server answering every ping twice causes no storm', async () => {
    let pings = 0;
    const server = await wsServer({
      autoPong: false,
      onConnection: (s) =>
        s.on('ping', (data) => {
          pings++;
          s.pong(data);
          s.pong(data);
        }),
    });
    const socket = socketTo(server.url, { heartbeat: { interval: 60_000, timeout: 5_000 }, outbox: { maxMessages: 100 } });
    await until(socket, 'open');
    let sent = 0;
    socket.on('drain', () => {
      while (sent < 2_000 && socket.writable) socket.send(`m${sent++}`);
    });
    while (sent < 2_000 && socket.writable) socket.send(`m${sent++}`);
    await waitFor(() => socket.stats.confirmed === 2_000, 'all confirmed', 10_000);
    // One confirmation per half window (50 messages) is 40 pings; a storm would be thousands.
    expect(pings).toBeLessThan(120);
  });
});
