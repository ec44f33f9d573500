/**
 * Send-side backpressure against a real server that stops reading (its side paused, so its TCP
 * window fills): `send` refuses at the bound of what the socket holds (queued and in flight),
 * memory stays near that bound, `drain` comes once the server reads again, and every message the
 * app handed over ends confirmed, in order. Bounds on counts and bytes, never on time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { WsmError } from '../../common/errors.ts';
import { closeSockets, socketTo } from '../support/sockets.ts';
import { closeAll, wsServer } from '../support/servers.ts';
import { nextEvent, until, waitFor } from '../support/wait.ts';

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
    const server = await wsServer({ onConnection: (socket) => (peer = socket) });
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
    expect(accepted * 16 * KIB).toBeLessThanOrEqual(256 * KIB);
    expect(accepted).toBeGreaterThanOrEqual(8);
    expect(refused).toBe(4_000 - accepted);
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
    await waitFor(() => server.received.length === accepted, 'all received');
    expect(server.received.every((text) => text === `<${16 * KIB} bytes>`)).toBe(true);
  }, 20_000);
});

describe('while disconnected', () => {
  it('the same bound holds the outbox, and a drain follows when the connection that held them ends', async () => {
    const server = await wsServer();
    let peer: WebSocket | undefined;
    server.wss.on('connection', (s) => (peer = s));
    const socket = socketTo(server.url, { heartbeat: { interval: 60_000, timeout: 30_000 }, outbox: { maxMessages: 4 } });
    await until(socket, 'open');
    await waitFor(() => peer !== undefined, 'the server side');
    peer?.pause();
    for (let i = 0; i < 4; i++) socket.send(`m${i}`);
    expect(() => socket.send('one too many')).toThrow(WsmError);
    const drained = nextEvent(socket, 'drain');
    const unconfirmed = nextEvent(socket, 'unconfirmed');
    peer?.terminate();
    // The connection ended without proof: the four are reported (nothing resent), and there is room again.
    expect((await unconfirmed).messages).toEqual(['m0', 'm1', 'm2', 'm3']);
    await drained;
    expect(socket.writable).toBe(true);
  });
});
