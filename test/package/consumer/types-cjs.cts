// A TypeScript user whose output is CommonJS: require() of the ES module (TypeScript >= 5.8, Node >= 20.19).
import { createSocket, type SocketOptions } from 'wsmachine';

const options: SocketOptions = { maxAttempts: 0 };
createSocket('ws://127.0.0.1:9', options).on('close', ({ reason }) => console.log(reason.type));

import ReconnectingWebSocket = require('wsmachine/reconnecting');
new ReconnectingWebSocket('ws://127.0.0.1:9', [], { maxRetries: 0 }).addEventListener('close', (event) => console.log(event.code));
