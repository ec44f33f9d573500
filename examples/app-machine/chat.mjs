// A chat client whose own logic is an XState machine: it invokes the socket (`socketLogic`), joins
// the room on every open, holds what you type until it has joined (a line must not reach the room
// before the join does), and shows its own states. Lines on stdin are messages; the end of stdin leaves.
//
//   node chat.mjs wss://chat.example/ws [room]
import { createInterface } from 'node:readline';
import { assign, createActor, enqueueActions, sendTo, setup } from 'xstate';
import { describeReason, socketLogic } from 'wsmachine';

const url = process.argv[2] ?? 'wss://chat.example/ws';
const room = process.argv[3] ?? 'lobby';

const chat = setup({
  actors: { socket: socketLogic },
  actions: {
    // Join, then what was typed while not in the room, in order.
    join: enqueueActions(({ context, enqueue }) => {
      enqueue.sendTo('socket', { type: 'send', data: `join:${room}` });
      for (const text of context.pending) enqueue.sendTo('socket', { type: 'send', data: text });
      enqueue.assign({ pending: [] });
    }),
    say: sendTo('socket', ({ event }) => ({ type: 'send', data: event.text })),
    hold: assign({ pending: ({ context, event }) => [...context.pending, event.text] }),
    leave: sendTo('socket', { type: 'close', code: 1000, reason: 'bye' }),
  },
}).createMachine({
  id: 'chat',
  context: { pending: [] },
  invoke: { id: 'socket', src: 'socket', input: { url, heartbeat: { interval: 15_000, timeout: 5_000 } } },
  initial: 'joining',
  on: {
    say: { actions: 'hold' },
    'wsm.message': { actions: ({ event }) => console.log(`< ${event.data}`) },
    leave: { target: '.leaving', actions: 'leave' },
    'wsm.close': '.left',
  },
  states: {
    joining: { on: { 'wsm.open': { target: 'chatting', actions: 'join' } } },
    chatting: {
      on: {
        say: { actions: 'say' },
        'wsm.reconnecting': { target: 'reconnecting', actions: ({ event }) => console.log(`(${describeReason(event.reason)})`) },
      },
    },
    reconnecting: { on: { 'wsm.open': { target: 'chatting', actions: 'join' } } },
    leaving: { on: { say: {}, leave: {} } },
    left: {
      type: 'final',
      entry: ({ context }) =>
        context.pending.length > 0 && console.log(`(${context.pending.length} line(s) never sent: left before joining)`),
    },
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
