/**
 * A ws echo server for the benchmarks, in its own process so that its work does not share the
 * measured client's event loop. Prints its port on stdout; stops when its parent closes stdin.
 */
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
wss.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
});
wss.on('listening', () => {
  const address = wss.address();
  if (typeof address === 'object' && address !== null) process.stdout.write(`${address.port}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => {
  for (const client of wss.clients) client.terminate();
  wss.close(() => process.exit(0));
});
