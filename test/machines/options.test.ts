import { describe, expect, it } from 'vitest';
import { WsmError } from '../../common/errors.ts';
import { checkArgument, checkCloseCode, isPort } from '../../common/checks.ts';
import { DEFAULTS, isResolved, MAX_DELAY_MS, resolveConnectionOptions } from '../../machines/options.ts';
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

  it("enforces websocket-client's rule: ping interval greater than pong timeout", () => {
    const error = thrown(() => resolveConnectionOptions({ heartbeat: { interval: 5_000, timeout: 5_000 } }));
    expect(error.code).toBe('WSM_INVALID_OPTION');
    expect([error.option, error.related]).toEqual(['heartbeat.interval', 'heartbeat.timeout']);
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

  it.each([
    [{ connectTimeout: '5s' }, 'wsmachine: option connectTimeout must be a finite number, got "5s"'],
    [{ closeTimeout: -1 }, 'wsmachine: option closeTimeout must be between 1 and 2147483647, got -1'],
    [{ stableAfter: -1 }, 'wsmachine: option stableAfter must be between 0 and 2147483647, got -1'],
    [{ heartbeat: { interval: -1 } }, 'wsmachine: option heartbeat.interval must be between 0 and 2147483647, got -1'],
    [{ heartbeat: [] }, 'wsmachine: option heartbeat must be an object or false, got an array'],
    [{ backoff: { max: 0 } }, 'wsmachine: option backoff.max must be between 1 and 2147483647, got 0'],
    [{ backoff: { maxRetryAfter: -1 } }, 'wsmachine: option backoff.maxRetryAfter must be between 0 and 2147483647, got -1'],
    [{ backoff: { factor: 1001 } }, 'wsmachine: option backoff.factor must be between 1 and 1000, got 1001'],
    [{ backoff: { jitter: 'equal' } }, 'wsmachine: option backoff.jitter must be one of "full", "none", got "equal"'],
    [{ backoff: 5 }, 'wsmachine: option backoff must be an object, got 5'],
    [{ connectTimeout: null }, 'wsmachine: option connectTimeout must be a finite number, got null'],
    [{ maxAttempts: '3' }, 'wsmachine: option maxAttempts must be a whole number >= 0 or Infinity, got "3"'],
    [{ maxAttempts: -Infinity }, 'wsmachine: option maxAttempts must be a whole number >= 0 or Infinity, got -Infinity'],
    [{ shouldReconnect: {} }, 'wsmachine: option shouldReconnect must be a function, got an object'],
    // null is a value, not an absence: only undefined takes the default.
    [{ heartbeat: null }, 'wsmachine: option heartbeat must be an object or false, got null'],
    [{ backoff: null }, 'wsmachine: option backoff must be an object, got null'],
    [{ maxAttempts: null }, 'wsmachine: option maxAttempts must be a whole number >= 0 or Infinity, got null'],
    [{ random: () => 1, shouldReconnect: 1 }, 'wsmachine: option shouldReconnect must be a function, got 1'],
  ])('says exactly what is wrong: %j', (options, message) => {
    expect(thrown(() => resolveConnectionOptions(options as never)).message).toBe(message);
  });

  it('rejects options that are not an object, naming what they are', () => {
    expect(thrown(() => resolveConnectionOptions('fast' as never)).message).toBe('wsmachine: option options must be an object, got "fast"');
    expect(thrown(() => resolveConnectionOptions((() => {}) as never)).message).toBe(
      'wsmachine: option options must be an object, got a function',
    );
  });

  it('accepts the edges of every range', () => {
    const edges = resolveConnectionOptions({
      connectTimeout: 1,
      closeTimeout: MAX_DELAY_MS,
      stableAfter: 0,
      heartbeat: { interval: MAX_DELAY_MS, timeout: 1 },
      backoff: { initial: 1, max: 1, factor: 1, maxRetryAfter: 0 },
    });
    expect(edges).toMatchObject({ connectTimeout: 1, closeTimeout: MAX_DELAY_MS, stableAfter: 0 });
    expect(resolveConnectionOptions({ backoff: { factor: 1000 } }).backoff.factor).toBe(1000);
  });

  it('suggests the nearest key within two edits, case-insensitively, and the closest of several', () => {
    expect(thrown(() => resolveConnectionOptions({ backof: {} } as never)).message).toContain('(did you mean backoff?)');
    expect(thrown(() => resolveConnectionOptions({ StableAfter: 1 } as never)).message).toContain('(did you mean stableAfter?)');
    expect(thrown(() => resolveConnectionOptions({ closeTimout: 1 } as never)).message).toContain('(did you mean closeTimeout?)');
    expect(thrown(() => resolveConnectionOptions({ backoff: { inital: 1 } } as never)).message).toBe(
      'wsmachine: unknown option backoff.inital (did you mean backoff.initial?)',
    );
    expect(thrown(() => resolveConnectionOptions({ backoff: { maxx: 1 } } as never)).message).toBe(
      'wsmachine: unknown option backoff.maxx (did you mean backoff.max?)',
    );
    expect(thrown(() => resolveConnectionOptions({ rndm: 1 } as never)).message).toBe(
      'wsmachine: unknown option rndm (did you mean random?)',
    );
    expect(thrown(() => resolveConnectionOptions({ rdm: 1 } as never)).message).toBe('wsmachine: unknown option rdm');
    // A long prefix is as many edits as it has letters.
    expect(thrown(() => resolveConnectionOptions({ xxxxmaxAttempts: 1 } as never)).message).toBe(
      'wsmachine: unknown option xxxxmaxAttempts',
    );
    expect(thrown(() => resolveConnectionOptions({ ab: 1 } as never)).message).toBe('wsmachine: unknown option ab');
    const nested = thrown(() => resolveConnectionOptions({ backoff: { jiter: 'none' } } as never));
    expect([nested.code, nested.option]).toEqual(['WSM_UNKNOWN_OPTION', 'backoff.jiter']);
  });

  it('suggests the closest key, and the first of equally close ones', () => {
    const facadeKeys = ['onPing', 'onPong'];
    expect(thrown(() => resolveConnectionOptions({ onPin: 1 } as never, facadeKeys)).message).toContain('(did you mean onPing?)');
    expect(thrown(() => resolveConnectionOptions({ onPxng: 1 } as never, facadeKeys)).message).toContain('(did you mean onPing?)');
    expect(thrown(() => resolveConnectionOptions({ onPon: 1 } as never, facadeKeys)).message).toContain('(did you mean onPong?)');
  });

  it('names its errors WsmError', () => {
    expect(thrown(() => resolveConnectionOptions({ maxAttempts: -1 })).name).toBe('WsmError');
  });

  it('rejects backoff.initial above backoff.max', () => {
    const error = thrown(() => resolveConnectionOptions({ backoff: { initial: 2_000, max: 1_000 } }));
    expect([error.option, error.related]).toEqual(['backoff.initial', 'backoff.max']);
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

  it('says which rule the code or the reason broke', () => {
    const code = thrown(() => checkCloseCode(2000, ''));
    expect([code.option, code.message]).toEqual(['code', 'wsmachine: close code must be 1000 or an integer in 3000-4999, got 2000']);
    const reason = thrown(() => checkCloseCode(1000, 7));
    expect([reason.code, reason.option, reason.message]).toEqual([
      'WSM_INVALID_CLOSE_CODE',
      'reason',
      'wsmachine: close reason must be a string of at most 123 UTF-8 bytes, got 7',
    ]);
    expect(() => checkCloseCode(4999, 'x'.repeat(123))).not.toThrow();
    expect(() => checkCloseCode(3000, 'x'.repeat(124))).toThrow(WsmError);
  });

  it('rejects a reason longer than 123 UTF-8 bytes', () => {
    expect(() => checkCloseCode(1000, 'é'.repeat(61))).not.toThrow();
    expect(thrown(() => checkCloseCode(1000, 'é'.repeat(62))).option).toBe('reason');
  });
});

describe('the door of the option toolkit', () => {
  it('resolveConnectionOptions takes extraKeys as an array of names', () => {
    for (const bad of ['protocols', [1], null]) {
      const error = thrown(() => resolveConnectionOptions({}, bad as never));
      expect([error.code, error.message]).toEqual([
        'WSM_INVALID_ARGUMENT',
        `wsmachine: resolveConnectionOptions: extraKeys must be an array of option names, got ${bad === null ? 'null' : typeof bad === 'string' ? '"protocols"' : 'an array'}`,
      ]);
    }
    expect(resolveConnectionOptions({ protocols: 'x' } as never, ['protocols']).maxAttempts).toBe(Infinity);
  });

  it('isResolved: only what resolveConnectionOptions made, not a look-alike', () => {
    const resolved = resolveConnectionOptions();
    expect(isResolved(resolved)).toBe(true);
    expect(isResolved({ ...resolved })).toBe(false);
    expect(isResolved(null)).toBe(false);
    expect(isResolved('options')).toBe(false);
  });

  it('checkArgument throws WSM_INVALID_ARGUMENT naming the function, the argument, the rule and the value; passes when ok', () => {
    expect(() => checkArgument(true, 'f', 'x', 'must be good', 1)).not.toThrow();
    const error = thrown(() => checkArgument(false, 'f', 'x', 'must be good', [1]));
    expect([error.code, error.option, error.message]).toEqual(['WSM_INVALID_ARGUMENT', 'x', 'wsmachine: f: x must be good, got an array']);
  });
});

describe('isPort', () => {
  it('a whole number from min (0: any free port, or 1) to 65535', () => {
    expect([0, 1, 65_535].map((p) => isPort(p, 0))).toEqual([true, true, true]);
    expect([0, 1].map((p) => isPort(p, 1))).toEqual([false, true]);
    expect([-1, 65_536, 1.5, '80', NaN].map((p) => isPort(p, 0))).toEqual([false, false, false, false, false]);
  });
});
