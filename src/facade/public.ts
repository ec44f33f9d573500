/**
 * The names both app entries (`wsmachine` in Node, `wsmachine/browser`) export as they are: the
 * facade's types, the errors, `describeReason`. Each entry adds its own `createSocket`, `connect`
 * and `SocketOptions`, which differ only in the adapter underneath.
 */
export { ConnectionClosedError, type Connection } from './connect.ts';
export type { CloseInfo, IncomingData, Listener, SocketEventMap, SocketEventName, StateChange } from './events.ts';
export { describeReason } from './format.ts';
export type { InboxOptions } from './messages.ts';
export type { OutboxOptions } from './outbox.ts';
export type { BaseSocketOptions, SocketClock } from './socket-options.ts';
export type { WsmSocket } from './socket.ts';
export type { SocketStats } from './events.ts';
export type { OutgoingData, Provider } from '../../adapters/contract.ts';
export type { ConnectionStateName } from '../../machines/connection.machine.ts';
export { WsmError, type WsmErrorCode, type WsmErrorDetails } from '../../common/errors.ts';
export type { BackoffOptions, ConnectionOptions, HeartbeatOptions } from '../../machines/options.ts';
export type { DisconnectReason, DisconnectReasonType, RetryDecision, ShouldReconnect } from '../../machines/vocabulary.ts';
export type { SocketLogic, SocketLogicCommand, SocketLogicEvent, SocketLogicInput, SocketLogicSnapshot } from './logic.ts';
export type {
  ProtocolsProvider,
  ReconnectingListener,
  ReconnectingListenerObject,
  ReconnectingListenerOptions,
  UrlProvider,
} from './reconnecting.ts';
export type { BinaryTypeName, ReconnectingCloseEvent, ReconnectingErrorEvent, ReconnectingEventMap } from './web-events.ts';
export type { ReconnectingOptions } from './reconnecting-options.ts';
