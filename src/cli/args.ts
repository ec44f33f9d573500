/**
 * The command line of `wsmachine`: flags named like Python's websocket-client where it has a name
 * (`--ping-interval`, `--ping-timeout`), checked before anything connects. A bad flag or value is a
 * `UsageError` (one line naming the flag; exit code 2).
 */
import { HTTP_TOKEN, isPort, nearest } from '../../common/checks.ts';
import { parseArgs } from 'node:util';
import { WsmError } from '../../common/errors.ts';
import { resolveConnectionOptions, type ConnectionOptions } from '../../machines/options.ts';
import { checkUrlText } from '../../adapters/contract.ts';
import { checkHeaders } from '../../adapters/ws.ts';
import { redactUrl } from '../../common/redact.ts';

export class UsageError extends Error {}

export interface ConnectCommand {
  readonly kind: 'connect';
  readonly url: string;
  readonly options: ConnectionOptions;
  readonly headers: Readonly<Record<string, string>>;
  readonly protocols: readonly string[];
  readonly quiet: boolean;
  readonly json: boolean;
  readonly inspect: boolean;
  /** The local inspector's port (0: any free port), or undefined when not asked for. */
  readonly inspectLocal: number | undefined;
}

export interface DemoCommand {
  readonly kind: 'demo';
  readonly inspectLocal: number | undefined;
}

export type Command = ConnectCommand | DemoCommand | { readonly kind: 'help' } | { readonly kind: 'version' };

export const USAGE = `Usage: wsmachine <ws://|wss://url> [options]
       wsmachine demo [--inspect-local[=port]]

A WebSocket client that survives: heartbeat, reconnect with backoff, and a live timeline of its
states. Lines on stdin are sent; messages are printed on stdout; state changes on stderr.

Options (durations: 500ms, 30s, 2m, or a number of milliseconds):
  --ping-interval <dur>     ping after this much silence; 0 turns the heartbeat off (default 25s)
  --ping-timeout <dur>      wait this long for the pong (default 10s); must be < --ping-interval
  --connect-timeout <dur>   bound on each opening handshake (default 10s)
  --close-timeout <dur>     bound on the closing handshake, then terminate (default 5s)
  --backoff-initial <dur>   first reconnect step (default 1s)
  --backoff-max <dur>       cap of every reconnect step (default 30s)
  --max-attempts <n>        reconnect attempts in a row before giving up (default: no limit)
  -H, --header "K: V"       handshake header, repeatable (Authorization and Cookie are never printed)
  -s, --subprotocol <name>  subprotocol to offer, repeatable
  --quiet                   no timeline and no status line
  --json                    everything on stdout as JSON lines (state, message, pong, error)
  --inspect                 stream to the Stately inspector (needs @statelyai/inspect and the internet)
  --inspect-local[=port]    serve a live inspector page on 127.0.0.1 (no internet needed)
  -h, --help                this text
  -V, --version             the version

Exit codes: 0 after end of stdin or SIGINT/SIGTERM (closed cleanly first), 1 when the connection
ends for good without being asked to (gave up, or the server refused it), 2 on bad usage.`;

const FLAG_OF_OPTION: Readonly<Record<string, string>> = {
  'heartbeat.interval': '--ping-interval',
  'heartbeat.timeout': '--ping-timeout',
  connectTimeout: '--connect-timeout',
  closeTimeout: '--close-timeout',
  'backoff.initial': '--backoff-initial',
  'backoff.max': '--backoff-max',
  maxAttempts: '--max-attempts',
};

const flagOf = (option: string | undefined): string => FLAG_OF_OPTION[option ?? ''] ?? option ?? 'option';

/** A rule in the CLI's words: the other option of a relation named by its flag. */
function flagRule({ rule = '', related }: WsmError): string {
  return related === undefined ? rule : rule.replaceAll(related, flagOf(related));
}

/** 500ms, 30s, 2m, 1500 -> milliseconds. */
export function parseDuration(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match) throw new UsageError(`wsmachine: ${flag} expects a duration like 500ms, 30s, 2m or 1500, got ${JSON.stringify(text)}`);
  const value = Number(match[1]);
  const unit = match[2] ?? 'ms';
  return Math.round(unit === 'm' ? value * 60_000 : unit === 's' ? value * 1_000 : value);
}

function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  const name = colon > 0 ? text.slice(0, colon).trim() : '';
  if (!HTTP_TOKEN.test(name)) {
    throw new UsageError(
      `wsmachine: --header expects "Name: value", got ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text)}`,
    );
  }
  const value = text.slice(colon + 1).trim();
  try {
    checkHeaders({ [name]: value }, 'option');
  } catch (error) {
    if (!(error instanceof WsmError)) throw error;
    throw new UsageError(`wsmachine: --header ${name}: ${error.rule ?? error.message}`);
  }
  return [name, value];
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!isPort(port, 0)) {
    throw new UsageError(`wsmachine: --inspect-local expects a port number, got ${JSON.stringify(text)}`);
  }
  return port;
}

const FLAGS = {
  'ping-interval': { type: 'string' },
  'ping-timeout': { type: 'string' },
  'connect-timeout': { type: 'string' },
  'close-timeout': { type: 'string' },
  'backoff-initial': { type: 'string' },
  'backoff-max': { type: 'string' },
  'max-attempts': { type: 'string' },
  header: { type: 'string', short: 'H', multiple: true },
  subprotocol: { type: 'string', short: 's', multiple: true },
  quiet: { type: 'boolean' },
  json: { type: 'boolean' },
  inspect: { type: 'boolean' },
  'inspect-local': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

/** An unknown `--flag` before parseArgs sees it, with the nearest known flag as a hint. */
function checkFlags(argv: readonly string[]): void {
  for (const arg of argv) {
    if (arg === '--') return;
    if (!arg.startsWith('--')) continue;
    const name = arg.slice(2).split('=')[0] ?? '';
    if (name in FLAGS) continue;
    const hint = nearest(name, Object.keys(FLAGS));
    throw new UsageError(`wsmachine: unknown option '--${name}'${hint ? ` (did you mean --${hint}?)` : ''} (see wsmachine --help)`);
  }
}

export function parseCommand(argv: readonly string[]): Command {
  checkFlags(argv);
  // --inspect-local takes an optional value, which parseArgs cannot express: give it one.
  const args = argv.map((a) => (a === '--inspect-local' ? '--inspect-local=0' : a));
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: FLAGS,
    });
  } catch (error) {
    const first = (error as Error).message.split(/\.\s|\n/)[0] ?? 'bad arguments';
    throw new UsageError(`wsmachine: ${first.replace(/^Unknown option/, 'unknown option')} (see wsmachine --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const inspectLocal = values['inspect-local'] === undefined ? undefined : parsePort(values['inspect-local']);

  if (positionals[0] === 'demo') {
    if (positionals.length > 1) throw new UsageError('wsmachine: demo takes no URL');
    return { kind: 'demo', inspectLocal };
  }
  if (positionals.length !== 1) throw new UsageError('wsmachine: expected one ws:// or wss:// URL (see wsmachine --help)');
  const url = positionals[0] as string;
  // The library's own URL rule, so that the CLI refuses exactly what createSocket would.
  const { problem } = checkUrlText(url);
  if (problem) throw new UsageError(`wsmachine: the URL must be a ws:// or wss:// URL: ${JSON.stringify(redactUrl(url))} (${problem})`);

  const ms = (flag: string) => {
    const text = values[flag as keyof typeof values];
    return typeof text === 'string' ? parseDuration(`--${flag}`, text) : undefined;
  };
  const interval = ms('ping-interval');
  const timeout = ms('ping-timeout');
  let maxAttempts: number | undefined;
  if (values['max-attempts'] !== undefined) {
    const text = values['max-attempts'];
    maxAttempts = /^(inf|infinity)$/i.test(text) ? Infinity : /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (Number.isNaN(maxAttempts)) throw new UsageError(`wsmachine: --max-attempts expects a whole number, got ${JSON.stringify(text)}`);
  }
  const options: ConnectionOptions = {
    ...(interval === 0
      ? { heartbeat: false as const }
      : interval !== undefined || timeout !== undefined
        ? { heartbeat: { ...(interval === undefined ? {} : { interval }), ...(timeout === undefined ? {} : { timeout }) } }
        : {}),
    ...(ms('connect-timeout') === undefined ? {} : { connectTimeout: ms('connect-timeout') as number }),
    ...(ms('close-timeout') === undefined ? {} : { closeTimeout: ms('close-timeout') as number }),
    ...(ms('backoff-initial') === undefined && ms('backoff-max') === undefined
      ? {}
      : {
          backoff: {
            ...(ms('backoff-initial') === undefined ? {} : { initial: ms('backoff-initial') as number }),
            ...(ms('backoff-max') === undefined ? {} : { max: ms('backoff-max') as number }),
          },
        }),
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
  };
  try {
    resolveConnectionOptions(options);
  } catch (error) {
    if (!(error instanceof WsmError) || error.rule === undefined) throw error;
    throw new UsageError(`wsmachine: ${flagOf(error.option)} ${flagRule(error)}${error.value === undefined ? '' : `, got ${error.value}`}`);
  }
  return {
    kind: 'connect',
    url,
    options,
    headers: Object.fromEntries((values.header ?? []).map(parseHeader)),
    protocols: values.subprotocol ?? [],
    quiet: values.quiet ?? false,
    json: values.json ?? false,
    inspect: values.inspect ?? false,
    inspectLocal,
  };
}
