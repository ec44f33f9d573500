/**
 * `npm run bench:backpressure`: what a socket holds when the server stops reading. A ws server on
 * 127.0.0.1 accepts and pauses its side of each connection (its TCP window fills); the app calls
 * `send` with 64 KiB messages as fast as the event loop lets it for BENCH_SECONDS (default 4),
 * one burst of 16 per macrotask, and keeps what `send` refused. Printed: the bytes `send` took,
 * the messages it refused, the process's RSS growth, the socket's stats (queued, in flight), and
 * after the server reads again, how every message ended (confirmed, or still held for later).
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { wsmachine } from './subject.ts';

const { createSocket, WsmError } = wsmachine;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const MESSAGE = new Uint8Array(64 * 1024);

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await once(wss, 'listening');
let peer: WebSocket | undefined;
let received = 0;
wss.on('connection', (socket) => {
  peer = socket;
  socket.on('message', () => received++);
  socket.pause();
});
const socket = createSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
await new Promise<void>((resolve) => {
  if (socket.state === 'open') resolve();
  else socket.on('open', () => resolve());
});
while (!peer) await new Promise((resolve) => setTimeout(resolve, 5));

const rssBefore = process.memoryUsage().rss;
let taken = 0;
let refused = 0;
const deadline = Date.now() + SECONDS * 1000;
while (Date.now() < deadline) {
  for (let i = 0; i < 16; i++) {
    try {
      socket.send(MESSAGE);
      taken++;
    } catch (error) {
      if (!(error instanceof WsmError) || error.code !== 'WSM_OUTBOX_FULL') throw error;
      refused++;
    }
  }
  await new Promise((resolve) => setImmediate(resolve));
}
const rssGrowth = process.memoryUsage().rss - rssBefore;
const held = socket.stats;
peer.resume();
const settled = Date.now() + 30_000;
while (received < taken && Date.now() < settled) await new Promise((resolve) => setTimeout(resolve, 20));
await new Promise((resolve) => setTimeout(resolve, 200));
console.log(
  JSON.stringify(
    {
      benchmark: 'backpressure: a server that stops reading, 64 KiB messages',
      node: process.version,
      seconds: SECONDS,
      takenBySend: taken,
      takenMB: Math.round((taken * MESSAGE.byteLength) / 1e6),
      refusedAtSend: refused,
      rssGrowthMB: Math.round(rssGrowth / 1e6),
      whileStalled: { queued: held.queued, inFlight: held.inFlight, queuedBytes: held.queuedBytes },
      afterResume: { receivedByServer: received, stats: socket.stats },
    },
    null,
    2,
  ),
);
await socket.close();
for (const client of wss.clients) client.terminate();
wss.close();
