/**
 * States x events: every event type either has a transition in a state (on the state or an
 * ancestor) or is listed in IGNORED_EVENTS for it, never both, never neither. A new state or event
 * type fails here until somebody decides what it does. The ignored pairs are then sent for real:
 * an ignored event must leave the state, the socket and the timers as they were.
 */
import { describe, expect, it } from 'vitest';
import type { AnyStateNode } from 'xstate';
import { connectionMachine, type ConnectionStateName } from '../../machines/connection.machine.ts';
import { IGNORED_EVENTS } from '../../machines/ignored-events.ts';
import { EVENT_TYPES, type ConnectionEvent, type EventType, type SocketActorErrorEvent } from '../../machines/vocabulary.ts';
import { startIn, type Harness } from '../support/harness.ts';

function allNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap(allNodes)];
}

/** The states a snapshot can rest in: atomic, and not a choice that is left at once. */
const restingLeaves = allNodes(connectionMachine.root).filter((n) => n.type === 'atomic' && !n.always?.length);

function handles(leaf: AnyStateNode, type: EventType): boolean {
  for (let node: AnyStateNode | undefined = leaf; node; node = node.parent) {
    if (node.transitions.has(type)) return true;
  }
  return false;
}

/** A concrete event of each type, for sending the ignored ones. */
const SAMPLE: Record<EventType, ConnectionEvent | SocketActorErrorEvent> = {
  'socket.open': { type: 'socket.open', protocol: '' },
  'socket.pong': { type: 'socket.pong', rttMs: 1 },
  'socket.close': { type: 'socket.close', code: 1000, reason: '', wasClean: true },
  'socket.error': { type: 'socket.error', code: 'ECONNRESET', message: '' },
  'socket.rejected': { type: 'socket.rejected', status: 503 },
  'xstate.error.actor.socket': { type: 'xstate.error.actor.socket', error: new Error('x') },
  connect: { type: 'connect' },
  close: { type: 'close' },
  reconnect: { type: 'reconnect' },
  probe: { type: 'probe' },
  'network.online': { type: 'network.online' },
  'network.offline': { type: 'network.offline' },
  'page.visible': { type: 'page.visible' },
  'page.hidden': { type: 'page.hidden' },
  'reading.pause': { type: 'reading.pause' },
  'reading.resume': { type: 'reading.resume' },
};

/** Everything an event could change: the snapshot, the sockets and their commands, timers, emitted events. */
function observe(h: Harness) {
  return {
    status: h.actor.getSnapshot().status,
    value: h.actor.getSnapshot().value,
    context: h.context(),
    sockets: h.sockets.all.length,
    commands: h.sockets.all.map((s) => s.commands.length),
    pending: h.clock.pending,
    emitted: h.emitted.length,
  };
}

describe('states x events', () => {
  it('the resting states are exactly the seven public names', () => {
    expect(restingLeaves.map((n) => n.key).sort()).toEqual(Object.keys(IGNORED_EVENTS).sort());
  });

  for (const leaf of restingLeaves) {
    const name = leaf.key as ConnectionStateName;
    const ignored = IGNORED_EVENTS[name];

    it(`${name}: every event type is handled or deliberately ignored, not both`, () => {
      const undecided = EVENT_TYPES.filter((t) => !handles(leaf, t) && !(t in ignored));
      const contradictory = EVENT_TYPES.filter((t) => handles(leaf, t) && t in ignored);
      expect({ undecided, contradictory }).toEqual({ undecided: [], contradictory: [] });
    });

    it(`${name}: each ignored event says why in a sentence`, () => {
      for (const [type, why] of Object.entries(ignored)) expect(why, type).toMatch(/^[a-z][a-z ;:,.'-]{10,}$/);
    });

    it(`${name}: each ignored event really changes nothing`, () => {
      for (const type of Object.keys(ignored) as EventType[]) {
        const h = startIn(name);
        const before = observe(h);
        h.actor.send(SAMPLE[type]);
        expect(observe(h), `${type} in ${name}`).toEqual(before);
      }
    });
  }
});
