/**
 * The public surface, held in one place. Each entry's exports are listed exactly (an export added
 * or dropped fails here, so each one is a decision), and every public function, constructor and
 * method is called with bad arguments: it must refuse at the door with a `WsmError` and a stable
 * `WSM_*` code (a promise-returning one by rejecting), never a plain TypeError from deeper down,
 * never by accepting the value and failing later.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import * as browser from '../src/browser.ts';
import * as root from '../src/index.ts';
import { WsmError, type WsmErrorCode } from '../machines/errors.ts';
import { closeAll, track, wsServer } from './support/servers.ts';

/**
 * What an export is. A constant, an error class, the adapters' actor logic (the machine hands it
 * input it checked) and `Sealed` (it seals whatever it is given) have no door; everything else
 * lists its bad calls.
 */
type Entry =
  | { readonly kind: 'data' | 'error class' | 'actor logic' | 'takes any value' }
  | { readonly kind: 'door'; readonly bad: readonly BadCall[] };
type BadCall = readonly [description: string, call: () => unknown, code: WsmErrorCode];

const sockets: root.WsmSocket[] = [];
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
  await closeAll();
});
const socket = (): root.WsmSocket => {
  const s = root.createSocket('ws://127.0.0.1:1', { maxAttempts: 0 });
  sockets.push(s);
  return s;
};
const reason = { type: 'offline' } as const;
const backoff = { ...root.DEFAULTS.backoff };

const ROOT: Record<keyof typeof root, Entry> = {
  createSocket: {
    kind: 'door',
    bad: [
      ['a URL that is not ws://', () => root.createSocket('http://h.test'), 'WSM_INVALID_OPTION'],
      ['options that are not an object', () => root.createSocket('ws://h.test', 'fast' as never), 'WSM_INVALID_OPTION'],
      ['an unknown option', () => root.createSocket('ws://h.test', { heartbeats: {} } as never), 'WSM_UNKNOWN_OPTION'],
    ],
  },
  WsmSocket: { kind: 'door', bad: [['new WsmSocket with a bad URL', () => new root.WsmSocket(5 as never), 'WSM_INVALID_OPTION']] },
  connect: {
    kind: 'door',
    bad: [
      ['a bad URL (rejects)', () => root.connect('ws://127.0.0.1:99999/'), 'WSM_INVALID_OPTION'],
      ['options null (rejects)', () => root.connect('ws://h.test', null as never), 'WSM_INVALID_OPTION'],
    ],
  },
  ConnectionClosedError: { kind: 'error class' },
  WsmError: { kind: 'error class' },
  describeReason: { kind: 'door', bad: [['a reason of no known type', () => root.describeReason({ type: 'gone' } as never), 'WSM_INVALID_ARGUMENT']] },
  connectionMachine: {
    kind: 'door',
    bad: [
      [
        'an actor whose input options did not come from resolveConnectionOptions',
        () => {
          const error = createActor(root.connectionMachine, { input: { options: { heartbeat: null } as never } }).getSnapshot().error;
          throw error;
        },
        'WSM_INVALID_ARGUMENT',
      ],
    ],
  },
  IGNORED_EVENTS: { kind: 'data' },
  EVENT_TYPES: { kind: 'data' },
  DEFAULTS: { kind: 'data' },
  MAX_DELAY_MS: { kind: 'data' },
  stateNameOf: { kind: 'door', bad: [['a value of another machine', () => root.stateNameOf({ a: 'b' }), 'WSM_INVALID_ARGUMENT']] },
  resolveConnectionOptions: {
    kind: 'door',
    bad: [
      ['a bad option', () => root.resolveConnectionOptions({ connectTimeout: -1 }), 'WSM_INVALID_OPTION'],
      ['extraKeys that are not names', () => root.resolveConnectionOptions({}, [1] as never), 'WSM_INVALID_ARGUMENT'],
    ],
  },
  checkCloseCode: { kind: 'door', bad: [['1006', () => root.checkCloseCode(1006, ''), 'WSM_INVALID_CLOSE_CODE']] },
  classifyReason: { kind: 'door', bad: [['a string', () => root.classifyReason('offline' as never), 'WSM_INVALID_ARGUMENT']] },
  decide: {
    kind: 'door',
    bad: [
      ['no reason', () => root.decide(undefined as never, 0, null), 'WSM_INVALID_ARGUMENT'],
      ['a negative attempt', () => root.decide(reason, -1, null), 'WSM_INVALID_ARGUMENT'],
      ['a policy that is not a function', () => root.decide(reason, 0, 'yes' as never), 'WSM_INVALID_ARGUMENT'],
    ],
  },
  reasonOfError: { kind: 'door', bad: [['a numeric code', () => root.reasonOfError(1 as never, ''), 'WSM_INVALID_ARGUMENT']] },
  retryDelay: {
    kind: 'door',
    bad: [
      ['an unknown delay', () => root.retryDelay('soon' as never, 1, backoff, Math.random), 'WSM_INVALID_ARGUMENT'],
      ['unresolved backoff', () => root.retryDelay('backoff', 1, {} as never, Math.random), 'WSM_INVALID_ARGUMENT'],
      ['no random', () => root.retryDelay('backoff', 1, backoff, undefined as never), 'WSM_INVALID_ARGUMENT'],
    ],
  },
  backoffStep: {
    kind: 'door',
    bad: [
      ['a fractional attempt', () => root.backoffStep(1.5, backoff), 'WSM_INVALID_ARGUMENT'],
      ['backoff with NaN', () => root.backoffStep(1, { ...backoff, factor: NaN }), 'WSM_INVALID_ARGUMENT'],
    ],
  },
  parseRetryAfter: {
    kind: 'door',
    bad: [
      ['a number for the header', () => root.parseRetryAfter(5 as never, 0), 'WSM_INVALID_ARGUMENT'],
      ['no clock reading', () => root.parseRetryAfter('5', NaN), 'WSM_INVALID_ARGUMENT'],
    ],
  },
  redactUrl: { kind: 'door', bad: [['a number', () => root.redactUrl(5 as never), 'WSM_INVALID_ARGUMENT']] },
  VirtualClock: { kind: 'door', bad: [['a start of NaN', () => new root.VirtualClock(NaN), 'WSM_INVALID_ARGUMENT']] },
  Sealed: { kind: 'takes any value' },
  wsAdapter: { kind: 'actor logic' },
  startLocalInspector: {
    kind: 'door',
    bad: [
      ['a port out of range (rejects)', () => root.startLocalInspector({ port: 70_000 }), 'WSM_INVALID_ARGUMENT'],
      ['a scrub that is not a function (rejects)', () => root.startLocalInspector({ scrub: 'x' as never }), 'WSM_INVALID_ARGUMENT'],
    ],
  },
  echoServer: { kind: 'door', bad: [['a port of -1 (rejects)', () => root.echoServer({ port: -1 }), 'WSM_INVALID_ARGUMENT']] },
  tcpProxy: { kind: 'door', bad: [['port 0 as a target (rejects)', () => root.tcpProxy(0), 'WSM_INVALID_ARGUMENT']] },
  listenLocal: {
    kind: 'door',
    bad: [
      ['something that is not a server (rejects)', () => root.listenLocal({} as never), 'WSM_INVALID_ARGUMENT'],
      ['a port out of range (rejects)', () => root.listenLocal(createServer(), 65_536), 'WSM_INVALID_ARGUMENT'],
    ],
  },
};

/** The browser entry: its own createSocket and watchEnvironment; the rest is the root's. */
const BROWSER: Record<keyof typeof browser, Entry | 'as in the root entry'> = {
  createSocket: {
    kind: 'door',
    bad: [
      ['a Node-only option', () => browser.createSocket('ws://h.test', { headers: {} }), 'WSM_INVALID_OPTION'],
      ['a bad URL', () => browser.createSocket('ws://'), 'WSM_INVALID_OPTION'],
    ],
  },
  watchEnvironment: {
    kind: 'door',
    bad: [
      ['something that is not a socket', () => browser.watchEnvironment({} as never), 'WSM_INVALID_ARGUMENT'],
      ['a target without addEventListener', () => browser.watchEnvironment(socket(), {} as never), 'WSM_INVALID_ARGUMENT'],
    ],
  },
  webAdapter: { kind: 'actor logic' },
  connectionMachine: 'as in the root entry',
  stateNameOf: 'as in the root entry',
  classifyReason: 'as in the root entry',
  resolveConnectionOptions: 'as in the root entry',
  WsmError: 'as in the root entry',
  describeReason: 'as in the root entry',
  WsmSocket: 'as in the root entry',
};

/** Methods of the objects the surface hands out. */
const METHODS: Record<string, { readonly names: () => readonly string[]; readonly bad: readonly BadCall[]; readonly noArguments: readonly string[] }> = {
  WsmSocket: {
    names: () => Object.getOwnPropertyNames(root.WsmSocket.prototype).filter((n) => n !== 'constructor' && n !== 'state' && n !== 'stats'),
    bad: [
      ['send(an object)', () => socket().send({} as never), 'WSM_INVALID_ARGUMENT'],
      ['close(1006)', () => socket().close(1006), 'WSM_INVALID_CLOSE_CODE'],
      ['close(1000, a reason over 123 bytes)', () => socket().close(1000, 'x'.repeat(124)), 'WSM_INVALID_CLOSE_CODE'],
      ["on('mesage', fn)", () => socket().on('mesage' as never, () => {}), 'WSM_INVALID_ARGUMENT'],
      ["on('message', not a function)", () => socket().on('message', 'x' as never), 'WSM_INVALID_ARGUMENT'],
    ],
    noArguments: ['reconnect', 'probe'],
  },
  VirtualClock: {
    names: () => Object.getOwnPropertyNames(root.VirtualClock.prototype).filter((n) => n !== 'constructor' && n !== 'pending'),
    bad: [
      ['advance(-1)', () => new root.VirtualClock().advance(-1), 'WSM_INVALID_ARGUMENT'],
      ['advance(Infinity)', () => new root.VirtualClock().advance(Infinity), 'WSM_INVALID_ARGUMENT'],
      ['freeze(NaN)', () => new root.VirtualClock().freeze(NaN), 'WSM_INVALID_ARGUMENT'],
      ['setTimeout(not a function)', () => new root.VirtualClock().setTimeout('x' as never, 1), 'WSM_INVALID_ARGUMENT'],
      ['setTimeout(fn, NaN)', () => new root.VirtualClock().setTimeout(() => {}, NaN), 'WSM_INVALID_ARGUMENT'],
    ],
    // clearTimeout takes any id, as the platform's does (an unknown id is a no-op).
    noArguments: ['now', 'scheduled', 'nextDeadline', 'next', 'clearTimeout'],
  },
};

async function refusal(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  return 'accepted';
}

describe('exports, exactly', () => {
  it('every export of the root entry has its entry here, and nothing more', () => {
    expect(Object.keys(root).sort()).toEqual(Object.keys(ROOT).sort());
  });

  it('every export of the browser entry has its entry here, and nothing more', () => {
    expect(Object.keys(browser).sort()).toEqual(Object.keys(BROWSER).sort());
    for (const [name, entry] of Object.entries(BROWSER)) {
      if (entry === 'as in the root entry') expect(browser[name as keyof typeof browser]).toBe(root[name as keyof typeof root]);
    }
  });
});

describe('every function refuses bad arguments at the door with a WsmError', () => {
  const calls = [
    ...Object.entries(ROOT).flatMap(([name, entry]) => (entry.kind === 'door' ? entry.bad.map((bad) => [`${name}: ${bad[0]}`, bad] as const) : [])),
    ...Object.entries(BROWSER).flatMap(([name, entry]) =>
      typeof entry === 'object' && entry.kind === 'door' ? entry.bad.map((bad) => [`browser ${name}: ${bad[0]}`, bad] as const) : [],
    ),
    ...Object.entries(METHODS).flatMap(([name, { bad }]) => bad.map((b) => [`${name}.${b[0]}`, b] as const)),
  ];

  it.each(calls)('%s', async (_, [, call, code]) => {
    const error = await refusal(call);
    expect(error).toBeInstanceOf(WsmError);
    expect((error as WsmError).code).toBe(code);
  });

  it('a function without a door is an error class or takes any value; every method is covered', () => {
    for (const [name, entry] of Object.entries(ROOT)) {
      if (typeof root[name as keyof typeof root] !== 'function') continue;
      expect(['door', 'error class', 'takes any value'], name).toContain(entry.kind);
    }
    for (const [type, { names, bad, noArguments }] of Object.entries(METHODS)) {
      const covered = new Set([...bad.map(([description]) => description.split('(')[0]), ...noArguments]);
      expect(names().filter((method) => !covered.has(method)), type).toEqual([]);
    }
  });
});

describe('methods of the objects the surface returns', () => {
  it('Connection: send and close check like the socket; recv takes nothing', async () => {
    const server = await wsServer({ echo: true });
    const connection = await root.connect(server.url, { heartbeat: false });
    expect(Object.keys(connection).sort()).toEqual(['close', 'protocol', 'recv', 'send', 'socket']);
    expect((await refusal(() => connection.send(42 as never))) as WsmError).toMatchObject({ code: 'WSM_INVALID_ARGUMENT' });
    expect((await refusal(() => connection.close(2000))) as WsmError).toMatchObject({ code: 'WSM_INVALID_CLOSE_CODE' });
    await connection.close();
  });

  it('EchoServer: closeClients and rejectNext check; the rest take nothing', async () => {
    const server = await root.echoServer();
    try {
      expect(Object.keys(server).sort()).toEqual(['clients', 'closeClients', 'dropClients', 'port', 'rejectNext', 'start', 'stop', 'url']);
      expect((await refusal(() => server.closeClients(1006))) as WsmError).toMatchObject({ code: 'WSM_INVALID_ARGUMENT', option: 'code' });
      expect((await refusal(() => server.closeClients(1000, 5 as never))) as WsmError).toMatchObject({ option: 'reason' });
      expect((await refusal(() => server.rejectNext(-1, 503))) as WsmError).toMatchObject({ option: 'count' });
      expect((await refusal(() => server.rejectNext(1, 101))) as WsmError).toMatchObject({ option: 'status' });
      expect((await refusal(() => server.rejectNext(1, 503, { a: 'b\r\nc' }))) as WsmError).toMatchObject({ option: 'headers' });
    } finally {
      await server.stop();
    }
  });

  it('TcpProxy: its methods take no arguments; LocalInspector.inspect takes XState inspection events only', async () => {
    const target = await wsServer();
    const proxy = track(await root.tcpProxy(target.port));
    expect(Object.keys(proxy).sort()).toEqual(['blackhole', 'close', 'connections', 'port', 'restore', 'url']);
    const inspector = track(await root.startLocalInspector());
    expect(Object.keys(inspector).sort()).toEqual(['close', 'inspect', 'url']);
    expect((await refusal(() => inspector.inspect(undefined as never))) as WsmError).toMatchObject({ code: 'WSM_INVALID_ARGUMENT', option: 'event' });
    expect((await refusal(() => inspector.inspect({ type: 5 } as never))) as WsmError).toMatchObject({ code: 'WSM_INVALID_ARGUMENT' });
    expect(await refusal(() => inspector.inspect({ type: '@xstate.event' } as never))).toBe('accepted');
  });
});
