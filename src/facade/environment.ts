/**
 * The page's own signals, fed to the machine: `online`/`offline`, and page visibility. A page that
 * becomes visible pings at once, since its timers may have been frozen while it was hidden.
 */
import { checkArgument } from '../../common/checks.ts';
import { WsmSocket } from './socket.ts';

/** What `watchEnvironment` listens on: `window`, or any target with the same events. */
export interface EventTargetLike {
  /** Adds a listener (`online`, `offline`; `visibilitychange` on the document). */
  addEventListener(type: string, listener: () => void): void;
  /** Removes a listener added by `addEventListener`. */
  removeEventListener(type: string, listener: () => void): void;
  /** The page's document, for `visibilitychange` (absent in a worker). */
  readonly document?: Pick<EventTargetLike, 'addEventListener' | 'removeEventListener'> & {
    /** `'visible'` or `'hidden'`. */
    readonly visibilityState?: string;
  };
}

/**
 * Feeds the page's signals to the socket's machine: `online`/`offline`, and page visibility (a
 * page that becomes visible pings at once). Returns the function that stops listening.
 * @throws WsmError `WSM_INVALID_ARGUMENT` when `socket` is not from `createSocket` or `target` is not an event target.
 */
export function watchEnvironment(socket: WsmSocket, target: EventTargetLike = globalThis as unknown as EventTargetLike): () => void {
  checkArgument(socket instanceof WsmSocket, 'watchEnvironment', 'socket', 'must be a socket from createSocket()', socket);
  checkArgument(
    typeof target?.addEventListener === 'function' && typeof target.removeEventListener === 'function',
    'watchEnvironment',
    'target',
    'must be an event target (window)',
    target,
  );
  const send = (type: 'network.online' | 'network.offline' | 'page.visible' | 'page.hidden') => () => socket.actor.send({ type });
  const doc = target.document;
  const visibility = () => socket.actor.send({ type: doc?.visibilityState === 'hidden' ? 'page.hidden' : 'page.visible' });
  const online = send('network.online');
  const offline = send('network.offline');
  target.addEventListener('online', online);
  target.addEventListener('offline', offline);
  doc?.addEventListener('visibilitychange', visibility);
  return () => {
    target.removeEventListener('online', online);
    target.removeEventListener('offline', offline);
    doc?.removeEventListener('visibilitychange', visibility);
  };
}
