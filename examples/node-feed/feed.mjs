// A market-data subscriber: subscribes on every open (a new connection knows nothing of the old
// one's subscriptions), resends what the server may not have received, and says why it reconnects.
//
//   node feed.mjs wss://feed.example/ws [ticks]     (stops after `ticks` ticks; default: never)
import { createSocket, describeReason } from 'wsmachine';

const url = process.argv[2] ?? 'wss://feed.example/ws';
const wanted = process.argv[3] === undefined ? Infinity : Number.parseInt(process.argv[3], 10);
if (Number.isNaN(wanted)) {
  console.error('usage: node feed.mjs <ws-url> [ticks]');
  process.exit(2);
}

const socket = createSocket(url, {
  heartbeat: { interval: 15_000, timeout: 5_000 },
  resendUnconfirmed: true,
});

socket.on('open', ({ attempt }) => {
  console.log(`open (attempt ${attempt})`);
  socket.send(JSON.stringify({ op: 'subscribe', channel: 'ticker.BTC-USD' }));
});
socket.on('reconnecting', ({ attempt, delayMs, reason }) => {
  console.log(`lost: ${describeReason(reason)}; retry ${attempt} in ${delayMs} ms`);
});
socket.on('unconfirmed', ({ messages, resent }) => {
  console.log(`${messages.length} message(s) unconfirmed${resent ? ', resent first on the next connection' : ''}`);
});

let ticks = 0;
socket.on('message', (data) => {
  if (ticks >= wanted) return; // closing: what still arrives during the close handshake is not wanted
  const tick = JSON.parse(String(data));
  console.log(`tick ${tick.channel} ${tick.price}`);
  if (++ticks >= wanted) void socket.close();
});
socket.on('close', ({ reason, unsent }) => {
  console.log(`closed: ${describeReason(reason)} (${unsent.length} never sent)`);
});
