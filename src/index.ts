/**
 * The public surface of wsmachine: everything an app or an embedding machine may import.
 */
export {
  connectionMachine,
  IGNORED_EVENTS,
  stateNameOf,
  type ConnectionContext,
  type ConnectionEmitted,
  type ConnectionInput,
  type ConnectionMachine,
  type ConnectionStateName,
  type SocketInput,
} from '../machines/connection.machine.ts';
export {
  EVENT_TYPES,
  type ConnectionEvent,
  type DisconnectReason,
  type DisconnectReasonType,
  type EnvironmentEvent,
  type EventType,
  type RetryDecision,
  type ShouldReconnect,
  type SocketActorErrorEvent,
  type SocketCommand,
  type SocketEvent,
  type UserEvent,
} from '../machines/vocabulary.ts';
export {
  DEFAULTS,
  MAX_DELAY_MS,
  checkCloseCode,
  resolveConnectionOptions,
  type BackoffOptions,
  type ConnectionOptions,
  type HeartbeatOptions,
  type ResolvedConnectionOptions,
} from '../machines/options.ts';
export { backoffStep, classifyReason, decide, parseRetryAfter, reasonOfError, retryDelay } from '../machines/policy.ts';
export { redactUrl } from '../machines/redact.ts';
export { WsmError, type WsmErrorCode } from '../machines/errors.ts';
export { VirtualClock } from './virtual-clock.ts';
export {
  createSocket,
  WsmSocket,
  type CloseInfo,
  type IncomingData,
  type SocketClock,
  type SocketEventMap,
  type SocketEventName,
  type SocketOptions,
  type SocketStats,
} from './socket.ts';
export { connect, ConnectionClosedError, type Connection } from './connect.ts';
export { describeReason } from './format.ts';
export type { OutboxOptions } from './outbox.ts';
export { Sealed, type AdapterOptions, type DataSink, type OutgoingData, type Provider, type Transport } from '../adapters/contract.ts';
export { wsAdapter, type SocketAdapter, type WsAdapterOptions } from '../adapters/ws.ts';
export { startLocalInspector, type InspectorLogEntry, type LocalInspector, type LocalInspectorOptions } from './inspector.ts';
export { echoServer, listenLocal, tcpProxy, type EchoServer, type TcpProxy } from './faults.ts';
