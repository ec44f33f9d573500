/**
 * Property-based test of the facade against a real echo server on 127.0.0.1 (fast-check): random
 * options (failing callbacks among them), then random sequences of public calls (bad arguments
 * among them) and server faults. After every step:
 *   (a) a bad argument was refused at once with its WsmError, a good call threw nothing but
 *       WSM_OUTBOX_FULL / WSM_CLOSED;
 *   (b) the actor never reached XState's `error` status and nothing escaped to the process;
 *   (c) the listener added right after createSocket saw every state change, as one unbroken chain
 *       from `connecting` that ends in the current state;
 * and at the end of every run: close() resolves within its bound, no socket is left at the
 * server, no timer is left on the machine's clock, every accepted message is accounted for
 * (confirmed, reported unconfirmed, or handed back), and (d) the URL's and headers' secret appears
 * in nothing that was thrown, emitted, traced or logged. `WSM_FACADE_RUNS` sets the run count.
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { WsmError } from '../../common/errors.ts';
import { echoServer, tcpProxy, type EchoServer, type TcpProxy } from '../../src/testing/faults.ts';
import { createSocket, type CloseInfo, type SocketEventMap, type SocketOptions, type WsmSocket } from '../../src/index.ts';
import { watchUncaught } from '../support/uncaught.ts';
import { sleep } from '../support/wait.ts';

const RUNS = Number(process.env.WSM_FACADE_RUNS ?? 40);
const SECRET = 'PrOpS3cretT0k';
const CLOSE_TIMEOUT = 200;

// The client reaches the echo server through a TCP proxy that can black-hole both directions.
let server: EchoServer;
let proxy: TcpProxy;
beforeAll(async () => {
  server = await echoServer();
  proxy = await tcpProxy(server.port);
});
afterAll(async () => {
  await proxy.close();
  await server.stop();
});

const config = fc.record({
  heartbeat: fc.oneof(
    fc.constant(false as const),
    fc.record({ interval: fc.integer({ min: 60, max: 250 }), timeout: fc.integer({ min: 20, max: 55 }) }),
  ),
  maxAttempts: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constant(Infinity)),
  resend: fc.boolean(),
  maxMessages: fc.integer({ min: 1, max: 12 }),
  url: fc.constantFrom('static', 'provider', 'provider throws once', 'provider returns http once'),
  headers: fc.constantFrom('none', 'static', 'provider', 'provider throws once'),
  shouldReconnect: fc.constantFrom('none', 'fine', 'throws', 'undefined'),
  random: fc.constantFrom('none', 'NaN', 'throws'),
  trace: fc.constantFrom('none', 'records', 'throws'),
  inspect: fc.constantFrom('none', 'throws'),
  throwingListener: fc.constantFrom('none', 'message', 'state', 'open', 'error'),
  errorListener: fc.boolean(),
});
type Config = typeof config extends fc.Arbitrary<infer T> ? T : never;

const step = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('send' as const), binary: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('send bad' as const), value: fc.constantFrom<unknown>({ a: 1 }, 42, undefined, null, [1]) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('close' as const), code: fc.constantFrom(1000, 4000) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('close bad' as const), code: fc.constantFrom<unknown>(1006, 999, 'x', 5000) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('reconnect' as const, 'probe' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('on bad' as const), event: fc.constantFrom('mesage', 'opened', 42) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('env' as const),
      type: fc.constantFrom('network.offline' as const, 'network.online' as const, 'page.visible' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('server' as const),
      action: fc.constantFrom('close 1001', 'close 1012', 'close 4001', 'close 1008', 'drop', 'reject 503', 'blackhole', 'restore'),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 300 }) }) },
);
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

/** The machine's timers on real time, counted: none may be left once the socket is closed. */
function countingClock() {
  const live = new Set<unknown>();
  return {
    pending: () => live.size,
    clock: {
      setTimeout: (fn: (...args: unknown[]) => void, ms: number) => {
        const id: NodeJS.Timeout = setTimeout(() => {
          live.delete(id);
          fn();
        }, ms);
        live.add(id);
        return id;
      },
      clearTimeout: (id: unknown) => {
        live.delete(id);
        clearTimeout(id as NodeJS.Timeout);
      },
    },
  };
}

/** A callback that fails the first time it is called, then behaves. */
function onceFailing<T>(fail: () => never, fine: () => T): () => T {
  let failed = false;
  return () => {
    if (failed) return fine();
    failed = true;
    return fail();
  };
}

function optionsOf(c: Config, url: string, record: { trace: string[]; seen: unknown[] }, clock: SocketOptions['clock']): SocketOptions {
  const boom = (what: string) => (): never => {
    throw new Error(`${what} broke`);
  };
  const headers = { Authorization: `Bearer ${SECRET}` };
  return {
    heartbeat: c.heartbeat,
    connectTimeout: 300,
    closeTimeout: CLOSE_TIMEOUT,
    backoff: { initial: 20, max: 80 },
    maxAttempts: c.maxAttempts,
    resendUnconfirmed: c.resend,
    outbox: { maxMessages: c.maxMessages },
    ...(clock ? { clock } : {}),
    ...(c.headers === 'static' ? { headers } : {}),
    ...(c.headers === 'provider' ? { headers: async () => headers } : {}),
    // Its error quotes the URL, token and all (as a token service's client might): masked by shape.
    ...(c.headers === 'provider throws once' ? { headers: onceFailing(boom(`headers for ${url}`), () => headers) } : {}),
    ...(c.shouldReconnect === 'fine' ? { shouldReconnect: (_r, { decision }) => decision } : {}),
    ...(c.shouldReconnect === 'throws' ? { shouldReconnect: boom('policy') } : {}),
    ...(c.shouldReconnect === 'undefined' ? { shouldReconnect: () => undefined as never } : {}),
    ...(c.random === 'NaN' ? { random: () => NaN } : {}),
    ...(c.random === 'throws' ? { random: boom('random') } : {}),
    ...(c.trace === 'records' ? { trace: (line) => record.trace.push(line) } : {}),
    ...(c.trace === 'throws' ? { trace: boom('trace') } : {}),
    ...(c.inspect === 'throws' ? { inspect: boom('inspect') } : {}),
    ...(c.throwingListener === 'open' ? { onOpen: boom('onOpen') } : {}),
  };
}

function urlOf(c: Config, url: string): Parameters<typeof createSocket>[0] {
  switch (c.url) {
    case 'static':
      return url;
    case 'provider':
      return async () => url;
    case 'provider throws once':
      return onceFailing(
        () => {
          throw new Error(`no url for ${url}`);
        },
        () => url,
      );
    case 'provider returns http once':
      return onceFailing(
        () => url.replace('ws:', 'http:') as never,
        () => url,
      );
  }
}

/** Runs `step`; a bad call must throw its WsmError at once, a good one nothing but the two refusals. */
function apply(socket: WsmSocket, s: Step, accepted: { count: number }): void {
  const refused = (call: () => unknown, code: string) => {
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(error, `${JSON.stringify(s)} must be refused`).toBeInstanceOf(WsmError);
    expect((error as WsmError).code).toBe(code);
  };
  switch (s.kind) {
    case 'send':
      try {
        socket.send(s.binary ? new Uint8Array([accepted.count & 255]) : `m${accepted.count}`);
        accepted.count++;
      } catch (error) {
        expect(['WSM_OUTBOX_FULL', 'WSM_CLOSED']).toContain((error as WsmError).code);
      }
      return;
    case 'send bad':
      return refused(() => socket.send(s.value as never), 'WSM_INVALID_ARGUMENT');
    case 'close':
      void socket.close(s.code, 'bye');
      return;
    case 'close bad':
      return refused(() => socket.close(s.code as never), 'WSM_INVALID_CLOSE_CODE');
    case 'reconnect':
      return socket.reconnect();
    case 'probe':
      return socket.probe();
    case 'on bad':
      return refused(() => socket.on(s.event as never, () => {}), 'WSM_INVALID_ARGUMENT');
    case 'env':
      return socket.actor.send({ type: s.type });
    case 'server': {
      const [verb, code] = s.action.split(' ');
      if (verb === 'close') server.closeClients(Number(code), 'bye');
      else if (verb === 'drop') server.dropClients();
      else if (verb === 'blackhole') proxy.blackhole();
      else if (verb === 'restore') proxy.restore();
      else server.rejectNext(1, 503, { 'Retry-After': '0' });
      return;
    }
    case 'wait':
      return;
  }
}

it('random calls, failing callbacks and server faults never break the facade', { timeout: 300_000 }, async () => {
  const console = vi.spyOn(globalThis.console, 'error').mockImplementation(() => {});
  let runs = 0;
  let steps = 0;
  // What the runs went through, printed so that a reader can tell the property is not vacuous.
  const seen = { opened: 0, unconfirmed: 0, callbackErrors: 0, refusals: 0, reasons: new Set<string>() };
  try {
    await fc.assert(
      fc.asyncProperty(config, fc.array(step, { minLength: 3, maxLength: 20 }), async (c, plan) => {
        runs++;
        server.rejectNext(0, 503);
        proxy.restore();
        const uncaught = watchUncaught();
        const record = { trace: [] as string[], seen: [] as unknown[] };
        const counting = countingClock();
        const url = `${proxy.url}/feed?token=${SECRET}`;
        const socket = createSocket(urlOf(c, url), optionsOf(c, url, record, counting.clock));
        const states: SocketEventMap['state'][] = [];
        socket.on('state', (event) => states.push(event));
        const closes: CloseInfo[] = [];
        socket.on('close', (event) => closes.push(event));
        for (const name of ['close', 'reconnecting', 'unconfirmed', 'error', 'open'] as const)
          socket.on(name, (payload) => record.seen.push(payload));
        if (c.errorListener) socket.on('error', () => {});
        if (c.throwingListener !== 'none' && c.throwingListener !== 'open') {
          socket.on(c.throwingListener, () => {
            throw new Error(`${c.throwingListener} listener broke`);
          });
        }
        const accepted = { count: 0 };
        let info: CloseInfo | undefined;
        try {
          for (const s of plan) {
            steps++;
            apply(socket, s, accepted);
            await sleep(s.kind === 'wait' ? s.ms : 0);
            // (b) alive, nothing escaped; (c) one unbroken chain of state changes, ending where the socket is.
            expect(socket.actor.getSnapshot().status).toBe('active');
            expect(uncaught.seen).toEqual([]);
            states.forEach((e, i) => expect(e.from).toBe(i === 0 ? 'connecting' : states[i - 1]?.to));
            expect(socket.state).toBe(states.at(-1)?.to ?? 'connecting');
            expect(Number.isFinite(socket.stats.queuedBytes)).toBe(true);
          }
        } finally {
          // close() resolves within its bound, whatever came before.
          info = await Promise.race([socket.close(), sleep(CLOSE_TIMEOUT + 1_000).then(() => undefined)]);
          expect(info, 'close() must resolve').toBeDefined();
          uncaught.stop();
          record.seen.push(info, socket.stats, ...states);
          for (let i = 0; i < 100 && server.clients() > 0; i++) await sleep(10);
        }
        expect(socket.state).toBe('closed');
        expect(Object.keys(socket.actor.getSnapshot().children)).toEqual([]);
        expect(counting.pending()).toBe(0);
        if (states.some((e) => e.to === 'open')) seen.opened++;
        if (socket.stats.unconfirmed > 0) seen.unconfirmed++;
        seen.callbackErrors += record.seen.filter((e) => (e as WsmError).code === 'WSM_CALLBACK_ERROR').length;
        seen.refusals += plan.filter((p) => p.kind.endsWith(' bad')).length;
        for (const e of states) if (e.reason) seen.reasons.add(e.reason.type);
        expect(server.clients()).toBe(0);
        // Nothing lost: each accepted message was confirmed, reported unconfirmed (and not resent), or
        // handed back by one of the close events (a socket closed for good, then restarted, has several).
        const { confirmed, unconfirmed, resent } = socket.stats;
        const unsent = closes.reduce((n, close) => n + close.unsent.length, 0);
        expect(confirmed + unconfirmed - resent + unsent).toBe(accepted.count);
        // (d) no secret anywhere.
        const text =
          [...record.seen, ...(console.mock.calls.flat() as unknown[])].map((item) => inspect(item, { depth: 6 })).join('\n') +
          record.trace.join('\n');
        expect(text).not.toContain(SECRET);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  } finally {
    console.mockRestore();
  }
  expect(runs).toBeGreaterThanOrEqual(RUNS);
  process.stdout.write(
    `facade properties: ${runs} runs, ${steps} steps; ${seen.opened} runs opened, ${seen.unconfirmed} reported unconfirmed messages; ` +
      `${seen.refusals} bad calls refused, ${seen.callbackErrors} callback failures reported; reasons: ${[...seen.reasons].sort().join(', ')}\n`,
  );
});
