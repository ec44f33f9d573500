/**
 * The client side of the network-namespace tests, run inside the client namespace: a wsmachine
 * socket whose events are printed as JSON lines with wall-clock times (the test compares them
 * with the moments it injected faults). Stops on SIGTERM after closing the socket.
 *
 *   peer-client.ts <url> <options as JSON>
 */
import { createSocket, type SocketOptions } from '../../src/index.ts';

const [url, optionsJson] = process.argv.slice(2) as [string, string];
const socket = createSocket(url, JSON.parse(optionsJson) as SocketOptions);
const line = (object: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ t: Date.now(), ...object })}\n`);
socket.on('state', (e) => line({ type: 'state', from: e.from, to: e.to, reason: e.reason, delayMs: e.delayMs }));
socket.on('pong', (e) => line({ type: 'pong', rttMs: e.rttMs }));
process.on('SIGTERM', () => {
  void socket.close().then(() => process.exit(0));
});
