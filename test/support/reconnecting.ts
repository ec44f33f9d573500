/** `ReconnectingWebSocket`s for tests against real servers: a recorder of events, deadlines, cleanup. */
import { ReconnectingWebSocket, type ReconnectingWebSocketOptions } from '../../src/index.ts';
import type { ReconnectingEventMap } from '../../src/facade/web-events.ts';
import { waitFor } from './wait.ts';

export { waitFor };

/** Short timers (the peers' names), overridable. */
export const QUICK: ReconnectingWebSocketOptions = {
  minReconnectionDelay: 50,
  maxReconnectionDelay: 200,
  connectionTimeout: 500,
  closeTimeout: 300,
};

const made: ReconnectingWebSocket[] = [];

export function rwsTo(
  url: ConstructorParameters<typeof ReconnectingWebSocket>[0],
  protocols?: ConstructorParameters<typeof ReconnectingWebSocket>[1],
  options: ReconnectingWebSocketOptions = {},
): ReconnectingWebSocket {
  const rws = new ReconnectingWebSocket(url, protocols, { ...QUICK, ...options });
  made.push(rws);
  return rws;
}

/** Closes every socket made by `rwsTo` and waits (bounded) until each machine is closed. */
export async function closeRws(): Promise<void> {
  const all = made.splice(0);
  for (const rws of all) rws.close();
  await Promise.all(all.map((rws) => waitFor(() => rws.state === 'closed', 'closed', 3_000)));
}

/** Resolves with the next event `type` that `predicate` accepts, or rejects after `timeoutMs`. */
export function nextOf<K extends keyof ReconnectingEventMap>(
  rws: ReconnectingWebSocket,
  type: K,
  predicate: (event: ReconnectingEventMap[K]) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<ReconnectingEventMap[K]> {
  return new Promise((resolve, reject) => {
    const listener = (event: ReconnectingEventMap[K]) => {
      if (!predicate(event)) return;
      clearTimeout(timer);
      rws.removeEventListener(type, listener);
      resolve(event);
    };
    const timer = setTimeout(() => {
      rws.removeEventListener(type, listener);
      reject(new Error(`no '${type}' event within ${timeoutMs} ms (state ${rws.state})`));
    }, timeoutMs);
    rws.addEventListener(type, listener);
  });
}

/** Every event as `type readyState` (and code for close), in order. */
export function record(rws: ReconnectingWebSocket): string[] {
  const log: string[] = [];
  for (const type of ['open', 'message', 'close', 'error'] as const) {
    rws.addEventListener(type, (event: Event) => {
      const detail = type === 'close' ? ` ${(event as ReconnectingEventMap['close']).code}` : '';
      log.push(`${type}${detail} ${rws.readyState}`);
    });
  }
  return log;
}
