/**
 * The ws adapter as the machine's socket actor, against real `ws` servers on 127.0.0.1: what it
 * translates, what it counts as liveness, what it passes through to `ws`, and its cleanup.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createActor, waitFor, type InspectionEvent } from 'xstate';
import type { DataSink } from '../../adapters/contract.ts';
import { wsAdapter, type WsAdapterOptions } from '../../adapters/ws.ts';
import { connectionMachine, type ConnectionStateName } from '../../machines/connection.machine.ts';
import { stateNameOf } from '../../machines/state-change.ts';
import { resolveConnectionOptions, type ConnectionOptions } from '../../machines/options.ts';
import { closeAll, silentTcpServer, wsServer } from '../support/servers.ts';
import { sleep } from '../support/wait.ts';

const actors: { stop(): void }[] = [];
afterEach(async () => {
  for (const actor of actors.splice(0)) actor.stop();
  await closeAll();
});

const machine = connectionMachine.provide({ actors: { socket: wsAdapter } });

/** The machine with the real ws adapter; records every event the adapter sends to the machine. */
function run(adapter: WsAdapterOptions, options: ConnectionOptions = {}) {
  const fromSocket: string[] = [];
  const actor = createActor(machine, {
    input: {
      options: resolveConnectionOptions({ heartbeat: { interval: 200, timeout: 100 }, connectTimeout: 500, ...options }),
      socket: adapter,
    },
    inspect: (event: InspectionEvent) => {
      if (event.type === '@xstate.event' && event.event.type.startsWith('socket.')) fromSocket.push(event.event.type);
    },
  });
  actors.push(actor);
  actor.start();
  const reach = (state: ConnectionStateName) => waitFor(actor, (s) => stateNameOf(s.value) === state, { timeout: 5_000 });
  return { actor, fromSocket, reach };
}

describe('liveness', () => {
  it('answers each ping with one real pong frame: one socket.pong per cycle', async () => {
    const server = await wsServer();
    const { actor, fromSocket, reach } = run({ url: server.url });
    await reach('open');
    await sleep(1_000);
    const pongs = fromSocket.filter((t) => t === 'socket.pong').length;
    expect(pongs).toBeGreaterThanOrEqual(3);
    expect(stateNameOf(actor.getSnapshot().value)).not.toBe('backing-off');
    expect(actor.getSnapshot().context.rttMs).toBeTypeOf('number');
  });

  it('counts any inbound frame as the pong: a server that never pongs but keeps talking stays up', async () => {
    const server = await wsServer({
      autoPong: false,
      onConnection: (peer) => {
        const chatter = setInterval(() => peer.send('tick'), 30);
        peer.on('close', () => clearInterval(chatter));
      },
    });
    const messages: unknown[] = [];
    const { actor, fromSocket, reach } = run({ url: server.url, sink: { message: (m) => messages.push(m) } });
    await reach('open');
    await sleep(1_000);
    expect(fromSocket).not.toContain('socket.close');
    expect(stateNameOf(actor.getSnapshot().value)).not.toBe('backing-off');
    // One pong per ping cycle, however many messages arrived: the message path stays off the machine.
    const pongs = fromSocket.filter((t) => t === 'socket.pong').length;
    expect(messages.length).toBeGreaterThan(pongs * 3);
    expect(pongs).toBeGreaterThanOrEqual(3);
  });

  it('a server that never pongs and stays quiet is declared dead by the pong timeout', async () => {
    const server = await wsServer({ autoPong: false });
    const { actor, reach } = run({ url: server.url });
    await reach('backing-off');
    expect(actor.getSnapshot().context.reason).toEqual({ type: 'heartbeat-timeout', timeoutMs: 100 });
  });
});

describe('handshake', () => {
  it('reports the subprotocol the server chose', async () => {
    const server = await wsServer({ handleProtocols: (protocols) => [...protocols].at(-1) ?? false });
    const opens: string[] = [];
    const { actor, reach } = run({ url: server.url, protocols: ['v1', 'v2'] });
    actor.on('open', (e) => opens.push(e.protocol));
    await reach('open');
    expect(opens).toEqual(['v2']);
  });

  it('passes ws client options through (maxPayload: a bigger message fails the socket)', async () => {
    const server = await wsServer({ onConnection: (peer) => peer.send('x'.repeat(2_000)) });
    const { actor, reach } = run({ url: server.url, ws: { maxPayload: 1_000 } });
    await reach('closed');
    expect(actor.getSnapshot().context.reason).toMatchObject({
      type: 'protocol-error',
      code: 1009,
      detail: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH',
    });
  });
});

describe('cleanup', () => {
  it('closing while the handshake hangs terminates the socket without an uncaught error', async () => {
    const server = await silentTcpServer();
    const { actor, reach } = run({ url: server.url });
    await sleep(50);
    actor.send({ type: 'close' });
    await reach('closed');
    // ws emits 'error' for a terminated CONNECTING socket: the cleanup's no-op listener takes it.
    await sleep(50);
    expect(actor.getSnapshot().status).toBe('active');
  });

  it('detaches the data path when the socket goes, and attaches the next one', async () => {
    const server = await wsServer();
    const calls: string[] = [];
    const sink: DataSink = {
      attach: () => calls.push('attach'),
      detach: () => calls.push('detach'),
    };
    const { actor, reach } = run({ url: server.url, sink });
    await reach('open');
    for (const client of server.clients()) client.terminate();
    await reach('backing-off');
    await reach('open');
    actor.stop();
    expect(calls).toEqual(['attach', 'detach', 'attach', 'detach']);
  });
});
