/**
 * Memory per idle connection: N wsmachine sockets (heartbeat on, default options) vs N raw `ws`
 * clients, each kind in its own fresh process against the same echo server, alternating; the
 * figures are medians over BENCH_ROUNDS runs of each kind.
 *
 *   npm run bench:memory                (BENCH_CONNECTIONS, BENCH_ROUNDS to change the size)
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median, round, startEchoServer } from './support.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 2_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const child = fileURLToPath(new URL('./memory-child.ts', import.meta.url));
const run = promisify(execFile);

interface Sample {
  rssPerConnection: number;
  heapPerConnection: number;
}

async function sample(kind: 'raw' | 'wsmachine', url: string): Promise<Sample> {
  const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', child, kind, url, String(CONNECTIONS)], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout) as Sample;
}

const server = await startEchoServer();
try {
  const raw: Sample[] = [];
  const machine: Sample[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    raw.push(await sample('raw', server.url));
    machine.push(await sample('wsmachine', server.url));
  }
  const rawRss = median(raw.map((s) => s.rssPerConnection));
  const rawHeap = median(raw.map((s) => s.heapPerConnection));
  const wsmRss = median(machine.map((s) => s.rssPerConnection));
  const wsmHeap = median(machine.map((s) => s.heapPerConnection));
  console.log(
    JSON.stringify(
      {
        benchmark: 'memory per idle connection',
        node: process.version,
        connections: CONNECTIONS,
        rounds: ROUNDS,
        raw: { rssBytes: rawRss, heapBytes: rawHeap },
        wsmachine: { rssBytes: wsmRss, heapBytes: wsmHeap },
        rssRatio: round(wsmRss / rawRss),
        heapRatio: round(wsmHeap / rawHeap),
      },
      null,
      2,
    ),
  );
} finally {
  await server.stop();
}
