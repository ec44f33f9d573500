/**
 * `wsmachine/machine`: for an app that embeds the connection machine in its own, and for custom
 * adapters. The statechart, its options and vocabulary, the pure policy, the adapter contract, and
 * both adapters (an unused one is dropped by the bundler: the package has no side effects).
 */
export {
  connectionMachine,
  type ConnectionContext,
  type ConnectionEmitted,
  type ConnectionInput,
  type ConnectionMachine,
  type ConnectionStateName,
  type SocketInput,
} from '../machines/connection.machine.ts';
export { IGNORED_EVENTS } from '../machines/ignored-events.ts';
export { stateChangeOf, stateNameOf, type StateChange } from '../machines/state-change.ts';
export {
  EVENT_TYPES,
  type ConnectionEvent,
  type DisconnectReason,
  type DisconnectReasonType,
  type EnvironmentEvent,
  type EventType,
  type ReadingEvent,
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
  resolveConnectionOptions,
  type BackoffOptions,
  type ConnectionOptions,
  type HeartbeatOptions,
  type ResolvedConnectionOptions,
} from '../machines/options.ts';
export { backoffStep, classifyReason, decide, parseRetryAfter, reasonOfError, retryDelay } from '../machines/policy.ts';
export { WsmError, type WsmErrorCode, type WsmErrorDetails } from '../common/errors.ts';
export {
  Sealed,
  type AdapterOptions,
  type DataSink,
  type OutgoingData,
  type Provider,
  type SocketAdapter,
  type Transport,
} from '../adapters/contract.ts';
export { wsAdapter, type WsAdapterOptions } from '../adapters/ws.ts';
export { webAdapter, type WebAdapterOptions, type WebOptions, type WebSocketConstructor, type WebSocketLike } from '../adapters/web.ts';
