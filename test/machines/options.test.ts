import { describe, expect, it } from 'vitest';
import { checkCloseCode, DEFAULTS, MAX_DELAY_MS, resolveConnectionOptions } from '../../machines/options.ts';
import { thrown } from '../support/thrown.ts';

describe('resolveConnectionOptions', () => {
  it('fills in the documented defaults', () => {
    const resolved = resolveConnectionOptions();
    expect(resolved).toMatchObject({
      heartbeat: { interval: 25_000, timeout: 10_000 },
      connectTimeout: 10_000,
      closeTimeout: 5_000,
      backoff: { initial: 1_000, factor: 2, max: 30_000, jitter: 'full', maxRetryAfter: 600_000 },
      stableAfter: 5_000,
      maxAttempts: Infinity,
      shouldReconnect: null,
    });
    expect(resolved.random).toBe(Math.random);
    expect(resolved.heartbeat).toEqual(DEFAULTS.heartbeat);
  });

  it('merges partial nested options with the defaults', () => {
    const resolved = resolveConnectionOptions({ heartbeat: { interval: 40_000 }, backoff: { max: 5_000 } });
    expect(resolved.heartbeat).toEqual({ interval: 40_000, timeout: 10_000 });
    expect(resolved.backoff).toMatchObject({ initial: 1_000, max: 5_000 });
  });

  it('turns the heartbeat off with false or an interval of 0 (then the timeout is not checked)', () => {
    expect(resolveConnectionOptions({ heartbeat: false }).heartbeat).toBeNull();
    expect(resolveConnectionOptions({ heartbeat: { interval: 0, timeout: 99_999 } }).heartbeat).toBeNull();
  });

  it("enforces the seed library's rule: ping interval greater than pong timeout", () => {
    const error = thrown(() => resolveConnectionOptions({ heartbeat: { interval: 5_000, timeout: 5_000 } }));
    expect(error.code).toBe('WSM_INVALID_OPTION');
    expect(error.option).toBe('heartbeat.interval');
    expect(error.message).toMatch(/heartbeat\.interval must be greater than heartbeat\.timeout \(5000\).*got 5000/);
  });

  it.each([
    ['connectTimeout', { connectTimeout: 0 }],
    ['connectTimeout', { connectTimeout: Number.NaN }],
    ['closeTimeout', { closeTimeout: -1 }],
    ['closeTimeout', { closeTimeout: '5s' }],
    ['stableAfter', { stableAfter: Infinity }],
    ['heartbeat.timeout', { heartbeat: { interval: 1_000, timeout: 0 } }],
    ['heartbeat.interval', { heartbeat: { interval: MAX_DELAY_MS + 1 } }],
    ['heartbeat', { heartbeat: true }],
    ['backoff', { backoff: 5 }],
    ['backoff.initial', { backoff: { initial: 0 } }],
    ['backoff.factor', { backoff: { factor: 0.5 } }],
    ['backoff.max', { backoff: { max: MAX_DELAY_MS + 1 } }],
    ['backoff.jitter', { backoff: { jitter: 'equal' } }],
    ['maxAttempts', { maxAttempts: -1 }],
    ['maxAttempts', { maxAttempts: 2.5 }],
    ['maxAttempts', { maxAttempts: Number.NaN }],
    ['shouldReconnect', { shouldReconnect: 'never' }],
    ['random', { random: 0.5 }],
  ])('rejects a bad %s with WSM_INVALID_OPTION naming it', (option, options) => {
    const error = thrown(() => resolveConnectionOptions(options as never));
    expect(error.code).toBe('WSM_INVALID_OPTION');
    expect(error.option).toBe(option);
    expect(error.message).toContain(`option ${option} `);
  });

  it('rejects backoff.initial above backoff.max', () => {
    const error = thrown(() => resolveConnectionOptions({ backoff: { initial: 2_000, max: 1_000 } }));
    expect(error.option).toBe('backoff.initial');
    expect(error.message).toMatch(/must not exceed backoff\.max \(1000\), got 2000/);
  });

  it('accepts maxAttempts 0 (never reconnect) and Infinity', () => {
    expect(resolveConnectionOptions({ maxAttempts: 0 }).maxAttempts).toBe(0);
    expect(resolveConnectionOptions({ maxAttempts: Infinity }).maxAttempts).toBe(Infinity);
  });

  it('rejects unknown keys with the nearest known key as a hint', () => {
    const top = thrown(() => resolveConnectionOptions({ conectTimeout: 5 } as never));
    expect(top.code).toBe('WSM_UNKNOWN_OPTION');
    expect(top.message).toBe('wsmachine: unknown option conectTimeout (did you mean connectTimeout?)');
    const nested = thrown(() => resolveConnectionOptions({ heartbeat: { intervall: 5 } } as never));
    expect(nested.message).toBe('wsmachine: unknown option heartbeat.intervall (did you mean heartbeat.interval?)');
    const far = thrown(() => resolveConnectionOptions({ colour: 'red' } as never));
    expect(far.message).toBe('wsmachine: unknown option colour');
  });

  it('leaves the keys a wrapper owns to the wrapper', () => {
    expect(() => resolveConnectionOptions({ url: 'x' } as never, ['url'])).not.toThrow();
  });

  it('rejects options that are not an object', () => {
    expect(thrown(() => resolveConnectionOptions(null as never)).option).toBe('options');
  });
});

describe('checkCloseCode', () => {
  it.each([1000, 3000, 4001, 4999])('accepts %i', (code) => {
    expect(() => checkCloseCode(code, 'bye')).not.toThrow();
  });

  it.each([999, 1001, 1006, 2999, 5000, 4000.5, '1000'])('rejects %s with WSM_INVALID_CLOSE_CODE', (code) => {
    expect(thrown(() => checkCloseCode(code, '')).code).toBe('WSM_INVALID_CLOSE_CODE');
  });

  it('rejects a reason longer than 123 UTF-8 bytes', () => {
    expect(() => checkCloseCode(1000, 'é'.repeat(61))).not.toThrow();
    expect(thrown(() => checkCloseCode(1000, 'é'.repeat(62))).option).toBe('reason');
  });
});
