/**
 * The one option toolkit: how every layer (the machine's options, the facade, the adapters, the
 * CLI) refuses a bad option or argument, at once and in the same words.
 *
 * Theory of operation
 * - A refusal is a `WsmError` whose message reads `wsmachine: option <path> <rule>, got <value>`
 *   and whose fields carry the same facts (`option`, `rule`, `value`, `related`), so a program (the
 *   CLI naming its flags) never parses the message.
 * - A value is shown by kind, never by content (an object may hold a token); only strings and
 *   numbers are quoted as they are.
 * - Unknown keys are refused with the nearest known key as a hint (edit distance <= 2, any case):
 *   a misspelt option that is silently ignored is the worst kind of default.
 * - Key lists are written as `keysOf<T>()({ ... })`: the compiler refuses a list that misses or
 *   invents a key of `T`, so a new option cannot be forgotten in its list (and refused as unknown).
 */
import { WsmError } from './errors.ts';

/** A value as an error message shows it: strings quoted, objects by kind (never their contents). */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value === null || typeof value !== 'object') return String(value);
  return 'an object';
}

/** A plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `WSM_INVALID_OPTION` about `option`. With a `value` the message ends `, got <value>`; `related`
 * names the other option of a relation rule.
 */
export function invalidOption(option: string, rule: string, ...got: [] | [value: unknown, related?: string]): WsmError {
  const value = got.length > 0 ? show(got[0]) : undefined;
  const message = `wsmachine: option ${option} ${rule}${value === undefined ? '' : `, got ${value}`}`;
  return new WsmError('WSM_INVALID_OPTION', message, { option, rule, value, related: got[1] });
}

/**
 * Throws `WSM_UNKNOWN_OPTION` for the first key of `object` that is not in `known`, with the nearest
 * known key as a hint. `prefix` is the path of a nested object (`backoff.`).
 */
export function checkKeys(object: object, known: readonly string[], prefix = ''): void {
  for (const key of Object.keys(object)) {
    if (known.includes(key)) continue;
    const hint = nearest(key, known);
    throw new WsmError(
      'WSM_UNKNOWN_OPTION',
      `wsmachine: unknown option ${prefix}${key}${hint ? ` (did you mean ${prefix}${hint}?)` : ''}`,
      {
        option: prefix + key,
        rule: 'is not an option',
      },
    );
  }
}

/**
 * Throws `WSM_INVALID_ARGUMENT` about argument `name` of `method` unless `ok`: the misuse of a
 * function or method, as `WSM_INVALID_OPTION` is the misuse of an option.
 */
export function checkArgument(ok: boolean, method: string, name: string, rule: string, value: unknown): void {
  if (!ok) {
    const shown = show(value);
    throw new WsmError('WSM_INVALID_ARGUMENT', `wsmachine: ${method}: ${name} ${rule}, got ${shown}`, { option: name, rule, value: shown });
  }
}

/** The longest delay a JavaScript timer honours (Node and browsers): 2^31 - 1 ms, about 24.8 days. */
export const MAX_DELAY_MS = 2_147_483_647;

/** A finite number in [min, max], or `fallback` when undefined. */
export function numberOption(option: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value)) throw invalidOption(option, 'must be a finite number', value);
  const n = value as number;
  if (n < min || n > max) throw invalidOption(option, `must be between ${min} and ${max}`, n);
  return n;
}

/** A number of ms >= `min` that a timer can hold (Node fires a longer one after 1 ms). */
export function durationOption(option: string, value: unknown, fallback: number, min: number): number {
  return numberOption(option, value, fallback, min, MAX_DELAY_MS);
}

/** A whole number >= 0 (a count, a size in bytes), or `fallback` when undefined. */
export function countOption(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw invalidOption(option, 'must be a whole number >= 0', value);
  return value as number;
}

export function booleanOption(option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidOption(option, 'must be a boolean', value);
  return value;
}

export function oneOfOption<const T extends string>(option: string, value: unknown, fallback: T, allowed: readonly T[]): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw invalidOption(option, `must be one of ${allowed.map(show).join(', ')}`, value);
  return value as T;
}

export function functionOption<T>(option: string, value: T | undefined): T | undefined {
  if (value !== undefined && typeof value !== 'function') throw invalidOption(option, 'must be a function', value);
  return value;
}

/** A plain object whose keys are all `known` (`{}` when undefined). */
export function recordOption(
  option: string,
  value: unknown,
  known: readonly string[],
  rule = 'must be an object',
): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isRecord(value)) throw invalidOption(option, rule, value);
  checkKeys(value, known, `${option}.`);
  return value;
}

/** Throws `WSM_INVALID_CLOSE_CODE` unless the app may send `code` (RFC 6455 7.4: 1000 or 3000-4999). */
export function checkCloseCode(code: unknown, reason: unknown): void {
  const refuse = (option: string, rule: string, value: unknown): WsmError =>
    new WsmError('WSM_INVALID_CLOSE_CODE', `wsmachine: close ${option} ${rule}, got ${show(value)}`, { option, rule, value: show(value) });
  const n = code as number;
  if (!Number.isInteger(code) || (n !== 1000 && (n < 3000 || n > 4999))) {
    throw refuse('code', 'must be 1000 or an integer in 3000-4999', code);
  }
  if (typeof reason !== 'string' || new TextEncoder().encode(reason).length > 123) {
    throw refuse('reason', 'must be a string of at most 123 UTF-8 bytes', reason);
  }
}

/** A TCP port number; `min` 0 where 0 means "any free port". */
export function isPort(value: unknown, min: 0 | 1): boolean {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= 65_535;
}

/** An HTTP token (RFC 9110 5.6.2): what a header name and a subprotocol must be. */
export const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The keys of `T`, listed once: `keysOf<Options>()('a', 'b')`. A key that `T` does not have fails
 * to compile, and so does a list that misses one (the arguments' type is then `never`).
 */
export function keysOf<T>() {
  return <const K extends readonly (keyof T & string)[]>(
    ...keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : never)
  ): readonly (keyof T & string)[] => keys;
}

/** The known key within edit distance 2 of `key` (case-insensitive), if any. */
export function nearest(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
