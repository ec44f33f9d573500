/**
 * Many connections in one process: BENCH_CONNECTIONS (default 10 000) wsmachine sockets with the
 * default heartbeat (25 s / 10 s) against echo servers in another process. Printed: memory per
 * connection once all are open; CPU and event-loop delay (`monitorEventLoopDelay`, p50/p99/max)
 * over BENCH_IDLE_SECONDS (default 30) of idling; then the server process is killed (SIGKILL:
 * every connection drops at once), started again on the same ports BENCH_RESTART_SECONDS
 * (default 2) later, and the same figures are taken until every socket is open again.
 *
 *   npm run bench:scale        (BENCH_CONNECTIONS, BENCH_IDLE_SECONDS, BENCH_RESTART_SECONDS)
 *   BENCH_CLIENT=raw npm run bench:scale     (plain ws clients: memory and the drop, no reconnect)
 *
 * A process here may hold at most 20 000 file descriptors (the hard limit of this machine), so
 * one client process holds at most about 19 000 connections.
 */
import { spawn, fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10_000);
const IDLE_MS = Number(process.env.BENCH_IDLE_SECONDS ?? 30) * 1000;
const RESTART_MS = Number(process.env.BENCH_RESTART_SECONDS ?? 2) * 1000;
// A port per 15 000 connections: the loopback source ports toward one server port run out near 28 000.
const PORTS = Math.ceil(CONNECTIONS / 15_000);
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

async function startServer(ports: string): Promise<{ child: ChildProcess; ports: number[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', here('./scale-server.ts'), ports], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  return { child, ports: JSON.parse(chunk.toString()) as number[] };
}

let server = await startServer(`new:${PORTS}`);
const client = fork(here('./scale-child.ts'), [JSON.stringify(server.ports), String(CONNECTIONS), String(IDLE_MS)], {
  execArgv: ['--expose-gc', '--import', 'tsx'],
});
const result: Record<string, unknown> = {
  benchmark: 'scale: idle connections and a fleet reconnect',
  node: process.version,
  connections: CONNECTIONS,
  serverPorts: PORTS,
  client: process.env.BENCH_CLIENT === 'raw' ? 'raw ws (no heartbeat, no reconnect)' : 'wsmachine, heartbeat 25 s / 10 s (default)',
};
try {
  await new Promise<void>((resolve, reject) => {
    // The client exits once it has reported the reconnect and closed its sockets.
    const done = () => result['reconnected'] ?? (process.env.BENCH_CLIENT === 'raw' && result['dropped']);
    client.on('exit', (code) => (code === 0 && done() ? resolve() : reject(new Error(`the client exited with ${code}`))));
    client.on('message', (message: { phase: string }) => {
      const { phase, ...figures } = message;
      if (phase !== 'ready-for-kill') {
        result[phase] = figures;
        return;
      }
      void (async () => {
        client.send('killed');
        const killedAt = performance.now();
        server.child.kill('SIGKILL');
        await once(server.child, 'exit');
        await new Promise((r) => setTimeout(r, RESTART_MS));
        server = await startServer(server.ports.join(','));
        // From the kill until the new server listens (the wait, plus the server's own start).
        result['serverDownMs'] = Math.round(performance.now() - killedAt);
      })();
    });
  });
  console.log(JSON.stringify(result, null, 2));
} finally {
  if (client.exitCode === null) client.kill('SIGKILL');
  server.child.kill('SIGKILL');
}
