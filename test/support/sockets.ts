/** Facade sockets for tests against real servers: short timers, and closed after each test. */
import { createSocket, type SocketOptions, type WsmSocket } from '../../src/index.ts';

export const FAST: SocketOptions = {
  heartbeat: { interval: 300, timeout: 150 },
  connectTimeout: 500,
  closeTimeout: 300,
  backoff: { initial: 50, max: 200, jitter: 'none' },
};

const sockets: WsmSocket[] = [];

/** A socket with FAST timers (overridable), registered for `closeSockets()`. */
export function socketTo(url: Parameters<typeof createSocket>[0], options: SocketOptions = {}): WsmSocket {
  const socket = createSocket(url, { ...FAST, ...options });
  sockets.push(socket);
  return socket;
}

export async function closeSockets(): Promise<void> {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
}
