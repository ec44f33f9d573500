/**
 * Messages per second for a 32-byte echo: the wsmachine facade vs a raw `ws` client, same run,
 * same server, alternating runs; the figure is the median of the per-pair ratios.
 *
 *   npm run bench:throughput            (BENCH_MESSAGES, BENCH_ROUNDS to change the size)
 *
 * Each run opens a fresh connection, then sends BENCH_MESSAGES messages in bursts of 1 000 (one
 * burst per macrotask, so the socket drains) and stops the clock when the last echo arrives.
 * Both clients do the same work per message: text is turned into a string.
 */
import WebSocket from 'ws';
import { createSocket } from '../src/index.ts';
import { median, round, startEchoServer } from './support.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const PAYLOAD = 'x'.repeat(32);
const BURST = 1_000;

/** A run: `send` a message; `done` resolves when the last echo arrived. */
interface Run {
  send(data: string): void;
  readonly done: Promise<void>;
}

/** Sends MESSAGES messages in bursts, one burst per macrotask; resolves with messages per second. */
async function pump(run: Run): Promise<number> {
  const started = performance.now();
  let sent = 0;
  const burst = () => {
    const end = Math.min(MESSAGES, sent + BURST);
    for (; sent < end; sent++) run.send(PAYLOAD);
    if (sent < MESSAGES) setImmediate(burst);
  };
  burst();
  await run.done;
  return MESSAGES / ((performance.now() - started) / 1000);
}

function counter() {
  let received = 0;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, count: () => ++received === MESSAGES && finish() };
}

async function rawRun(url: string): Promise<number> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  const { done, count } = counter();
  let last = '';
  ws.on('message', (data, isBinary) => {
    last = isBinary ? '' : (data as Buffer).toString();
    count();
  });
  await new Promise((resolve) => ws.once('open', resolve));
  const rate = await pump({ send: (d) => ws.send(d), done });
  if (last !== PAYLOAD) throw new Error('raw: wrong echo');
  ws.close();
  return rate;
}

async function facadeRun(url: string): Promise<number> {
  const socket = createSocket(url, { ws: { perMessageDeflate: false } });
  const { done, count } = counter();
  let last: unknown;
  socket.on('message', (data) => {
    last = data;
    count();
  });
  await new Promise((resolve) => socket.on('open', resolve));
  const rate = await pump({ send: (d) => socket.send(d), done });
  if (last !== PAYLOAD) throw new Error('facade: wrong echo');
  await socket.close();
  return rate;
}

const server = await startEchoServer();
try {
  await rawRun(server.url);
  await facadeRun(server.url);
  const raw: number[] = [];
  const facade: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const first = i % 2 === 0;
    const r1 = first ? await rawRun(server.url) : await facadeRun(server.url);
    const r2 = first ? await facadeRun(server.url) : await rawRun(server.url);
    const [r, f] = first ? [r1, r2] : [r2, r1];
    raw.push(r);
    facade.push(f);
    ratios.push(f / r);
  }
  const result = {
    benchmark: 'throughput, 32-byte echo',
    node: process.version,
    messagesPerRun: MESSAGES,
    rounds: ROUNDS,
    rawMsgPerSec: Math.round(median(raw)),
    wsmachineMsgPerSec: Math.round(median(facade)),
    ratioMedian: round(median(ratios), 3),
    ratios: ratios.map((r) => round(r, 3)),
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await server.stop();
}
