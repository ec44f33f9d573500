/**
 * The socket actor over Node's `ws` package: a translator, not a decider.
 *
 * Theory of operation
 * - One actor instance per attempt. It resolves the URL and headers (fresh each attempt, providers
 *   may be async), opens a `ws` WebSocket and translates its events into `SocketEvent`s; it carries
 *   out `SocketCommand`s: `ping` is a real ping frame, `close` starts the handshake, `terminate`
 *   destroys the TCP socket at once.
 * - Liveness: after a `ping` command, the pong frame or any other inbound frame (a message, a
 *   server ping) proves the path; the first of them becomes the one `socket.pong` of that cycle.
 *   Only a boolean check rides on the message path.
 * - Delivery: each ping carries a sequence number; the pong that echoes it tells the data path
 *   that everything written before that ping reached the server's WebSocket layer (`pinged` /
 *   `ponged`). A completed close handshake that we started proves the same (`detach(clean)`).
 * - The data path bypasses the machine: inbound messages go straight to `sink.message`, and the
 *   facade writes through the `Transport` handed to `sink.attach` when the socket opens. `attach`
 *   runs before `socket.open` reaches the machine, so the facade can flush its outbox before the
 *   app hears "open" and sends anything newer.
 * - Failures of the adapter itself (a provider that throws or rejects, a URL or headers that the
 *   checks refuse, ws refusing its options) are sent back as the invoke's own error event, never
 *   thrown from the start (see `startWith`), so the machine records them as `adapter-error` and a
 *   stopped attempt's failure can never reach the next one. Every error message is scrubbed of the
 *   URL's and headers' credentials first; the configuration itself reaches the actor `Sealed`, so
 *   it never shows in snapshots, inspection events or logs.
 * - Errors keep their code for the machine to classify (system, TLS, `WS_ERR_*`, `HPE_*`); ws's
 *   own upgrade-response checks throw without a code, which becomes `EHANDSHAKE` before open.
 * - Defaults that differ from ws's: `maxPayload` 16 MiB (not 100 MiB), and ws's wait for the TCP
 *   end after a close handshake is the machine's closeTimeout (not 30 s), so a server that sends a
 *   close frame and keeps the connection open is let go in time.
 * - The attempt's skeleton (commands, ping sequence, data path bookkeeping, cleanup) is shared
 *   with the web adapter (attempt.ts). The socket's handlers and its driver's methods are shared
 *   functions that find their attempt on the socket: a connection pays for no closures here. Releasing a socket removes its listeners, keeps a no-op
 *   `error` listener (ws emits `error` when a connecting socket is terminated) and terminates
 *   whatever is not closed yet.
 */
import WebSocket, { type ClientOptions, type RawData } from 'ws';
import { HTTP_TOKEN, invalidOption, isPort, isRecord, show } from '../common/checks.ts';
import { WsmError } from '../common/errors.ts';
import { secretsOf } from '../common/redact.ts';
import { parseRetryAfter } from '../machines/policy.ts';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { adapterLogic, OPEN, type Attempt, type Driver } from './attempt.ts';
import { sealedMessage, type AdapterBinding, type AdapterOptions, type Provider } from './contract.ts';

/**
 * The adapter's configuration: the machine's `input.socket`, handed to each attempt as
 * `input.config`. `headers` and `ws` are the socket options this adapter owns (`createSocket` of
 * `wsmachine` takes them); the rest is the facade's.
 */
export interface WsAdapterOptions extends AdapterOptions {
  /**
   * Handshake headers, or a function (may be async) called for fresh ones on every attempt.
   * Values of credential-like headers (Authorization, Cookie, *-Token, ...) never reach a log.
   * @default none
   */
  readonly headers?: Provider<Readonly<Record<string, string>>>;
  /**
   * Any `ws` client option: `agent`, TLS (`ca`, `rejectUnauthorized`, ...), `maxPayload`,
   * `perMessageDeflate`. Defaults here: `maxPayload` 16 MiB (ws's own is 100 MiB), and ws's wait
   * for the TCP end after a close handshake is the socket's `closeTimeout`.
   * @default {}
   */
  readonly ws?: ClientOptions;
  /** The `ws` class to construct (a subclass, or another copy of ws). @default ws's WebSocket */
  readonly WebSocket?: typeof WebSocket;
}

const noop = (): void => {};

const DEFAULT_MAX_PAYLOAD = 16 * 1024 * 1024;

/** What Node accepts in a header value: tab, visible ASCII and Latin-1 (no line break, no control). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Handshake headers: an object of HTTP-token names to strings of header characters (Node would
 * throw on anything else inside the attempt). Checked at construction when static, and on every
 * attempt when a provider returned them.
 */
export function checkHeaders(
  headers: unknown,
  from: 'option' | 'provider',
  option = 'headers',
): asserts headers is Readonly<Record<string, string>> {
  const refuse = (path: string, rule: string, returned: string): WsmError =>
    from === 'option'
      ? invalidOption(path, rule)
      : new WsmError('WSM_INVALID_OPTION', `wsmachine: the headers provider ${returned}`, { option: path, rule });
  if (!isRecord(headers)) {
    throw refuse(
      option,
      'must be an object of strings or a function returning one',
      `must return an object of strings, got ${show(headers)}`,
    );
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!HTTP_TOKEN.test(name)) {
      throw refuse(option, `has an invalid header name ${JSON.stringify(name)}`, `returned an invalid header name ${JSON.stringify(name)}`);
    }
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) {
      const rule = 'a string of header characters (no line break, no control character, nothing past Latin-1)';
      throw refuse(`${option}.${name}`, `must be ${rule}`, `returned ${option}.${name}, which is not ${rule}`);
    }
  }
}

const isBoolean = (v: unknown): boolean => typeof v === 'boolean';
const isWhole = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
const isFunction = (v: unknown): boolean => typeof v === 'function';
const isString = (v: unknown): boolean => typeof v === 'string';

/** What `ws` (and Node's http.request under it) would refuse synchronously, on every attempt, checked once. */
const WS_OPTION_RULES: Readonly<Record<string, readonly [(value: unknown) => boolean, string]>> = {
  protocolVersion: [(v) => v === 8 || v === 13, 'must be 8 or 13'],
  handshakeTimeout: [(v) => typeof v === 'number' && v >= 0 && v <= 2_147_483_647, 'must be a number of ms'],
  maxPayload: [isWhole, 'must be a whole number of bytes'],
  maxRedirects: [isWhole, 'must be a whole number'],
  followRedirects: [isBoolean, 'must be a boolean'],
  skipUTF8Validation: [isBoolean, 'must be a boolean'],
  autoPong: [isBoolean, 'must be a boolean'],
  allowSynchronousEvents: [isBoolean, 'must be a boolean'],
  perMessageDeflate: [(v) => typeof v === 'boolean' || (typeof v === 'object' && v !== null), 'must be a boolean or an object'],
  agent: [(v) => v === false || (typeof v === 'object' && v !== null), 'must be an http.Agent or false'],
  origin: [(v) => typeof v === 'string' && HEADER_VALUE.test(v), 'must be a string of header characters'],
  createConnection: [isFunction, 'must be a function'],
  finishRequest: [isFunction, 'must be a function'],
  lookup: [isFunction, 'must be a function'],
  // Node's http.request and net.connect, under ws:
  maxHeaderSize: [isWhole, 'must be a whole number of bytes'],
  insecureHTTPParser: [isBoolean, 'must be a boolean'],
  joinDuplicateHeaders: [isBoolean, 'must be a boolean'],
  setHost: [isBoolean, 'must be a boolean'],
  signal: [(v) => typeof v === 'object' && v !== null && 'aborted' in v, 'must be an AbortSignal'],
  auth: [isString, 'must be a string'],
  localAddress: [isString, 'must be a string'],
  localPort: [(v) => isPort(v, 0), 'must be a port'],
  family: [(v) => v === 0 || v === 4 || v === 6, 'must be 0, 4 or 6'],
};

/** The `ws` client options: an object, whose options that `ws` checks are checked here first. */
export function checkWsOptions(ws: unknown): asserts ws is ClientOptions {
  if (!isRecord(ws)) throw invalidOption('ws', 'must be an object of ws client options');
  for (const [key, value] of Object.entries(ws)) {
    const rule = WS_OPTION_RULES[key];
    if (rule && value !== undefined && !rule[0](value)) throw invalidOption(`ws.${key}`, rule[1], value);
  }
  if (ws.headers !== undefined) checkHeaders(ws.headers, 'option', 'ws.headers');
}

/** The static headers of both options (the `ws` option's and `headers`), the latter winning. */
function staticHeaders(headers: unknown, ws: ClientOptions | undefined): Record<string, string> {
  return { ...(ws?.headers as Record<string, string> | undefined), ...(isRecord(headers) ? (headers as Record<string, string>) : {}) };
}

/** Where a ws socket's shared handlers (below) find their attempt: one property, no closures per socket. */
const ATTEMPT = Symbol('wsmachine.attempt');
type AttemptSocket = WebSocket & { [ATTEMPT]: Attempt<WsAdapterOptions> };
const attemptOf = (socket: WebSocket): Attempt<WsAdapterOptions> => (socket as AttemptSocket)[ATTEMPT];

/** The driver of one ws socket: its methods on the prototype, shared by every socket. */
class WsDriver implements Driver {
  constructor(private readonly socket: WebSocket) {}

  ping(seq: number): boolean {
    if (this.socket.readyState !== OPEN) return false;
    this.socket.ping(String(seq));
    return true;
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  terminate(): void {
    this.socket.terminate();
  }

  // ws stops its TCP socket; frames of the chunk already read still arrive.
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  release(): void {
    const socket = this.socket;
    socket.removeAllListeners();
    socket.on('error', noop);
    if (socket.readyState !== WebSocket.CLOSED) socket.terminate();
  }
}

// The socket's events, translated. ws calls each with `this` set to the socket.
function onOpen(this: WebSocket): void {
  attemptOf(this).opened(this, this.protocol, true);
}

function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  const attempt = attemptOf(this);
  attempt.alive();
  // binaryType is ws's default, 'nodebuffer': text arrives as one Buffer.
  attempt.sink.message?.(isBinary ? toBytes(data) : (data as Buffer).toString());
}

function onPong(this: WebSocket, data: Buffer): void {
  const attempt = attemptOf(this);
  // Only a pong echoing one of our pings confirms delivery; any other frame proves liveness only.
  // The confirmation first, so that the `pong` the app hears comes with its stats up to date.
  attempt.ponged(Number(data.toString()));
  attempt.alive();
}

function onPing(this: WebSocket, data: Buffer): void {
  const attempt = attemptOf(this);
  attempt.alive();
  attempt.sink.ping?.(data);
}

function onUnexpectedResponse(this: WebSocket, request: ClientRequest, response: IncomingMessage): void {
  const attempt = attemptOf(this);
  const status = response.statusCode ?? 0;
  // A Retry-After date is read against the server's own Date header when it sent one, so a
  // skewed local clock does not stretch or cut the wait.
  const serverNow = Date.parse(response.headers.date ?? '');
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], Number.isNaN(serverNow) ? attempt.now() : serverNow);
  request.destroy();
  attempt.report(retryAfterMs === undefined ? { type: 'socket.rejected', status } : { type: 'socket.rejected', status, retryAfterMs });
}

function onError(this: WebSocket, error: Error & { code?: string }): void {
  const attempt = attemptOf(this);
  // ws validates the upgrade response itself and fails with a plain Error (no code).
  const code = error.code ?? (attempt.isOpen ? 'EUNKNOWN' : 'EHANDSHAKE');
  // ws may quote a URL it was given by the server (a redirect's Location): masked by shape too.
  const message = sealedMessage(error.message, attempt.secrets);
  attempt.sink.error?.(message === error.message ? error : Object.assign(new Error(message), { code }));
  attempt.report({ type: 'socket.error', code, message });
}

// ws reports 1006 exactly when no close frame arrived.
function onClose(this: WebSocket, code: number, reason: Buffer): void {
  attemptOf(this).closed(code, reason.toString(), code !== 1006);
}

/** Opens one `ws` socket and translates its events for the attempt. */
function open(attempt: Attempt<WsAdapterOptions>, url: unknown, headers: unknown): void {
  const { options } = attempt;
  // The secrets first, so that a refusal below is scrubbed of them.
  attempt.secrets = secretsOf(typeof url === 'string' || url instanceof URL ? url : undefined, staticHeaders(headers, options.ws));
  const href = attempt.href(url);
  if (headers !== undefined) checkHeaders(headers, typeof options.headers === 'function' ? 'provider' : 'option');
  // `closeTimeout` (ws >= 8.20) is missing from @types/ws 8.18.
  const clientOptions: ClientOptions & { closeTimeout: number } = {
    maxPayload: DEFAULT_MAX_PAYLOAD,
    closeTimeout: options.closeTimeout ?? 5_000,
    ...options.ws,
    ...(headers ? { headers: { ...options.ws?.headers, ...headers } } : {}),
  };
  const socket = new (options.WebSocket ?? WebSocket)(href, attempt.protocols, clientOptions) as AttemptSocket;
  // Adopted before anything else can throw, so that cleanup always releases this socket.
  attempt.adopt(new WsDriver(socket));
  socket[ATTEMPT] = attempt;
  socket.on('open', onOpen);
  socket.on('message', onMessage);
  socket.on('pong', onPong);
  socket.on('ping', onPing);
  socket.on('unexpected-response', onUnexpectedResponse);
  socket.on('error', onError);
  socket.on('close', onClose);
}

/**
 * The socket actor: `connectionMachine.provide({ actors: { socket: wsAdapter } })`, with the
 * `WsAdapterOptions` as the machine's `input.socket`.
 */
export const wsAdapter = adapterLogic<WsAdapterOptions, [unknown, unknown]>(
  'ws',
  (attempt) => {
    const { url, headers, ws } = attempt.options;
    // The secrets known before the providers run: the static URL's and headers'.
    attempt.secrets = secretsOf(typeof url === 'function' ? undefined : url, staticHeaders(headers, ws));
    return [url, headers];
  },
  open,
);

/** The ws adapter as the facade uses it: it owns `headers` and `ws`, and checks them itself. */
export const wsBinding: AdapterBinding = {
  adapter: wsAdapter,
  keys: ['headers', 'ws'] satisfies (keyof WsAdapterOptions)[],
  check({ headers, ws }) {
    if (headers !== undefined && typeof headers !== 'function') checkHeaders(headers, 'option');
    if (ws !== undefined) checkWsOptions(ws);
  },
  secretHeaders: ({ headers, ws }) => staticHeaders(headers, ws as ClientOptions | undefined),
};

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
