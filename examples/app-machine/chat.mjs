// A chat client whose own logic is an XState machine: it invokes the socket (`socketLogic`), joins
// the room on every open, queues what you type while reconnecting (the socket's outbox), and shows
// its own states. Lines on stdin are messages; the end of stdin leaves.
//
//   node chat.mjs wss://chat.example/ws [room]
import { createInterface } from 'node:readline';
import { assign, createActor, sendTo, setup } from 'xstate';
import { describeReason, socketLogic } from 'wsmachine';

const url = process.argv[2] ?? 'wss://chat.example/ws';
const room = process.argv[3] ?? 'lobby';

const chat = setup({
  actors: { socket: socketLogic },
  actions: {
    join: sendTo('socket', { type: 'send', data: `join:${room}` }),
    say: sendTo('socket', ({ event }) => ({ type: 'send', data: event.text })),
    leave: sendTo('socket', { type: 'close', code: 1000, reason: 'bye' }),
  },
}).createMachine({
  id: 'chat',
  context: { joins: 0 },
  invoke: { id: 'socket', src: 'socket', input: { url, heartbeat: { interval: 15_000, timeout: 5_000 } } },
  initial: 'joining',
  on: {
    say: { actions: 'say' },
    'wsm.message': { actions: ({ event }) => console.log(`< ${event.data}`) },
    'wsm.close': '.left',
  },
  states: {
    joining: { on: { 'wsm.open': { target: 'chatting', actions: ['join', assign({ joins: ({ context }) => context.joins + 1 })] } } },
    chatting: {
      on: {
        'wsm.reconnecting': { target: 'reconnecting', actions: ({ event }) => console.log(`(${describeReason(event.reason)})`) },
        leave: { target: 'leaving', actions: 'leave' },
      },
    },
    reconnecting: {
      on: {
        'wsm.open': { target: 'chatting', actions: ['join', assign({ joins: ({ context }) => context.joins + 1 })] },
        leave: { target: 'leaving', actions: 'leave' },
      },
    },
    leaving: {},
    left: { type: 'final' },
  },
});

const app = createActor(chat);
let shown;
app.subscribe((snapshot) => {
  if (snapshot.value !== shown) console.log(`[chat] ${(shown = snapshot.value)}`);
  if (snapshot.status === 'done') process.exit(0);
});
app.start();

const input = createInterface({ input: process.stdin });
input.on('line', (text) => app.send({ type: 'say', text }));
input.on('close', () => app.send({ type: 'leave' }));
