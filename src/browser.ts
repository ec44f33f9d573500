/**
 * The entry for browsers (and other runtimes with a WHATWG WebSocket): the same facade, with the web
 * adapter as its transport, and the page's own signals wired to the machine.
 */
import { webAdapter } from '../adapters/web.ts';
import { WsmError } from '../machines/errors.ts';
import { checkArgument } from '../machines/options.ts';
import type { Provider } from '../adapters/contract.ts';
import { WsmSocket, type SocketOptions } from './socket.ts';

export { webAdapter, type WebAdapterOptions, type WebOptions, type WebSocketConstructor, type WebSocketLike } from '../adapters/web.ts';
export { connectionMachine, stateNameOf } from '../machines/connection.machine.ts';
export { classifyReason } from '../machines/policy.ts';
export { resolveConnectionOptions } from '../machines/options.ts';
export { WsmError } from '../machines/errors.ts';
export { describeReason } from './format.ts';
export { WsmSocket, type SocketOptions } from './socket.ts';

/** Creates a socket over the runtime's WebSocket that connects at once and keeps itself connected. */
export function createSocket(url: Provider<string | URL>, options: SocketOptions = {}): WsmSocket {
  for (const nodeOnly of ['headers', 'ws'] as const) {
    if (options[nodeOnly] !== undefined) {
      throw new WsmError(
        'WSM_INVALID_OPTION',
        `wsmachine: option ${nodeOnly} is for Node's ws adapter; a browser WebSocket cannot set it`,
        nodeOnly,
      );
    }
  }
  return new WsmSocket(url, { adapter: webAdapter, ...options });
}

/**
 * Feeds the page's signals to the machine: `online`/`offline`, and page visibility (a page that
 * becomes visible pings at once: its timers may have been frozen). Returns the function that stops.
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

interface Listening {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}
export interface EventTargetLike extends Listening {
  readonly document?: Listening & { readonly visibilityState?: string };
}
