// A TypeScript user of every entry: it must compile under strict settings with skipLibCheck off.
import { connect, createSocket, describeReason, WsmError, type DisconnectReason, type SocketOptions, type WsmSocket } from 'wsmachine';
import { createSocket as createWebSocket, watchEnvironment, type WebOptions } from 'wsmachine/browser';
import { connectionMachine, resolveConnectionOptions, Sealed, wsAdapter, type WsAdapterOptions } from 'wsmachine/machine';
import { echoServer, tcpProxy, VirtualClock } from 'wsmachine/testing';
import { startLocalInspector } from 'wsmachine/inspector';
import { createActor } from 'xstate';

const options: SocketOptions = {
  heartbeat: { interval: 20_000, timeout: 5_000 },
  headers: async () => ({ authorization: 'Bearer t' }),
  ws: { maxPayload: 1 << 20 },
  outbox: { maxMessages: 100 },
};
const socket: WsmSocket = createSocket('wss://feed.example/ws', options);
socket.on('close', ({ reason }: { reason: DisconnectReason }) => console.log(describeReason(reason)));
socket.on('state', ({ from, to }) => console.log(from, to));

const web: WebOptions = { ping: '{"op":"ping"}', isPong: (data) => data === '{"op":"pong"}' };
const stop: () => void = watchEnvironment(createWebSocket('wss://feed.example/ws', { web }), {
  addEventListener() {},
  removeEventListener() {},
});

const config: WsAdapterOptions = { url: 'wss://feed.example/ws' };
const actor = createActor(connectionMachine.provide({ actors: { socket: wsAdapter } }), {
  input: { options: resolveConnectionOptions({ maxAttempts: 3 }), socket: new Sealed(config) },
  clock: new VirtualClock(),
});
actor.on('open', ({ attempt }) => console.log(attempt));

export async function run(): Promise<void> {
  const server = await echoServer();
  const proxy = await tcpProxy(server.port);
  const local = await startLocalInspector();
  try {
    const connection = await connect(proxy.url);
    const data: string | Uint8Array = await connection.recv();
    console.log(data, local.url);
  } catch (error) {
    if (error instanceof WsmError) console.log(error.code);
  }
  stop();
}

// ReconnectingWebSocket, typed as the platform's WebSocket events are.
import ReconnectingWebSocket, { type ReconnectingWebSocketOptions } from 'wsmachine/reconnecting';
const rwsOptions: ReconnectingWebSocketOptions = { maxRetries: 10, connectionTimeout: 1_000, headers: { authorization: 'Bearer t' } };
const rws = new ReconnectingWebSocket(() => 'wss://feed.example/ws', null, rwsOptions);
rws.addEventListener('close', (event) => console.log(event.code, event.wasClean, event.disconnectReason.type));
rws.onmessage = (event: MessageEvent) => console.log(event.data);
const state: 0 | 1 | 2 | 3 = rws.readyState;
console.log(state === ReconnectingWebSocket.OPEN, rws.send('x') satisfies boolean);
