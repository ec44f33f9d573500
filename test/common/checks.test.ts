/**
 * The option toolkit every layer refuses with: the message and the structured fields agree, the
 * hint is the nearest known key, and key lists are checked by the compiler.
 */
import { describe, expect, it } from 'vitest';
import {
  booleanOption,
  checkCloseCode,
  checkKeys,
  HTTP_TOKEN,
  isPort,
  countOption,
  durationOption,
  invalidOption,
  keysOf,
  MAX_DELAY_MS,
  nearest,
  numberOption,
  oneOfOption,
  recordOption,
  show,
} from '../../common/checks.ts';
import { WsmError } from '../../common/errors.ts';
import { thrown } from '../support/thrown.ts';

describe('invalidOption', () => {
  it('says the option, the rule and the value, and carries each as a field', () => {
    const error = invalidOption('backoff.max', 'must be a finite number', 'soon');
    expect(error).toBeInstanceOf(WsmError);
    expect([error.code, error.message]).toEqual([
      'WSM_INVALID_OPTION',
      'wsmachine: option backoff.max must be a finite number, got "soon"',
    ]);
    expect({ option: error.option, rule: error.rule, value: error.value, related: error.related }).toEqual({
      option: 'backoff.max',
      rule: 'must be a finite number',
      value: '"soon"',
      related: undefined,
    });
  });

  it('without a value, the message has no "got" and the error no value field', () => {
    const error = invalidOption('protocols', 'must not repeat a subprotocol');
    expect(error.message).toBe('wsmachine: option protocols must not repeat a subprotocol');
    expect(['value' in error, 'related' in error]).toEqual([false, false]);
  });

  it('a JavaScript caller of the 0.1 constructor (code, message, option) gets the option, not a TypeError', () => {
    const error = new WsmError('WSM_INVALID_OPTION', 'wsmachine: option x is bad', 'x' as never);
    expect([error.option, error.message, 'cause' in error]).toEqual(['x', 'wsmachine: option x is bad', false]);
  });

  it('a WsmError holds only the fields it was given, as own properties', () => {
    const bare = new WsmError('WSM_CLOSED', 'closed');
    expect(['option', 'rule', 'value', 'related', 'cause'].filter((field) => field in bare)).toEqual([]);
    const full = new WsmError('WSM_INVALID_OPTION', 'm', { option: 'a', rule: 'r', value: '1', related: 'b', cause: 0 });
    expect([full.option, full.rule, full.value, full.related, full.cause]).toEqual(['a', 'r', '1', 'b', 0]);
  });

  it('shows undefined when undefined is the value given, and names the related option', () => {
    const error = invalidOption('heartbeat.interval', 'must be greater than heartbeat.timeout (5)', undefined, 'heartbeat.timeout');
    expect([error.value, error.related]).toEqual(['undefined', 'heartbeat.timeout']);
  });
});

describe('show', () => {
  it('quotes strings and names objects by kind, never by content', () => {
    expect([show('a'), show(3), show(null), show(undefined), show([1]), show({ token: 'x' }), show(() => 1)]).toEqual([
      '"a"',
      '3',
      'null',
      'undefined',
      'an array',
      'an object',
      'a function',
    ]);
  });
});

describe('checkKeys and nearest', () => {
  it('refuses the first unknown key with the nearest known one (edit distance <= 2, any case)', () => {
    const error = thrown(() => checkKeys({ maxMesages: 1 }, ['maxMessages', 'maxBytes'], 'outbox.'));
    expect([error.code, error.option, error.message]).toEqual([
      'WSM_UNKNOWN_OPTION',
      'outbox.maxMesages',
      'wsmachine: unknown option outbox.maxMesages (did you mean outbox.maxMessages?)',
    ]);
    const unhinted = thrown(() => checkKeys({ size: 1 }, ['maxMessages', 'maxBytes']));
    expect([unhinted.message, unhinted.option, unhinted.rule]).toEqual(['wsmachine: unknown option size', 'size', 'is not an option']);
    expect(() => checkKeys({ maxBytes: 1 }, ['maxMessages', 'maxBytes'])).not.toThrow();
  });

  it('picks the closest of several candidates, and none past distance 2', () => {
    expect(nearest('PING-INTERVL', ['ping-interval', 'ping-timeout'])).toBe('ping-interval');
    expect(nearest('pong', ['ping', 'pong-timeout'])).toBe('ping');
    expect(nearest('xyz', ['ping'])).toBeUndefined();
  });
});

describe('the checkers', () => {
  it('give the fallback for undefined only', () => {
    expect([numberOption('n', undefined, 7, 0, 10), durationOption('d', undefined, 5, 1), countOption('c', undefined, 3)]).toEqual([
      7, 5, 3,
    ]);
    expect([booleanOption('b', undefined, true), oneOfOption('o', undefined, 'a', ['a', 'b'])]).toEqual([true, 'a']);
    expect(thrown(() => numberOption('n', null, 7, 0, 10)).message).toBe('wsmachine: option n must be a finite number, got null');
  });

  it('pass a good value through', () => {
    expect([numberOption('n', 2.5, 7, 0, 10), countOption('c', 0, 5), countOption('c', 7, 5), booleanOption('b', false, true)]).toEqual([
      2.5,
      0,
      7,
      false,
    ]);
    expect([durationOption('d', MAX_DELAY_MS, 0, 0), oneOfOption('o', 'b', 'a', ['a', 'b'])]).toEqual([MAX_DELAY_MS, 'b']);
  });

  it('refuse out-of-range numbers, durations a timer cannot hold, and fractional counts', () => {
    expect(thrown(() => numberOption('n', 11, 0, 0, 10)).message).toBe('wsmachine: option n must be between 0 and 10, got 11');
    expect(thrown(() => durationOption('d', MAX_DELAY_MS + 1, 0, 0)).rule).toBe(`must be between 0 and ${MAX_DELAY_MS}`);
    expect(thrown(() => countOption('c', 1.5, 0)).message).toBe('wsmachine: option c must be a whole number >= 0, got 1.5');
    expect(thrown(() => countOption('c', -1, 0)).value).toBe('-1');
    expect(thrown(() => numberOption('n', '3', 0, 0, 10)).rule).toBe('must be a finite number');
    expect(thrown(() => booleanOption('b', 'yes', false)).message).toBe('wsmachine: option b must be a boolean, got "yes"');
    expect(thrown(() => oneOfOption('o', 'c', 'a', ['a', 'b'])).message).toBe('wsmachine: option o must be one of "a", "b", got "c"');
  });

  it('recordOption: an object of known keys, with the nested path in every refusal', () => {
    expect(recordOption('outbox', undefined, ['maxBytes'])).toEqual({});
    expect(thrown(() => recordOption('outbox', [], ['maxBytes'])).message).toBe('wsmachine: option outbox must be an object, got an array');
    expect(thrown(() => recordOption('outbox', { maxByte: 1 }, ['maxBytes'])).option).toBe('outbox.maxByte');
  });
});

describe('HTTP_TOKEN and isPort', () => {
  it('an HTTP token is one or more token characters, nothing else', () => {
    expect(['chat', 'v2.json', "x-!#$%&'*+.^_`|~"].map((t) => HTTP_TOKEN.test(t))).toEqual([true, true, true]);
    expect(['', 'a b', 'a,b', 'é', 'x(', ' chat', 'chat '].map((t) => HTTP_TOKEN.test(t))).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('a port is a whole number up to 65535, from 0 or 1', () => {
    expect([isPort(0, 0), isPort(0, 1), isPort(1, 1), isPort(65_535, 1), isPort(65_536, 0), isPort(1.5, 0), isPort('80', 0)]).toEqual([
      true,
      false,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});

describe('checkCloseCode', () => {
  it('allows 1000 and 3000-4999 only, and a reason of at most 123 UTF-8 bytes', () => {
    for (const code of [1000, 3000, 4999]) expect(() => checkCloseCode(code, '')).not.toThrow();
    for (const code of [999, 1001, 2999, 5000, 3000.5, '1000'])
      expect(thrown(() => checkCloseCode(code, '')).code).toBe('WSM_INVALID_CLOSE_CODE');
    expect(() => checkCloseCode(1000, 'x'.repeat(123))).not.toThrow();
    expect(thrown(() => checkCloseCode(1000, 'x'.repeat(124))).option).toBe('reason');
  });
});

describe('keysOf', () => {
  it('lists every key of the type, once', () => {
    interface Options {
      readonly a?: number;
      readonly b: string;
    }
    expect(keysOf<Options>()('a', 'b')).toEqual(['a', 'b']);
    // @ts-expect-error a key of Options is missing
    keysOf<Options>()('a');
    // @ts-expect-error a key that Options does not have
    keysOf<Options>()('a', 'b', 'c');
  });
});
