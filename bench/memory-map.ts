/**
 * Where each byte of a real connection's heap goes: BENCH_CONNECTIONS (default 1 000) wsmachine
 * sockets over `ws` against the echo server (in its own process), a V8 heap snapshot before and
 * after, and the difference per connection grouped by what holds it: a class by its name, a
 * plain object by its first keys, a closure by its function's name (with its context, counted
 * once when closures share it), each with its property and element stores. The rows show whose cost it is (XState's actors and system,
 * ws's socket, wsmachine's own objects); `npm run bench:memory-breakdown` gives the layers' totals.
 *
 *   npm run bench:memory-map       (BENCH_CONNECTIONS, BENCH_ROWS: the rows printed, default 40)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import type { WsmSocket } from '../src/index.ts';
import { startEchoServer } from './support.ts';
import { wsmachine } from './subject.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 1_000);
const ROWS = Number(process.env.BENCH_ROWS ?? 40);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc (npm run bench:memory-map does)');

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; edge_fields: string[]; node_types: [string[]]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** Bytes and counts by holder in one snapshot. */
function holders(file: string): { rows: Map<string, { bytes: number; count: number }>; total: number } {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshot;
  const { meta } = snap.snapshot;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const [nodeTypes] = meta.node_types;
  const [edgeTypes] = meta.edge_types;
  const { nodes, edges, strings } = snap;
  const str = (i: number | undefined) => strings[i ?? 0] ?? '';
  const at = (i: number) => nodes[i] ?? 0;
  const rows = new Map<string, { bytes: number; count: number }>();
  // A context shared by several closures is counted once, with the first of them.
  const counted = new Set<number>();
  let total = 0;
  for (let node = 0, edge = 0; node < nodes.length; node += nf) {
    const type = nodeTypes[at(node)];
    total += at(node + 3);
    const edgeCount = at(node + 4);
    const keys: string[] = [];
    let owned = 0;
    for (let k = 0; k < edgeCount; k++, edge += ef) {
      const edgeType = edgeTypes[edges[edge] ?? 0];
      const name = str(edges[edge + 1]);
      const to = edges[edge + 2] ?? 0;
      if (edgeType === 'property') keys.push(name);
      // A holder's own stores (dictionary-mode properties, elements) and, for a closure, its context.
      const stores =
        edgeType === 'internal' && (name === 'properties' || name === 'elements' || (type === 'closure' && name === 'context'));
      if (stores && nodeTypes[at(to)] !== 'object' && !counted.has(to)) {
        counted.add(to);
        owned += at(to + 3);
      }
    }
    if (type !== 'object' && type !== 'closure') continue;
    const name = str(at(node + 1));
    const key = type === 'closure' ? `closure ${name || '(anonymous)'}` : name === 'Object' ? `{${keys.slice(0, 6).join(', ')}}` : name;
    const row = rows.get(key) ?? { bytes: 0, count: 0 };
    row.bytes += at(node + 3) + owned;
    row.count++;
    rows.set(key, row);
  }
  return { rows, total };
}

const server = await startEchoServer();
const dir = mkdtempSync(join(tmpdir(), 'wsmachine-heap-'));
try {
  const sockets: WsmSocket[] = [];
  const openOne = () =>
    new Promise<void>((resolve) => {
      const socket = wsmachine.createSocket(server.url, { ws: { perMessageDeflate: false } });
      sockets.push(socket);
      const off = socket.on('open', () => {
        off();
        resolve();
      });
    });
  // Warm up the code paths, so that compiled code is not counted per connection.
  for (let i = 0; i < 20; i++) await openOne();
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  await settle();
  const before = writeHeapSnapshot(join(dir, 'before.heapsnapshot'));
  for (let i = 0; i < CONNECTIONS; i += 100) await Promise.all(Array.from({ length: Math.min(100, CONNECTIONS - i) }, openOne));
  await settle();
  const after = writeHeapSnapshot(join(dir, 'after.heapsnapshot'));
  const a = holders(before);
  const b = holders(after);
  const rows = [...b.rows]
    .map(([key, { bytes, count }]) => {
      const base = a.rows.get(key) ?? { bytes: 0, count: 0 };
      return {
        holder: key,
        bytesPerConnection: Math.round((bytes - base.bytes) / CONNECTIONS),
        perConnection: (count - base.count) / CONNECTIONS,
      };
    })
    .filter((row) => row.perConnection >= 0.5)
    .sort((x, y) => y.bytesPerConnection - x.bytesPerConnection);
  const shown = rows.reduce((sum, row) => sum + row.bytesPerConnection, 0);
  const total = Math.round((b.total - a.total) / CONNECTIONS);
  console.log(
    `heap per connection: ${total} bytes in the snapshot (${CONNECTIONS} connections); the holders below, held once or more ` +
      `per connection, hold ${shown} of them (the rest: strings, numbers, code and V8's internal nodes)`,
  );
  for (const row of rows.slice(0, ROWS)) {
    console.log(
      `${String(row.bytesPerConnection).padStart(6)} B  ${row.perConnection.toFixed(2).padStart(5)} x  ${row.holder.slice(0, 110)}`,
    );
  }
  await Promise.all(sockets.map((s) => s.close()));
} finally {
  rmSync(dir, { recursive: true, force: true });
  await server.stop();
}
