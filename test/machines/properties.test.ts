/**
 * Property-based tests (fast-check) of the machine on a virtual clock with a fake socket: random
 * options, then random sequences of socket events, user events, environment events, adapter
 * failures and clock moves (including late timers). Failures shrink to a short, printable list of
 * steps. RUNS runs per property (WSM_PROPERTY_RUNS to change).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConnectionOptions } from '../../machines/options.ts';
import type { SocketEvent } from '../../machines/vocabulary.ts';
import { startConnection, type Harness } from '../support/harness.ts';

const RUNS = Number(process.env.WSM_PROPERTY_RUNS ?? 500);

type Step =
  | { readonly kind: 'socket'; readonly event: SocketEvent }
  | { readonly kind: 'adapter-throws' }
  | { readonly kind: 'user'; readonly type: 'connect' | 'reconnect' | 'probe' }
  | { readonly kind: 'close'; readonly code: number }
  | { readonly kind: 'env'; readonly type: 'network.online' | 'network.offline' | 'page.visible' | 'page.hidden' }
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'next-timer' }
  | { readonly kind: 'sleep'; readonly ms: number };

const socketEvent: fc.Arbitrary<SocketEvent> = fc.oneof(
  fc.constant({ type: 'socket.open', protocol: '' } as const),
  fc.nat(2_000).map((rttMs) => ({ type: 'socket.pong', rttMs }) as const),
  fc.record({
    type: fc.constant('socket.close' as const),
    code: fc.constantFrom(1000, 1001, 1002, 1006, 1008, 1011, 1012, 1013, 4000, 4999),
    reason: fc.constant(''),
    wasClean: fc.boolean(),
  }),
  fc.record({
    type: fc.constant('socket.error' as const),
    code: fc.constantFrom('ECONNREFUSED', 'ECONNRESET', 'WS_ERR_INVALID_UTF8', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'EHANDSHAKE'),
    message: fc.constant('x'),
  }),
  fc.oneof(
    fc.constantFrom(401, 403, 429, 500, 503).map((status) => ({ type: 'socket.rejected', status }) as const),
    fc
      .tuple(fc.constantFrom(429, 503), fc.nat(3_600_000))
      .map(([status, retryAfterMs]) => ({ type: 'socket.rejected', status, retryAfterMs }) as const),
  ),
);

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: socketEvent.map((event) => ({ kind: 'socket', event }) as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'adapter-throws' } as const) },
  { weight: 2, arbitrary: fc.constantFrom('connect', 'reconnect', 'probe').map((type) => ({ kind: 'user', type }) as const) },
  { weight: 1, arbitrary: fc.constantFrom(1000, 4000).map((code) => ({ kind: 'close', code }) as const) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('network.online', 'network.offline', 'page.visible', 'page.hidden')
      .map((type) => ({ kind: 'env', type }) as const),
  },
  { weight: 4, arbitrary: fc.nat(5_000).map((ms) => ({ kind: 'advance', ms }) as const) },
  { weight: 3, arbitrary: fc.constant({ kind: 'next-timer' } as const) },
  { weight: 1, arbitrary: fc.nat(600_000).map((ms) => ({ kind: 'sleep', ms }) as const) },
);

const options: fc.Arbitrary<ConnectionOptions> = fc
  .record({
    heartbeatOn: fc.boolean(),
    interval: fc.integer({ min: 200, max: 5_000 }),
    timeoutShare: fc.double({ min: 0.1, max: 0.9, noNaN: true }),
    connectTimeout: fc.integer({ min: 1, max: 5_000 }),
    closeTimeout: fc.integer({ min: 1, max: 5_000 }),
    initial: fc.integer({ min: 1, max: 2_000 }),
    maxFactor: fc.integer({ min: 1, max: 30 }),
    factor: fc.double({ min: 1, max: 4, noNaN: true }),
    jitter: fc.constantFrom('full' as const, 'none' as const),
    stableAfter: fc.nat(10_000),
    maxAttempts: fc.oneof(fc.nat(6), fc.constant(Infinity)),
    seed: fc.integer(),
  })
  .map((o) => {
    let state = o.seed >>> 0;
    const random = () => (state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0) / 4_294_967_296;
    return {
      heartbeat: o.heartbeatOn ? { interval: o.interval, timeout: Math.max(1, Math.floor(o.interval * o.timeoutShare)) } : false,
      connectTimeout: o.connectTimeout,
      closeTimeout: o.closeTimeout,
      backoff: { initial: o.initial, max: o.initial * o.maxFactor, factor: o.factor, jitter: o.jitter },
      stableAfter: o.stableAfter,
      maxAttempts: o.maxAttempts,
      random,
    } satisfies ConnectionOptions;
  });

function apply(h: Harness, s: Step): void {
  const live = h.sockets.live()[0];
  switch (s.kind) {
    case 'socket':
      live?.emit(s.event);
      return;
    case 'adapter-throws':
      h.sockets.failNext(1);
      return;
    case 'user':
      h.send({ type: s.type });
      return;
    case 'close':
      h.send({ type: 'close', code: s.code });
      return;
    case 'env':
      h.send({ type: s.type });
      return;
    case 'advance':
      h.clock.advance(s.ms);
      return;
    case 'next-timer':
      h.clock.next();
      return;
    case 'sleep':
      h.clock.freeze(s.ms);
      h.clock.advance(0);
      return;
  }
}

const LIVE = new Set(['connecting', 'open', 'awaiting-pong', 'closing']);

/** Runs `steps` and checks `invariant` after each one. */
function run(o: ConnectionOptions, steps: readonly Step[], invariant: (h: Harness) => void = () => {}): Harness {
  const h = startConnection(o);
  invariant(h);
  for (const s of steps) {
    apply(h, s);
    invariant(h);
  }
  return h;
}

const scenario = fc.tuple(options, fc.array(step, { maxLength: 60 }));
const settings = { numRuns: RUNS };

describe(`machine properties (${RUNS} runs each)`, () => {
  it('never throws and never errors', () => {
    fc.assert(
      fc.property(scenario, ([o, steps]) => {
        const h = run(o, steps);
        expect(h.errors).toEqual([]);
        expect(h.actor.getSnapshot().status).toBe('active');
      }),
      settings,
    );
  });

  it('has at most one socket actor, and one exactly while live', () => {
    fc.assert(
      fc.property(scenario, ([o, steps]) => {
        run(o, steps, (h) => {
          const snapshot = h.actor.getSnapshot();
          const live = LIVE.has(h.state());
          expect(h.sockets.live().length).toBe(live ? 1 : 0);
          expect(Boolean(snapshot.children.socket)).toBe(live);
        });
      }),
      settings,
    );
  });

  it('close always reaches closed; then no timer is pending and no socket exists', () => {
    fc.assert(
      fc.property(scenario, ([o, steps]) => {
        const h = run(o, steps);
        h.send({ type: 'close' });
        // A close handshake is bounded by closeTimeout: its timer is the only one left.
        if (h.state() === 'closing') h.clock.next();
        expect(h.state()).toBe('closed');
        expect(h.clock.pending).toBe(0);
        expect(h.sockets.live()).toEqual([]);
      }),
      settings,
    );
  });

  it('never counts more attempts than maxAttempts', () => {
    fc.assert(
      fc.property(scenario, ([o, steps]) => {
        run(o, steps, (h) => expect(h.context().attempt).toBeLessThanOrEqual(o.maxAttempts ?? Infinity));
      }),
      settings,
    );
  });

  it('draws every backoff delay within [0, max] (a Retry-After: within [it, it + initial], capped)', () => {
    fc.assert(
      fc.property(scenario, ([o, steps]) => {
        const h = run(o, steps);
        const { max, initial, maxRetryAfter } = h.context().options.backoff;
        for (const e of h.emitted) {
          if (e.type !== 'reconnecting') continue;
          expect(e.delayMs).toBeGreaterThanOrEqual(0);
          expect(Number.isInteger(e.delayMs)).toBe(true);
          const after = e.reason.type === 'handshake-rejected' ? e.reason.retryAfterMs : undefined;
          if (after === undefined) expect(e.delayMs).toBeLessThanOrEqual(max);
          else {
            expect(e.delayMs).toBeGreaterThanOrEqual(Math.min(after, maxRetryAfter));
            expect(e.delayMs).toBeLessThanOrEqual(Math.min(after, maxRetryAfter) + initial);
          }
        }
      }),
      settings,
    );
  });

  it('is never stuck: from wherever it ends, reconnect and an open handshake reach open', () => {
    fc.assert(
      fc.property(scenario, ([o, steps]) => {
        const h = run(o, steps);
        h.sockets.failNext(0);
        h.send({ type: 'reconnect' });
        expect(h.state()).toBe('connecting');
        h.open();
        expect(h.state()).toBe('open');
      }),
      settings,
    );
  });
});
