/**
 * The local inspector: a page on 127.0.0.1 that shows the machine's diagram with the current state
 * highlighted live, the transition log with reasons and timings, and the stats. No internet: the
 * page, its script and the diagram (drawn by Graphviz from the machine, compiled in as
 * machine-svg.ts) are served from here.
 *
 * Theory of operation: it is fed only by the actor's inspection events (`inspect` option of
 * createActor): each root `@xstate.snapshot` whose state name changed becomes a log entry (the
 * core's `stateChangeOf`, as the socket's `state` event), and is pushed to every open page over a
 * local WebSocket. The page only draws: the entry's words (time, reason, delay) are written here by
 * the same functions as the CLI's timeline. The log is bounded (the last 200 entries). Every
 * payload goes through the caller's scrubber, so a secret that reached a reason never reaches the page.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { InspectionEvent } from 'xstate';
import { checkArgument, isPort } from '../../common/checks.ts';
import { connectionMachine, type ConnectionContext, type ConnectionStateName } from '../../machines/connection.machine.ts';
import { stateNameOf } from '../../machines/state-change.ts';
import { stateChangeOf, type StateChange } from '../../machines/state-change.ts';
import type { DisconnectReason } from '../../machines/vocabulary.ts';
import { clockTime, duration, stateDetails } from '../facade/format.ts';
import { isSocketLogic } from '../facade/logic.ts';
import { diagramId } from './diagram-id.ts';
import { MACHINE_SVG } from './machine-svg.ts';
import { PAGE } from './page.ts';

/** One state change in the inspector's log (the `StateChange` of the socket's `state` event, timed). */
export interface InspectorLogEntry {
  /** When, ms (the inspector's clock). */
  readonly t: number;
  /** The state left; null for the first snapshot. */
  readonly from: ConnectionStateName | null;
  /** The state entered. */
  readonly to: ConnectionStateName;
  /** Why the connection ended, on the way to `backing-off` and `closed`. */
  readonly reason: DisconnectReason | null;
  /** Reconnect attempts in the current streak. */
  readonly attempt: number;
  /** The wait, on the way to `backing-off`. */
  readonly delayMs: number | null;
  /** The entry in words, as the page shows it. */
  readonly text: {
    /** The clock time, `12:00:03.120`. */
    readonly time: string;
    /** `open -> backing-off`. */
    readonly transition: string;
    /** How long the state left lasted. */
    readonly stayed: string;
    /** The reason and the wait, as the CLI's timeline says them. */
    readonly why: string;
  };
}

/** A running local inspector (see `startLocalInspector`). */
export interface LocalInspector {
  /** The page's address. */
  readonly url: string;
  /** Pass as `inspect` to createSocket / createActor. */
  readonly inspect: (event: InspectionEvent) => void;
  /** Closes the page's connections and stops the server. */
  close(): Promise<void>;
}

/** Options of `startLocalInspector`. */
export interface LocalInspectorOptions {
  /** The port on 127.0.0.1; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** The figures for the stats panel (the facade's `stats`). @default the machine's attempts and rtt */
  readonly stats?: () => Readonly<Record<string, unknown>>;
  /** Applied to every payload sent to the page (the socket's redaction). @default none */
  readonly scrub?: (text: string) => string;
  /** The log's clock. @default Date.now */
  readonly now?: () => number;
}

const MAX_LOG = 200;

/** Each state's node id in the diagram (`connection_live_connected_open`), from the machine itself. */
const NODE_IDS: ReadonlyMap<string, string> = (() => {
  const ids = new Map<string, string>();
  const walk = (node: { key: string; id: string; states: Record<string, unknown> }): void => {
    ids.set(node.key, diagramId(node.id));
    for (const child of Object.values(node.states)) walk(child as typeof node);
  };
  walk(connectionMachine.root);
  return ids;
})();

/** A snapshot read as a connection's: the connection machine's own, or a `socketLogic` child's; else undefined. */
function readConnection(
  snapshot: unknown,
  from: ConnectionStateName | null,
  socketChild: boolean,
): { name: ConnectionStateName; change: StateChange; gaveUp: boolean; figures: Readonly<Record<string, unknown>> } | undefined {
  const { value, context } = (snapshot ?? {}) as { value?: unknown; context?: Record<string, unknown> };
  if (context && typeof context.attempt === 'number' && 'options' in context) {
    const machine = { value, context: context as unknown as ConnectionContext };
    let name: ConnectionStateName;
    try {
      name = stateNameOf(value);
    } catch {
      return undefined;
    }
    // The first snapshot has no state before it: its change is read as from itself.
    const change = stateChangeOf(from ?? name, machine);
    return {
      name,
      change,
      gaveUp: name === 'closed' && machine.context.gaveUp,
      figures: { attempts: machine.context.attempt, rttMs: machine.context.rttMs },
    };
  }
  // Only an actor of socketLogic is read by its context (an app's own context may look alike).
  if (!socketChild || !context || typeof context.state !== 'string') return undefined;
  let name: ConnectionStateName;
  try {
    name = stateNameOf(context.state);
  } catch {
    return undefined;
  }
  const stats = (context.stats ?? {}) as Readonly<Record<string, unknown>>;
  const change = (context.change as StateChange | null) ?? { from: from ?? name, to: name, reason: null, attempt: 0, delayMs: null };
  return { name, change, gaveUp: name === 'closed' && context.gaveUp === true, figures: stats };
}

/** Stats as the page shows them: times as clock times, nothing as '-'. */
function statsText(stats: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(stats).map(([key, value]) => [
      key,
      value === null
        ? '-'
        : typeof value === 'number' && /At$/.test(key)
          ? clockTime(value)
          : typeof value === 'object'
            ? JSON.stringify(value)
            : String(value as string),
    ]),
  );
}

export async function startLocalInspector(options: LocalInspectorOptions = {}): Promise<LocalInspector> {
  checkArgument(typeof options === 'object' && options !== null, 'startLocalInspector', 'options', 'must be an object', options);
  const wanted = options.port;
  checkArgument(
    wanted === undefined || isPort(wanted, 0),
    'startLocalInspector',
    'options.port',
    'must be a port (0 for any free one)',
    wanted,
  );
  for (const [name, value] of [
    ['stats', options.stats],
    ['scrub', options.scrub],
    ['now', options.now],
  ] as const) {
    checkArgument(
      value === undefined || typeof value === 'function',
      'startLocalInspector',
      `options.${name}`,
      'must be a function',
      value,
    );
  }
  const scrub = options.scrub ?? ((text: string) => text);
  const now = options.now ?? Date.now;
  const log: InspectorLogEntry[] = [];
  let current: { name: ConnectionStateName; nodeId: string; figures: Readonly<Record<string, unknown>> } | undefined;

  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PAGE);
    } else if (path === '/machine.svg') {
      response.writeHead(200, { 'content-type': 'image/svg+xml' }).end(MACHINE_SVG);
    } else {
      response.writeHead(404).end();
    }
  });
  const wss = new WebSocketServer({ server, path: '/events' });

  const view = () => ({
    state: current?.name ?? null,
    nodeId: current?.nodeId ?? null,
    stats: statsText(options.stats?.() ?? current?.figures ?? {}),
  });
  const broadcast = (payload: unknown) => {
    const text = scrub(JSON.stringify(payload));
    for (const client of wss.clients) client.send(text);
  };
  wss.on('connection', (client) => {
    client.on('error', () => {});
    client.send(scrub(JSON.stringify({ type: 'hello', ...view(), log })));
  });

  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  // The socket followed: the first actor whose snapshots are a connection's (an app's root may own
  // other actors; the socket may be the root itself or an app machine's socketLogic child).
  let followed: string | undefined;
  const inspect = (event: InspectionEvent) => {
    checkArgument(typeof event?.type === 'string', 'LocalInspector.inspect', 'event', 'must be an XState inspection event', event);
    if (event.type !== '@xstate.snapshot' || (followed !== undefined && event.actorRef.sessionId !== followed)) return;
    // The followed socket stopped (an app that re-invokes it makes a new one): follow the next.
    if ((event.snapshot as { status?: string }).status === 'stopped') {
      followed = undefined;
      return;
    }
    const from = current?.name ?? null;
    const read = readConnection(event.snapshot, from, isSocketLogic((event.actorRef as { logic?: unknown }).logic));
    if (!read) return;
    followed = event.actorRef.sessionId;
    const { name, change } = read;
    current = { name, nodeId: NODE_IDS.get(name) ?? '', figures: read.figures };
    if (from === name) {
      broadcast({ type: 'stats', ...view() });
      return;
    }
    const t = now();
    const previous = log[log.length - 1];
    const entry: InspectorLogEntry = {
      t,
      ...change,
      from,
      text: {
        time: clockTime(t),
        transition: `${from ?? '(start)'} -> ${name}`,
        stayed: previous ? duration(t - previous.t) : '',
        why: stateDetails(change, read.gaveUp),
      },
    };
    log.push(entry);
    if (log.length > MAX_LOG) log.shift();
    broadcast({ type: 'state', ...view(), entry });
  };

  return {
    url: `http://127.0.0.1:${port}/`,
    inspect,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
