/**
 * Messages per second, and the client's CPU time per message, for a 32-byte echo: the wsmachine facade (`createSocket`) and the drop-in
 * `ReconnectingWebSocket` (a `MessageEvent` per message) vs a raw `ws` client, same server, the
 * order of the three rotating each round; the figures are the medians of the per-round ratios.
 *
 *   npm run bench:throughput            (BENCH_MESSAGES, BENCH_ROUNDS to change the size)
 *
 * Each run opens a fresh connection, then sends BENCH_MESSAGES messages in bursts of 1 000 (one
 * burst per macrotask, so the socket drains) and stops the clock when the last echo arrives.
 * Both clients do the same work per message: text is turned into a string.
 */
import WebSocket from 'ws';
import { wsmachine } from './subject.ts';

const { createSocket, ReconnectingWebSocket, WsmError } = wsmachine;
import { median, round, startEchoServer } from './support.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const PAYLOAD = 'x'.repeat(32);
const BURST = 1_000;

/**
 * A run: `send` a message (false when the client refused it at its bound: then `drained` says when
 * to go on, as a producer that honours backpressure does); `done` resolves when the last echo arrived.
 */
interface Run {
  send(data: string): boolean;
  drained(): Promise<void>;
  readonly done: Promise<void>;
}

/** One run's figures: messages per second, and this process's CPU time per echoed message (µs). */
interface Sample {
  readonly rate: number;
  readonly cpuMicros: number;
}

/** Sends MESSAGES messages in bursts, one burst per macrotask; resolves with the run's figures. */
async function pump(run: Run): Promise<Sample> {
  const started = performance.now();
  // The server runs in its own process: this is the client's CPU alone (sending and receiving).
  const cpu = process.cpuUsage();
  let sent = 0;
  const burst = () => {
    const end = Math.min(MESSAGES, sent + BURST);
    for (; sent < end; sent++) {
      if (!run.send(PAYLOAD)) {
        void run.drained().then(burst);
        return;
      }
    }
    if (sent < MESSAGES) setImmediate(burst);
  };
  burst();
  await run.done;
  const used = process.cpuUsage(cpu);
  return { rate: MESSAGES / ((performance.now() - started) / 1000), cpuMicros: (used.user + used.system) / MESSAGES };
}

/** True when `send` took the message, false when it refused it at the bound (`WSM_OUTBOX_FULL`). */
function refusedAtBound(send: () => unknown): boolean {
  try {
    send();
    return true;
  } catch (error) {
    if (error instanceof WsmError && error.code === 'WSM_OUTBOX_FULL') return false;
    throw error;
  }
}

function counter() {
  let received = 0;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, count: () => ++received === MESSAGES && finish() };
}

async function rawRun(url: string): Promise<Sample> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const { done, count } = counter();
  let last = '';
  ws.on('message', (data, isBinary) => {
    last = isBinary ? '' : (data as Buffer).toString();
    count();
  });
  await new Promise((resolve) => ws.once('open', resolve));
  const rate = await pump({
    send: (d) => {
      ws.send(d);
      return true;
    },
    drained: () => Promise.resolve(),
    done,
  });
  if (last !== PAYLOAD) throw new Error('raw: wrong echo');
  ws.close();
  return rate;
}

async function facadeRun(url: string): Promise<Sample> {
  const socket = createSocket(url, { ws: { perMessageDeflate: false } });
  const { done, count } = counter();
  let last: unknown;
  socket.on('message', (data) => {
    last = data;
    count();
  });
  await new Promise((resolve) => socket.on('open', resolve));
  const rate = await pump({
    send: (d) => refusedAtBound(() => socket.send(d)),
    drained: () =>
      new Promise((resolve) => {
        const off = socket.on('drain', () => {
          off();
          resolve();
        });
      }),
    done,
  });
  if (last !== PAYLOAD) throw new Error('facade: wrong echo');
  await socket.close();
  return rate;
}

async function reconnectingRun(url: string): Promise<Sample> {
  const rws = new ReconnectingWebSocket(url, [], { ws: { perMessageDeflate: false } });
  const { done, count } = counter();
  let last: unknown;
  rws.onmessage = (event) => {
    last = event.data;
    count();
  };
  await new Promise((resolve) => rws.addEventListener('open', resolve, { once: true }));
  const rate = await pump({
    send: (d) => refusedAtBound(() => rws.send(d)),
    drained: () => new Promise((resolve) => rws.addEventListener('drain', () => resolve(), { once: true })),
    done,
  });
  if (last !== PAYLOAD) throw new Error('reconnecting: wrong echo');
  const closed = new Promise((resolve) => rws.addEventListener('close', resolve, { once: true }));
  rws.close();
  await closed;
  return rate;
}

const server = await startEchoServer();
try {
  await rawRun(server.url);
  await facadeRun(server.url);
  await reconnectingRun(server.url);
  const clients = [rawRun, facadeRun, reconnectingRun] as const;
  const rates: number[][] = [[], [], []];
  const ratios: number[][] = [[], []];
  const cpu: number[][] = [[], [], []];
  const cpuRatios: number[][] = [[], []];
  for (let i = 0; i < ROUNDS; i++) {
    const thisRound: Sample[] = [];
    for (let k = 0; k < clients.length; k++) {
      const which = (i + k) % clients.length;
      thisRound[which] = await (clients[which] as (url: string) => Promise<Sample>)(server.url);
    }
    const [raw, facade, reconnecting] = thisRound as [Sample, Sample, Sample];
    thisRound.forEach((sample, which) => {
      rates[which]?.push(sample.rate);
      cpu[which]?.push(sample.cpuMicros);
    });
    ratios[0]?.push(facade.rate / raw.rate);
    ratios[1]?.push(reconnecting.rate / raw.rate);
    cpuRatios[0]?.push(facade.cpuMicros / raw.cpuMicros);
    cpuRatios[1]?.push(reconnecting.cpuMicros / raw.cpuMicros);
  }
  const result = {
    benchmark: 'throughput, 32-byte echo',
    node: process.version,
    messagesPerRun: MESSAGES,
    rounds: ROUNDS,
    rawMsgPerSec: Math.round(median(rates[0] ?? [])),
    wsmachineMsgPerSec: Math.round(median(rates[1] ?? [])),
    reconnectingMsgPerSec: Math.round(median(rates[2] ?? [])),
    ratioMedian: round(median(ratios[0] ?? []), 3),
    reconnectingRatioMedian: round(median(ratios[1] ?? []), 3),
    rawCpuMicrosPerMessage: round(median(cpu[0] ?? []), 3),
    wsmachineCpuMicrosPerMessage: round(median(cpu[1] ?? []), 3),
    reconnectingCpuMicrosPerMessage: round(median(cpu[2] ?? []), 3),
    cpuRatioMedian: round(median(cpuRatios[0] ?? []), 3),
    reconnectingCpuRatioMedian: round(median(cpuRatios[1] ?? []), 3),
    ratios: (ratios[0] ?? []).map((r) => round(r, 3)),
    cpuRatios: (cpuRatios[0] ?? []).map((r) => round(r, 3)),
    reconnectingRatios: (ratios[1] ?? []).map((r) => round(r, 3)),
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await server.stop();
}
