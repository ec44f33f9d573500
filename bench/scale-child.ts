/**
 * The measured side of the scale benchmark, in a fresh process (run by bench/scale.ts with
 * --expose-gc, talking over IPC): opens N wsmachine sockets with default options (heartbeat 25 s /
 * 10 s), spread over the server's ports; reports memory per connection once all are open, CPU and
 * event-loop delay over an idle period, then, told that the server was killed, the same figures
 * until every socket heard of the drop, and until every socket is open again after the server
 * comes back. BENCH_CLIENT=raw opens plain `ws` clients instead (no heartbeat, no reconnect), for
 * the memory and the drop to compare with. The delay is
 * what the event loop's turns took beyond the 10 ms sampling interval.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { WsmSocket } from '../src/index.ts';
import { wsmachine } from './subject.ts';

const { createSocket } = wsmachine;
// `raw`: plain ws clients, for comparison: memory, and the drop (they do not reconnect).
const raw = process.env.BENCH_CLIENT === 'raw';
const [portsArg, countArg, idleArg] = process.argv.slice(2) as [string, string, string];
const ports = JSON.parse(portsArg) as number[];
const count = Number(countArg);
const idleMs = Number(idleArg);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc || !process.send) throw new Error('run by bench/scale.ts (with --expose-gc and IPC)');
const send = (message: object) => process.send?.(message);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(100);
  }
};
const RESOLUTION_MS = 10;
// The histogram records the time between its timer's runs: the delay is what exceeds the interval.
const lag = (ns: number) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 100) / 100);
const loopDelay = (histogram: ReturnType<typeof monitorEventLoopDelay>) => ({
  p50Ms: lag(histogram.percentile(50)),
  p99Ms: lag(histogram.percentile(99)),
  maxMs: lag(histogram.max),
});
const percentile = (sorted: readonly number[], p: number) =>
  Math.round(sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0);
const cpuPercent = (used: NodeJS.CpuUsage, elapsedMs: number) => Math.round(((used.user + used.system) / 1000 / elapsedMs) * 1000) / 10;

await settle();
const before = process.memoryUsage();
const sockets: WsmSocket[] = [];
const raws: WebSocket[] = [];
let open = 0;
const started = performance.now();
const openCpu = process.cpuUsage();
// Batches of 500, each waited for: a thundering herd of handshakes is the restart's test, not this one's.
for (let i = 0; i < count; i += 500) {
  const batch: Promise<void>[] = [];
  for (let k = i; k < Math.min(count, i + 500); k++) {
    const url = `ws://127.0.0.1:${ports[k % ports.length]}`;
    batch.push(
      new Promise((resolve) => {
        const opened = () => {
          open++;
          resolve();
        };
        if (raw) {
          const ws = new WebSocket(url, { perMessageDeflate: false });
          ws.once('open', opened);
          ws.on('error', () => {});
          raws.push(ws);
          return;
        }
        const socket = createSocket(url, { ws: { perMessageDeflate: false } });
        sockets.push(socket);
        const off = socket.on('open', () => {
          off();
          opened();
        });
      }),
    );
  }
  await Promise.all(batch);
}
const openMs = Math.round(performance.now() - started);
const openUsed = process.cpuUsage(openCpu);
await settle();
const after = process.memoryUsage();
send({
  phase: 'opened',
  connections: open,
  openMs,
  cpuMicrosPerOpen: Math.round((openUsed.user + openUsed.system) / count),
  heapPerConnection: Math.round((after.heapUsed - before.heapUsed) / count),
  rssPerConnection: Math.round((after.rss - before.rss) / count),
  rssMiB: Math.round(after.rss / 1048576),
});

// Idle: only the heartbeat runs (each socket pings once per 25 s).
const idle = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
idle.enable();
const idleCpu = process.cpuUsage();
await sleep(idleMs);
idle.disable();
send({
  phase: 'idle',
  seconds: idleMs / 1000,
  cpuPercentOfOneCore: cpuPercent(process.cpuUsage(idleCpu), idleMs),
  eventLoopDelay: loopDelay(idle),
  stillOpen: raw
    ? raws.filter((ws) => ws.readyState === WebSocket.OPEN).length
    : sockets.filter((s) => s.state === 'open' || s.state === 'awaiting-pong').length,
});

// The fleet reconnect: from the kill until every socket is open again.
process.once('message', () => {
  const fleet = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  fleet.enable();
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  let reopened = 0;
  const reopenedAt: number[] = [];
  let attempts = 0;
  const reasons: Record<string, number> = {};
  // The drop: from the kill until every socket has heard that its connection is gone.
  const drop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  drop.enable();
  let dropped = 0;
  const heard = () => {
    if (++dropped < count) return;
    drop.disable();
    const used = process.cpuUsage(cpu);
    send({
      phase: 'dropped',
      allHeardMs: Math.round(performance.now() - t0),
      cpuMicrosPerDrop: Math.round((used.user + used.system) / count),
      eventLoopDelay: loopDelay(drop),
    });
    if (raw) process.exit(0);
  };
  for (const ws of raws) ws.on('close', heard);
  for (const socket of sockets) {
    let first = true;
    socket.on('reconnecting', ({ reason }) => {
      attempts++;
      reasons[reason.type] = (reasons[reason.type] ?? 0) + 1;
      if (first) heard();
      first = false;
    });
    const off = socket.on('open', () => {
      off();
      reopened++;
      reopenedAt.push(performance.now() - t0);
    });
  }
  if (raw) return;
  const deadline = t0 + 180_000;
  const check = setInterval(() => {
    if (reopened < count && performance.now() < deadline) return;
    clearInterval(check);
    fleet.disable();
    const elapsed = performance.now() - t0;
    send({
      phase: 'reconnected',
      reopened,
      allReopenedMs: Math.round(elapsed),
      // When each socket was open again, from the kill: the backoff's jitter spreads them on purpose.
      reopenedMs: {
        p50: percentile(
          reopenedAt.sort((a, b) => a - b),
          50,
        ),
        p90: percentile(reopenedAt, 90),
        max: percentile(reopenedAt, 100),
      },
      reconnectingEvents: attempts,
      reasons,
      cpuPercentOfOneCore: cpuPercent(process.cpuUsage(cpu), elapsed),
      eventLoopDelay: loopDelay(fleet),
    });
    void Promise.all(sockets.map((s) => s.close())).then(() => process.exit(0));
  }, 50);
});
send({ phase: 'ready-for-kill' });
