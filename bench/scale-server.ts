/**
 * The scale benchmark's server, in its own process: ws echo servers on 127.0.0.1, one per port
 * given (or as many fresh ports as asked, `new:<count>`), so that tens of thousands of loopback
 * connections do not run out of source ports toward one server port. Prints the ports as JSON on
 * stdout once listening. Killed, not stopped, by the benchmark: a server that vanishes.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

const arg = process.argv[2] ?? 'new:1';
const wanted = arg.startsWith('new:') ? Array.from({ length: Number(arg.slice(4)) }, () => 0) : arg.split(',').map(Number);
const ports: number[] = [];
for (const port of wanted) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false, backlog: 4096 });
  wss.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  await once(wss, 'listening');
  ports.push((wss.address() as AddressInfo).port);
}
process.stdout.write(`${JSON.stringify(ports)}\n`);
