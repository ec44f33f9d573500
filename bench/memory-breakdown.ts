/**
 * Where the per-connection heap goes, layer by layer, without sockets: a bare XState actor of a
 * one-state machine, the connection machine's actor (open, timers armed, socket actor invoked),
 * and the facade on top of it (with a socket actor that opens at once and holds no socket).
 * Each layer is measured in its own fresh process.
 *
 *   npm run bench:memory-breakdown      (run with --expose-gc by the script itself)
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createActor, createMachine, fromCallback } from 'xstate';
import type { SocketInput } from '../machines/connection.machine.ts';
import type { SocketCommand } from '../machines/vocabulary.ts';
import { machine, wsmachine } from './subject.ts';

const { connectionMachine, resolveConnectionOptions } = machine;
const { createSocket } = wsmachine;

const N = 2_000;
const LAYERS = ['xstate-actor', 'connection-actor', 'facade'] as const;
type Layer = (typeof LAYERS)[number];

const openAtOnce = fromCallback<SocketCommand, SocketInput>(({ sendBack }) => {
  sendBack({ type: 'socket.open', protocol: '' });
  return () => {};
});
const trivial = createMachine({ initial: 'idle', states: { idle: {} } });
const provided = connectionMachine.provide({ actors: { socket: openAtOnce } });
const options = resolveConnectionOptions();

function make(layer: Layer): unknown {
  switch (layer) {
    case 'xstate-actor':
      return createActor(trivial).start();
    case 'connection-actor':
      return createActor(provided, { input: { options, socket: undefined } }).start();
    case 'facade':
      return createSocket('ws://127.0.0.1:9', { adapter: openAtOnce });
  }
}

const layer = process.argv[2] as Layer | undefined;
if (layer) {
  const gc = (globalThis as { gc?: () => void }).gc as () => void;
  const keep = [make(layer)];
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < N; i++) keep.push(make(layer));
  gc();
  gc();
  console.log(Math.round((process.memoryUsage().heapUsed - before) / N));
  process.exit(0);
} else {
  const self = fileURLToPath(import.meta.url);
  const result: Record<string, number> = {};
  for (const name of LAYERS) {
    result[name] = Number(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, name]).toString());
  }
  console.log(JSON.stringify({ benchmark: 'heap per connection by layer (bytes)', node: process.version, ...result }, null, 2));
}
