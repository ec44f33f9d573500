import { expect } from 'vitest';
import { WsmError } from '../../common/errors.ts';

/** Runs `fn`, which must throw a WsmError, and returns that error. */
export function thrown(fn: () => unknown): WsmError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WsmError);
    return error as WsmError;
  }
  throw new Error('expected a WsmError, nothing was thrown');
}
