// A browser app's TypeScript (DOM types, no Node types installed or wanted).
import { createSocket, ReconnectingWebSocket, watchEnvironment, type SocketOptions } from 'wsmachine/browser';

const options: SocketOptions = { web: { ping: 'ping' }, outbox: { maxBytes: 65_536 } };
const socket = createSocket('wss://feed.example/ws', options);
watchEnvironment(socket, window);
socket.on('message', (data) => console.log(typeof data === 'string' ? data : data.byteLength));

// ReconnectingWebSocket where the DOM's WebSocket is expected: the same shape.
const rws = new ReconnectingWebSocket('wss://feed.example/ws', undefined, { web: { ping: 'ping' } });
rws.binaryType = 'arraybuffer';
rws.addEventListener('message', (event) => console.log(event.data), { once: true, signal: new AbortController().signal });
const asWebSocket: Pick<WebSocket, 'send' | 'close' | 'readyState' | 'url' | 'protocol' | 'extensions' | 'bufferedAmount' | 'binaryType'> =
  rws;
console.log(asWebSocket.readyState === WebSocket.OPEN);
