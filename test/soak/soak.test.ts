/**
 * A seeded fault soak on loopback: one client (resendUnconfirmed on), a server that counts what it
 * receives and sends its own numbered messages, and a random schedule of faults drawn from the
 * seed: restarts, dropped connections, a black hole in a TCP proxy, close codes 1001/1011/1012/1013,
 * a 503 with Retry-After. At the end every message the app sent must be accounted for.
 *
 *   WSM_SOAK_SECONDS (default 60), WSM_SOAK_SEED (default: random, printed) to replay a run.
 */
import { once } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { WsmError } from '../../common/errors.ts';
import { tcpProxy } from '../../src/testing/faults.ts';
import { createSocket } from '../../src/index.ts';

const SECONDS = Number(process.env.WSM_SOAK_SECONDS ?? 60);
const SEED = Number(process.env.WSM_SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function heapUsed(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** The soak's server: restartable on one port; per connection, the client numbers it received. */
async function soakServer() {
  let wss: WebSocketServer | undefined;
  let port = 0;
  let serverSeq = 0;
  let reject: { status: number } | undefined;
  const connections: number[][] = [];
  const start = async () => {
    const server = new WebSocketServer({
      host: '127.0.0.1',
      port,
      verifyClient: (_info, callback) => {
        if (!reject) return callback(true);
        const { status } = reject;
        reject = undefined;
        callback(false, status, 'Busy', { 'Retry-After': '1' });
      },
    });
    server.on('connection', (socket) => {
      const received: number[] = [];
      connections.push(received);
      socket.on('error', () => {});
      socket.on('message', (data) => received.push(Number((data as Buffer).toString().slice(2))));
      const ticker = setInterval(() => socket.send(`s:${++serverSeq}`), 20);
      socket.on('close', () => clearInterval(ticker));
    });
    await once(server, 'listening');
    port = (server.address() as { port: number }).port;
    wss = server;
  };
  const clients = () => [...(wss?.clients ?? [])];
  await start();
  return {
    get port() {
      return port;
    },
    connections,
    closeClients: (code: number) => clients().forEach((c) => c.close(code, 'soak')),
    dropClients: () => clients().forEach((c) => c.terminate()),
    rejectNext: (status: number) => {
      reject = { status };
    },
    stop: async () => {
      const server = wss;
      wss = undefined;
      if (!server) return;
      for (const c of server.clients) c.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    start,
  };
}

it(
  `soak: ${SECONDS} s of random faults, every message accounted for (seed ${SEED})`,
  async () => {
    console.log(`soak seed: ${SEED} (replay with WSM_SOAK_SEED=${SEED} WSM_SOAK_SECONDS=${SECONDS})`);
    const random = prng(SEED);
    const resourcesBefore = process.getActiveResourcesInfo().sort();
    const heapBefore = heapUsed();

    const server = await soakServer();
    const proxy = await tcpProxy(server.port);
    const socket = createSocket(proxy.url, {
      heartbeat: { interval: 500, timeout: 250 },
      connectTimeout: 500,
      closeTimeout: 300,
      backoff: { initial: 50, max: 500 },
      outbox: { maxMessages: 10_000, maxBytes: 10_000_000 },
      resendUnconfirmed: true,
      random,
    });

    const sent = new Set<number>();
    const refused = new Set<number>();
    const reported = new Set<number>();
    let resentCount = 0;
    socket.on('unconfirmed', ({ messages, resent }) => {
      for (const m of messages) reported.add(Number((m as string).slice(2)));
      if (resent) resentCount += messages.length;
    });
    // Server numbers seen on each client connection (a new list at every open).
    const fromServer: number[][] = [];
    socket.on('open', () => fromServer.push([]));
    socket.on('message', (data) => fromServer.at(-1)?.push(Number(String(data).slice(2))));
    const faultLog: string[] = [];

    let n = 0;
    const sender = setInterval(() => {
      const id = ++n;
      try {
        socket.send(`c:${id}`);
        sent.add(id);
      } catch (error) {
        if (!(error instanceof WsmError) || error.code !== 'WSM_OUTBOX_FULL') throw error;
        refused.add(id);
      }
    }, 10);

    const FAULTS: [string, () => Promise<void> | void][] = [
      [
        'restart',
        async () => {
          await server.stop();
          await sleep(300 + random() * 700);
          await server.start();
        },
      ],
      ['drop all', () => server.dropClients()],
      [
        'black hole',
        async () => {
          proxy.blackhole();
          await sleep(1_000 + random() * 2_000);
          proxy.restore();
        },
      ],
      ['close 1001', () => server.closeClients(1001)],
      ['close 1011', () => server.closeClients(1011)],
      ['close 1012', () => server.closeClients(1012)],
      ['close 1013', () => server.closeClients(1013)],
      [
        '503 + Retry-After',
        () => {
          server.rejectNext(503);
          server.closeClients(1012);
        },
      ],
    ];

    const end = Date.now() + SECONDS * 1_000;
    try {
      while (Date.now() < end - 3_000) {
        await sleep(1_000 + random() * 2_000);
        const [name, inject] = FAULTS[Math.floor(random() * FAULTS.length)]!;
        faultLog.push(name);
        await inject();
      }
      await sleep(Math.max(0, end - Date.now()));
    } finally {
      clearInterval(sender);
    }

    // Let the last messages go out and be confirmed before closing.
    for (let i = 0; i < 100 && !(socket.state === 'open' && socket.stats.queued === 0 && socket.stats.inFlight === 0); i++) {
      if (socket.state === 'open') socket.probe();
      await sleep(100);
    }
    const { unsent } = await socket.close();
    await proxy.close();
    await server.stop();

    const delivered = new Set(server.connections.flat());
    const handedBack = new Set(unsent.map((m) => Number((m as string).slice(2))));
    const lost = [...sent].filter((id) => !delivered.has(id) && !handedBack.has(id) && !reported.has(id));
    const neverArrived = [...sent].filter((id) => !delivered.has(id) && !handedBack.has(id));
    const outOfOrder = server.connections.filter((c) => c.some((id, i) => i > 0 && id <= (c[i - 1] as number)));
    const serverOutOfOrder = fromServer.filter((c) => c.some((id, i) => i > 0 && id <= (c[i - 1] as number)));
    const duplicates = server.connections.flat().length - delivered.size;
    const stats = socket.stats;

    console.log(
      `soak totals: ${SECONDS} s, faults ${faultLog.length} (${[...new Set(faultLog)].map((f) => `${f} x${faultLog.filter((x) => x === f).length}`).join(', ')}); ` +
        `messages sent ${sent.size}, delivered ${[...sent].filter((id) => delivered.has(id)).length}, ` +
        `reported unconfirmed ${reported.size} (distinct), resent ${resentCount}, duplicates at the server ${duplicates}, ` +
        `handed back ${handedBack.size}, refused (outbox full) ${refused.size}, lost ${lost.length}; ` +
        `connections ${server.connections.length}, reconnects ${stats.reconnects}, confirmed ${stats.confirmed}`,
    );

    expect(sent.size).toBeGreaterThan(SECONDS * 50);
    expect(faultLog.length).toBeGreaterThanOrEqual(Math.floor(SECONDS / 4));
    expect(lost).toEqual([]);
    // resendUnconfirmed: every message reached the server at least once, or came back as unsent.
    expect(neverArrived).toEqual([]);
    expect(outOfOrder).toEqual([]);
    expect(serverOutOfOrder).toEqual([]);
    expect(stats.resent).toBe(resentCount);
    expect(socket.state).toBe('closed');

    // No handle of ours left behind, and the heap back near where it started.
    sent.clear();
    delivered.clear();
    server.connections.length = 0;
    fromServer.length = 0;
    // The runner's own handles come and go; what must not remain is any handle beyond the baseline.
    const extra = () => {
      const left = [...resourcesBefore];
      return process.getActiveResourcesInfo().filter((r) => {
        const at = left.indexOf(r);
        if (at < 0) return true;
        left.splice(at, 1);
        return false;
      });
    };
    for (let i = 0; i < 50 && extra().length > 0; i++) await sleep(20);
    expect(extra()).toEqual([]);
    const heapGrowth = heapUsed() - heapBefore;
    console.log(`soak heap: ${Math.round(heapBefore / 1024)} KiB before, growth ${Math.round(heapGrowth / 1024)} KiB`);
    expect(heapGrowth).toBeLessThan(16 * 1024 * 1024);
  },
  (SECONDS + 60) * 1_000,
);
