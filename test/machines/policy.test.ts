import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../machines/options.ts';
import { backoffStep, classifyReason, decide, parseRetryAfter, reasonOfError, retryDelay } from '../../machines/policy.ts';
import type { DisconnectReason } from '../../machines/vocabulary.ts';
import { thrown } from '../support/thrown.ts';

const backoff = { ...DEFAULTS.backoff };
const server = (code: number): DisconnectReason => ({ type: 'closed-by-server', code, reason: '' });
const rejected = (status: number, retryAfterMs?: number): DisconnectReason =>
  retryAfterMs === undefined ? { type: 'handshake-rejected', status } : { type: 'handshake-rejected', status, retryAfterMs };

describe('backoffStep', () => {
  it('grows by the factor from the initial step and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffStep(n, backoff))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
  });

  it('is a whole number of ms whatever the factor', () => {
    expect(backoffStep(2, { ...backoff, initial: 1, factor: 1.5 })).toBe(2);
    expect(backoffStep(3, { ...backoff, initial: 100, factor: 1.3 })).toBe(169);
  });

  it('does not overflow to Infinity or NaN after very many attempts', () => {
    expect(backoffStep(10_000, backoff)).toBe(30_000);
  });
});

describe('retryDelay', () => {
  const at = (value: number) => () => value;

  it('draws full jitter uniformly in [0, step)', () => {
    expect(retryDelay('backoff', 3, backoff, at(0))).toBe(0);
    expect(retryDelay('backoff', 3, backoff, at(0.5))).toBe(2_000);
    expect(retryDelay('backoff', 3, backoff, at(0.999_999))).toBe(3_999);
  });

  it('uses the step itself without jitter', () => {
    expect(retryDelay('backoff', 3, { ...backoff, jitter: 'none' }, at(0.5))).toBe(4_000);
  });

  it('keeps a restarting server (short) within the first step, whatever the attempt', () => {
    expect(retryDelay('short', 9, backoff, at(0.5))).toBe(500);
    expect(retryDelay('short', 9, { ...backoff, jitter: 'none' }, at(0.5))).toBe(1_000);
  });

  it('waits between half the cap and the cap when the server says try again later (long)', () => {
    expect(retryDelay('long', 1, backoff, at(0))).toBe(15_000);
    expect(retryDelay('long', 1, backoff, at(0.999_999))).toBe(29_999);
    expect(retryDelay('long', 1, { ...backoff, jitter: 'none' }, at(0))).toBe(30_000);
  });

  it('never retries earlier than Retry-After, and spreads by at most one initial step', () => {
    expect(retryDelay(7_000, 1, backoff, at(0))).toBe(7_000);
    expect(retryDelay(7_000, 1, backoff, at(0.999_999))).toBe(7_999);
    expect(retryDelay(7_000, 1, { ...backoff, jitter: 'none' }, at(0.7))).toBe(7_000);
  });

  it.each([
    [NaN, 'NaN'],
    [-0.1, '-0.1'],
    [1, '1'],
    ['0.5', '"0.5"'],
  ])('refuses a random value of %s with WSM_CALLBACK_ERROR (every jittered form)', (value, shown) => {
    for (const delay of ['backoff', 'short', 'long', 7_000] as const) {
      const error = thrown(() => retryDelay(delay, 1, backoff, () => value as number));
      expect([error.code, error.option, error.message]).toEqual([
        'WSM_CALLBACK_ERROR',
        'random',
        `wsmachine: random must return a number in [0, 1), got ${shown}`,
      ]);
    }
  });

  it('a random that returns a rejected promise: refused, the rejection caught', async () => {
    const error = thrown(() => retryDelay('backoff', 1, backoff, () => Promise.reject(new Error('no entropy')) as never));
    expect(error.message).toBe('wsmachine: random must return a number in [0, 1), got an object');
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

  it('a random that throws is a WSM_CALLBACK_ERROR carrying what it threw; without jitter it is not called', () => {
    const bug = new Error('no entropy');
    const broken = () => {
      throw bug;
    };
    const error = thrown(() => retryDelay('backoff', 1, backoff, broken));
    expect([error.code, error.message, error.cause]).toEqual(['WSM_CALLBACK_ERROR', 'wsmachine: random threw: no entropy', bug]);
    expect(retryDelay('backoff', 1, { ...backoff, jitter: 'none' }, broken)).toBe(1_000);
  });

  it('caps a hostile Retry-After at maxRetryAfter', () => {
    expect(retryDelay(365 * 86_400_000, 1, { ...backoff, jitter: 'none' }, at(0))).toBe(600_000);
  });
});

describe('classifyReason (the default table)', () => {
  it.each([1000, 1001, 1005, 1006, 1011, 1014, 3000, 4001, 4999])('retries after server close %i', (code) => {
    expect(classifyReason(server(code))).toEqual({ retry: true, delay: 'backoff' });
  });

  it.each([1002, 1003, 1007, 1008, 1009, 1010, 1015])('stops after server close %i', (code) => {
    expect(classifyReason(server(code))).toEqual({ retry: false });
  });

  it('retries soon after 1012 (service restart) and late after 1013 (try again later)', () => {
    expect(classifyReason(server(1012))).toEqual({ retry: true, delay: 'short' });
    expect(classifyReason(server(1013))).toEqual({ retry: true, delay: 'long' });
  });

  it.each([408, 429, 500, 502, 503, 504, 599])('retries a handshake rejected with %i', (status) => {
    expect(classifyReason(rejected(status))).toEqual({ retry: true, delay: 'backoff' });
  });

  it.each([200, 301, 400, 401, 403, 404, 426, 600])('stops on a handshake rejected with %i', (status) => {
    expect(classifyReason(rejected(status))).toEqual({ retry: false });
  });

  it('waits for Retry-After on 503 and 429, but ignores it on a 4xx that stops', () => {
    expect(classifyReason(rejected(503, 4_000))).toEqual({ retry: true, delay: 4_000 });
    expect(classifyReason(rejected(429, 0))).toEqual({ retry: true, delay: 0 });
    expect(classifyReason(rejected(401, 4_000))).toEqual({ retry: false });
  });

  it.each<DisconnectReason>([
    { type: 'connection-lost', code: 1006 },
    { type: 'heartbeat-timeout', timeoutMs: 10_000 },
    { type: 'connect-timeout', timeoutMs: 10_000 },
    { type: 'network-error', code: 'ECONNREFUSED', message: '' },
    { type: 'adapter-error', message: 'url provider failed' },
    { type: 'offline' },
    { type: 'reader-stalled', timeoutMs: 60_000 },
  ])('retries $type', (reason) => {
    expect(classifyReason(reason)).toEqual({ retry: true, delay: 'backoff' });
  });

  it('never retries a close the client asked for', () => {
    expect(classifyReason({ type: 'closed-by-client', code: 1000, reason: '' })).toEqual({ retry: false });
  });
});

describe('decide', () => {
  it('is the default classification without a user policy', () => {
    expect(decide(server(1008), 0, null)).toEqual({ retry: false });
  });

  it('gives the user policy the reason, the attempt and the default decision', () => {
    const seen: unknown[] = [];
    decide(server(4001), 3, (reason, info) => {
      seen.push(reason, info);
      return true;
    });
    expect(seen).toEqual([server(4001), { attempt: 3, decision: { retry: true, delay: 'backoff' } }]);
  });

  it('maps an app close code to stop with a one-line policy', () => {
    const policy = (reason: DisconnectReason, info: { decision: ReturnType<typeof classifyReason> }) =>
      reason.type === 'closed-by-server' && reason.code === 4001 ? false : info.decision;
    expect(decide(server(4001), 0, policy)).toEqual({ retry: false });
    expect(decide(server(1012), 0, policy)).toEqual({ retry: true, delay: 'short' });
  });

  it('turns true into the default delay, or a plain backoff where the default was to stop', () => {
    expect(decide(server(1013), 0, () => true)).toEqual({ retry: true, delay: 'long' });
    expect(decide(server(1008), 0, () => true)).toEqual({ retry: true, delay: 'backoff' });
  });

  it('accepts every delay form, and { retry: false }', () => {
    for (const delay of ['backoff', 'short', 'long', 0, 250] as const) {
      expect(decide(server(4002), 0, () => ({ retry: true, delay }))).toEqual({ retry: true, delay });
    }
    expect(decide(server(1000), 0, () => ({ retry: false }))).toEqual({ retry: false });
  });

  it.each([
    { retry: true, delay: 'sometimes' },
    { retry: true, delay: Infinity },
    { retry: true, delay: '5' },
    { retry: 'yes' },
    { retry: 'yes', delay: 'backoff' },
    null,
  ])('rejects the answer %j', (answer) => {
    expect(() => decide(server(4002), 0, () => answer as never)).toThrow(/shouldReconnect must return/);
  });

  it('accepts an explicit delay in ms', () => {
    expect(decide(server(4002), 0, () => ({ retry: true, delay: 250 }))).toEqual({ retry: true, delay: 250 });
  });

  it('rejects an answer that is neither a boolean nor a decision', () => {
    expect(() => decide(server(4002), 0, () => ({ retry: true, delay: -1 }))).toThrow(/shouldReconnect must return/);
    expect(() => decide(server(4002), 0, () => 'yes' as never)).toThrow(/shouldReconnect must return/);
  });

  it('a bad answer or a throw is a WSM_CALLBACK_ERROR naming shouldReconnect, carrying what it threw', () => {
    const bad = thrown(() => decide(server(4002), 0, () => undefined as never));
    expect([bad.code, bad.option, bad.message]).toEqual([
      'WSM_CALLBACK_ERROR',
      'shouldReconnect',
      'wsmachine: shouldReconnect must return a boolean or { retry, delay }, got undefined',
    ]);
    const bug = new Error('policy bug');
    const threw = thrown(() =>
      decide(server(4002), 0, () => {
        throw bug;
      }),
    );
    expect([threw.code, threw.message, threw.cause]).toEqual(['WSM_CALLBACK_ERROR', 'wsmachine: shouldReconnect threw: policy bug', bug]);
  });

  it('refuses a promise (the decision is needed now) and catches its rejection', async () => {
    const rejected = Promise.reject(new Error('async policy'));
    const error = thrown(() => decide(server(4002), 0, () => rejected as never));
    expect([error.code, error.option, error.message]).toEqual([
      'WSM_CALLBACK_ERROR',
      'shouldReconnect',
      'wsmachine: shouldReconnect must answer at once, got a promise',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 0));
  });

  it('returns a decision of its own, not the object the callback answered', () => {
    const answer = { retry: true, delay: 250, extra: 'kept out' } as const;
    const decision = decide(server(4002), 0, () => answer);
    expect(decision).toEqual({ retry: true, delay: 250 });
    expect(decision).not.toBe(answer);
  });
});

describe('parseRetryAfter (RFC 9110 10.2.3)', () => {
  const now = Date.parse('Sun, 22 Nov 2026 03:00:00 GMT');

  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP-date relative to now, and a past date as 0', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 03:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 02:00:00 GMT', now)).toBe(0);
  });

  it('ignores what is absent or unparsable', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
  });
});

describe('reasonOfError', () => {
  it.each([
    ['WS_ERR_INVALID_UTF8', 1007],
    ['WS_ERR_UNSUPPORTED_MESSAGE_LENGTH', 1009],
    ['WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH', 1009],
    ['WS_ERR_TOO_MANY_BUFFERED_PARTS', 1009],
    ['WS_ERR_INVALID_OPCODE', 1002],
    ['WS_ERR_EXPECTED_MASK', 1002],
    ['HPE_INVALID_CONSTANT', 1002],
    ['EHANDSHAKE', 1002],
  ])('%s is a protocol error answered with %i, and is not retried', (code, closeCode) => {
    const reason = reasonOfError(code, 'm');
    expect(reason).toEqual({ type: 'protocol-error', code: closeCode, detail: code, message: 'm' });
    expect(classifyReason(reason)).toEqual({ retry: false });
  });

  it.each([
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'CERT_HAS_EXPIRED',
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'ERR_SSL_WRONG_VERSION_NUMBER',
  ])('%s is a TLS error, not retried', (code) => {
    const reason = reasonOfError(code, 'm');
    expect(reason).toEqual({ type: 'tls-error', code, message: 'm' });
    expect(classifyReason(reason)).toEqual({ retry: false });
  });

  it('classifies a protocol error by its close code', () => {
    expect(classifyReason({ type: 'protocol-error', code: 1011, detail: 'X', message: '' })).toEqual({ retry: true, delay: 'backoff' });
  });

  it.each([
    'ECONNREFUSED',
    'ENOTFOUND',
    'ECONNRESET',
    'ETIMEDOUT',
    'EPIPE',
    'EUNKNOWN',
    'XERR_TLS_FOO',
    'DEPTH_ZERO_SELF_SIGNED_CERT_X',
    'SELF_SIGNED_CERT_IN_CHAIN_X',
    'HOSTNAME_MISMATCH_X',
    'XWS_ERR_X',
  ])('%s is a network error, retried', (code) => {
    const reason = reasonOfError(code, 'm');
    expect(reason).toEqual({ type: 'network-error', code, message: 'm' });
    expect(classifyReason(reason)).toEqual({ retry: true, delay: 'backoff' });
  });
});

describe('the door: each policy function refuses bad arguments with WSM_INVALID_ARGUMENT', () => {
  const message = (call: () => unknown) => {
    const error = thrown(call);
    expect(error.code).toBe('WSM_INVALID_ARGUMENT');
    return error.message;
  };

  it('classifyReason and decide take a DisconnectReason', () => {
    for (const bad of [null, 'offline', {}, { type: 'gone' }]) {
      expect(message(() => classifyReason(bad as never))).toMatch(/^wsmachine: classifyReason: reason must be a DisconnectReason, got /);
    }
    expect(message(() => decide({ type: 'x' } as never, 0, null))).toBe(
      'wsmachine: classifyReason: reason must be a DisconnectReason, got an object',
    );
  });

  it('decide takes a whole attempt >= 0 and a function, null or undefined as the policy', () => {
    expect(message(() => decide(server(1001), -1, null))).toBe('wsmachine: decide: attempt must be a whole number >= 0, got -1');
    expect(message(() => decide(server(1001), 1.5, null))).toBe('wsmachine: decide: attempt must be a whole number >= 0, got 1.5');
    expect(message(() => decide(server(1001), 0, 'yes' as never))).toBe(
      'wsmachine: decide: shouldReconnect must be a function or null, got "yes"',
    );
    expect(decide(server(1001), 0, undefined as never)).toEqual({ retry: true, delay: 'backoff' });
    expect(decide(server(1001), 0, null)).toEqual({ retry: true, delay: 'backoff' });
  });

  it.each([
    ['null', null],
    ['a number', 5],
    ['missing fields', { initial: 1 }],
    ['a NaN factor', { ...backoff, factor: NaN }],
    ['a negative initial', { ...backoff, initial: -1 }],
    ['an infinite max', { ...backoff, max: Infinity }],
    ['a string maxRetryAfter', { ...backoff, maxRetryAfter: '5' }],
    ['an unknown jitter', { ...backoff, jitter: 'equal' }],
  ])('backoffStep and retryDelay refuse backoff options with %s', (_, bad) => {
    const rule = 'backoff must be resolved backoff options (initial, factor, max, maxRetryAfter, jitter)';
    expect(message(() => backoffStep(1, bad as never))).toMatch(
      new RegExp(`^wsmachine: backoffStep: ${rule.replace(/[()]/g, '\\$&')}, got `),
    );
    expect(message(() => retryDelay('backoff', 1, bad as never, Math.random))).toMatch(/^wsmachine: retryDelay: backoff must be resolved/);
  });

  it('backoffStep and retryDelay take a whole attempt >= 0; a backoff at 0 is fine', () => {
    expect(message(() => backoffStep(-1, backoff))).toBe('wsmachine: backoffStep: attempt must be a whole number >= 0, got -1');
    expect(message(() => retryDelay('backoff', 0.5, backoff, Math.random))).toBe(
      'wsmachine: retryDelay: attempt must be a whole number >= 0, got 0.5',
    );
    expect(backoffStep(0, { ...backoff, initial: 0, maxRetryAfter: 0 })).toBe(0);
  });

  it('retryDelay takes a known delay and a random function', () => {
    for (const delay of ['soon', -1, Infinity, NaN, null]) {
      expect(message(() => retryDelay(delay as never, 1, backoff, Math.random))).toMatch(
        /^wsmachine: retryDelay: delay must be 'backoff', 'short', 'long' or a number of ms >= 0, got /,
      );
    }
    expect(message(() => retryDelay('backoff', 1, backoff, 0.5 as never))).toBe(
      'wsmachine: retryDelay: random must be a function, got 0.5',
    );
  });

  it('parseRetryAfter takes a header string or undefined, and a time', () => {
    expect(message(() => parseRetryAfter(5 as never, 0))).toBe(
      'wsmachine: parseRetryAfter: value must be a header value (a string) or undefined, got 5',
    );
    expect(message(() => parseRetryAfter('5', NaN))).toBe('wsmachine: parseRetryAfter: nowMs must be a time in ms, got NaN');
    expect(message(() => parseRetryAfter(undefined, '0' as never))).toBe('wsmachine: parseRetryAfter: nowMs must be a time in ms, got "0"');
  });

  it('reasonOfError takes two strings', () => {
    expect(message(() => reasonOfError(1 as never, ''))).toBe('wsmachine: reasonOfError: code must be a string, got 1');
    expect(message(() => reasonOfError('E', null as never))).toBe('wsmachine: reasonOfError: message must be a string, got null');
  });
});
