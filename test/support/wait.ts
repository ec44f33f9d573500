/**
 * Waiting on a real socket's events, always with a deadline: a test that waits forever is a hang,
 * not a failure.
 */
import type { ConnectionStateName } from '../../machines/connection.machine.ts';
import type { SocketEventMap, SocketEventName, WsmSocket } from '../../src/index.ts';

export function nextEvent<E extends SocketEventName>(
  socket: WsmSocket,
  event: E,
  predicate: (payload: SocketEventMap[E]) => boolean = () => true,
  timeoutMs = 5_000,
): Promise<SocketEventMap[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no '${event}' event within ${timeoutMs} ms (state ${socket.state})`));
    }, timeoutMs);
    const off = socket.on(event, (payload) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** Resolves when the socket is in `state` (at once if it already is). */
export async function until(socket: WsmSocket, state: ConnectionStateName, timeoutMs = 5_000): Promise<void> {
  if (socket.state === state) return;
  await nextEvent(socket, 'state', (e) => e.to === state, timeoutMs);
}

/** The first end of a connection: the state event that enters backing-off or closed. */
export function nextDisconnect(socket: WsmSocket, timeoutMs = 5_000) {
  return nextEvent(socket, 'state', (e) => e.to === 'backing-off' || e.to === 'closed', timeoutMs);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 10 ms until it holds, or rejects after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not ${what} within ${timeoutMs} ms`);
    await sleep(10);
  }
}
