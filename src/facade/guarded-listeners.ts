/**
 * The listeners of a `ReconnectingWebSocket`, each wrapped so that a throw (or a rejected promise)
 * is reported instead of reaching the runtime: Node's `EventTarget` rethrows a listener's error on
 * the next tick, which ends the process, where a browser only logs it. The platform's own rules
 * stay: one registration per (type, listener, capture), `once`, `signal`, `handleEvent` objects
 * looked up at each call. The count of live `error` listeners tells whether a failure has anyone
 * to hear it (else console.error, as `createSocket`'s emitter does).
 */
import { callbackError, catchRejection, type WsmError } from '../../common/errors.ts';

type Wrapper = (event: Event) => void;

/** The listener options that matter here (the platform's). */
interface Options {
  readonly once?: boolean;
  readonly capture?: boolean;
  readonly signal?: AbortSignal;
}

export class GuardedListeners {
  /** listener -> `${capture}:${type}` -> its wrapper. */
  readonly #wrappers = new WeakMap<object, Map<string, Wrapper>>();
  #errorListeners = 0;

  constructor(private readonly report: (error: WsmError, fromErrorListener: boolean) => void) {}

  /** Whether an `error` listener (or `onerror`, counted by the owner) will hear a failure. */
  get errorListeners(): number {
    return this.#errorListeners;
  }

  /** The wrapper to register for `listener`, or undefined when it is registered already (or null). */
  add(type: string, listener: unknown, options: boolean | Options | undefined): Wrapper | undefined {
    if (listener === null || listener === undefined) return undefined;
    if (typeof options === 'object' && options.signal?.aborted) return undefined;
    const key = keyOf(type, options);
    let byKey = this.#wrappers.get(listener);
    if (byKey?.has(key)) return undefined;
    const forget = () => {
      if (byKey?.delete(key) && type === 'error') this.#errorListeners--;
    };
    const once = typeof options === 'object' && options.once === true;
    const wrapper: Wrapper = function (this: unknown, event) {
      if (once) forget();
      guarded.call(this, event);
    };
    const report = this.report;
    function guarded(this: unknown, event: Event): void {
      try {
        const result =
          typeof listener === 'function'
            ? (listener as (event: Event) => unknown).call(this, event)
            : (listener as { handleEvent?: (event: Event) => unknown }).handleEvent?.(event);
        catchRejection(result, (error) => report(callbackError(`a ${type} listener`, error), type === 'error'));
      } catch (error) {
        report(callbackError(`a ${type} listener`, error), type === 'error');
      }
    }
    if (!byKey) {
      byKey = new Map();
      this.#wrappers.set(listener, byKey);
    }
    byKey.set(key, wrapper);
    if (type === 'error') this.#errorListeners++;
    if (typeof options === 'object') options.signal?.addEventListener('abort', forget, { once: true });
    return wrapper;
  }

  /** The wrapper registered for `listener`, forgotten; undefined when there is none. */
  remove(type: string, listener: unknown, options: boolean | Options | undefined): Wrapper | undefined {
    if (listener === null || (typeof listener !== 'object' && typeof listener !== 'function')) return undefined;
    const key = keyOf(type, options);
    const byKey = this.#wrappers.get(listener);
    const wrapper = byKey?.get(key);
    if (wrapper && byKey?.delete(key) && type === 'error') this.#errorListeners--;
    return wrapper;
  }

  /** Runs an `on<type>` handler under the same guard. */
  call(owner: object, type: string, handler: unknown, event: Event): void {
    if (typeof handler !== 'function') return;
    try {
      const result = (handler as (event: Event) => unknown).call(owner, event);
      catchRejection(result, (error) => this.report(callbackError(`on${type}`, error), type === 'error'));
    } catch (error) {
      this.report(callbackError(`on${type}`, error), type === 'error');
    }
  }
}

const keyOf = (type: string, options: boolean | Options | undefined): string =>
  `${typeof options === 'boolean' ? options : options?.capture === true}:${type}`;
