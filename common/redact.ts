/**
 * Secrets stay secret: credentials in URLs and headers never reach a printed line.
 *
 * Theory of operation: redaction works on values, not on formats. At startup the caller collects
 * the secret values it was given (the URL's user name and password, the values of token-like query
 * parameters, the values of credential headers) and every line it prints is scrubbed of them,
 * whatever the line is (an error from a library, a reason, a URL rebuilt by someone else). URLs are
 * read by shape as well as parsed, so one that does not parse still gives up its secrets; names are
 * matched by their words, so `X-Amz-Signature` or `accessToken` need no list of their own.
 * `redactUrl` is the display form of a URL; `redactText` masks URL credentials in free text.
 */

import { checkArgument } from './checks.ts';

/**
 * Words that make a query parameter's or a header's value a credential. A name is split into its
 * words (at `-`, `_`, `.` and camelCase humps, acronyms included, any case), so `X-Amz-Signature`,
 * `access-token`, `accessToken`, `SASToken` and `client_secret` are all caught, while `tokens_left`
 * or `monkey` are not.
 */
const SECRET_WORDS: ReadonlySet<string> = new Set([
  'token',
  'accesstoken',
  'apitoken',
  'authtoken',
  'idtoken',
  'jwt',
  'bearer',
  'auth',
  'authorization',
  'credential',
  'credentials',
  'key',
  'apikey',
  'secret',
  'signature',
  'sig',
  'hmac',
  'password',
  'passwd',
  'pass',
  'pwd',
  'otp',
  'session',
  'sessionid',
  'sid',
  'ticket',
  'code',
  'cookie',
]);

function words(name: string): string[] {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
}

export const REDACTED = '***';

export function isSecretParam(name: string): boolean {
  return words(name).some((word) => SECRET_WORDS.has(word));
}

/** A header whose value is a credential: `Authorization`, `Cookie`, `X-Api-Key`, `X-Amz-Security-Token`, ... */
export function isSecretHeader(name: string): boolean {
  return words(name).some((word) => SECRET_WORDS.has(word));
}

/**
 * The parts of a URL that may hold credentials, read by shape, so that it works on text that does
 * not parse: the first userinfo anywhere (a URL quoted inside another's query too; it runs to the
 * last `@` of the authority, as a password may hold one), and the name=value pairs of the query
 * and of the fragment (OAuth's implicit flow puts `#access_token=` there).
 */
function credentialParts(text: string): { userinfo: string[]; params: [string, string][] } {
  const userinfo = /\/\/([^/?#]*)@/.exec(text)?.[1];
  const query = /\?([^#]*)/.exec(text)?.[1] ?? '';
  const fragment = /#(.*)$/s.exec(text)?.[1] ?? '';
  return {
    userinfo: userinfo === undefined ? [] : [userinfo, ...userinfo.split(':')],
    params: `${query}&${fragment}`.split('&').map((pair) => {
      const [name, ...value] = pair.split('=');
      return [name as string, value.join('=')];
    }),
  };
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

/**
 * The URL with its user name, password and credential-like query and fragment values replaced by
 * ***. A URL that does not parse is masked by shape: its userinfo and every query and fragment value.
 */
export function redactUrl(url: string | URL): string {
  checkArgument(typeof url === 'string' || url instanceof URL, 'redactUrl', 'url', 'must be a string or a URL', url);
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    // Up to the next & or #, spaces included: in text that does not parse, a value has no other end.
    return String(url)
      .replace(/\/\/[^/?#]*@/, `//${REDACTED}@`)
      .replace(/([?&#][^=&#]+)=[^&#]*/g, `$1=${REDACTED}`);
  }
  if (parsed.username) parsed.username = REDACTED;
  if (parsed.password) parsed.password = REDACTED;
  for (const name of [...parsed.searchParams.keys()]) {
    if (isSecretParam(name)) parsed.searchParams.set(name, REDACTED);
  }
  parsed.hash = maskSecretPairs(parsed.hash);
  return parsed.href.replaceAll(encodeURIComponent(REDACTED), REDACTED);
}

/** `name=value` pairs after `?`, `&` or `#` whose name is a credential, with the value masked. */
function maskSecretPairs(text: string): string {
  return text.replace(/([?&#])([^=&#\s"']+)=([^&#\s"']*)/g, (pair, separator: string, name: string) =>
    isSecretParam(decoded(name)) ? `${separator}${name}=${REDACTED}` : pair,
  );
}

/**
 * Free text (an error message from a library or a provider) with what looks like a URL's userinfo
 * and its credential-like query values masked, read by shape: a URL inside a message has no
 * reliable end, so nothing is parsed and nothing else is changed.
 */
export function redactText(text: string): string {
  return maskSecretPairs(text.replace(/(\/\/)[^/?#\s"']*@/g, `$1${REDACTED}@`));
}

/**
 * The secret values inside `url` and `headers`, longest first (so that a value inside another goes
 * second): the user name and password, the values of credential-like query parameters (raw and
 * decoded), and the values of credential headers with their credential parts. The URL is read by
 * shape, so a URL that does not parse gives up its secrets too.
 */
export function secretsOf(url: string | URL | undefined, headers: Readonly<Record<string, string>> = {}): string[] {
  const secrets = new Set<string>();
  const { userinfo, params } = credentialParts(String(url ?? ''));
  for (const part of userinfo) secrets.add(part).add(decoded(part));
  for (const [name, value] of params) {
    if (isSecretParam(decoded(name)))
      secrets
        .add(value)
        .add(decoded(value))
        .add(encodeURIComponent(decoded(value)));
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!isSecretHeader(name) || typeof value !== 'string') continue;
    secrets.add(value);
    // The credential on its own too: what follows the scheme ("Bearer abc"), each cookie's value.
    for (const part of value.trim().split(/;\s*/)) {
      const cookie = /^[^=\s]+=(.*)$/.exec(part);
      secrets.add(cookie ? (cookie[1] as string) : part.replace(/^\S+\s+/, ''));
    }
  }
  return [...secrets].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
}

/** A function that replaces every occurrence of each secret in a text with ***. */
export function scrubber(secrets: readonly string[]): (text: string) => string {
  return (text) => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join(REDACTED);
    return out;
  };
}
