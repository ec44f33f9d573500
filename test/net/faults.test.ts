/**
 * Real network faults on real kernel networking: a client host and a server host in their own
 * network namespaces (test/net/lab.ts), faults injected with nftables, signals, nginx and a slow
 * path. Each scenario asserts the reason the machine names, how soon, and the recovery.
 *
 * Needs root, iproute2, nftables and nginx (.ci/run installs them). Elsewhere it says so loudly and
 * skips; under CI=true it must run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, labSupport, type Lab, type Process } from './lab.ts';

const support = labSupport();
const nginx = (() => {
  try {
    return execFileSync('sh', ['-c', 'command -v nginx']).toString().trim();
  } catch {
    return '';
  }
})();
if (process.env.CI === 'true' && (!support.ok || !nginx)) {
  throw new Error(`the network-namespace tests must run in CI: ${support.ok ? 'nginx is missing' : support.why}`);
}
if (!support.ok) console.warn(`SKIPPED: network-namespace fault tests: ${support.why}`);

interface ClientEvent {
  t: number;
  type: 'state' | 'pong';
  from?: string;
  to?: string;
  reason?: { type: string; code?: number } | null;
  rttMs?: number;
}

const events = (client: Process): ClientEvent[] => client.lines().map((l) => JSON.parse(l) as ClientEvent);

/** The first event after `since` that passes `predicate`, waiting for it (bounded). */
async function next(client: Process, since: number, predicate: (e: ClientEvent) => boolean, timeoutMs = 15_000) {
  const line = await client.waitForLine((l) => {
    const e = JSON.parse(l) as ClientEvent;
    return e.t >= since && predicate(e);
  }, timeoutMs);
  return JSON.parse(line) as ClientEvent;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const opened = (e: ClientEvent) => e.type === 'state' && e.to === 'open' && e.from === 'connecting';
const disconnected = (e: ClientEvent) => e.type === 'state' && (e.to === 'backing-off' || e.to === 'closed');

// Heartbeat 1 s / 0.5 s; every connect attempt bounded at 400 ms; backoff steps of at most 400 ms.
const FAST = {
  heartbeat: { interval: 1_000, timeout: 500 },
  connectTimeout: 400,
  backoff: { initial: 100, max: 400 },
};
/**
 * Starts the echo server (optionally behind the delaying relay) and a client, waits until the
 * client is open, runs `body`, and stops both whatever happens. `server.current` may be replaced
 * by a body that restarts the server.
 */
async function withPair(
  lab: Lab,
  setup: { clientPort?: number; delay?: { port: number; ms: number }; options?: Record<string, unknown>; waitForPong?: boolean },
  body: (pair: { client: Process; server: { current: Process }; open: ClientEvent }) => Promise<void>,
): Promise<void> {
  const server = { current: await lab.startServer(8080, setup.delay) };
  const client = await lab.startClient(`ws://${lab.serverIp}:${setup.clientPort ?? 8080}`, setup.options ?? FAST);
  try {
    const open = await next(client, 0, opened);
    if (setup.waitForPong) await next(client, 0, (e) => e.type === 'pong');
    await body({ client, server, open });
  } finally {
    await client.stop();
    await server.current.stop();
  }
}

/** Measured figures, printed at the end for the closing note and the README. */
const figures: Record<string, string> = {};

describe.skipIf(!support.ok)('real network faults (network namespaces)', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await createLab();
  });
  afterAll(async () => {
    await lab?.close();
    console.log(
      `network fault figures:\n${Object.entries(figures)
        .map(([k, v]) => `  ${k}: ${v}`)
        .join('\n')}`,
    );
  });

  it('silent black hole (nftables drop, both directions) for 10 s: heartbeat-timeout, then open again soon after the path returns', async () => {
    await withPair(lab, { waitForPong: true }, async ({ client }) => {
      const fault = Date.now();
      lab.blackhole(8080);
      const detected = await next(client, fault, disconnected);
      expect(detected.reason?.type).toBe('heartbeat-timeout');
      expect(detected.t - fault).toBeLessThanOrEqual(1_000 + 500 + 100);
      await sleep(10_000 - (Date.now() - fault));
      // Attempts during the outage ended by the connect timeout, not in the kernel's SYN retries.
      const attempts = events(client).filter((e) => e.t > detected.t && e.to === 'backing-off');
      expect(attempts.length).toBeGreaterThanOrEqual(5);
      expect(attempts.every((e) => e.reason?.type === 'connect-timeout')).toBe(true);
      const back = Date.now();
      lab.restore();
      const reopened = await next(client, back, opened);
      expect(reopened.t - back).toBeLessThanOrEqual(1_000);
      figures['black hole'] = `detected ${detected.t - fault} ms after the fault, open ${reopened.t - back} ms after the path returned`;
    });
  }, 30_000);

  it('server frozen with SIGSTOP for 5 s (the kernel still ACKs): heartbeat-timeout, open again after SIGCONT', async () => {
    await withPair(lab, { waitForPong: true }, async ({ client, server }) => {
      const fault = Date.now();
      process.kill(server.current.pid, 'SIGSTOP');
      const detected = await next(client, fault, disconnected);
      expect(detected.reason?.type).toBe('heartbeat-timeout');
      expect(detected.t - fault).toBeLessThanOrEqual(1_600);
      await sleep(5_000 - (Date.now() - fault));
      const resumed = Date.now();
      process.kill(server.current.pid, 'SIGCONT');
      const reopened = await next(client, resumed, opened);
      expect(reopened.t - resumed).toBeLessThanOrEqual(2_000);
      figures.SIGSTOP = `detected ${detected.t - fault} ms after the freeze, open ${reopened.t - resumed} ms after SIGCONT`;
    });
  }, 20_000);

  it('server killed with SIGKILL and restarted 2 s later: detected at once, open within one backoff step of the restart', async () => {
    await withPair(lab, {}, async ({ client, server }) => {
      const fault = Date.now();
      process.kill(server.current.pid, 'SIGKILL');
      const detected = await next(client, fault, disconnected);
      expect(detected.reason?.type).toBe('connection-lost');
      expect(detected.t - fault).toBeLessThanOrEqual(200);
      await sleep(2_000 - (Date.now() - fault));
      await server.current.stop();
      const restarted = Date.now();
      server.current = await lab.startServer(8080);
      const up = Date.now();
      const reopened = await next(client, restarted, opened);
      // One backoff step (<= 400 ms) after the server listens again, plus the handshake.
      expect(reopened.t - up).toBeLessThanOrEqual(400 + 100);
      figures.SIGKILL = `detected ${detected.t - fault} ms after the kill, open ${reopened.t - up} ms after the restarted server listened`;
    });
  }, 20_000);

  it('a path with ~100 ms each way and heartbeat 1 s / 0.5 s: no false disconnect in 10 s', async () => {
    await withPair(lab, { clientPort: 8082, delay: { port: 8082, ms: 100 } }, async ({ client, open }) => {
      await sleep(10_000);
      const after = events(client).filter((e) => e.t > open.t);
      expect(after.filter(disconnected)).toEqual([]);
      const rtts = after.filter((e) => e.type === 'pong').map((e) => e.rttMs as number);
      expect(rtts.length).toBeGreaterThanOrEqual(7);
      expect(Math.min(...rtts)).toBeGreaterThanOrEqual(190);
      figures.latency = `${rtts.length} pongs in 10 s, rtt ${Math.min(...rtts)}-${Math.max(...rtts)} ms, no disconnect`;
    });
  }, 20_000);

  describe.skipIf(!nginx)('behind nginx with proxy_read_timeout 3s', () => {
    let proxy: Process;
    beforeAll(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'wsm-nginx-'));
      const conf = join(dir, 'nginx.conf');
      writeFileSync(
        conf,
        `user root;
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen ${lab.serverIp}:8081;
    location / {
      proxy_pass http://127.0.0.1:8080;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_read_timeout 3s;
    }
  }
}
`,
      );
      proxy = lab.spawnIn('server', [nginx, '-c', conf, '-p', dir]);
      // nginx prints nothing when it starts: wait until it accepts connections.
      for (let i = 0; i < 100; i++) {
        try {
          lab.inServer(['bash', '-c', `exec 3<>/dev/tcp/${lab.serverIp}/8081`]);
          break;
        } catch {
          await sleep(50);
        }
      }
    });
    afterAll(async () => {
      await proxy?.stop();
    });

    it('with the heartbeat, the connection survives 10 s idle', async () => {
      await withPair(lab, { clientPort: 8081 }, async ({ client, open }) => {
        await sleep(10_000);
        expect(events(client).filter((e) => e.t > open.t && disconnected(e))).toEqual([]);
        figures['nginx, heartbeat on'] = 'no disconnect in 10 s idle';
      });
    }, 20_000);

    it('without the heartbeat, nginx cuts it at ~3 s: connection-lost, then reconnected', async () => {
      await withPair(lab, { clientPort: 8081, options: { ...FAST, heartbeat: false } }, async ({ client, open }) => {
        const cut = await next(client, open.t, disconnected, 10_000);
        expect(cut.reason?.type).toBe('connection-lost');
        expect(cut.t - open.t).toBeGreaterThanOrEqual(2_900);
        expect(cut.t - open.t).toBeLessThanOrEqual(4_000);
        const reopened = await next(client, cut.t, opened);
        figures['nginx, heartbeat off'] =
          `cut ${cut.t - open.t} ms after open (connection-lost), open again ${reopened.t - cut.t} ms later`;
      });
    }, 20_000);
  });
});
