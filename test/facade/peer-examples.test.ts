/**
 * The documented examples of reconnecting-websocket and partysocket (test/fixtures/peer-examples.ts,
 * as their READMEs print them) run against `ReconnectingWebSocket` with only their import lines
 * replaced, and the example hosts pointed at ws servers on 127.0.0.1. Each example is then held
 * to what its README says it does. Their default options hold: `Math.random` is pinned to 0 so
 * that the drawn `minReconnectionDelay` is its 1 s floor.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WS from 'ws';
import { ReconnectingWebSocket } from '../../src/index.ts';
import { closeAll, rejectingServer, silentTcpServer, wsServer, type WsServer } from '../support/servers.ts';
import { nextOf, waitFor } from '../support/reconnecting.ts';
import { thrown } from '../support/thrown.ts';
import { PEER_EXAMPLES } from '../fixtures/peer-examples.ts';

/** The import lines of the examples, each with the line that replaces it (the README's migration). */
const IMPORTS: Readonly<Record<string, string>> = {
  "import ReconnectingWebSocket from 'reconnecting-websocket';": "import ReconnectingWebSocket from 'wsmachine/reconnecting';",
  "const ReconnectingWebSocket = require('reconnecting-websocket');": "const ReconnectingWebSocket = require('wsmachine/reconnecting');",
  'import { WebSocket } from "partysocket";': "import { ReconnectingWebSocket as WebSocket } from 'wsmachine';",
  "import WebSocket from 'partysocket`;": "import WebSocket from 'wsmachine/reconnecting';",
  // The app's own imports of ws stay as they are.
  'import WS from "ws";': 'import WS from "ws";',
  "const WS = require('ws');": "const WS = require('ws');",
};

const HOSTS = ['my.site.com', 'your.site.com', 'their.site.com'] as const;
const made: ReconnectingWebSocket[] = [];

/**
 * Runs `code` with its import lines taken out and their names bound (the class, ws, and the
 * README's `getSessionToken`), the hosts pointed at `servers`; returns the socket it made.
 */
function runExample(code: string, servers: Readonly<Record<string, { readonly url: string }>>): ReconnectingWebSocket {
  const lines = code.split('\n');
  const imports = lines.filter((line) => /^(import |const \w+ = require\()/.test(line));
  for (const line of imports) expect(Object.keys(IMPORTS), 'an import line the migration table lists').toContain(line);
  let body = lines.filter((line) => !imports.includes(line)).join('\n');
  for (const [host, server] of Object.entries(servers))
    body = body.replace(new RegExp(`wss?://${host.replace(/\./g, '\\.')}`, 'g'), server.url);
  const bindings = { ReconnectingWebSocket, WebSocket: ReconnectingWebSocket, WS, getSessionToken: () => Promise.resolve('token-1') };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the README's example is run as its own code
  const run = new Function(...Object.keys(bindings), `${body}\nreturn typeof rws === 'undefined' ? ws : rws;`) as (
    ...values: unknown[]
  ) => ReconnectingWebSocket;
  const socket = run(...Object.values(bindings));
  made.push(socket);
  return socket;
}

const example = (library: string, title: string): string => {
  const found = PEER_EXAMPLES.find((e) => e.library === library && e.title === title);
  if (!found) throw new Error(`no example ${library}: ${title}`);
  return found.code;
};

async function serversFor(options: Parameters<typeof wsServer>[0] = {}): Promise<Record<string, WsServer>> {
  const servers: Record<string, WsServer> = {};
  for (const host of HOSTS) servers[host] = await wsServer(options);
  return servers;
}

beforeEach(() => {
  vi.spyOn(Math, 'random').mockReturnValue(0);
});

afterEach(async () => {
  vi.restoreAllMocks();
  const all = made.splice(0);
  for (const socket of all) socket.close();
  await Promise.all(all.map((socket) => waitFor(() => socket.state === 'closed', 'closed', 3_000)));
  await closeAll();
});

describe.each(['reconnecting-websocket', 'partysocket'])('%s README examples, only the import line changed', (library) => {
  it('Simple usage: sends hello! once open', async () => {
    const servers = await serversFor();
    runExample(example(library, 'Simple usage'), servers);
    const server = servers['my.site.com']!;
    await waitFor(() => server.received.length === 1, 'hello!');
    expect(server.received).toEqual(['hello!']);
  });

  it('Update URL: the round robin provider is called before every attempt', async () => {
    const servers = await serversFor();
    const socket = runExample(example(library, 'Update URL: round robin url provider'), servers);
    for (const host of HOSTS) {
      const server = servers[host]!;
      await waitFor(() => server.clients().length === 1, `connected to ${host}`, 5_000);
      expect(socket.url).toBe(`${server.url}/`);
      server.clients()[0]?.close(1001, 'going away');
    }
  }, 15_000);

  it('Update URL: the async provider is awaited (a fresh token per attempt)', async () => {
    const servers = await serversFor();
    const server = servers['my.site.com']!;
    const paths: string[] = [];
    server.wss.on('connection', (_socket, request) => paths.push(request.url ?? ''));
    const socket = runExample(example(library, 'Update URL: async url provider'), servers);
    await waitFor(() => paths.length === 1, 'connected');
    expect(paths).toEqual(['/token-1']);
    expect(socket.url).toBe(`${server.url}/token-1`);
  });

  it('Sample with custom options: over ws (HTTP statuses are known), connectionTimeout taken', async () => {
    const servers = await serversFor({ echo: true });
    const socket = runExample(example(library, 'Sample with custom options'), servers);
    await waitFor(() => socket.readyState === socket.OPEN, 'open');
    socket.send('over ws');
    await waitFor(() => servers['my.site.com']!.received.length === 1, 'the message');
    const silent = await silentTcpServer();
    const hung = runExample(example(library, 'Sample with custom options'), { 'my.site.com': silent });
    const timeout = await nextOf(hung, 'close', () => true, 3_000);
    expect(timeout.disconnectReason).toEqual({ type: 'connect-timeout', timeoutMs: 1_000 });
    const rejecting = await rejectingServer(503);
    const rejected = runExample(example(library, 'Sample with custom options'), { 'my.site.com': rejecting });
    expect((await nextOf(rejected, 'close')).disconnectReason).toMatchObject({ type: 'handshake-rejected', status: 503 });
  });
});

describe('partysocket README examples: protocols', () => {
  it('Update Protocols: "your protocol" is no subprotocol token, refused at once (as the platform throws a SyntaxError)', async () => {
    const servers = await serversFor();
    expect(thrown(() => runExample(example('partysocket', 'Update Protocols: a protocol'), servers))).toMatchObject({
      code: 'WSM_INVALID_OPTION',
      option: 'protocols',
    });
  });

  it('Update Protocols: the round robin provider offers p1, then p2, then p3.1 and p3.2', async () => {
    const offered: string[][] = [];
    const servers = await serversFor({
      handleProtocols: (protocols) => {
        offered.push([...protocols]);
        return [...protocols][0] ?? false;
      },
    });
    const server = servers['your.site.com']!;
    runExample(example('partysocket', 'Update Protocols: round robin protocols provider'), servers);
    for (let i = 1; i <= 3; i++) {
      await waitFor(() => offered.length === i && server.clients().length === 1, `attempt ${i}`, 5_000);
      server.clients()[0]?.close(1001);
    }
    expect(offered).toEqual([['p1'], ['p2'], ['p3.1', 'p3.2']]);
  }, 15_000);
});
