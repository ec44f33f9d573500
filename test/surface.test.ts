/**
 * The public surface, held in one place. Each entry's exports, values and types, are listed exactly
 * (an export added or dropped fails here, so each one is a decision), and every public function, constructor and
 * method is called with bad arguments: it must refuse at the door with a `WsmError` and a stable
 * `WSM_*` code (a promise-returning one by rejecting), never a plain TypeError from deeper down,
 * never by accepting the value and failing later.
 */
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import * as browser from '../src/browser.ts';
import * as root from '../src/index.ts';
import * as reconnecting from '../src/reconnecting.ts';
import * as reconnectingBrowser from '../src/reconnecting-browser.ts';
import * as inspector from '../src/inspector/index.ts';
import * as machine from '../src/machine.ts';
import * as testing from '../src/testing/index.ts';
import { WsmError, type WsmErrorCode } from '../common/errors.ts';
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
const rws = (): root.ReconnectingWebSocket => new root.ReconnectingWebSocket('ws://127.0.0.1:1', [], { startClosed: true });
const reason = { type: 'offline' } as const;
/** The error a started actor of `logic` failed with (an embedding's bad input fails the actor). */
function actorError(logic: typeof root.socketLogic, input: unknown): never {
  const actor = createActor(logic, { input: input as never });
  actor.subscribe({ error: () => {} });
  actor.start();
  throw actor.getSnapshot().error;
}
const backoff = { ...machine.DEFAULTS.backoff };

/** `wsmachine`: the facade for apps. */
const ROOT: Record<keyof typeof root, Entry> = {
  createSocket: {
    kind: 'door',
    bad: [
      ['a URL that is not ws://', () => root.createSocket('http://h.test'), 'WSM_INVALID_OPTION'],
      ['options that are not an object', () => root.createSocket('ws://h.test', 'fast' as never), 'WSM_INVALID_OPTION'],
      ['an unknown option', () => root.createSocket('ws://h.test', { heartbeats: {} } as never), 'WSM_UNKNOWN_OPTION'],
    ],
  },
  connect: {
    kind: 'door',
    bad: [
      ['a bad URL (rejects)', () => root.connect('ws://127.0.0.1:99999/'), 'WSM_INVALID_OPTION'],
      ['options null (rejects)', () => root.connect('ws://h.test', null as never), 'WSM_INVALID_OPTION'],
    ],
  },
  socketLogic: {
    kind: 'door',
    bad: [
      ['an input that is not an object', () => actorError(root.socketLogic, 'ws://h.test'), 'WSM_INVALID_ARGUMENT'],
      ['a URL that is not ws://', () => actorError(root.socketLogic, { url: 'http://h.test' }), 'WSM_INVALID_OPTION'],
      ['an unknown option', () => actorError(root.socketLogic, { url: 'ws://h.test', heartbeats: {} }), 'WSM_UNKNOWN_OPTION'],
    ],
  },
  ReconnectingWebSocket: {
    kind: 'door',
    bad: [
      ['a URL that is not ws://', () => new root.ReconnectingWebSocket('http://h.test'), 'WSM_INVALID_OPTION'],
      ['a subprotocol that is not a token', () => new root.ReconnectingWebSocket('ws://h.test', 'your protocol'), 'WSM_INVALID_OPTION'],
      [
        "wsmachine's twin of a peer option",
        () => new root.ReconnectingWebSocket('ws://h.test', [], { maxAttempts: 1 } as never),
        'WSM_UNKNOWN_OPTION',
      ],
    ],
  },
  ConnectionClosedError: { kind: 'error class' },
  WsmError: { kind: 'error class' },
  describeReason: {
    kind: 'door',
    bad: [['a reason of no known type', () => root.describeReason({ type: 'gone' } as never), 'WSM_INVALID_ARGUMENT']],
  },
};

/** `wsmachine/browser`: its own createSocket, connect and watchEnvironment; the rest is the root's. */
const BROWSER: Record<keyof typeof browser, Entry | 'as in the root entry'> = {
  createSocket: {
    kind: 'door',
    bad: [
      ['a Node-only option', () => browser.createSocket('ws://h.test', { headers: {} } as never), 'WSM_INVALID_OPTION'],
      ['a bad URL', () => browser.createSocket('ws://'), 'WSM_INVALID_OPTION'],
      ['an unknown option', () => browser.createSocket('ws://h.test', { webb: {} } as never), 'WSM_UNKNOWN_OPTION'],
    ],
  },
  connect: {
    kind: 'door',
    bad: [['a bad web option (rejects)', () => browser.connect('ws://h.test', { web: 5 as never }), 'WSM_INVALID_OPTION']],
  },
  socketLogic: {
    kind: 'door',
    bad: [['a Node-only option', () => actorError(browser.socketLogic, { url: 'ws://h.test', headers: {} }), 'WSM_INVALID_OPTION']],
  },
  ReconnectingWebSocket: {
    kind: 'door',
    bad: [
      ['a Node-only option', () => new browser.ReconnectingWebSocket('ws://h.test', [], { headers: {} } as never), 'WSM_UNKNOWN_OPTION'],
      [
        'a WebSocket that is not a class',
        () => new browser.ReconnectingWebSocket('ws://h.test', [], { WebSocket: {} }),
        'WSM_INVALID_OPTION',
      ],
    ],
  },
  watchEnvironment: {
    kind: 'door',
    bad: [
      ['something that is not a socket', () => browser.watchEnvironment({} as never), 'WSM_INVALID_ARGUMENT'],
      ['a target without addEventListener', () => browser.watchEnvironment(socket(), {} as never), 'WSM_INVALID_ARGUMENT'],
    ],
  },
  ConnectionClosedError: 'as in the root entry',
  WsmError: 'as in the root entry',
  describeReason: 'as in the root entry',
};

/** `wsmachine/reconnecting`, in Node and in a browser: the class, also as the default export. */
const RECONNECTING: Record<keyof typeof reconnecting, Entry | 'as in the root entry'> = {
  ReconnectingWebSocket: 'as in the root entry',
  default: 'as in the root entry',
  'module.exports': 'as in the root entry',
};
const RECONNECTING_BROWSER: Record<keyof typeof reconnectingBrowser, 'as in the browser entry'> = {
  ReconnectingWebSocket: 'as in the browser entry',
  default: 'as in the browser entry',
  'module.exports': 'as in the browser entry',
};

/** `wsmachine/machine`: for embedding and custom adapters. */
const MACHINE: Record<keyof typeof machine, Entry | 'as in the root entry'> = {
  WsmError: 'as in the root entry',
  connectionMachine: {
    kind: 'door',
    bad: [
      [
        'an actor whose input options did not come from resolveConnectionOptions',
        () => {
          const error = createActor(machine.connectionMachine, { input: { options: { heartbeat: null } as never } }).getSnapshot().error;
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
  stateNameOf: { kind: 'door', bad: [['a value of another machine', () => machine.stateNameOf({ a: 'b' }), 'WSM_INVALID_ARGUMENT']] },
  stateChangeOf: {
    kind: 'door',
    bad: [
      [
        'an unknown state to come from',
        () => machine.stateChangeOf('asleep' as never, { value: 'closed', context: {} as never }),
        'WSM_INVALID_ARGUMENT',
      ],
      [
        'a snapshot of another machine',
        () => machine.stateChangeOf('open', { value: { a: 'b' }, context: {} as never }),
        'WSM_INVALID_ARGUMENT',
      ],
    ],
  },
  resolveConnectionOptions: {
    kind: 'door',
    bad: [
      ['a bad option', () => machine.resolveConnectionOptions({ connectTimeout: -1 }), 'WSM_INVALID_OPTION'],
      ['extraKeys that are not names', () => machine.resolveConnectionOptions({}, [1] as never), 'WSM_INVALID_ARGUMENT'],
    ],
  },
  classifyReason: { kind: 'door', bad: [['a string', () => machine.classifyReason('offline' as never), 'WSM_INVALID_ARGUMENT']] },
  decide: {
    kind: 'door',
    bad: [
      ['no reason', () => machine.decide(undefined as never, 0, null), 'WSM_INVALID_ARGUMENT'],
      ['a negative attempt', () => machine.decide(reason, -1, null), 'WSM_INVALID_ARGUMENT'],
      ['a policy that is not a function', () => machine.decide(reason, 0, 'yes' as never), 'WSM_INVALID_ARGUMENT'],
    ],
  },
  reasonOfError: { kind: 'door', bad: [['a numeric code', () => machine.reasonOfError(1 as never, ''), 'WSM_INVALID_ARGUMENT']] },
  retryDelay: {
    kind: 'door',
    bad: [
      ['an unknown delay', () => machine.retryDelay('soon' as never, 1, backoff, Math.random), 'WSM_INVALID_ARGUMENT'],
      ['unresolved backoff', () => machine.retryDelay('backoff', 1, {} as never, Math.random), 'WSM_INVALID_ARGUMENT'],
      ['no random', () => machine.retryDelay('backoff', 1, backoff, undefined as never), 'WSM_INVALID_ARGUMENT'],
    ],
  },
  backoffStep: {
    kind: 'door',
    bad: [
      ['a fractional attempt', () => machine.backoffStep(1.5, backoff), 'WSM_INVALID_ARGUMENT'],
      ['backoff with NaN', () => machine.backoffStep(1, { ...backoff, factor: NaN }), 'WSM_INVALID_ARGUMENT'],
    ],
  },
  parseRetryAfter: {
    kind: 'door',
    bad: [
      ['a number for the header', () => machine.parseRetryAfter(5 as never, 0), 'WSM_INVALID_ARGUMENT'],
      ['no clock reading', () => machine.parseRetryAfter('5', NaN), 'WSM_INVALID_ARGUMENT'],
    ],
  },
  Sealed: { kind: 'takes any value' },
  wsAdapter: { kind: 'actor logic' },
  webAdapter: { kind: 'actor logic' },
};

/** `wsmachine/testing`: for users' own tests. */
const TESTING: Record<keyof typeof testing, Entry> = {
  VirtualClock: { kind: 'door', bad: [['a start of NaN', () => new testing.VirtualClock(NaN), 'WSM_INVALID_ARGUMENT']] },
  echoServer: { kind: 'door', bad: [['a port of -1 (rejects)', () => testing.echoServer({ port: -1 }), 'WSM_INVALID_ARGUMENT']] },
  tcpProxy: { kind: 'door', bad: [['port 0 as a target (rejects)', () => testing.tcpProxy(0), 'WSM_INVALID_ARGUMENT']] },
  listenLocal: {
    kind: 'door',
    bad: [
      ['something that is not a server (rejects)', () => testing.listenLocal({} as never), 'WSM_INVALID_ARGUMENT'],
      ['a port out of range (rejects)', () => testing.listenLocal(createServer(), 65_536), 'WSM_INVALID_ARGUMENT'],
    ],
  },
};

/** `wsmachine/inspector`: the local inspector. */
const INSPECTOR: Record<keyof typeof inspector, Entry> = {
  startLocalInspector: {
    kind: 'door',
    bad: [
      ['a port out of range (rejects)', () => inspector.startLocalInspector({ port: 70_000 }), 'WSM_INVALID_ARGUMENT'],
      ['a scrub that is not a function (rejects)', () => inspector.startLocalInspector({ scrub: 'x' as never }), 'WSM_INVALID_ARGUMENT'],
    ],
  },
};

const FACADE_TYPES = [
  'BackoffOptions',
  'BaseSocketOptions',
  'BinaryTypeName',
  'CloseInfo',
  'Connection',
  'ConnectionOptions',
  'ConnectionStateName',
  'DisconnectReason',
  'DisconnectReasonType',
  'HeartbeatOptions',
  'InboxOptions',
  'IncomingData',
  'Listener',
  'OutboxOptions',
  'OutgoingData',
  'Provider',
  'ProtocolsProvider',
  'ReconnectingCloseEvent',
  'ReconnectingErrorEvent',
  'ReconnectingEventMap',
  'ReconnectingListener',
  'ReconnectingListenerObject',
  'ReconnectingListenerOptions',
  'ReconnectingOptions',
  'ReconnectingWebSocketOptions',
  'RetryDecision',
  'ShouldReconnect',
  'SocketClock',
  'SocketEventMap',
  'SocketLogic',
  'SocketLogicCommand',
  'SocketLogicEvent',
  'SocketLogicInput',
  'SocketLogicSnapshot',
  'SocketEventName',
  'SocketOptions',
  'SocketStats',
  'StateChange',
  'UrlProvider',
  'WsmErrorCode',
  'WsmErrorDetails',
  'WsmSocket',
];
const WEB_TYPES = ['WebOptions', 'WebSocketConstructor', 'WebSocketLike'];

/** Each entry's source, its exports at run time and its type-only exports, exactly. */
const ENTRIES = [
  { path: 'src/index.ts', runtime: root, values: ROOT, types: FACADE_TYPES },
  { path: 'src/browser.ts', runtime: browser, values: BROWSER, types: [...FACADE_TYPES, 'EventTargetLike', ...WEB_TYPES] },
  {
    path: 'src/machine.ts',
    runtime: machine,
    values: MACHINE,
    types: [
      ...[
        'AdapterOptions',
        'DataSink',
        'OutgoingData',
        'Provider',
        'SocketAdapter',
        'Transport',
        'WsAdapterOptions',
        'WebAdapterOptions',
        ...WEB_TYPES,
      ],
      ...[
        'ConnectionContext',
        'ConnectionEmitted',
        'ConnectionInput',
        'ConnectionMachine',
        'ConnectionStateName',
        'SocketInput',
        'StateChange',
      ],
      ...[
        'ConnectionEvent',
        'DisconnectReason',
        'DisconnectReasonType',
        'EnvironmentEvent',
        'EventType',
        'ReadingEvent',
        'RetryDecision',
        'ShouldReconnect',
      ],
      ...['SocketActorErrorEvent', 'SocketCommand', 'SocketEvent', 'UserEvent'],
      ...['BackoffOptions', 'ConnectionOptions', 'HeartbeatOptions', 'ResolvedConnectionOptions', 'WsmErrorCode', 'WsmErrorDetails'],
    ],
  },
  { path: 'src/reconnecting.ts', runtime: reconnecting, values: RECONNECTING, types: ['ReconnectingWebSocketOptions'] },
  {
    path: 'src/reconnecting-browser.ts',
    runtime: reconnectingBrowser,
    values: RECONNECTING_BROWSER,
    types: ['ReconnectingWebSocketOptions'],
  },
  { path: 'src/testing/index.ts', runtime: testing, values: TESTING, types: ['EchoServer', 'TcpProxy'] },
  {
    path: 'src/inspector/index.ts',
    runtime: inspector,
    values: INSPECTOR,
    types: ['InspectorLogEntry', 'LocalInspector', 'LocalInspectorOptions'],
  },
] as const;

/** Every name each entry exports, types included, as the TypeScript compiler sees them. */
function compiledExports(): Map<string, string[]> {
  const files = ENTRIES.map((entry) => fileURLToPath(new URL(`../${entry.path}`, import.meta.url)));
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    types: ['node'],
  });
  const checker = program.getTypeChecker();
  return new Map(
    ENTRIES.map((entry, i) => {
      const module = checker.getSymbolAtLocation(program.getSourceFile(files[i] as string) as ts.SourceFile) as ts.Symbol;
      return [entry.path, checker.getExportsOfModule(module).map((symbol) => symbol.name)];
    }),
  );
}

/** Methods of the objects the surface hands out. */
const METHODS: Record<
  string,
  { readonly names: () => readonly string[]; readonly bad: readonly BadCall[]; readonly noArguments: readonly string[] }
> = {
  WsmSocket: {
    names: () =>
      Object.getOwnPropertyNames(Object.getPrototypeOf(socket())).filter(
        (n) => n !== 'constructor' && n !== 'state' && n !== 'stats' && n !== 'bufferedAmount' && n !== 'writable',
      ),
    bad: [
      ['send(an object)', () => socket().send({} as never), 'WSM_INVALID_ARGUMENT'],
      ['close(1006)', () => socket().close(1006), 'WSM_INVALID_CLOSE_CODE'],
      ['close(1000, a reason over 123 bytes)', () => socket().close(1000, 'x'.repeat(124)), 'WSM_INVALID_CLOSE_CODE'],
      ["on('mesage', fn)", () => socket().on('mesage' as never, () => {}), 'WSM_INVALID_ARGUMENT'],
      ["on('message', not a function)", () => socket().on('message', 'x' as never), 'WSM_INVALID_ARGUMENT'],
    ],
    noArguments: ['reconnect', 'probe'],
  },
  ReconnectingWebSocket: {
    names: () => {
      const prototype = root.ReconnectingWebSocket.prototype;
      const base = Object.getPrototypeOf(prototype) as object;
      return Object.getOwnPropertyNames(base).filter((n) => n !== 'constructor' && !Object.getOwnPropertyDescriptor(base, n)?.get);
    },
    bad: [
      ['send(an object)', () => rws().send({} as never), 'WSM_INVALID_ARGUMENT'],
      ['close(1006)', () => rws().close(1006), 'WSM_INVALID_CLOSE_CODE'],
      ['reconnect(1001)', () => rws().reconnect(1001), 'WSM_INVALID_CLOSE_CODE'],
      ["addEventListener('message', a string)", () => rws().addEventListener('message', 'x' as never), 'WSM_INVALID_ARGUMENT'],
      ['removeEventListener(42, fn)', () => rws().removeEventListener(42 as never, () => {}), 'WSM_INVALID_ARGUMENT'],
    ],
    noArguments: ['drainQueuedMessages'],
  },
  VirtualClock: {
    names: () => Object.getOwnPropertyNames(testing.VirtualClock.prototype).filter((n) => n !== 'constructor' && n !== 'pending'),
    bad: [
      ['advance(-1)', () => new testing.VirtualClock().advance(-1), 'WSM_INVALID_ARGUMENT'],
      ['advance(Infinity)', () => new testing.VirtualClock().advance(Infinity), 'WSM_INVALID_ARGUMENT'],
      ['freeze(NaN)', () => new testing.VirtualClock().freeze(NaN), 'WSM_INVALID_ARGUMENT'],
      ['setTimeout(not a function)', () => new testing.VirtualClock().setTimeout('x' as never, 1), 'WSM_INVALID_ARGUMENT'],
      ['setTimeout(fn, NaN)', () => new testing.VirtualClock().setTimeout(() => {}, NaN), 'WSM_INVALID_ARGUMENT'],
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
  it.each(ENTRIES)('$path: every export at run time has its entry here, and nothing more', ({ runtime, values }) => {
    expect(Object.keys(runtime).sort()).toEqual(Object.keys(values).sort());
    for (const [name, entry] of Object.entries(values)) {
      // The same object, not a copy: an error class or a machine from two entries must be one.
      const from = name === 'default' || name === 'module.exports' ? 'ReconnectingWebSocket' : name;
      if (entry === 'as in the root entry') expect(runtime[name as never]).toBe(root[from as keyof typeof root]);
      if (entry === 'as in the browser entry') expect(runtime[name as never]).toBe(browser[from as keyof typeof browser]);
    }
  });

  it('each entry exports exactly the types listed here, besides its values', () => {
    const compiled = compiledExports();
    for (const { path, runtime, types } of ENTRIES) {
      const typeOnly = (compiled.get(path) ?? []).filter((name) => !(name in runtime)).sort();
      expect(typeOnly, path).toEqual([...types].sort());
    }
  });
});

describe('every function refuses bad arguments at the door with a WsmError', () => {
  const calls = [
    ...ENTRIES.flatMap(({ path, values }) =>
      Object.entries(values as Record<string, Entry | 'as in the root entry' | 'as in the browser entry'>).flatMap(([name, entry]) =>
        typeof entry === 'object' && entry.kind === 'door' ? entry.bad.map((bad) => [`${path} ${name}: ${bad[0]}`, bad] as const) : [],
      ),
    ),
    ...Object.entries(METHODS).flatMap(([name, { bad }]) => bad.map((b) => [`${name}.${b[0]}`, b] as const)),
  ];

  it.each(calls)('%s', async (_, [, call, code]) => {
    const error = await refusal(call);
    expect(error).toBeInstanceOf(WsmError);
    expect((error as WsmError).code).toBe(code);
  });

  it('a function without a door is an error class or takes any value; every method is covered', () => {
    for (const { runtime, values } of ENTRIES) {
      for (const [name, entry] of Object.entries(values as Record<string, Entry | 'as in the root entry' | 'as in the browser entry'>)) {
        if (typeof runtime[name as never] !== 'function' || typeof entry === 'string') continue;
        expect(['door', 'error class', 'takes any value'], name).toContain(entry.kind);
      }
    }
    for (const [type, { names, bad, noArguments }] of Object.entries(METHODS)) {
      const covered = new Set([...bad.map(([description]) => description.split('(')[0]), ...noArguments]);
      expect(
        names().filter((method) => !covered.has(method)),
        type,
      ).toEqual([]);
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
    const server = await testing.echoServer();
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
    const proxy = track(await testing.tcpProxy(target.port));
    expect(Object.keys(proxy).sort()).toEqual(['blackhole', 'close', 'connections', 'port', 'restore', 'url']);
    const local = track(await inspector.startLocalInspector());
    expect(Object.keys(local).sort()).toEqual(['close', 'inspect', 'url']);
    expect((await refusal(() => local.inspect(undefined as never))) as WsmError).toMatchObject({
      code: 'WSM_INVALID_ARGUMENT',
      option: 'event',
    });
    expect((await refusal(() => local.inspect({ type: 5 } as never))) as WsmError).toMatchObject({ code: 'WSM_INVALID_ARGUMENT' });
    expect(await refusal(() => local.inspect({ type: '@xstate.event' } as never))).toBe('accepted');
  });
});
