/**
 * The socket embedded in an app's own machine (`socketLogic`), as an app would write it, against
 * a real echo server on 127.0.0.1: the parent's states and the ordered `wsm.*` events it hears,
 * its commands and their refusals, the child's snapshot, and what stopping leaves behind.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { assign, createActor, sendTo, setup, waitFor, type ActorRefFrom, type AnyActorRef } from 'xstate';
import { socketLogic, type SocketLogicEvent } from '../../src/index.ts';
import WebSocket from 'ws';
import { startLocalInspector } from '../../src/inspector/server.ts';
import { echoServer, type EchoServer } from '../../src/testing/faults.ts';
import { closeAll, track } from '../support/servers.ts';
import { sleep } from '../support/wait.ts';

afterEach(closeAll);

async function server(): Promise<EchoServer> {
  const s = await echoServer();
  track({ close: () => s.stop() });
  return s;
}

type ChatEvent = SocketLogicEvent | { type: 'say'; text: string };

/** A chat client: joins the room on every open, says what it is told, keeps what it hears. */
function chatMachine(url: string) {
  return setup({
    types: { context: {} as { heard: string[]; refused: string[] }, events: {} as ChatEvent },
    actors: { socket: socketLogic },
    actions: {
      join: sendTo('socket', { type: 'send', data: 'join:lobby' }),
      say: sendTo('socket', ({ event }) => ({ type: 'send', data: event.type === 'say' ? event.text : '' })),
    },
  }).createMachine({
    id: 'chat',
    context: { heard: [], refused: [] },
    invoke: {
      id: 'socket',
      src: 'socket',
      input: { url, heartbeat: { interval: 1_000, timeout: 500 }, backoff: { initial: 100, max: 200, jitter: 'none' } },
    },
    initial: 'joining',
    on: {
      'wsm.message': { actions: assign({ heard: ({ context, event }) => [...context.heard, String(event.data)] }) },
      'wsm.error': {
        actions: assign({ refused: ({ context, event }) => [...context.refused, (event.error as { code?: string }).code ?? '?'] }),
      },
      say: { actions: 'say' },
    },
    states: {
      joining: { on: { 'wsm.open': { target: 'chatting', actions: 'join' } } },
      chatting: { on: { 'wsm.reconnecting': 'reconnecting' } },
      reconnecting: { on: { 'wsm.open': { target: 'chatting', actions: 'join' } } },
    },
  });
}

/** Starts the chat; records every `wsm.*` event the parent receives, in order, and its own states. */
function startChat(url: string) {
  const received: string[] = [];
  const states: string[] = [];
  const root: { ref?: AnyActorRef } = {};
  const actor = createActor(chatMachine(url), {
    inspect: (event) => {
      if (event.type === '@xstate.event' && event.actorRef === root.ref && event.event.type.startsWith('wsm.')) {
        received.push(
          event.event.type === 'wsm.state' ? `wsm.state ${String((event.event as unknown as { to: string }).to)}` : event.event.type,
        );
      }
    },
  });
  root.ref = actor;
  actor.subscribe((snapshot) => {
    const value = String(snapshot.value);
    if (states.at(-1) !== value) states.push(value);
  });
  actor.start();
  return { actor, received, states };
}

type SocketChild = ActorRefFrom<typeof socketLogic>;
const child = (actor: AnyActorRef): SocketChild =>
  (actor.getSnapshot() as { children: Record<string, SocketChild> }).children.socket as SocketChild;

describe('socketLogic in an app machine', () => {
  it('open, join, a server restart (1012, down 1 s), open again, join again: the parent hears it all in order', async () => {
    const echo = await server();
    const { actor, received, states } = startChat(echo.url);
    await waitFor(actor, (s) => s.matches('chatting') && s.context.heard.includes('join:lobby'), { timeout: 5_000 });
    expect(child(actor).getSnapshot().context).toMatchObject({ state: 'open', stats: { reconnects: 0 } });

    await echo.stop();
    await waitFor(actor, (s) => s.matches('reconnecting'), { timeout: 5_000 });
    actor.send({ type: 'say', text: 'typed while away' }); // queued in the outbox, sent on the next open
    await sleep(1_000);
    await echo.start();
    await waitFor(actor, (s) => s.matches('chatting') && s.context.heard.filter((m) => m === 'join:lobby').length === 2, {
      timeout: 5_000,
    });
    await waitFor(actor, (s) => s.context.heard.includes('typed while away'), { timeout: 2_000 });

    expect(states).toEqual(['joining', 'chatting', 'reconnecting', 'chatting']);
    // The order the parent heard, less the socket-level errors of the refused attempts, a possible
    // unconfirmed report (the join may or may not have been confirmed by a pong) and heartbeat cycles.
    const order = received
      .filter((type) => type !== 'wsm.error' && type !== 'wsm.unconfirmed')
      .join(' ')
      .replace(/ wsm\.state awaiting-pong wsm\.state open/g, '');
    expect(order).toMatch(
      /^wsm\.open wsm\.state open wsm\.message( wsm\.reconnecting wsm\.state backing-off wsm\.state connecting)+ wsm\.open wsm\.state open wsm\.message wsm\.message$/,
    );
    // The line queued in the outbox went out before the second join: the outbox flushes before the
    // app hears open (an app that must join first holds its lines itself, as examples/app-machine does).
    const heard = actor.getSnapshot().context.heard;
    expect(heard.indexOf('typed while away')).toBeLessThan(heard.lastIndexOf('join:lobby'));
    expect(child(actor).getSnapshot().context).toMatchObject({ state: 'open', stats: { reconnects: 1 } });
    actor.stop();
  });

  it('a refused command comes back as wsm.error and the socket carries on', async () => {
    const echo = await server();
    const { actor } = startChat(echo.url);
    await waitFor(actor, (s) => s.matches('chatting'), { timeout: 5_000 });
    child(actor).send({ type: 'send', data: 42 as never });
    child(actor).send({ type: 'close', code: 1006 });
    child(actor).send({ type: 'jump' } as never);
    await waitFor(actor, (s) => s.context.refused.length === 3, { timeout: 2_000 });
    expect(actor.getSnapshot().context.refused).toEqual(['WSM_INVALID_ARGUMENT', 'WSM_INVALID_CLOSE_CODE', 'WSM_INVALID_ARGUMENT']);
    actor.send({ type: 'say', text: 'still here' });
    await waitFor(actor, (s) => s.context.heard.includes('still here'), { timeout: 2_000 });
    actor.stop();
  });

  it('a bad option fails the child at once: the parent hears it as the invoke error', async () => {
    const parent = setup({ actors: { socket: socketLogic } }).createMachine({
      invoke: { src: 'socket', input: { url: 'http://not-ws.test' }, onError: { target: '.failed' } },
      initial: 'running',
      states: { running: {}, failed: {} },
    });
    const errors: unknown[] = [];
    const actor = createActor(parent, {
      inspect: (e) => e.type === '@xstate.event' && e.event.type.startsWith('xstate.error') && errors.push(e.event),
    });
    actor.start();
    expect(actor.getSnapshot().value).toBe('failed');
    expect(errors).toMatchObject([{ error: { code: 'WSM_INVALID_OPTION', option: 'url' } }]);
    actor.stop();
  });

  it('the parent stopped mid-backoff leaves no timer and no socket behind', async () => {
    const echo = await server();
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'TCPSocketWrap').length;
    const { actor } = startChat(echo.url);
    await waitFor(actor, (s) => s.matches('chatting'), { timeout: 5_000 });
    await echo.stop();
    await waitFor(actor, (s) => s.matches('reconnecting'), { timeout: 5_000 });
    actor.stop();
    await sleep(50);
    const after = process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'TCPSocketWrap').length;
    expect(after).toBeLessThanOrEqual(before);
    await sleep(400); // past the backoff: nothing reconnects
    expect(echo.clients()).toBe(0);
  });

  it("the app root's inspect observer sees the socket as its child, with the connection's states", async () => {
    const echo = await server();
    const events: { type: string; parent?: string; id?: string; state?: string }[] = [];
    const app = createActor(chatMachine(echo.url), {
      inspect: (event) => {
        const ref = event.actorRef as AnyActorRef;
        if (event.type === '@xstate.actor') events.push({ type: event.type, id: ref.id, parent: String(ref._parent?.id) });
        if (event.type === '@xstate.snapshot' && ref.id === 'socket') {
          events.push({ type: event.type, state: String((event.snapshot as { context?: { state?: string } }).context?.state) });
        }
      },
    });
    app.start();
    await waitFor(app, (s) => s.matches('chatting'), { timeout: 5_000 });
    expect(events).toContainEqual({ type: '@xstate.actor', id: 'socket', parent: app.id });
    const states = events.filter((e) => e.type === '@xstate.snapshot').map((e) => e.state);
    expect(states.filter((state, i) => state !== states[i - 1])).toEqual(['connecting', 'open']);
    app.stop();
  });

  it("the local inspector, given the app root's events, follows the socket child and highlights its state", async () => {
    const echo = await server();
    const inspector = await startLocalInspector();
    track(inspector);
    const app = createActor(chatMachine(echo.url), { inspect: inspector.inspect });
    app.start();
    await waitFor(app, (s) => s.matches('chatting'), { timeout: 5_000 });
    const feed = new WebSocket(inspector.url.replace('http', 'ws') + 'events');
    const hello = await new Promise<{ state: string; nodeId: string; log: { to: string; text: { transition: string } }[] }>(
      (resolve, reject) => {
        feed.once('message', (data) => resolve(JSON.parse((data as Buffer).toString()) as never));
        feed.once('error', reject);
      },
    );
    feed.close();
    expect([hello.state, hello.nodeId]).toEqual(['open', 'connection_live_connected_open']);
    expect(hello.log.map((entry) => entry.text.transition)).toEqual(['(start) -> connecting', 'connecting -> open']);
    app.stop();
  });

  it('the local inspector follows the socket again when the app re-invokes it, and not an app context that looks alike', async () => {
    const echo = await server();
    const inspector = await startLocalInspector();
    track(inspector);
    const app = setup({ actors: { socket: socketLogic } }).createMachine({
      // An app's own context shaped like a socket's must not be taken for one.
      context: { state: 'closed', stats: null, change: null },
      initial: 'online',
      states: {
        online: {
          invoke: { id: 'socket', src: 'socket', input: { url: echo.url, backoff: { initial: 100, max: 200, jitter: 'none' } } },
          on: { again: { target: 'online', reenter: true } },
        },
      },
    });
    const actor = createActor(app, { inspect: inspector.inspect });
    actor.start();
    const feed = new WebSocket(inspector.url.replace('http', 'ws') + 'events');
    const states: string[] = [];
    feed.on('message', (data) => states.push(String((JSON.parse((data as Buffer).toString()) as { state: string }).state)));
    for (const deadline = Date.now() + 5_000; states.at(-1) !== 'open' && Date.now() < deadline;) await sleep(20);
    actor.send({ type: 'again' });
    await sleep(300);
    await echo.stop();
    for (const deadline = Date.now() + 5_000; !states.includes('backing-off') && Date.now() < deadline;) await sleep(20);
    feed.close();
    actor.stop();
    expect(states).not.toContain('closed');
    expect(states).toContain('backing-off');
  }, 15_000);

  it("on every wsm.state, the child's snapshot already has the state the event names", async () => {
    const echo = await server();
    const stale: string[] = [];
    const parent = setup({ types: { events: {} as SocketLogicEvent }, actors: { socket: socketLogic } }).createMachine({
      invoke: { id: 'socket', src: 'socket', input: { url: echo.url } },
      on: {
        'wsm.state': {
          actions: ({ event, self }) => {
            const seen = child(self).getSnapshot().context.state;
            if (seen !== event.to) stale.push(`${event.to} read as ${seen}`);
          },
        },
      },
    });
    const actor = createActor(parent);
    actor.start();
    await waitFor(child(actor), (s) => s.context.state === 'open', { timeout: 5_000 });
    child(actor).send({ type: 'close' }); // a command straight to the child, which changes state inside its own transition
    await waitFor(child(actor), (s) => s.context.state === 'closed', { timeout: 5_000 });
    actor.stop();
    expect(stale).toEqual([]);
  });
});
