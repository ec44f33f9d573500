/**
 * Receive-side backpressure against a real server that floods: a reader (`for await`,
 * `connect().recv()`) that falls behind holds at most its `inbox` bound, the socket stops reading
 * (state `paused`) so the server's own buffer grows instead, the heartbeat does not end a socket
 * paused by us, and every message arrives once, in order, when the app reads again. Bounds on
 * counts and bytes, never on time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { connect, type ConnectionStateName } from '../../src/index.ts';
import { closeSockets, FAST, socketTo } from '../support/sockets.ts';
import { closeAll, wsServer } from '../support/servers.ts';
import { sleep, until, waitFor } from '../support/wait.ts';

afterEach(async () => {
  await closeSockets();
  await closeAll();
});

const KIB = 1024;
const MIB = 1024 * KIB;

/** A message carrying its number in its first 4 bytes. */
function numbered(n: number, size: number): Buffer {
  const bytes = Buffer.alloc(size);
  bytes.writeUInt32BE(n, 0);
  return bytes;
}

const numberOf = (data: unknown): number => Buffer.from(data as Uint8Array).readUInt32BE(0);

/** A server that sends `count` numbered messages of `size` bytes to each client at once (numbers go on across connections). */
async function flooding(count: number, size: number, after?: (socket: WebSocket) => void) {
  const peers: WebSocket[] = [];
  let sent = 0;
  const server = await wsServer({
    onConnection: (socket) => {
      peers.push(socket);
      for (let i = 0; i < count; i++) socket.send(numbered(sent++, size));
      after?.(socket);
    },
  });
  return { url: server.url, peers, sent: () => sent };
}

function statesOf(socket: { on(event: 'state', fn: (change: { to: ConnectionStateName }) => void): unknown }) {
  const states: ConnectionStateName[] = [];
  socket.on('state', ({ to }) => states.push(to));
  return states;
}

describe('a reader that falls behind a flooding server', () => {
  it('for await: the reader holds at most its bound, TCP pushes back on the server, the heartbeat keeps the paused socket, nothing is lost or reordered', async () => {
    // 400 x 64 KiB = 25 MiB: more than the kernel's buffers on both sides hold, so if the socket
    // kept reading, the reader would hold it all and the server's own buffer would be empty.
    const server = await flooding(400, 64 * KIB);
    const socket = socketTo(server.url, { heartbeat: { interval: 100, timeout: 50 }, inbox: { maxBytes: 512 * KIB } });
    const states = statesOf(socket);
    const reader = socket[Symbol.asyncIterator]();
    await until(socket, 'paused');
    // Six heartbeat periods (interval + timeout) while paused: a deadline running would end it.
    await sleep(900);
    expect(socket.state).toBe('paused');
    // The bound is 8 messages of 64 KiB; frames of the TCP chunk being read when it paused still come.
    expect(socket.stats.unread).toBeGreaterThanOrEqual(8);
    expect(socket.stats.unread).toBeLessThanOrEqual(10);
    const peer = server.peers[0] as WebSocket;
    expect(peer.bufferedAmount).toBeGreaterThan(8 * MIB);

    const got: number[] = [];
    for (let i = 0; i < 400; i++) {
      const next = await reader.next();
      expect(next.done).toBe(false);
      got.push(numberOf(next.value));
      expect(socket.stats.unread).toBeLessThanOrEqual(10);
    }
    expect(got).toEqual(Array.from({ length: 400 }, (_, i) => i));
    expect(states).not.toContain('backing-off');
    // The resume probed the path at once, and the backlog's first frame answered it.
    expect(states.join(' ')).toMatch(/^open paused awaiting-pong open/);
    await waitFor(() => peer.bufferedAmount === 0, 'the server sent everything');
  });

  it('connect().recv(): the same bound, and every message in order once the app reads', async () => {
    const server = await flooding(20_000, 1 * KIB);
    const connection = await connect(server.url, { ...FAST, inbox: { maxMessages: 100 } });
    const states = statesOf(connection.socket);
    await until(connection.socket, 'paused');
    await waitFor(() => (server.peers[0]?.bufferedAmount ?? 0) > 4 * MIB, 'the server holding the backlog');
    // 100 messages, plus what one 64 KiB read of the socket held beyond them.
    expect(connection.socket.stats.unread).toBeLessThanOrEqual(100 + 65);
    for (let i = 0; i < 20_000; i++) {
      const data = await connection.recv();
      if (numberOf(data) !== i) expect(numberOf(data)).toBe(i);
    }
    expect(states).not.toContain('backing-off');
    await connection.close();
  });

  it('a reader still full when the connection ends holds the next one back from its open', async () => {
    // Each connection gets 10 messages, then the server goes away (1001): the socket reconnects.
    const server = await flooding(10, 16, (socket) => socket.close(1001));
    const socket = socketTo(server.url, { inbox: { maxMessages: 5 } });
    const states = statesOf(socket);
    const reader = socket[Symbol.asyncIterator]();
    await waitFor(() => server.peers.length >= 2 && socket.state === 'paused', 'the second connection, paused');
    expect(states.slice(0, 3)).toEqual(['open', 'paused', 'backing-off']);
    expect(states.slice(-4)).toEqual(['backing-off', 'connecting', 'open', 'paused']);
    const got: number[] = [];
    while (got.length < 20) {
      const next = await reader.next();
      got.push(numberOf(next.value));
    }
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('a reader that waits for drain while it holds the socket paused: the pause timeout ends the deadlock', async () => {
    // The loop replies to each message and waits for drain when the socket is full. Its replies wait
    // for a pong, the pong waits behind the pause, and the pause waits for the loop: the pause
    // timeout drops that connection (reader-stalled), which ends the replies' wait (drain).
    const server = await flooding(40, 64 * KIB);
    const socket = socketTo(server.url, {
      heartbeat: { interval: 60_000, timeout: 30_000 },
      inbox: { maxBytes: 1 * MIB },
      outbox: { maxMessages: 4 },
      pauseTimeout: 200,
    });
    const reasons: string[] = [];
    socket.on('reconnecting', ({ reason }) => reasons.push(reason.type));
    const got: number[] = [];
    for await (const message of socket) {
      got.push(numberOf(message));
      while (!socket.writable) await new Promise((resolve) => socket.on('drain', resolve));
      socket.send(`ack ${got.length}`);
      // Each stall lets the loop send 4 more replies (the outbox's bound), so it crawls, but it moves.
      if (got.length === 20) break;
    }
    expect(reasons.length).toBeGreaterThanOrEqual(2);
    expect(new Set(reasons)).toEqual(new Set(['reader-stalled']));
    // What a dropped connection's server still held went with it; what arrived, arrived in order.
    expect(got.every((n, i) => i === 0 || n > (got[i - 1] as number))).toBe(true);
  }, 20_000);

  it('a listener is not a reader: with no iterator the socket never pauses', async () => {
    const server = await flooding(400, 64 * KIB);
    const socket = socketTo(server.url, { inbox: { maxBytes: 64 * KIB } });
    const states = statesOf(socket);
    let count = 0;
    socket.on('message', () => count++);
    await waitFor(() => count === 400, 'all 400 heard');
    expect(states).toEqual(['open']);
    expect(socket.stats.unread).toBe(0);
  });
});
