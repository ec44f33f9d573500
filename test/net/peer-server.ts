/**
 * The server side of the network-namespace tests, run inside the server namespace by
 * `ip netns exec`: a ws echo server, and optionally a TCP proxy that delays every chunk in both
 * directions (a long path, without netem). Prints "ready" once listening; stops on SIGTERM.
 *
 *   peer-server.ts <wsPort> [delayPort delayMs]
 */
import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { WebSocketServer } from 'ws';

const [wsPort, delayPort, delayMs] = process.argv.slice(2).map(Number) as [number, number?, number?];

const wss = new WebSocketServer({ host: '0.0.0.0', port: wsPort });
wss.on('connection', (socket) => {
  socket.on('error', () => {});
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
});
await once(wss, 'listening');

if (delayPort !== undefined && delayMs !== undefined) {
  // Every chunk waits delayMs before it is forwarded; order is kept because delays are equal.
  const relay = (from: Socket, to: Socket) => from.on('data', (chunk) => setTimeout(() => to.destroyed || to.write(chunk), delayMs));
  const proxy = createServer((client) => {
    const upstream = connect(wsPort, '127.0.0.1');
    relay(client, upstream);
    relay(upstream, client);
    for (const s of [client, upstream]) {
      s.on('error', () => {});
      s.on('close', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  proxy.listen(delayPort, '0.0.0.0');
  await once(proxy, 'listening');
}

process.stdout.write('ready\n');
process.on('SIGTERM', () => process.exit(0));
