/**
 * A virtual clock for XState actors (`createActor(machine, { clock })`): time moves only when a
 * test (or a simulation) moves it, so every timer of the machine can be driven deadline by deadline.
 *
 * Theory of operation: timers are kept with their deadline and fire in deadline order (ties in the
 * order they were set). `advance(ms)` runs every timer due within `ms`, including timers those
 * timers set (XState's own SimulatedClock stops at the ones due when the flush began). `freeze(ms)`
 * moves time without running anything, like a process stopped by SIGSTOP or a throttled tab: the
 * overdue timers then fire together at the next `advance`, late, and what they set starts from the
 * late "now", exactly as real timers behave after a stall.
 */

interface Timer {
  readonly at: number;
  readonly delay: number;
  readonly seq: number;
  readonly fn: () => void;
}

import { checkArgument } from '../../common/checks.ts';

/** Time only moves forward, by a finite amount. */
const checkMs = (method: string, ms: unknown): void =>
  checkArgument(typeof ms === 'number' && ms >= 0 && ms < Infinity, method, 'ms', 'must be a number of ms >= 0', ms);

/** The runaway guard: a machine that schedules timers forever within one advance is a bug. */
const MAX_TIMERS_PER_ADVANCE = 100_000;

export class VirtualClock {
  #now: number;
  #seq = 0;
  readonly #timers = new Map<number, Timer>();

  constructor(startMs = 0) {
    checkArgument(Number.isFinite(startMs), 'new VirtualClock', 'startMs', 'must be a time in ms', startMs);
    this.#now = startMs;
  }

  /** The virtual time, ms. */
  now(): number {
    return this.#now;
  }

  /** Schedules `fn` at now + `timeout` (virtual ms); returns its id. */
  setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    checkArgument(typeof fn === 'function', 'VirtualClock.setTimeout', 'fn', 'must be a function', fn);
    checkArgument(Number.isFinite(timeout), 'VirtualClock.setTimeout', 'timeout', 'must be a number of ms', timeout);
    const id = ++this.#seq;
    this.#timers.set(id, { at: this.#now + Math.max(0, timeout), delay: timeout, seq: id, fn: () => fn() });
    return id;
  }

  /** Cancels a scheduled timer (an unknown id is ignored). */
  clearTimeout(id: unknown): void {
    this.#timers.delete(id as number);
  }

  /** How many timers are set and not yet fired or cleared. */
  get pending(): number {
    return this.#timers.size;
  }

  /** The timers set and not yet fired or cleared: their deadline and the delay they were set with. */
  scheduled(): {
    /** When it fires, virtual ms. */
    readonly at: number;
    /** The delay it was scheduled with. */
    readonly delay: number;
  }[] {
    return [...this.#timers.values()].map(({ at, delay }) => ({ at, delay }));
  }

  /** The deadline of the next timer, or undefined when none is set. */
  nextDeadline(): number | undefined {
    return this.#earliest()?.[1].at;
  }

  /** Moves time forward by `ms`, running every timer that falls due, in deadline order. */
  advance(ms: number): void {
    checkMs('VirtualClock.advance', ms);
    const target = this.#now + ms;
    for (let fired = 0; ; fired++) {
      if (fired >= MAX_TIMERS_PER_ADVANCE) throw new Error('VirtualClock: runaway timers within one advance');
      const next = this.#earliest();
      if (!next || next[1].at > target) break;
      this.#timers.delete(next[0]);
      this.#now = Math.max(this.#now, next[1].at);
      next[1].fn();
    }
    this.#now = target;
  }

  /** Moves time to the next deadline and runs what falls due then; false when no timer is set. */
  next(): boolean {
    const at = this.nextDeadline();
    if (at === undefined) return false;
    this.advance(Math.max(0, at - this.#now));
    return true;
  }

  /** Moves time forward by `ms` without running timers (a stalled process); the next advance runs them late. */
  freeze(ms: number): void {
    checkMs('VirtualClock.freeze', ms);
    this.#now += ms;
  }

  #earliest(): [number, Timer] | undefined {
    let best: [number, Timer] | undefined;
    for (const entry of this.#timers) {
      const [, timer] = entry;
      if (!best || timer.at < best[1].at || (timer.at === best[1].at && timer.seq < best[1].seq)) best = entry;
    }
    return best;
  }
}
