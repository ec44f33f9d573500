/**
 * `connect(url, options)`: the short connection of Python websocket-client's `create_connection`.
 * Resolves once open, with `send`, `recv()` and `close()`; rejects with `WSM_CONNECTION_CLOSED`
 * (and the `DisconnectReason`) when it cannot open. It does not reconnect unless `maxAttempts` says
 * so, and it keeps the heartbeat: a dead peer ends `recv()` with `heartbeat-timeout`, not a hang.
 * Messages are buffered from the open until `recv()` takes them, in one reader of the socket: at
 * its bound (`inbox`) the socket stops reading until `recv()` has taken half. So, as with
 * websocket-client, an app that never calls `recv()` stops reading (listeners on `socket` too).
 */
import { WsmError } from '../../common/errors.ts';
import type { DisconnectReason } from '../../machines/vocabulary.ts';
import type { OutgoingData, Provider } from '../../adapters/contract.ts';
import { describeReason } from './format.ts';
import type { CloseInfo, IncomingData } from './events.ts';
import type { BaseSocketOptions } from './socket-options.ts';
import type { WsmSocket } from './socket.ts';

/** Why `connect()` or `recv()` failed: the connection closed (`reason`), code `WSM_CONNECTION_CLOSED`. */
export class ConnectionClosedError extends WsmError {
  constructor(
    /** Why the connection closed (or never opened). */
    readonly reason: DisconnectReason,
    /** True when retries were allowed and `maxAttempts` was spent. */
    readonly gaveUp: boolean,
  ) {
    super('WSM_CONNECTION_CLOSED', `wsmachine: connection closed (${describeReason(reason)})`);
  }
}

/** One open connection, websocket-client style: `send`, `recv()`, `close()`. */
export interface Connection {
  /** The socket underneath (its state, stats, events). */
  readonly socket: WsmSocket;
  /** The subprotocol the server chose ('' for none). */
  readonly protocol: string;
  /** As `WsmSocket.send`. */
  send(data: OutgoingData): void;
  /**
   * The next message, or a rejection with `WSM_CONNECTION_CLOSED` once the connection has closed.
   * Messages not yet taken are held up to `inbox`; at that bound the socket stops reading.
   */
  recv(): Promise<IncomingData>;
  /** As `WsmSocket.close`. */
  close(code?: number, reason?: string): Promise<CloseInfo>;
}

/** `connect()` over an entry's `createSocket` (each entry has its own adapter). */
export function connectWith<O extends BaseSocketOptions>(
  createSocket: (url: Provider<string | URL>, options: O) => WsmSocket,
  url: Provider<string | URL>,
  options: O,
): Promise<Connection> {
  let socket: WsmSocket;
  try {
    // An explicit `maxAttempts: undefined` must not turn connect() into a socket that retries forever.
    // Options that are not an object go to createSocket as they are, to be refused there.
    const isObject = typeof options === 'object' && options !== null && !Array.isArray(options);
    socket = createSocket(url, isObject ? { ...options, maxAttempts: options.maxAttempts ?? 0 } : options);
  } catch (error) {
    // What createSocket throws is a WsmError (or the app's own exception, passed on as it is).
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed on as thrown
    return Promise.reject(error);
  }
  const reader = socket[Symbol.asyncIterator]();
  let closed: ConnectionClosedError | undefined;
  // The reader ends with the close, before the close listeners run; a recv() it ends rejects on a
  // later microtask, by when `closed` is set.
  const recv = (): Promise<IncomingData> =>
    reader.next().then((result) => (result.done ? Promise.reject(closed as ConnectionClosedError) : result.value));

  return new Promise<Connection>((resolve, reject) => {
    const offOpen = socket.on('open', ({ protocol }) => {
      offOpen();
      resolve({
        socket,
        protocol,
        send: (data) => socket.send(data),
        recv,
        close: (code, reason) => socket.close(code, reason),
      });
    });
    socket.on('close', ({ reason, gaveUp }) => {
      closed = new ConnectionClosedError(reason, gaveUp);
      offOpen();
      reject(closed);
    });
  });
}
