/**
 * The `wsmachine` executable from its sources (the packed one is test/package/packed.test.ts's),
 * spawned against servers on 127.0.0.1.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { echoServer as startEchoServer, type EchoServer } from '../../src/testing/faults.ts';
import { closeAll, freePort, track, wsServer } from '../support/servers.ts';
import { selfSigned, tlsEchoServer } from '../support/tls.ts';
import { sleep } from '../support/wait.ts';

const CLI = ['--import', 'tsx', fileURLToPath(new URL('../../src/cli/index.ts', import.meta.url))];
const FAST = ['--ping-interval', '300ms', '--ping-timeout', '150ms', '--backoff-initial', '50ms', '--backoff-max', '200ms'];

interface Run {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Waits until stdout + stderr match `pattern` (5 s at most). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (kills the child and fails after `timeoutMs`). */
  exit(timeoutMs?: number): Promise<number | null>;
}

const running = new Set<ChildProcessWithoutNullStreams>();
afterEach(async () => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
  await closeAll();
});

function cli(args: readonly string[]): Run {
  const child = spawn(process.execPath, [...CLI, ...args], { stdio: 'pipe' });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor: async (pattern, timeoutMs = 5_000) => {
      for (const deadline = Date.now() + timeoutMs; !pattern.test(stdout + stderr);) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} in output:\n${stdout}\n${stderr}`);
        await sleep(20);
      }
    },
    exit: async (timeoutMs = 10_000) => {
      const code = await Promise.race([exited, sleep(timeoutMs).then(() => 'hung' as const)]);
      if (code === 'hung') {
        child.kill('SIGKILL');
        throw new Error(`wsmachine did not exit within ${timeoutMs} ms:\n${stdout}\n${stderr}`);
      }
      running.delete(child);
      return code;
    },
  };
}

async function textEchoServer() {
  return wsServer({ echo: true });
}

/** The fault-injection echo server (restartable), stopped after the test. */
async function echoServer(options: { port?: number } = {}): Promise<EchoServer> {
  const server = await startEchoServer(options);
  track({ close: () => server.stop() });
  return server;
}

describe('wsmachine <url>', () => {
  it('sends stdin lines and prints the echoes on stdout; exits 0 at the end of stdin', async () => {
    const server = await textEchoServer();
    const run = cli([server.url, ...FAST]);
    run.child.stdin.write('hello\nworld\n');
    await run.waitFor(/world/);
    run.child.stdin.end();
    expect(await run.exit()).toBe(0);
    expect(run.stdout().split('\n').filter(Boolean)).toEqual(['hello', 'world']);
    expect(run.stderr()).toMatch(/\d\d:\d\d:\d\d\.\d{3} connecting -> open/);
    expect(run.stderr()).toMatch(/closing -> closed {2}closed-by-client 1000/);
  });

  it('sends lines typed before the socket opened once it opens, then exits', async () => {
    const port = await freePort();
    const run = cli([`ws://127.0.0.1:${port}`, ...FAST]);
    run.child.stdin.end('early\n');
    await run.waitFor(/backing-off/);
    await echoServer({ port });
    expect(await run.exit()).toBe(0);
    expect(run.stdout()).toContain('early');
  });

  it('--json: one parsable object per line with t and type, carrying a server restart', async () => {
    const server = await echoServer();
    const run = cli([server.url, '--json', ...FAST]);
    await run.waitFor(/"to":"open"/);
    await server.stop();
    await sleep(300);
    await server.start();
    await run.waitFor(/"to":"open"[\s\S]*"to":"open"/);
    run.child.stdin.write('after restart\n');
    await run.waitFor(/after restart/);
    await run.waitFor(/"type":"pong"/);
    run.child.stdin.end();
    expect(await run.exit()).toBe(0);
    const lines = run
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const line of lines) {
      expect(line.t).toBeTypeOf('number');
      expect(['state', 'message', 'pong', 'error']).toContain(line.type);
    }
    const states = lines.filter((l) => l.type === 'state');
    expect(states).toContainEqual(
      expect.objectContaining({ from: 'open', to: 'backing-off', reason: { type: 'closed-by-server', code: 1012, reason: 'restart' } }),
    );
    const backingOff = states.find((l) => l.to === 'backing-off');
    expect(backingOff?.delayMs).toBeTypeOf('number');
    expect(backingOff?.attempt).toBe(1);
    expect(states.filter((l) => l.to === 'open').length).toBeGreaterThanOrEqual(2);
    expect(lines).toContainEqual(expect.objectContaining({ type: 'message', data: 'after restart' }));
    expect(lines.some((l) => l.type === 'pong' && typeof l.rttMs === 'number')).toBe(true);
    expect(run.stderr()).toBe('');
  });

  it('never prints a token from the URL or an Authorization / Cookie header, not even in echoed messages', async () => {
    const server = await textEchoServer();
    const secrets = ['urlSecret123', 'bearerSecret456', 'cookieSecret789', 'pa55word'];
    const url = `ws://user:pa55word@127.0.0.1:${server.port}/feed?token=urlSecret123&room=lobby`;
    const run = cli([url, ...FAST, '-H', 'Authorization: Bearer bearerSecret456', '-H', 'Cookie: sid=cookieSecret789']);
    const request = await server.nextConnection();
    expect(request.request.headers.authorization).toBe('Bearer bearerSecret456');
    run.child.stdin.write('echo urlSecret123 and bearerSecret456 and cookieSecret789\n');
    await run.waitFor(/echo \*\*\*/);
    request.socket.close(4000, 'bye urlSecret123');
    await run.waitFor(/bye/);
    run.child.stdin.end();
    await run.exit();
    const output = run.stdout() + run.stderr();
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).toContain('token=***');
    expect(output).toContain('room=lobby');
    expect(output).toContain('echo *** and *** and ***');
  });

  it('masks a token given as the URL user name and presigned-URL parameters (X-Amz-Signature, access-token)', async () => {
    const server = await textEchoServer();
    const url = `ws://userTok3nSecret@127.0.0.1:${server.port}/feed?X-Amz-Signature=sigSecret42&access-token=atSecret42&room=lobby`;
    const run = cli([url, ...FAST]);
    await server.nextConnection();
    run.child.stdin.write('echo sigSecret42 atSecret42 userTok3nSecret\n');
    await run.waitFor(/echo \*\*\*/);
    run.child.stdin.end();
    await run.exit();
    const output = run.stdout() + run.stderr();
    for (const secret of ['userTok3nSecret', 'sigSecret42', 'atSecret42']) expect(output).not.toContain(secret);
    expect(output).toContain('connecting to ws://***@127.0.0.1');
    expect(output).toContain('X-Amz-Signature=***&access-token=***&room=lobby');
  });

  it('SIGTERM closes the socket cleanly (the server sees 1000) and exits 0', async () => {
    const server = await textEchoServer();
    const run = cli([server.url, ...FAST]);
    const { socket } = await server.nextConnection();
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await run.waitFor(/connecting -> open/);
    run.child.kill('SIGTERM');
    expect(await run.exit()).toBe(0);
    expect(await closed).toBe(1000);
  });

  it('exits 1 when the machine gives up', async () => {
    const run = cli([`ws://127.0.0.1:${await freePort()}`, ...FAST, '--max-attempts', '1']);
    expect(await run.exit()).toBe(1);
    expect(run.stderr()).toMatch(/backing-off -> connecting[\s\S]*-> closed {2}network-error ECONNREFUSED, gave up/);
  });

  it.each([
    [['--bogus', 'ws://127.0.0.1:1'], /unknown option '--bogus' \(see wsmachine --help\)/],
    [['ws://127.0.0.1:1', '--ping-intervl', '5s'], /unknown option '--ping-intervl' \(did you mean --ping-interval\?\)/],
    [['ws://127.0.0.1:1', '--connect-timeout', '0'], /^wsmachine: --connect-timeout must be between 1 and 2147483647, got 0$/m],
    [['http://127.0.0.1:1'], /must be a ws:\/\/ or wss:\/\/ URL: "http:\/\/127\.0\.0\.1:1\/" \(its scheme is http:\)/],
    [['ws://127.0.0.1:1/#part'], /\(it has a #fragment\)/],
    [['ws://127.0.0.1:99999/?token=s3cr3t'], /"ws:\/\/127\.0\.0\.1:99999\/\?token=\*\*\*" \(it does not parse\)/],
    [['ws://127.0.0.1:1', '--ping-interval', 'soon'], /--ping-interval expects a duration/],
    [['ws://127.0.0.1:1', '--ping-interval', '5s', '--ping-timeout', '5s'], /--ping-interval must be greater than --ping-timeout/],
    [['ws://127.0.0.1:1', '--backoff-initial', '10s', '--backoff-max', '1s'], /--backoff-initial must not exceed --backoff-max/],
    [['ws://127.0.0.1:1', '--max-attempts', 'some'], /--max-attempts expects a whole number/],
    [['ws://127.0.0.1:1', '-H', 'no colon'], /--header expects "Name: value"/],
    [['ws://127.0.0.1:1', '-H', 'X-Price: 5 €'], /--header X-Price: must be a string of header characters/],
    [['ws://127.0.0.1:1', '--inspect-local=99999'], /--inspect-local expects a port/],
    [[], /expected one ws:\/\/ or wss:\/\/ URL/],
    [['ws://127.0.0.1:1', '-c', 'ws://127.0.0.1:1'], /expected one ws:\/\/ or wss:\/\/ URL/],
    [['ws://127.0.0.1:1', '--wait', '1s'], /--wait goes with --execute/],
    [['ws://127.0.0.1:1', '-x', 'hi', '-w', 'soon'], /--wait expects a duration like 500ms, 5s, 2m or 5/],
    [['ws://127.0.0.1:1', '--ca', '/nonexistent/ca.pem'], /--ca "\/nonexistent\/ca.pem": ENOENT/],
    [['ws://127.0.0.1:1', '-x', 'hi', '-w', '3000000'], /--wait must be at most 2147483647 ms/],
    [['ws://127.0.0.1:1', '--auth', 'nocolon'], /--auth expects user:password/],
    [['ws://127.0.0.1:1', '--auth', 'u:p', '-H', 'authorization: Bearer x'], /--auth and an Authorization header: give one of them/],
    [['ws://127.0.0.1:1', '-o', 'https://a.example\u0007'], /--origin must be a string of header characters/],
  ])('bad usage %j: one line naming the flag, exit 2, nothing connected', async (args, message) => {
    const server = await wsServer();
    const run = cli(args.map((a) => a.replace('ws://127.0.0.1:1', server.url)));
    expect(await run.exit()).toBe(2);
    expect(run.stderr()).toMatch(message);
    expect(run.stderr().trim().split('\n')).toHaveLength(1);
    expect(run.stdout()).toBe('');
    expect(server.clients()).toHaveLength(0);
  });

  it('--help and --version', async () => {
    const help = cli(['--help']);
    expect(await help.exit()).toBe(0);
    for (const flag of ['--ping-interval', '-c, --connect', '-x, --execute', '-w, --wait', '-P, --show-ping-pong', '-o, --origin']) {
      expect(help.stdout()).toContain(flag);
    }
    for (const flag of ['--auth', '--ca', '--cert', '--key', '-n, --no-check', '--slash', '-v, --verbose'])
      expect(help.stdout()).toContain(flag);
    const version = cli(['--version']);
    expect(await version.exit()).toBe(0);
    expect(version.stdout()).toMatch(/^wsmachine \d+\.\d+\.\d+\n$/);
  });
});

describe("wscat's habits", () => {
  it('-c <url> -x <msg> (twice) -w: sends once open, prints the replies, closes with 1000 and exits 0 without reading stdin', async () => {
    const server = await textEchoServer();
    const closed = server.nextConnection().then(({ socket }) => new Promise<number>((resolve) => socket.on('close', resolve)));
    const run = cli(['-c', server.url, '-x', 'hello', '-x', 'world', '-w', '400ms']);
    expect(await run.exit()).toBe(0);
    expect(run.stdout().split('\n').filter(Boolean)).toEqual(['hello', 'world']);
    expect(server.received).toEqual(['hello', 'world']);
    expect(await closed).toBe(1000);
  });

  it('-x to a server that is not there: no reconnect (as connect()), exit 1 at once', async () => {
    const run = cli([`ws://127.0.0.1:${await freePort()}`, '-x', 'hello', '-w', '5']);
    expect(await run.exit(5_000)).toBe(1);
    expect(run.stderr()).toMatch(/-> closed {2}network-error ECONNREFUSED/);
    expect(run.stderr()).not.toContain('backing-off');
  });

  it('--auth and -o reach the handshake; the credentials are never printed', async () => {
    const server = await textEchoServer();
    const request = server.nextConnection().then(({ request }) => request);
    const run = cli([server.url, '--auth', 'alice:s3cret-pw', '-o', 'https://app.example', '-x', 'hi', '-w', '200ms', '-v']);
    expect(await run.exit()).toBe(0);
    const { headers } = await request;
    expect(headers.authorization).toBe(`Basic ${Buffer.from('alice:s3cret-pw').toString('base64')}`);
    expect(headers.origin).toBe('https://app.example');
    const printed = run.stdout() + run.stderr();
    expect(printed).toContain('hi');
    expect(printed).not.toContain('s3cret-pw');
    expect(printed).not.toContain(Buffer.from('alice:s3cret-pw').toString('base64'));
  });

  it('--slash: /stats, /ping, //text (a message), an unknown command, /reconnect (a new connection), then /close 4000 bye ends the session', async () => {
    const server = await textEchoServer();
    const closed = server
      .nextConnection()
      .then(
        ({ socket }) =>
          new Promise<[number, string]>((resolve) => socket.on('close', (code, reason) => resolve([code, reason.toString()]))),
      );
    const run = cli([server.url, '--slash', ...FAST]);
    await run.waitFor(/-> open/);
    run.child.stdin.write('/stats\n/ping\n//hello\n/nope\n');
    await run.waitFor(/unknown command \/nope/);
    await run.waitFor(/\/hello/);
    const second = server
      .nextConnection()
      .then(
        ({ socket }) =>
          new Promise<[number, string]>((resolve) => socket.on('close', (code, reason) => resolve([code, reason.toString()]))),
      );
    run.child.stdin.write('/reconnect\n');
    await run.waitFor(/connecting -> open[\s\S]*-> connecting[\s\S]*connecting -> open/);
    run.child.stdin.write('/close 4000 bye\n');
    expect(await run.exit()).toBe(0);
    expect(await closed).toEqual([1006, '']);
    expect(await second).toEqual([4000, 'bye']);
    expect(server.received).toEqual(['/hello']);
    expect(run.stderr()).toMatch(/\{"state":"open","attempts":0,/);
    expect(run.stdout().split('\n').filter(Boolean)).toEqual(['/hello']);
  });

  it('--slash: nothing is taken after /close (a /reconnect there does not keep the process alive)', async () => {
    const server = await textEchoServer();
    const run = cli([server.url, '--slash', '--json']);
    await run.waitFor(/"to":"open"/);
    run.child.stdin.write('/stats\n/close\n/reconnect\nlate line\n');
    expect(await run.exit()).toBe(0);
    expect(server.received).toEqual([]);
    const stats = run
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.type === 'stats');
    expect(stats).toMatchObject({ type: 'stats', state: 'open', attempts: 0 });
    expect(run.stderr()).not.toContain('never sent');
  });

  it('-x to a server that answers and then closes (1000): the exchange is over, exit 0', async () => {
    const server = await wsServer({
      onConnection: (socket) =>
        socket.on('message', (data) => (socket.send(`re:${(data as Buffer).toString()}`), socket.close(1000, 'done'))),
    });
    const run = cli([server.url, '-x', 'hi', '-w', '5s']);
    expect(await run.exit()).toBe(0);
    expect(run.stdout()).toBe('re:hi\n');
  });

  it('--auth with an empty or a short password never garbles what is printed', async () => {
    const server = await textEchoServer();
    for (const auth of ['alice:', 'alice:a']) {
      const run = cli([server.url, '--auth', auth, '-x', 'hello', '-w', '200ms']);
      expect(await run.exit()).toBe(0);
      expect(run.stdout()).toBe('hello\n');
      expect(run.stderr()).toContain(`connecting to ${server.url}/`);
    }
  });

  it('without --slash a line that starts with / is a message', async () => {
    const server = await textEchoServer();
    const run = cli([server.url]);
    run.child.stdin.end('/stats\n');
    expect(await run.exit()).toBe(0);
    expect(server.received).toEqual(['/stats']);
  });

  it('the timeline leaves out heartbeat cycles; -v shows them; -P prints pings and pongs', async () => {
    const server = await wsServer({ echo: true, onConnection: (socket) => setTimeout(() => socket.ping('hb'), 100) });
    const quiet = cli([server.url, ...FAST]);
    const verbose = cli([server.url, ...FAST, '-v', '-P']);
    await verbose.waitFor(/awaiting-pong -> open[\s\S]*awaiting-pong -> open/);
    await verbose.waitFor(/< pong \d+ ms/);
    await verbose.waitFor(/< ping "hb" \(answered\)/);
    await quiet.waitFor(/-> open/);
    await sleep(700); // two more heartbeat cycles for the quiet one
    quiet.child.stdin.end();
    verbose.child.stdin.end();
    expect(await quiet.exit()).toBe(0);
    expect(await verbose.exit()).toBe(0);
    expect(quiet.stderr()).not.toMatch(/awaiting-pong|< pong|< ping/);
    expect(quiet.stderr()).toMatch(/connecting -> open/);
  });

  it('--ca trusts a self-signed server, -n skips the check, and without either it is a tls-error', async () => {
    const tls = selfSigned();
    const server = await tlsEchoServer(tls);
    const trusted = cli([server.url, '--ca', tls.certPath, '-x', 'over tls', '-w', '300ms']);
    expect(await trusted.exit()).toBe(0);
    expect(trusted.stdout()).toBe('over tls\n');
    const unchecked = cli([server.url, '-n', '-x', 'unchecked', '-w', '300ms']);
    expect(await unchecked.exit()).toBe(0);
    expect(unchecked.stdout()).toBe('unchecked\n');
    const refused = cli([server.url, '-x', 'nope', '-w', '300ms']);
    expect(await refused.exit()).toBe(1);
    expect(refused.stderr()).toMatch(/tls-error DEPTH_ZERO_SELF_SIGNED_CERT/);
    // Three CLI processes, one after the other, each starting tsx: seconds on a loaded 2-core machine.
  }, 20_000);

  it('--cert and --key present a client certificate to a server that asks for one', async () => {
    const tls = selfSigned();
    const server = await tlsEchoServer(tls, tls.cert);
    const withCert = cli([server.url, '--ca', tls.certPath, '--cert', tls.certPath, '--key', tls.keyPath, '-x', 'mutual', '-w', '300ms']);
    expect(await withCert.exit()).toBe(0);
    expect(withCert.stdout()).toBe('mutual\n');
    expect(server.requests).toHaveLength(1);
    const without = cli([server.url, '--ca', tls.certPath, '-x', 'mutual', '-w', '300ms']);
    expect(await without.exit()).toBe(1);
    expect(server.requests).toHaveLength(1);
  }, 20_000);
});

describe('wsmachine demo', () => {
  it('runs every fault, prints the summary table and exits 0', async () => {
    const run = cli(['demo']);
    expect(await run.exit(60_000)).toBe(0);
    const out = run.stdout();
    for (const reason of [
      'closed-by-server 1012',
      'heartbeat-timeout after 500 ms',
      'closed-by-server 1013',
      'handshake-rejected HTTP 503',
    ]) {
      expect(out).toMatch(new RegExp(`${reason}.*ok`));
    }
    expect(out).toContain('all 4 faults detected and recovered');
  }, 70_000);
});
