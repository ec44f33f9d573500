/**
 * The package as a user gets it: `npm pack` (which builds dist/ through prepack), the tarball
 * installed into a fresh project in a temporary folder, and then what each kind of user does with
 * it: import and require in plain Node, TypeScript under nodenext and bundler resolution, `npx
 * wsmachine`, a browser bundle, the two linters of package shape, and the programs of examples/
 * as a user runs them. Nothing here reads the repository's sources except to compare the packed
 * entries with them. Past 300 lines for one reason: one `npm pack` serves every check (two packs
 * at once would race on dist/).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as browserEntry from '../../src/browser.ts';
import * as rootEntry from '../../src/index.ts';
import * as inspectorEntry from '../../src/inspector/index.ts';
import * as machineEntry from '../../src/machine.ts';
import * as testingEntry from '../../src/testing/index.ts';
import * as reconnectingEntry from '../../src/reconnecting.ts';
import { echoServer, type EchoServer } from '../../src/testing/faults.ts';
import { chromiumAvailable, launchChromium } from '../support/chromium.ts';
import { WebSocketServer } from 'ws';
import { closeAll, wsServer } from '../support/servers.ts';
import { sleep } from '../support/wait.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CONSUMER = fileURLToPath(new URL('./consumer/', import.meta.url));
const bin = (name: string) => join(REPO, 'node_modules', '.bin', name);

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const running = new Set<number>();

/** Runs a command to its end (killed by its PID after `timeoutMs`), with its output. */
function run(
  command: string,
  args: readonly string[],
  cwd: string,
  timeoutMs = 60_000,
  onOutput?: (text: string) => void,
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    const pid = child.pid;
    if (pid !== undefined) running.add(pid);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      onOutput?.(stdout + stderr);
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      onOutput?.(stdout + stderr);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not end within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (pid !== undefined) running.delete(pid);
      resolve({ code, stdout, stderr });
    });
  });
}

let work: string;
let app: string;
/** The same project with the oldest XState the peer range admits. */
let floorApp: string;
const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  version: string;
  peerDependencies: Record<string, string>;
};
const XSTATE_FLOOR = (manifest.peerDependencies.xstate ?? '').replace(/^\^/, '');
let tarball: string;
let packedFiles: string[];
let server: EchoServer;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'wsmachine-packed-'));
  app = join(work, 'app');
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], REPO, 120_000);
  expect(packed.code, packed.stderr).toBe(0);
  // npm prints prepack's own output before the JSON.
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[\n'))) as [{ filename: string; files: { path: string }[] }];
  tarball = join(work, info.filename);
  packedFiles = info.files.map((f) => f.path);
  floorApp = join(work, 'floor');
  const projects: [string, string[]][] = [
    [app, []],
    [floorApp, [`xstate@${XSTATE_FLOOR}`]],
  ];
  await Promise.all(
    projects.map(async ([dir, extra]) => {
      await cp(CONSUMER, dir, { recursive: true });
      await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
      const installed = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...extra], dir, 120_000);
      expect(installed.code, installed.stderr).toBe(0);
    }),
  );
  server = await echoServer();
}, 240_000);

afterAll(async () => {
  for (const pid of running) process.kill(pid, 'SIGKILL');
  await closeAll();
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the tarball', () => {
  it('holds the build, the sources its maps point at, the README, the CHANGELOG and the LICENSE; no tests, benchmarks or configs', () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'CHANGELOG.md',
        'LICENSE',
        'README.md',
        'package.json',
        'dist/src/index.js',
        'dist/src/index.d.ts',
        'dist/src/index.d.ts.map',
        'src/index.ts',
      ]),
    );
    const stray = packedFiles.filter(
      (path) =>
        !/^(dist|src|common|machines|adapters)\//.test(path) && !['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json'].includes(path),
    );
    expect(stray).toEqual([]);
    expect(packedFiles.filter((path) => /\.test\.|^test\/|^bench\//.test(path))).toEqual([]);
  });
});

describe('in plain Node', { timeout: 90_000 }, () => {
  it('import: each entry exports what its source exports, and a socket echoes', async () => {
    const result = await run(process.execPath, ['node-esm.mjs', server.url], app);
    expect(result.code, result.stderr).toBe(0);
    const [exports, echo] = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    const keys = (m: object) => Object.keys(m).sort();
    expect(exports).toEqual({
      root: keys(rootEntry),
      browser: keys(browserEntry),
      machine: keys(machineEntry),
      testing: keys(testingEntry),
      inspector: keys(inspectorEntry),
      reconnecting: keys(reconnectingEntry),
    });
    expect(echo).toEqual({ echo: 'over esm', closed: 'closed-by-client' });
  });

  it(`require('wsmachine') on Node ${process.versions.node}: the same facade, no warning`, async () => {
    const result = await run(process.execPath, ['node-cjs.cjs', server.url], app);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ echo: 'over require', closed: 'closed-by-client', wsmError: 'function' });
    expect(result.stderr).toBe('');
  });
});

describe('ReconnectingWebSocket as the peers users import it', { timeout: 90_000 }, () => {
  it("require('wsmachine/reconnecting') is the class (reconnecting-websocket's CommonJS line), over ws", async () => {
    const result = await run(process.execPath, ['rws-cjs.cjs', server.url], app);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ echo: 'over require', code: 1000, readyState: 3 });
    expect(result.stderr).toBe('');
  });

  it("import ReconnectingWebSocket from 'wsmachine/reconnecting' is the root entry's class; binary as arraybuffer", async () => {
    const result = await run(process.execPath, ['rws-esm.mjs', server.url], app);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ same: true, bytes: [1, 2, 3], code: 4000 });
  });
});

describe('TypeScript, strict, skipLibCheck off', { timeout: 90_000 }, () => {
  const tsconfig = async (name: string, options: Record<string, unknown>, files: string[], dir = app) =>
    writeFile(
      join(dir, name),
      JSON.stringify({
        compilerOptions: { strict: true, skipLibCheck: false, noEmit: true, target: 'es2022', types: [], ...options },
        files,
      }),
    );

  it.each([
    ['module nodenext', { module: 'nodenext' }],
    ['moduleResolution bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ])('a consumer of every entry compiles under %s (no @types/ws installed by hand)', async (name, options) => {
    const file = `tsconfig.${name.replace(/\W+/g, '-')}.json`;
    await tsconfig(file, options, ['types.ts']);
    const result = await run(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', file], app);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  // XState 5.33's own setup.d.ts does not compile under exactOptionalPropertyTypes with
  // skipLibCheck off; wsmachine's declarations must add nothing to that.
  it('with exactOptionalPropertyTypes too, no error comes from wsmachine', async () => {
    await tsconfig('tsconfig.exact.json', { module: 'nodenext', exactOptionalPropertyTypes: true }, ['types.ts']);
    const result = await run(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.exact.json'], app);
    const files = result.stdout
      .split('\n')
      .filter((line) => /^\S+\(\d+,\d+\): error/.test(line))
      .map((line) => line.slice(0, line.indexOf('(')));
    expect(result.stderr).toBe('');
    expect(files.filter((file) => !file.startsWith('node_modules/xstate/'))).toEqual([]);
  });

  it('a CommonJS consumer (.cts) compiles under nodenext', async () => {
    await tsconfig('tsconfig.cjs.json', { module: 'nodenext' }, ['types-cjs.cts']);
    const result = await run(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.cjs.json'], app);
    expect(result.stdout + result.stderr).toBe('');
  });

  // The declarations spell out XState's generic types at the arity of the version they were built
  // against, so the range's floor is where that arity begins; this holds it to its word.
  it(`with the app's own XState at the peer range's floor (${XSTATE_FLOOR}): one copy, the consumer compiles, a socket echoes`, async () => {
    await tsconfig('tsconfig.json', { module: 'nodenext' }, ['types.ts'], floorApp);
    const compiled = await run(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', '.'], floorApp);
    expect(compiled.stdout + compiled.stderr).toBe('');
    const installed = JSON.parse(readFileSync(join(floorApp, 'node_modules/xstate/package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(XSTATE_FLOOR);
    // One XState: the app's own, which the embedded machine shares (a peer, never a nested copy).
    expect(existsSync(join(floorApp, 'node_modules/wsmachine/node_modules/xstate'))).toBe(false);
    const result = await run(process.execPath, ['node-esm.mjs', server.url], floorApp);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.trim().split('\n')[1] ?? '')).toEqual({ echo: 'over esm', closed: 'closed-by-client' });
  });

  it('wsmachine/testing alone, in a project with `types: []`, brings the Node types its declarations name', async () => {
    await tsconfig('tsconfig.testing.json', { module: 'nodenext' }, ['testing-only.ts']);
    const result = await run(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.testing.json'], app);
    expect(result.stdout + result.stderr).toBe('');
  });

  it("a browser app's code compiles with DOM types and pulls in neither Node's types nor ws's", async () => {
    await tsconfig('tsconfig.web.json', { module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'] }, ['web-types.ts']);
    const result = await run(
      process.execPath,
      [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.web.json', '--listFiles'],
      app,
    );
    expect(result.code, result.stdout).toBe(0);
    const loaded = result.stdout.split('\n').filter((path) => path.includes('/node_modules/'));
    expect(loaded.some((path) => path.includes('/wsmachine/dist/src/browser.d.ts'))).toBe(true);
    expect(loaded.filter((path) => /\/@types\/(node|ws)\//.test(path))).toEqual([]);
  });
});

describe('npx wsmachine', { timeout: 90_000 }, () => {
  it('--help and --version exit 0', async () => {
    const help = await run('npx', ['--no-install', 'wsmachine', '--help'], app);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: wsmachine/);
    const version = await run('npx', ['--no-install', 'wsmachine', '--version'], app);
    expect(version.stdout.trim()).toBe(`wsmachine ${manifest.version}`);
  });

  it('demo --inspect-local runs every fault to a recovery, serving the inspector with its diagram', async () => {
    let svg: Promise<string> | undefined;
    const result = await run('npx', ['--no-install', 'wsmachine', 'demo', '--inspect-local'], app, 90_000, (output) => {
      const url = /inspector: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1];
      if (url && !svg) svg = fetch(`${url}machine.svg`).then((response) => response.text());
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('all 4 faults detected and recovered');
    const drawing = await svg;
    expect(drawing).toContain('<svg');
    expect(drawing).toContain('id="connection_live_connected_open"');
  });
});

describe('bundled for the browser (esbuild, platform browser)', { timeout: 90_000 }, () => {
  /** The files that put code in the bundle (the metafile's inputs also list what was shaken out). */
  const bundle = async (entry: string): Promise<Metafile['inputs']> => {
    const result = await build({
      absWorkingDir: app,
      entryPoints: [entry],
      bundle: true,
      write: false,
      minify: true,
      platform: 'browser',
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
    });
    const [output] = Object.values(result.metafile.outputs);
    const used = new Set(
      Object.entries(output?.inputs ?? {})
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([path]) => path),
    );
    return Object.fromEntries(Object.entries(result.metafile.inputs).filter(([path]) => used.has(path)));
  };
  const foreign = (inputs: Metafile['inputs']) => ({
    // `ws` would resolve to its browser stub; a Node built-in fails the build on this platform.
    ws: Object.keys(inputs).filter((path) => path.includes('node_modules/ws/')),
    builtins: Object.values(inputs).flatMap((input) =>
      input.imports.filter((i) => i.path.startsWith('node:') || i.external).map((i) => i.path),
    ),
  });

  it("import { createSocket } from 'wsmachine' resolves to the browser facade, with no Node built-in and no ws", async () => {
    const inputs = await bundle('page.js');
    expect(Object.keys(inputs)).toContain('node_modules/wsmachine/dist/src/browser.js');
    expect(Object.keys(inputs)).not.toContain('node_modules/wsmachine/dist/adapters/ws.js');
    expect(foreign(inputs)).toEqual({ ws: [], builtins: [] });
  });

  it("import ReconnectingWebSocket from 'wsmachine/reconnecting' resolves to the browser class, with no Node built-in and no ws", async () => {
    const inputs = await bundle('rws-page.js');
    expect(Object.keys(inputs)).toContain('node_modules/wsmachine/dist/src/reconnecting-browser.js');
    expect(Object.keys(inputs)).not.toContain('node_modules/wsmachine/dist/adapters/ws.js');
    expect(foreign(inputs)).toEqual({ ws: [], builtins: [] });
  });

  it('embedding the machine with the web adapter leaves the ws adapter out', async () => {
    const inputs = await bundle('embed-page.js');
    expect(Object.keys(inputs)).toContain('node_modules/wsmachine/dist/adapters/web.js');
    expect(Object.keys(inputs)).not.toContain('node_modules/wsmachine/dist/adapters/ws.js');
    expect(foreign(inputs)).toEqual({ ws: [], builtins: [] });
  });
});

describe('package linters', { timeout: 90_000 }, () => {
  it('publint --strict: all good', async () => {
    const result = await run(bin('publint'), ['run', tarball, '--strict'], work);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('All good!');
  });

  // The esm-only profile leaves out node10 (no `exports` support) and node16-cjs, whose check
  // predates require() of ES modules; the require() and .cts tests above cover that path for real.
  it('arethetypeswrong, esm-only profile: no problem in any entry', async () => {
    const result = await run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'json'], work);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as {
      analysis: { entrypoints: Record<string, unknown> };
      problems: Record<string, { entrypoint: string; resolutionKind: string }[]>;
    };
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual([
      '.',
      './browser',
      './inspector',
      './machine',
      './reconnecting',
      './testing',
    ]);
    const counted = Object.values(report.problems)
      .flat()
      .filter((problem) => !['node10', 'node16-cjs'].includes(problem.resolutionKind));
    expect(counted).toEqual([]);
  });
});

describe('examples/, run as a user runs them (the packed package installed)', { timeout: 90_000 }, () => {
  const EXAMPLES = join(REPO, 'examples');

  it('node-feed: subscribes on every open, says why it reconnected, stops after the ticks it wanted', async () => {
    let connections = 0;
    const subscribes: string[] = [];
    const feed = await wsServer({
      onConnection: (socket) => {
        const first = ++connections === 1;
        let sent = 0;
        socket.on('message', (data) => {
          subscribes.push((data as Buffer).toString());
          const timer = setInterval(() => {
            socket.send(JSON.stringify({ channel: 'ticker.BTC-USD', price: 100 + sent }));
            // The first connection is restarted by the server after 3 ticks (1012: retry soon).
            if (++sent === 3 && first) socket.close(1012, 'restart');
          }, 20);
          socket.on('close', () => clearInterval(timer));
        });
      },
    });
    await cp(join(EXAMPLES, 'node-feed'), join(app, 'node-feed'), { recursive: true });
    const result = await run('node', ['node-feed/feed.mjs', feed.url, '6'], app, 30_000);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('open (attempt 0)');
    expect(lines).toContain('open (attempt 1)');
    expect(lines.some((line) => /^lost: closed-by-server 1012 "restart"; retry 1 in \d+ ms$/.test(line))).toBe(true);
    expect(lines.filter((line) => line.startsWith('tick ticker.BTC-USD'))).toHaveLength(6);
    expect(lines.at(-1)).toBe('closed: closed-by-client 1000 (0 never sent)');
    // The first subscribe had no pong behind it when the server restarted: reported unconfirmed and
    // resent first on the second connection, before that connection's own subscribe (at-least-once).
    expect(lines).toContain('1 message(s) unconfirmed, resent first on the next connection');
    expect(subscribes).toEqual(Array(3).fill(JSON.stringify({ op: 'subscribe', channel: 'ticker.BTC-USD' })));
  });

  it('app-machine: joins on every open, holds what is typed until it has joined, shows its own states, leaves at the end of stdin', async () => {
    const chat = await echoServer();
    await cp(join(EXAMPLES, 'app-machine'), join(app, 'app-machine'), { recursive: true });
    const child = spawn('node', ['app-machine/chat.mjs', chat.url, 'lobby'], { cwd: app, stdio: 'pipe' });
    if (child.pid !== undefined) running.add(child.pid);
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (out += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const waitFor = async (pattern: RegExp) => {
      for (const deadline = Date.now() + 10_000; !pattern.test(out); await sleep(20)) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} in:\n${out}`);
      }
    };
    await waitFor(/< join:lobby/);
    child.stdin.write('hello\n');
    await waitFor(/< hello/);
    await chat.stop();
    await waitFor(/\[chat\] reconnecting/);
    child.stdin.write('typed while away\n');
    await sleep(500);
    await chat.start();
    // Held by the app until it has joined again: the join goes first.
    await waitFor(/\[chat\] reconnecting[\s\S]*< join:lobby[\s\S]*< typed while away/);
    child.stdin.end();
    expect(await exited).toBe(0);
    if (child.pid !== undefined) running.delete(child.pid);
    const states = out.split('\n').filter((line) => line.startsWith('[chat] '));
    expect(states).toEqual([
      '[chat] joining',
      '[chat] chatting',
      '[chat] reconnecting',
      '[chat] chatting',
      '[chat] leaving',
      '[chat] left',
    ]);
    expect(out).toMatch(/\(closed-by-server 1012 "restart"\)/);
    expect(out.match(/< join:lobby/g)).toHaveLength(2);
    await chat.stop();

    // The server is down: stdin ends before any join, and the chat still leaves, saying what it held.
    const early = await run('bash', ['-c', `echo early | node app-machine/chat.mjs ${chat.url} lobby`], app, 10_000);
    expect(early.code, early.stdout + early.stderr).toBe(0);
    expect(early.stdout).toContain('(1 line(s) never sent: left before joining)');
  });

  it.skipIf(!chromiumAvailable('the browser example'))(
    'browser: bundled as its README says, the page connects, sends, and follows the page going offline and online',
    async () => {
      await cp(join(EXAMPLES, 'browser'), join(app, 'browser'), { recursive: true });
      const bundled = await run(bin('esbuild'), ['main.js', '--bundle', '--outfile=dist/main.js'], join(app, 'browser'));
      expect(bundled.code, bundled.stderr).toBe(0);
      const page = readFileSync(join(app, 'browser', 'index.html'), 'utf8');
      const script = readFileSync(join(app, 'browser', 'dist', 'main.js'), 'utf8');
      expect(script).not.toMatch(/require\("(ws|node:[a-z]+)"\)/);
      const http = createServer((request, response) => {
        if (request.url?.startsWith('/dist/main.js')) response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
        else response.writeHead(200, { 'content-type': 'text/html' }).end(page);
      });
      const received: string[] = [];
      const wss = new WebSocketServer({ server: http });
      wss.on('connection', (peer) => {
        peer.on('error', () => {});
        peer.on('message', (data, isBinary) => {
          received.push((data as Buffer).toString());
          peer.send(data, { binary: isBinary });
        });
      });
      http.listen(0, '127.0.0.1');
      await once(http, 'listening');
      const port = (http.address() as AddressInfo).port;
      const browser = await launchChromium();
      try {
        const context = await browser.newContext();
        const tab = await context.newPage();
        await tab.goto(`http://127.0.0.1:${port}/?ws=ws://127.0.0.1:${port}/`);
        await tab.locator('#state', { hasText: 'open' }).waitFor({ timeout: 10_000 });
        await tab.fill('input[name=text]', 'hello from the page');
        await tab.click('button');
        await tab.locator('#log', { hasText: '< hello from the page' }).waitFor({ timeout: 5_000 });
        await context.setOffline(true);
        await tab.locator('#log', { hasText: 'backing-off  offline' }).waitFor({ timeout: 5_000 });
        await context.setOffline(false);
        await tab.locator('#log', { hasText: /backing-off -> connecting[\s\S]*connecting -> open/ }).waitFor({ timeout: 10_000 });
        expect(await tab.locator('#state').textContent()).toBe('open');
        expect(received).toContain('hello from the page');
      } finally {
        await browser.close();
        for (const client of wss.clients) client.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      }
    },
  );

  it('cli-recipes: every line of recipes.sh runs and prints what its README says', async () => {
    const echo = await wsServer({ echo: true });
    await cp(join(EXAMPLES, 'cli-recipes'), join(app, 'cli-recipes'), { recursive: true });
    const result = await run('bash', ['-c', `WSM_URL=${echo.url} ./cli-recipes/recipes.sh`], app, 60_000);
    expect(result.code, result.stderr).toBe(0);
    const sections = result.stdout.split(/^--- /m).slice(1);
    expect(sections[0]).toBe('one request\n{"op":"ping"}\n');
    expect(sections[1]).toBe(
      'state changes through jq\n{"from":"connecting","to":"open","reason":null}\n{"from":"open","to":"closing","reason":null}\n{"from":"closing","to":"closed","reason":"closed-by-client"}\n',
    );
    expect(sections[2]).toBe('message text through jq\nhello\n');
    expect(sections[3]).toBe('exit code\nunreachable\n');
  });
});
