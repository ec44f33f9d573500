/**
 * One side of the memory benchmark, in a fresh process: opens N idle connections of one kind
 * (`raw` ws or `wsmachine`) and prints the RSS and heap growth per connection after a full GC.
 * Run with --expose-gc by bench/memory.ts.
 */
import WebSocket from 'ws';
import type { WsmSocket } from '../src/index.ts';
import { wsmachine } from './subject.ts';

const { createSocket } = wsmachine;

const [kind, url, count] = process.argv.slice(2) as ['raw' | 'wsmachine', string, string];
const n = Number(count);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const opened: (WebSocket | WsmSocket)[] = [];
const openOne = (): Promise<void> =>
  new Promise((resolve, reject) => {
    if (kind === 'raw') {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      ws.once('open', () => resolve());
      ws.once('error', reject);
      opened.push(ws);
    } else {
      const socket = createSocket(url, { ws: { perMessageDeflate: false } });
      const off = socket.on('open', () => {
        off();
        resolve();
      });
      opened.push(socket);
    }
  });

// Warm up the code paths once, so that compiled code is not counted as per-connection memory.
await openOne();
await settle();
const before = process.memoryUsage();
for (let done = 1; done < n + 1; done += 100) {
  await Promise.all(Array.from({ length: Math.min(100, n + 1 - done) }, openOne));
}
await settle();
const after = process.memoryUsage();
console.log(
  JSON.stringify({
    kind,
    connections: n,
    rssPerConnection: Math.round((after.rss - before.rss) / n),
    heapPerConnection: Math.round((after.heapUsed - before.heapUsed) / n),
  }),
);
await Promise.all(opened.map((s) => (s instanceof WebSocket ? Promise.resolve(s.terminate()) : s.close())));
process.exit(0);
