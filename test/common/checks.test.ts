/**
 * The option toolkit every layer refuses with: the message and the structured fields agree, the
 * hint is the nearest known key, and key lists are checked by the compiler.
 */
import { describe, expect, it } from 'vitest';
import {
  booleanOption,
  checkKeys,
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
    expect([error.code, error.message]).toEqual(['WSM_INVALID_OPTION', 'wsmachine: option backoff.max must be a finite number, got "soon"']);
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
    expect('value' in error).toBe(false);
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
    expect(thrown(() => checkKeys({ size: 1 }, ['maxMessages', 'maxBytes'])).message).toBe('wsmachine: unknown option size');
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
    expect([numberOption('n', undefined, 7, 0, 10), durationOption('d', undefined, 5, 1), countOption('c', undefined, 3)]).toEqual([7, 5, 3]);
    expect([booleanOption('b', undefined, true), oneOfOption('o', undefined, 'a', ['a', 'b'])]).toEqual([true, 'a']);
    expect(thrown(() => numberOption('n', null, 7, 0, 10)).message).toBe('wsmachine: option n must be a finite number, got null');
  });

  it('refuse out-of-range numbers, durations a timer cannot hold, and fractional counts', () => {
    expect(thrown(() => numberOption('n', 11, 0, 0, 10)).message).toBe('wsmachine: option n must be between 0 and 10, got 11');
    expect(thrown(() => durationOption('d', MAX_DELAY_MS + 1, 0, 0)).rule).toBe(`must be between 0 and ${MAX_DELAY_MS}`);
    expect(thrown(() => countOption('c', 1.5, 0)).message).toBe('wsmachine: option c must be a whole number >= 0, got 1.5');
    expect(thrown(() => booleanOption('b', 'yes', false)).message).toBe('wsmachine: option b must be a boolean, got "yes"');
    expect(thrown(() => oneOfOption('o', 'c', 'a', ['a', 'b'])).message).toBe('wsmachine: option o must be one of "a", "b", got "c"');
  });

  it('recordOption: an object of known keys, with the nested path in every refusal', () => {
    expect(recordOption('outbox', undefined, ['maxBytes'])).toEqual({});
    expect(thrown(() => recordOption('outbox', [], ['maxBytes'])).message).toBe('wsmachine: option outbox must be an object, got an array');
    expect(thrown(() => recordOption('outbox', { maxByte: 1 }, ['maxBytes'])).option).toBe('outbox.maxByte');
  });
});

describe('keysOf', () => {
  it('lists every key of the type, once', () => {
    interface Options {
      readonly a?: number;
      readonly b: string;
    }
    expect(keysOf<Options>()({ a: true, b: true })).toEqual(['a', 'b']);
    // @ts-expect-error a key of Options is missing
    keysOf<Options>()({ a: true });
    // @ts-expect-error a key that Options does not have
    keysOf<Options>()({ a: true, b: true, c: true });
  });
});
