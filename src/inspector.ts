/**
 * The local inspector: a page on 127.0.0.1 that shows the machine's diagram with the current state
 * highlighted live, the transition log with reasons and timings, and the stats. No internet: the
 * page, its script and the diagram (docs/machine.svg, drawn by Graphviz from the machine) are
 * served from here.
 *
 * Theory of operation: it is fed only by the actor's inspection events (`inspect` option of
 * createActor): each root `@xstate.snapshot` whose state name changed becomes a log entry, derived
 * from the snapshot's own context (reason, attempt, delay), and is pushed to every open page over a
 * local WebSocket. The log is bounded (the last 200 entries). Every payload goes through the
 * caller's scrubber, so a secret that reached a reason never reaches the page.
 */
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { InspectionEvent } from 'xstate';
import { checkArgument, isPort } from '../machines/options.ts';
import { stateNameOf, type ConnectionContext, type ConnectionStateName } from '../machines/connection.machine.ts';
import type { DisconnectReason } from '../machines/vocabulary.ts';

export interface InspectorLogEntry {
  readonly t: number;
  readonly from: ConnectionStateName | null;
  readonly to: ConnectionStateName;
  readonly reason: DisconnectReason | null;
  readonly attempt: number;
  readonly delayMs: number | null;
}

export interface LocalInspector {
  /** The page's address. */
  readonly url: string;
  /** Pass as `inspect` to createSocket / createActor. */
  readonly inspect: (event: InspectionEvent) => void;
  close(): Promise<void>;
}

export interface LocalInspectorOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Extra figures for the stats panel (the facade's `stats`). */
  readonly stats?: () => Readonly<Record<string, unknown>>;
  readonly scrub?: (text: string) => string;
  readonly now?: () => number;
}

const MAX_LOG = 200;

/** The diagram id of a snapshot's active leaf: `connection_live_connected_open`. */
function nodeIdOf(machineId: string, value: unknown): string {
  const path = [machineId];
  let node = value;
  while (typeof node === 'object' && node !== null) {
    const [key, child] = Object.entries(node)[0] as [string, unknown];
    path.push(key);
    node = child;
  }
  path.push(String(node));
  return path.join('.').replace(/[^A-Za-z0-9]/g, '_');
}

export async function startLocalInspector(options: LocalInspectorOptions = {}): Promise<LocalInspector> {
  checkArgument(typeof options === 'object' && options !== null, 'startLocalInspector', 'options', 'must be an object', options);
  const wanted = options.port;
  checkArgument(wanted === undefined || isPort(wanted, 0), 'startLocalInspector', 'options.port', 'must be a port (0 for any free one)', wanted);
  for (const [name, value] of [['stats', options.stats], ['scrub', options.scrub], ['now', options.now]] as const) {
    checkArgument(value === undefined || typeof value === 'function', 'startLocalInspector', `options.${name}`, 'must be a function', value);
  }
  const scrub = options.scrub ?? ((text: string) => text);
  const now = options.now ?? Date.now;
  const svg = readFileSync(new URL('../docs/machine.svg', import.meta.url), 'utf8');
  const log: InspectorLogEntry[] = [];
  let current: { name: ConnectionStateName; nodeId: string; context: ConnectionContext } | undefined;

  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PAGE);
    } else if (path === '/machine.svg') {
      response.writeHead(200, { 'content-type': 'image/svg+xml' }).end(svg);
    } else {
      response.writeHead(404).end();
    }
  });
  const wss = new WebSocketServer({ server, path: '/events' });

  const view = () => {
    const context = current?.context;
    return {
      state: current?.name ?? null,
      nodeId: current?.nodeId ?? null,
      stats: options.stats?.() ?? { attempts: context?.attempt ?? 0, rttMs: context?.rttMs ?? null },
    };
  };
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

  const inspect = (event: InspectionEvent) => {
    checkArgument(typeof event?.type === 'string', 'LocalInspector.inspect', 'event', 'must be an XState inspection event', event);
    if (event.type !== '@xstate.snapshot' || event.actorRef.sessionId !== event.rootId) return;
    const snapshot = event.snapshot as unknown as { value: unknown; context: ConnectionContext; machine?: { id: string } };
    const name = stateNameOf(snapshot.value);
    const context = snapshot.context;
    const from = current?.name ?? null;
    const changed = from !== name;
    current = { name, nodeId: nodeIdOf(snapshot.machine?.id ?? 'connection', snapshot.value), context };
    if (!changed) {
      broadcast({ type: 'stats', ...view() });
      return;
    }
    const ended = name === 'backing-off' || name === 'closed';
    const entry: InspectorLogEntry = {
      t: now(),
      from,
      to: name,
      reason: ended ? context.reason : null,
      attempt: context.attempt,
      delayMs: name === 'backing-off' ? context.retryDelayMs : null,
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

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>wsmachine inspector</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #222; }
  header { padding: 10px 16px; background: #263238; color: #fff; display: flex; gap: 16px; align-items: baseline; }
  header h1 { font-size: 16px; margin: 0; }
  #state { font: bold 16px monospace; color: #ffd54f; }
  #link { margin-left: auto; font-size: 12px; opacity: 0.8; }
  main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(260px, 1fr); gap: 12px; padding: 12px; }
  #diagram svg { width: 100%; height: auto; }
  #diagram g.node.active polygon, #diagram g.node.active path { fill: #ffd54f; stroke: #e65100; stroke-width: 2.5; }
  #diagram g.node.active text { font-weight: bold; }
  dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0 0 12px; font-family: monospace; }
  dt { color: #666; }
  table { border-collapse: collapse; width: 100%; font: 12px monospace; }
  td, th { text-align: left; padding: 2px 6px; border-bottom: 1px solid #eee; vertical-align: top; }
  h2 { font-size: 13px; margin: 8px 0 4px; text-transform: uppercase; color: #555; }
</style>
</head>
<body>
<header><h1>wsmachine inspector</h1><span id="state">-</span><span id="link">connecting to the inspector...</span></header>
<main>
  <section><div id="diagram"></div></section>
  <aside>
    <h2>Stats</h2><dl id="stats"></dl>
    <h2>Transitions (newest first)</h2>
    <table><thead><tr><th>time</th><th>transition</th><th>in state</th><th>why</th></tr></thead><tbody id="log"></tbody></table>
  </aside>
</main>
<script>
  // Highlighted states, in order: read by the browser test.
  window.__wsm = { history: [] };
  const log = [];
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  const time = (t) => { const d = new Date(t); return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()) + '.' + pad(d.getMilliseconds(), 3); };
  const dur = (ms) => ms < 1000 ? Math.round(ms) + ' ms' : (ms / 1000).toFixed(1) + ' s';
  function why(e) {
    const r = e.reason;
    let text = r ? r.type + (r.code !== undefined ? ' ' + r.code : '') + (r.status !== undefined ? ' HTTP ' + r.status : '') + (r.timeoutMs !== undefined ? ' after ' + r.timeoutMs + ' ms' : '') : '';
    if (e.delayMs !== null && e.delayMs !== undefined) text += (text ? ', ' : '') + 'retry ' + e.attempt + ' in ' + dur(e.delayMs);
    return text;
  }
  function highlight(nodeId, name) {
    document.querySelectorAll('#diagram g.node.active').forEach((g) => g.classList.remove('active'));
    const node = nodeId && document.getElementById(nodeId);
    if (node) node.classList.add('active');
    document.getElementById('state').textContent = name || '-';
    const h = window.__wsm.history;
    if (name && h[h.length - 1] !== name) h.push(name);
  }
  function renderStats(stats) {
    const dl = document.getElementById('stats');
    dl.replaceChildren();
    for (const [k, v] of Object.entries(stats || {})) {
      const dt = document.createElement('dt'); dt.textContent = k;
      const dd = document.createElement('dd'); dd.textContent = v === null ? '-' : typeof v === 'number' && /At$/.test(k) ? time(v) : String(v);
      dl.append(dt, dd);
    }
  }
  function renderLog() {
    const body = document.getElementById('log');
    body.replaceChildren();
    for (let i = log.length - 1; i >= 0; i--) {
      const e = log[i], prev = log[i - 1];
      const tr = document.createElement('tr');
      for (const text of [time(e.t), (e.from || '(start)') + ' -> ' + e.to, prev ? dur(e.t - prev.t) : '', why(e)]) {
        const td = document.createElement('td'); td.textContent = text; tr.append(td);
      }
      body.append(tr);
    }
  }
  let pending = [];
  let ready = false;
  function apply(msg) {
    if (msg.type === 'hello') { log.splice(0, log.length, ...msg.log); renderLog(); }
    if (msg.type === 'state') { log.push(msg.entry); if (log.length > 200) log.shift(); renderLog(); }
    highlight(msg.nodeId, msg.state);
    renderStats(msg.stats);
  }
  fetch('/machine.svg').then((r) => r.text()).then((svg) => {
    document.getElementById('diagram').innerHTML = svg.slice(svg.indexOf('<svg'));
    ready = true;
    pending.forEach(apply);
    pending = [];
  });
  const ws = new WebSocket('ws://' + location.host + '/events');
  ws.onopen = () => { document.getElementById('link').textContent = 'live'; };
  ws.onclose = () => { document.getElementById('link').textContent = 'inspector closed'; };
  ws.onmessage = (m) => { const msg = JSON.parse(m.data); if (ready) apply(msg); else pending.push(msg); };
</script>
</body>
</html>
`;
