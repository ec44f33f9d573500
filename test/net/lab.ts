/**
 * A two-host lab made of Linux network namespaces: a server host and a client host joined by a
 * veth pair, with link-local addresses that exist only inside the lab. Faults are injected on the
 * real kernel path: nftables drop rules (a silent black hole: no FIN, RST or ICMP), signals to the
 * server process, a reverse proxy (nginx). Everything the lab creates (namespaces, which take their
 * veth ends and nft tables with them, and processes) is removed by `close()`, and by an exit hook
 * if the test process dies first.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const TSX = ['--import', 'tsx'];
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

function sh(args: readonly string[]): string {
  return execFileSync(args[0] as string, args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

/** Whether this machine lets us build the lab, and why not when it does not. */
export function labSupport(): { ok: true } | { ok: false; why: string } {
  if (process.platform !== 'linux') return { ok: false, why: 'network namespaces need Linux' };
  if (process.getuid?.() !== 0) return { ok: false, why: 'network namespaces need root' };
  for (const tool of ['ip', 'nft']) {
    try {
      sh(['sh', '-c', `command -v ${tool}`]);
    } catch {
      return { ok: false, why: `${tool} is missing (apt-get install iproute2 nftables)` };
    }
  }
  const probe = `wsmprobe${process.pid}`;
  try {
    sh(['ip', 'netns', 'add', probe]);
    sh(['ip', 'netns', 'del', probe]);
  } catch (error) {
    return { ok: false, why: `ip netns add failed: ${(error as Error).message.split('\n')[0]}` };
  }
  return { ok: true };
}

export interface Process {
  readonly child: ChildProcessWithoutNullStreams;
  readonly pid: number;
  /** Everything the process printed on stdout so far, split in lines. */
  lines(): string[];
  /** Waits for a line matching `pattern` (bounded). */
  waitForLine(pattern: RegExp | ((line: string) => boolean), timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export interface Lab {
  readonly serverIp: string;
  readonly clientIp: string;
  /** Runs a command inside the server's namespace. */
  inServer(args: readonly string[]): string;
  /** Starts a process in the server's or the client's namespace. */
  spawnIn(host: 'server' | 'client', args: readonly string[]): Process;
  /** The ws echo server (port), optionally with a delaying proxy in front (delayPort, delayMs). */
  startServer(port: number, delay?: { port: number; ms: number }): Promise<Process>;
  /** A wsmachine client printing its events as JSON lines. */
  startClient(url: string, options: Record<string, unknown>): Promise<Process>;
  /** Drops every packet to and from `port` on the server, silently, in both directions. */
  blackhole(port: number): void;
  restore(): void;
  close(): Promise<void>;
}

export async function createLab(): Promise<Lab> {
  const id = `${process.pid % 10_000}${randomInt(100, 999)}`;
  const ns = { server: `wsm${id}s`, client: `wsm${id}c` };
  const veth = { server: `wsv${id}s`, client: `wsv${id}c` };
  const octet = randomInt(1, 254);
  const serverIp = `169.254.${octet}.1`;
  const clientIp = `169.254.${octet}.2`;
  const processes = new Set<Process>();

  const teardown = () => {
    for (const p of processes) p.child.kill('SIGKILL');
    for (const name of Object.values(ns)) {
      try {
        sh(['ip', 'netns', 'del', name]);
      } catch {
        /* already gone */
      }
    }
  };
  process.once('exit', teardown);

  try {
    sh(['ip', 'netns', 'add', ns.server]);
    sh(['ip', 'netns', 'add', ns.client]);
    sh(['ip', 'link', 'add', veth.server, 'type', 'veth', 'peer', 'name', veth.client]);
    sh(['ip', 'link', 'set', veth.server, 'netns', ns.server]);
    sh(['ip', 'link', 'set', veth.client, 'netns', ns.client]);
    for (const host of ['server', 'client'] as const) {
      const ip = host === 'server' ? serverIp : clientIp;
      sh(['ip', '-n', ns[host], 'addr', 'add', `${ip}/30`, 'dev', veth[host]]);
      sh(['ip', '-n', ns[host], 'link', 'set', veth[host], 'up']);
      sh(['ip', '-n', ns[host], 'link', 'set', 'lo', 'up']);
    }
  } catch (error) {
    teardown();
    throw error;
  }

  const spawnIn = (host: 'server' | 'client', args: readonly string[]): Process => {
    const child = spawn('ip', ['netns', 'exec', ns[host], ...args], { stdio: 'pipe' });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const lines = () => out.split('\n').filter(Boolean);
    const proc: Process = {
      child,
      pid: child.pid as number,
      lines,
      waitForLine: async (pattern, timeoutMs = 10_000) => {
        const test = typeof pattern === 'function' ? pattern : (line: string) => pattern.test(line);
        for (const deadline = Date.now() + timeoutMs; ;) {
          const found = lines().find(test);
          if (found !== undefined) return found;
          if (Date.now() > deadline || child.exitCode !== null) {
            throw new Error(`no line ${String(pattern)} from ${args.join(' ')}\nstdout:\n${out}\nstderr:\n${err}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      },
      stop: async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGCONT');
          child.kill('SIGTERM');
          const patience = setTimeout(() => child.kill('SIGKILL'), 3_000);
          await exited;
          clearTimeout(patience);
        }
        processes.delete(proc);
      },
    };
    processes.add(proc);
    return proc;
  };

  return {
    serverIp,
    clientIp,
    inServer: (args) => sh(['ip', 'netns', 'exec', ns.server, ...args]),
    spawnIn,
    startServer: async (port, delay) => {
      const args = [process.execPath, ...TSX, here('./peer-server.ts'), String(port)];
      if (delay) args.push(String(delay.port), String(delay.ms));
      const server = spawnIn('server', args);
      await server.waitForLine(/^ready$/);
      return server;
    },
    startClient: async (url, options) => {
      return spawnIn('client', [process.execPath, ...TSX, here('./peer-client.ts'), url, JSON.stringify(options)]);
    },
    blackhole: (port) => {
      execFileSync('ip', ['netns', 'exec', ns.server, 'nft', '-f', '-'], {
        input: [
          'table inet wsm_blackhole {',
          '  chain input { type filter hook input priority 0; policy accept; tcp dport ' + port + ' drop; }',
          '  chain output { type filter hook output priority 0; policy accept; tcp sport ' + port + ' drop; }',
          '}',
        ].join('\n'),
      });
    },
    restore: () => {
      sh(['ip', 'netns', 'exec', ns.server, 'nft', 'delete', 'table', 'inet', 'wsm_blackhole']);
    },
    close: async () => {
      await Promise.all([...processes].map((p) => p.stop()));
      teardown();
      process.removeListener('exit', teardown);
    },
  };
}
