/**
 * Model-based tests: paths generated from the machine with xstate/graph, replayed against the real
 * machine (fake socket, virtual clock), with the invariants checked after every step.
 *
 * Paths: the shortest path to every reachable state, plus, for every edge of the state graph, the
 * shortest path to its source followed by that edge. A delayed transition is replayed by checking
 * that its timer is armed on the clock with the delay the options give, then delivering the event
 * that timer would raise: the model decides which timer wins a race (the unit tests on the clock
 * prove the real order). Coverage is measured on the machine's own transition definitions, from
 * the `@xstate.microstep` inspection events of the replayed runs.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  createActor,
  getInitialSnapshot,
  type ActorLogic,
  type AnyStateNode,
  type AnyTransitionDefinition,
  type EventFromLogic,
  type InputFrom,
  type SnapshotFrom,
} from 'xstate';
import { adjacencyMapToArray, getAdjacencyMap, TestModel, type TraversalOptions } from 'xstate/graph';
import { connectionMachine, type ConnectionMachine } from '../../machines/connection.machine.ts';
import { stateNameOf } from '../../machines/state-change.ts';
import { resolveConnectionOptions } from '../../machines/options.ts';
import { VirtualClock } from '../../src/testing/virtual-clock.ts';
import { fakeSockets } from '../support/fake-socket.ts';
import { TEST_OPTIONS } from '../support/harness.ts';

type Snapshot = SnapshotFrom<ConnectionMachine>;
type Event = EventFromLogic<ConnectionMachine>;
// Pitfall M1: a machine with emitted events is not assignable to the graph helpers' ActorLogic.
const logic = connectionMachine as unknown as ActorLogic<Snapshot, Event, InputFrom<ConnectionMachine>>;

const input = { options: resolveConnectionOptions({ ...TEST_OPTIONS, maxAttempts: 2 }) };

function allNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap(allNodes)];
}
const nodes = allNodes(connectionMachine.root);

/** One concrete event per decision the machine can take on it. */
const EVENTS: Event[] = [
  { type: 'socket.open', protocol: '' },
  { type: 'socket.pong', rttMs: 5 },
  { type: 'socket.close', code: 1001, reason: '', wasClean: true },
  { type: 'socket.close', code: 1008, reason: '', wasClean: true },
  { type: 'socket.close', code: 1006, reason: '', wasClean: false },
  { type: 'socket.error', code: 'ECONNRESET', message: 'reset' },
  { type: 'socket.rejected', status: 401 },
  { type: 'socket.rejected', status: 503, retryAfterMs: 50 },
  { type: 'xstate.error.actor.socket', error: new Error('adapter threw') },
  { type: 'connect' },
  { type: 'close', code: 4000, reason: 'done' },
  { type: 'reconnect' },
  { type: 'probe' },
  { type: 'network.online' },
  { type: 'network.offline' },
  { type: 'page.visible' },
  { type: 'page.hidden' },
  { type: 'reading.pause' },
  { type: 'reading.resume' },
  // Every delayed transition, as the event its timer raises (pitfall M4: not in the event union).
  ...nodes.flatMap((n) => n.after.map((t) => ({ type: t.eventType as Event['type'] }) as Event)),
];

const traversal: TraversalOptions<Snapshot, Event, InputFrom<ConnectionMachine>> = {
  input,
  events: EVENTS,
  // Pitfall M3: without an explicit fromState the helpers build the initial snapshot without input.
  fromState: getInitialSnapshot(connectionMachine, input),
  serializeState: (s) => JSON.stringify({ value: s.value, attempt: s.context.attempt, status: s.status }),
  serializeEvent: (e) => JSON.stringify(e, (key, value: unknown) => (key === 'error' ? String(value) : value)),
  // `can` is false for a transition with neither target nor actions: the root's deliberate swallow of
  // stale actor errors would never be walked. It is kept in, so the model proves it changes nothing.
  filterEvents: (s, e) => s.can(e) || (e.type === 'xstate.error.actor.socket' && !s.matches('live')),
};

const model = new TestModel(logic, { ...traversal, stateMatcher: (_s, key) => key === '*' });

/** A delayed event's delay name: xstate.after.<delay>.<state id>. */
function delayName(type: string): string | undefined {
  return /^xstate\.after\.([^.]+)\./.exec(type)?.[1];
}

/** The system under test: the real machine, a fake socket, a virtual clock, and the transitions that fired. */
function createSut(fired: Set<string>) {
  const clock = new VirtualClock();
  const sockets = fakeSockets();
  const actor = createActor(connectionMachine.provide({ actors: { socket: sockets.logic } }), {
    input,
    clock,
    inspect: (event) => {
      if (event.type === '@xstate.microstep') for (const t of event._transitions) fired.add(transitionKey(t));
    },
  });
  actor.start();
  return {
    exec(event: Event) {
      const name = delayName(event.type);
      if (name) {
        const delays = connectionMachine.implementations.delays as Record<string, (args: unknown) => number>;
        const ms = delays[name]?.({ context: actor.getSnapshot().context, event });
        expect(
          clock.scheduled().some((t) => t.delay === ms),
          `${name} (${ms} ms) is armed on the clock`,
        ).toBe(true);
        actor.send(event);
      } else if (event.type.startsWith('socket.')) {
        sockets.current().emit(event as Parameters<ReturnType<typeof sockets.current>['emit']>[0]);
      } else {
        actor.send(event);
      }
    },
    check(expected: Snapshot) {
      const actual = actor.getSnapshot();
      expect(actual.status).toBe('active');
      expect(actual.value).toEqual(expected.value);
      expect(actual.context.attempt).toBe(expected.context.attempt);
      const live = actual.matches('live');
      // A socket actor exists if and only if the machine is in `live`; never two at once.
      expect(Boolean(actual.children.socket)).toBe(live);
      expect(sockets.live()).toHaveLength(live ? 1 : 0);
      const name = stateNameOf(actual.value);
      if (name === 'closed') expect(clock.pending).toBe(0);
      if (name === 'backing-off') expect(clock.scheduled()).toHaveLength(1);
    },
  };
}

const allTransitions = nodes.flatMap((n) => [...[...n.transitions.values()].flat(), ...(n.always ?? [])]);
const fired = new Set<string>();

/**
 * A transition's identity across machine copies (`provide` clones the state nodes): its source, its
 * event and its place among the source's transitions for that event (one per guard branch).
 */
function transitionKey(t: AnyTransitionDefinition): string {
  const type = t.eventType as string;
  const siblings = type ? (t.source.transitions.get(type) ?? []) : (t.source.always ?? []);
  return `${t.source.id}|${type}|${siblings.indexOf(t)}`;
}

function describeTransition(t: AnyTransitionDefinition): string {
  const guard = typeof t.guard === 'string' ? ` [${t.guard}]` : t.guard ? ' [guard]' : '';
  const targets = t.target?.map((n) => n.id).join(',') ?? '(self)';
  return `${t.source.id} --${t.eventType || 'always'}${guard}--> ${targets}`;
}

const shortest = model.getShortestPaths();
const edges = adjacencyMapToArray(getAdjacencyMap(logic, traversal));
const pathTo = new Map(
  model.getShortestPaths({ allowDuplicatePaths: true }).map((p) => [traversal.serializeState!(p.state, undefined), p]),
);
const edgePaths = edges.map((edge) => {
  const prefix = pathTo.get(traversal.serializeState!(edge.state, undefined));
  if (!prefix) throw new Error('an edge whose source has no shortest path');
  const events = [...prefix.steps.slice(1).map((s) => s.event), edge.event];
  const [path] = model.getPathsFromEvents(events, { ...traversal, allowDuplicatePaths: true });
  if (!path) throw new Error('no path for an edge');
  return path;
});

describe('model-based paths (xstate/graph)', () => {
  for (const [kind, paths] of [
    ['shortest', shortest],
    ['edge', edgePaths],
  ] as const) {
    for (const path of paths) {
      it(`${kind}: ${path.description}`, async () => {
        const sut = createSut(fired);
        await path.test({
          events: Object.fromEntries(EVENTS.map((e) => [e.type, (step: { event: Event }) => sut.exec(step.event)])),
          states: { '*': (expected: Snapshot) => sut.check(expected) },
        });
      });
    }
  }

  afterAll(() => {
    const missed = allTransitions.filter((t) => !fired.has(transitionKey(t)));
    console.log(
      `model: ${shortest.length} shortest + ${edgePaths.length} edge paths; graph: ${pathTo.size} states, ${edges.length} edges; ` +
        `machine transitions covered: ${allTransitions.length - missed.length}/${allTransitions.length}`,
    );
    for (const t of missed) console.log(`  not covered: ${describeTransition(t)}`);
  });

  it('covers every transition of the machine', () => {
    // Runs last in this file (vitest keeps declaration order), after every path has replayed.
    const missed = allTransitions.filter((t) => !fired.has(transitionKey(t))).map(describeTransition);
    expect(missed).toEqual([]);
  });
});
