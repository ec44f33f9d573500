/**
 * The other half of the states x events table: what each state ignores on purpose, and why.
 * Together with the machine's transitions it must cover every pair (test/machines/table.test.ts
 * fails on a pair that is neither). Documentation the compiler and a test hold to the machine;
 * the running machine never reads it.
 */
import type { ConnectionStateName } from './connection.machine.ts';
import type { EventType } from './vocabulary.ts';

/**
 * Events each state ignores on purpose, with the reason. Together with the machine's transitions this
 * must cover every state x event pair: the table test fails on any pair that is neither.
 */
export const IGNORED_EVENTS: Readonly<Record<ConnectionStateName, Partial<Record<EventType, string>>>> = {
  connecting: {
    'reading.pause': 'nothing is read before open; the facade asks again when the socket opens',
    'reading.resume': 'reading is not paused',
    'socket.pong': 'no ping is sent before the socket is open',
    connect: 'a connection is already being made',
    probe: 'the connect timeout already bounds this attempt',
    'network.online': 'the connect timeout already bounds this attempt',
    'page.visible': 'the connect timeout already bounds this attempt',
    'page.hidden': 'a hidden page keeps its connection',
  },
  open: {
    'reading.resume': 'reading is not paused',
    'socket.open': 'the socket opens once',
    'socket.pong': 'no ping is outstanding; only an answer to our ping proves liveness',
    'socket.rejected': 'a rejection can only answer the handshake, which is over',
    connect: 'already connected',
    'page.hidden': 'a hidden page keeps its connection; the heartbeat keeps checking it',
  },
  'awaiting-pong': {
    'reading.resume': 'reading is not paused',
    'socket.open': 'the socket opens once',
    'socket.rejected': 'a rejection can only answer the handshake, which is over',
    connect: 'already connected',
    probe: 'a probe is already out',
    'network.online': 'a probe is already out',
    'page.visible': 'a probe is already out',
    'page.hidden': 'a hidden page keeps its connection; the heartbeat keeps checking it',
  },
  paused: {
    'socket.open': 'the socket opens once',
    'socket.pong': 'a frame read before the pause took hold; the ping on resume asks again',
    'socket.rejected': 'a rejection can only answer the handshake, which is over',
    connect: 'already connected',
    probe: 'no pong can be read while paused; resuming pings at once',
    'network.online': 'no pong can be read while paused; resuming pings at once',
    'page.visible': 'no pong can be read while paused; resuming pings at once',
    'page.hidden': 'a hidden page keeps its connection',
    'reading.pause': 'already paused',
  },
  closing: {
    'reading.pause': "a close handshake reads on to the server's close frame; the close timeout bounds it",
    'reading.resume': 'reading is not paused while closing',
    'socket.open': 'the socket opens once',
    'socket.pong': 'liveness no longer matters: the socket is being closed',
    'socket.rejected': 'a rejection can only answer the handshake, which is over',
    connect: 'the app asked to close; connect again once closed, or reconnect now',
    close: 'already closing; the close timeout bounds it',
    probe: 'liveness no longer matters: the socket is being closed',
    'network.online': 'the socket is being closed',
    'page.visible': 'the socket is being closed',
    'page.hidden': 'the socket is being closed',
  },
  'backing-off': {
    'reading.pause': 'there is no socket while backing off',
    'reading.resume': 'there is no socket while backing off',
    'socket.open': 'there is no socket while backing off',
    'socket.pong': 'there is no socket while backing off',
    'socket.close': 'there is no socket while backing off',
    'socket.error': 'there is no socket while backing off',
    'socket.rejected': 'there is no socket while backing off',
    connect: 'a reconnect is already scheduled; reconnect skips the wait',
    probe: 'there is no socket to probe',
    'network.offline': 'the next attempt fails fast and counts; network.online cuts the wait',
    'page.hidden': 'the schedule does not depend on visibility',
  },
  closed: {
    'reading.pause': 'there is no socket when closed',
    'reading.resume': 'there is no socket when closed',
    'socket.open': 'there is no socket when closed',
    'socket.pong': 'there is no socket when closed',
    'socket.close': 'there is no socket when closed',
    'socket.error': 'there is no socket when closed',
    'socket.rejected': 'there is no socket when closed',
    close: 'already closed',
    probe: 'there is no socket to probe',
    'network.online': 'closed means closed: only the app restarts it',
    'network.offline': 'there is no socket when closed',
    'page.visible': 'closed means closed: only the app restarts it',
    'page.hidden': 'there is no socket when closed',
  },
};
