/**
 * `wsmachine demo`: a self-contained tour of real faults on loopback.
 *
 * Theory of operation: an echo server and a TCP proxy run in this process on 127.0.0.1; a client
 * with a short heartbeat (1 s / 0.5 s) connects through the proxy. Each fault is injected for real
 * (a restart with 1012, a silent black hole in the proxy, a close with 1013, a 503 with
 * Retry-After on the next handshake), and the demo waits for the machine to name the expected
 * reason and to be open again, each wait bounded. The timeline is printed live, then one summary
 * row per fault. Exit code 0 only when every fault was detected as expected and recovered from,
 * and the echo works at the end. The pauses between steps are the script's own, not the
 * connection's: every connection timer is the machine's.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { clockTime, describeReason, duration, stateLine } from '../facade/format.ts';
import { echoServer, tcpProxy, type EchoServer, type TcpProxy } from '../testing/faults.ts';
import { startLocalInspector, type LocalInspector } from '../inspector/server.ts';
import { createSocket, type SocketEventMap, type WsmSocket } from '../index.ts';
import type { DisconnectReason } from '../../machines/vocabulary.ts';

interface Fault {
  readonly name: string;
  /** The reason the machine must name. */
  readonly expect: (reason: DisconnectReason) => boolean;
  readonly inject: (ctx: { server: EchoServer; proxy: TcpProxy }) => Promise<void> | void;
}

export interface FaultResult {
  readonly fault: string;
  readonly reason: string;
  readonly detectedMs: number | null;
  readonly openAgainMs: number | null;
  readonly ok: boolean;
}

const isClose = (code: number) => (r: DisconnectReason) => r.type === 'closed-by-server' && r.code === code;

const FAULTS: readonly Fault[] = [
  {
    name: 'server restart (1012, down 1 s)',
    expect: isClose(1012),
    inject: async ({ server }) => {
      await server.stop();
      await sleep(1_000);
      await server.start();
    },
  },
  {
    name: 'silent black hole 3 s (half-open)',
    expect: (r) => r.type === 'heartbeat-timeout',
    inject: ({ proxy }) => {
      proxy.blackhole();
      void sleep(3_000).then(() => proxy.restore());
    },
  },
  {
    name: 'server closes with 1013 (try later)',
    expect: isClose(1013),
    inject: ({ server }) => server.closeClients(1013, 'try again later'),
  },
  {
    name: 'handshake 503 + Retry-After: 1',
    expect: (r) => r.type === 'handshake-rejected' && r.status === 503,
    inject: ({ server }) => {
      server.rejectNext(1, 503, { 'Retry-After': '1' });
      server.closeClients(1012, 'restart');
    },
  },
];

/** Resolves with the first `event` that passes `predicate` and when it came, or null after `timeoutMs`. */
function waitFor<E extends keyof SocketEventMap>(
  socket: WsmSocket,
  event: E,
  predicate: (payload: SocketEventMap[E]) => boolean,
  timeoutMs: number,
): Promise<{ payload: SocketEventMap[E]; at: number } | null> {
  return new Promise((resolve) => {
    const patience = new AbortController();
    const off = socket.on(event, (payload) => {
      if (!predicate(payload)) return;
      off();
      patience.abort();
      resolve({ payload, at: Date.now() });
    });
    sleep(timeoutMs, null, { signal: patience.signal }).then(
      () => {
        off();
        resolve(null);
      },
      () => {},
    );
  });
}

async function echoes(socket: WsmSocket, text: string): Promise<boolean> {
  const reply = waitFor(socket, 'message', (m) => m === text, 3_000);
  socket.send(text);
  return (await reply) !== null;
}

function table(results: readonly FaultResult[]): string {
  const rows = [
    ['fault', 'reason the machine named', 'detected', 'open again', 'result'],
    ...results.map((r) => [
      r.fault,
      r.reason,
      r.detectedMs === null ? 'never' : duration(r.detectedMs),
      r.openAgainMs === null ? 'never' : duration(r.openAgainMs),
      r.ok ? 'ok' : 'FAILED',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export async function runDemo(options: { inspectLocal?: number | undefined } = {}): Promise<number> {
  const print = (text: string) => process.stdout.write(`${text}\n`);
  const server = await echoServer();
  const proxy = await tcpProxy(server.port);
  let inspector: LocalInspector | undefined;
  if (options.inspectLocal !== undefined) {
    inspector = await startLocalInspector({ port: options.inspectLocal });
    print(`inspector: ${inspector.url}`);
  }
  print(`wsmachine demo: echo server on 127.0.0.1:${server.port}, client through a proxy on 127.0.0.1:${proxy.port}`);
  print('heartbeat 1 s / 0.5 s, connect timeout 1 s, backoff 200 ms x2 up to 2 s (full jitter)\n');

  const socket = createSocket(proxy.url, {
    heartbeat: { interval: 1_000, timeout: 500 },
    connectTimeout: 1_000,
    closeTimeout: 500,
    backoff: { initial: 200, max: 2_000 },
    ...(inspector ? { inspect: inspector.inspect } : {}),
  });
  socket.on('state', (event) => print(`${clockTime(Date.now())} ${stateLine(event)}`));

  const results: FaultResult[] = [];
  let healthy = false;
  try {
    const opened = socket.state === 'open' || (await waitFor(socket, 'open', () => true, 5_000)) !== null;
    const firstEcho = opened && (await echoes(socket, 'hello'));
    print(`${clockTime(Date.now())} healthy echo: ${firstEcho ? 'ok' : 'FAILED'}\n`);

    for (const fault of FAULTS) {
      if (!firstEcho) break;
      print(`${clockTime(Date.now())} >>> ${fault.name}`);
      const started = Date.now();
      let firstReason: DisconnectReason | null = null;
      const offFirst = socket.on('state', (e) => {
        firstReason ??= e.reason;
      });
      // Detected = the machine named the reason this fault must produce (other reasons may come first,
      // e.g. the restart that precedes a rejected handshake).
      const named = waitFor(socket, 'state', (e) => e.reason !== null && fault.expect(e.reason), 10_000);
      await fault.inject({ server, proxy });
      const event = await named;
      offFirst();
      const reopened = event ? await waitFor(socket, 'open', () => true, 15_000) : null;
      const reason = event?.payload.reason ?? firstReason;
      const ok = event !== null && reopened !== null && (await echoes(socket, `after ${fault.name}`));
      results.push({
        fault: fault.name,
        reason: reason ? describeReason(reason) : '(none)',
        detectedMs: event ? event.at - started : null,
        openAgainMs: reopened ? reopened.at - started : null,
        ok,
      });
      print('');
      await sleep(300);
    }
    healthy = firstEcho && (await echoes(socket, 'goodbye'));
    print(`${clockTime(Date.now())} healthy again: ${healthy ? 'ok' : 'FAILED'}\n`);
  } finally {
    await socket.close();
    await proxy.close();
    await server.stop();
    await inspector?.close();
  }

  print(table(results));
  const passed = healthy && results.length === FAULTS.length && results.every((r) => r.ok);
  print(`\n${passed ? `all ${FAULTS.length} faults detected and recovered` : 'demo FAILED'}`);
  return passed ? 0 : 1;
}
