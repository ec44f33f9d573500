/**
 * The socket's listeners: `on`, emit, and where a failure of the app's own code goes.
 *
 * Theory of operation
 * - Lists are copied on write, so emitting iterates a stable array with no allocation per message;
 *   a socket with no listeners pays for none.
 * - A listener that throws (or an async one that rejects) disturbs nothing: the failure goes to the
 *   `error` listeners as `WSM_CALLBACK_ERROR`, or, when there are none, to console.error (never an
 *   uncaught exception: the caller of the failed code is the machine or the socket).
 * - Failures reported before the socket started (an `inspect` that throws at creation) are held
 *   until `ready()`, so that the listeners added right after `createSocket` returns hear them.
 */
import { checkArgument, show } from '../../common/checks.ts';
import { callbackError, isThenable, WsmError } from '../../common/errors.ts';
import { EVENT_NAMES, type Listener, type SocketEventMap, type SocketEventName } from './events.ts';

export class Emitter {
  #listeners: { [E in SocketEventName]?: Listener<E>[] } = {};
  #early: Error[] | undefined = [];

  /** @throws WsmError `WSM_INVALID_ARGUMENT` for an unknown event name or a listener that is not a function. */
  on<E extends SocketEventName>(event: E, listener: Listener<E>): () => void {
    if (!EVENT_NAMES.includes(event)) {
      throw new WsmError('WSM_INVALID_ARGUMENT', `wsmachine: unknown event ${show(event)}; the events are ${EVENT_NAMES.join(', ')}`, {
        option: 'event',
        value: show(event),
      });
    }
    checkArgument(typeof listener === 'function', `on('${event}')`, 'listener', 'must be a function', listener);
    const list: Listener<E>[] = this.#listeners[event] ?? [];
    this.#listeners[event] = [...list, listener] as never;
    return () => {
      const current: Listener<E>[] = this.#listeners[event] ?? [];
      this.#listeners[event] = current.filter((l) => l !== listener) as never;
    };
  }

  emit<E extends SocketEventName>(event: E, payload: SocketEventMap[E]): void {
    const listeners: Listener<E>[] | undefined = this.#listeners[event];
    if (listeners) for (let i = 0; i < listeners.length; i++) this.#call(event, listeners[i] as Listener<E>, payload);
  }

  /** No message listener from now on (the socket's machine failed: its last messages are not news). */
  silence(event: SocketEventName): void {
    delete this.#listeners[event];
  }

  /** A failure of the app's own code: to the `error` listeners, else console.error. */
  report(error: Error): void {
    if (this.#early) this.#early.push(error);
    else if (this.#listeners.error?.length) this.emit('error', error);
    else console.error(error);
  }

  /** The socket started: failures held until now go out. */
  ready(): void {
    const early = this.#early;
    this.#early = undefined;
    for (const error of early ?? []) this.report(error);
  }

  #call<E extends SocketEventName>(event: E, listener: Listener<E>, payload: SocketEventMap[E]): void {
    // No closure on the common path (a listener that returns nothing): this runs once per message.
    try {
      const result = listener(payload);
      // Inside the try: a thenable whose `then` throws is a failure of the listener too.
      if (isThenable(result)) result.then(undefined, (error: unknown) => this.#failed(event, error));
    } catch (error) {
      this.#failed(event, error);
    }
  }

  #failed(event: SocketEventName, error: unknown): void {
    const failure = callbackError(`the '${event}' listener`, error);
    if (event === 'error') console.error(failure);
    else this.report(failure);
  }
}
