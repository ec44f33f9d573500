/**
 * The command line of `wsmachine`: flags named like Python's websocket-client where it has a name
 * (`--ping-interval`, `--ping-timeout`) and like wscat for the rest (`-c`, `-x`, `-w`, `-P`, `-o`,
 * `--auth`, `--ca`, `-n`, `--slash`), checked before anything connects. A bad flag or value is a
 * `UsageError` (one line naming the flag; exit code 2). Files named by flags (`--ca`, `--cert`,
 * `--key`) are read here, so that a missing one is bad usage too.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ClientOptions } from 'ws';
import { HTTP_TOKEN, isPort, MAX_DELAY_MS, nearest } from '../../common/checks.ts';
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
  /** `ws` client options from the flags: origin, TLS. */
  readonly ws: ClientOptions;
  /** Secrets from the flags that the printed lines are scrubbed of (beside the URL's and headers'). */
  readonly secrets: readonly string[];
  /** Messages of `-x`; when any, the session sends them once open, waits `waitMs` and exits. */
  readonly execute: readonly string[];
  readonly waitMs: number;
  readonly slash: boolean;
  readonly showPingPong: boolean;
  readonly verbose: boolean;
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

export { USAGE } from './usage.ts';

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

/** 500ms, 30s, 2m, 1500 -> milliseconds (a bare number is in `bare` units: ms, or s for --wait). */
export function parseDuration(flag: string, text: string, bare: 'ms' | 's' = 'ms'): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!match) {
    const example = bare === 's' ? '500ms, 5s, 2m or 5' : '500ms, 30s, 2m or 1500';
    throw new UsageError(`wsmachine: ${flag} expects a duration like ${example}, got ${JSON.stringify(text)}`);
  }
  const value = Number(match[1]);
  const unit = match[2] ?? bare;
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

/** The contents of the file a flag names; a file that cannot be read is bad usage. */
function readFlagFile(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`wsmachine: ${flag} ${JSON.stringify(path)}: ${(error as NodeJS.ErrnoException).code ?? 'cannot read it'}`);
  }
}

/** `--auth user:pass` as a Basic Authorization header, and the secrets it holds. */
function basicAuth(text: string): { header: string; secrets: string[] } {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new UsageError('wsmachine: --auth expects user:password');
  return { header: `Basic ${Buffer.from(text).toString('base64')}`, secrets: [text, text.slice(colon + 1)] };
}

/** An Origin header value (what Node accepts in a header). */
function parseOrigin(text: string): string {
  try {
    checkHeaders({ Origin: text }, 'option');
  } catch (error) {
    if (!(error instanceof WsmError)) throw error;
    throw new UsageError(`wsmachine: --origin ${error.rule ?? error.message}`);
  }
  return text;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!isPort(port, 0)) {
    throw new UsageError(`wsmachine: --inspect-local expects a port number, got ${JSON.stringify(text)}`);
  }
  return port;
}

const FLAGS = {
  connect: { type: 'string', short: 'c' },
  'ping-interval': { type: 'string' },
  'ping-timeout': { type: 'string' },
  'connect-timeout': { type: 'string' },
  'close-timeout': { type: 'string' },
  'backoff-initial': { type: 'string' },
  'backoff-max': { type: 'string' },
  'max-attempts': { type: 'string' },
  header: { type: 'string', short: 'H', multiple: true },
  subprotocol: { type: 'string', short: 's', multiple: true },
  origin: { type: 'string', short: 'o' },
  auth: { type: 'string' },
  ca: { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  'no-check': { type: 'boolean', short: 'n' },
  execute: { type: 'string', short: 'x', multiple: true },
  wait: { type: 'string', short: 'w' },
  slash: { type: 'boolean' },
  'show-ping-pong': { type: 'boolean', short: 'P' },
  verbose: { type: 'boolean', short: 'v' },
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
  const urls = [...positionals, ...(values.connect === undefined ? [] : [values.connect])];
  if (urls.length !== 1) throw new UsageError('wsmachine: expected one ws:// or wss:// URL (see wsmachine --help)');
  const url = urls[0] as string;
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
    // -x is one short exchange, as connect() is: no reconnect unless --max-attempts asks for it.
    ...(maxAttempts === undefined ? (values.execute ? { maxAttempts: 0 } : {}) : { maxAttempts }),
  };
  try {
    resolveConnectionOptions(options);
  } catch (error) {
    if (!(error instanceof WsmError) || error.rule === undefined) throw error;
    throw new UsageError(`wsmachine: ${flagOf(error.option)} ${flagRule(error)}${error.value === undefined ? '' : `, got ${error.value}`}`);
  }
  const headers: Record<string, string> = Object.fromEntries((values.header ?? []).map(parseHeader));
  const secrets: string[] = [];
  if (values.auth !== undefined) {
    if (Object.keys(headers).some((name) => name.toLowerCase() === 'authorization')) {
      throw new UsageError('wsmachine: --auth and an Authorization header: give one of them');
    }
    const auth = basicAuth(values.auth);
    headers.Authorization = auth.header;
    secrets.push(...auth.secrets);
  }
  if (values.wait !== undefined && !values.execute) throw new UsageError('wsmachine: --wait goes with --execute');
  const waitMs = values.wait === undefined ? 2_000 : parseDuration('--wait', values.wait, 's');
  if (waitMs > MAX_DELAY_MS) throw new UsageError(`wsmachine: --wait must be at most ${MAX_DELAY_MS} ms (about 24.8 days), got ${waitMs}`);
  const ws: ClientOptions = {
    ...(values.origin === undefined ? {} : { origin: parseOrigin(values.origin) }),
    ...(values.ca === undefined ? {} : { ca: readFlagFile('--ca', values.ca) }),
    ...(values.cert === undefined ? {} : { cert: readFlagFile('--cert', values.cert) }),
    ...(values.key === undefined ? {} : { key: readFlagFile('--key', values.key) }),
    ...(values['no-check'] ? { rejectUnauthorized: false } : {}),
  };
  return {
    kind: 'connect',
    url,
    options,
    headers,
    protocols: values.subprotocol ?? [],
    ws,
    secrets,
    execute: values.execute ?? [],
    waitMs,
    slash: values.slash ?? false,
    showPingPong: values['show-ping-pong'] ?? false,
    verbose: values.verbose ?? false,
    quiet: values.quiet ?? false,
    json: values.json ?? false,
    inspect: values.inspect ?? false,
    inspectLocal,
  };
}
