// A browser app's TypeScript (DOM types, no Node types installed or wanted).
import { createSocket, watchEnvironment, type SocketOptions } from 'wsmachine/browser';

const options: SocketOptions = { web: { ping: 'ping' }, outbox: { maxBytes: 65_536 } };
const socket = createSocket('wss://feed.example/ws', options);
watchEnvironment(socket, window);
socket.on('message', (data) => console.log(typeof data === 'string' ? data : data.byteLength));
