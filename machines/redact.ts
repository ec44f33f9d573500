/**
 * Secrets stay secret: credentials in URLs and headers never reach a printed line.
 *
 * Theory of operation: redaction works on values, not on formats. At startup the caller collects
 * the secret values it was given (the URL's password, the values of token-like query parameters,
 * the values of credential headers) and every line it prints is scrubbed of them, whatever the line
 * is (an error from a library, a reason, a URL rebuilt by someone else). `redactUrl` is the
 * display form of a URL.
 */

/** Query parameters whose values are credentials (matched on the whole name, any case). */
const SECRET_PARAM =
  /^(token|access_token|id_token|refresh_token|auth|auth_token|authorization|key|api_key|apikey|secret|client_secret|password|pass|pwd|passwd|signature|sig|session|session_id|sessionid|jwt|ticket|credential|credentials|code)$/i;

/** Headers whose values are credentials. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|x-auth-token|x-access-token|api-key)$/i;

export const REDACTED = '***';

export function isSecretParam(name: string): boolean {
  return SECRET_PARAM.test(name);
}

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/** The URL with its password and credential-like query values replaced by ***. Unparsable input is masked whole. */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return String(url).replace(/\/\/[^/@\s]*@/, `//${REDACTED}@`).replace(/([?&][^=&#\s]+)=[^&#\s]*/g, `$1=${REDACTED}`);
  }
  if (parsed.password) parsed.password = REDACTED;
  for (const name of [...parsed.searchParams.keys()]) {
    if (isSecretParam(name)) parsed.searchParams.set(name, REDACTED);
  }
  return parsed.href.replaceAll(encodeURIComponent(REDACTED), REDACTED);
}

/** The secret values inside `url` and `headers`, longest first (so that a value inside another goes second). */
export function secretsOf(url: string | URL | undefined, headers: Readonly<Record<string, string>> = {}): string[] {
  const secrets = new Set<string>();
  try {
    const parsed = new URL(String(url));
    secrets.add(parsed.password).add(decodeURIComponent(parsed.password));
    for (const [name, value] of parsed.searchParams) {
      if (isSecretParam(name)) secrets.add(value).add(encodeURIComponent(value));
    }
  } catch {
    /* no URL, or one that does not parse: nothing to pick out; redactUrl masks such a URL whole */
  }
  for (const [name, value] of Object.entries(headers)) {
    if (!isSecretHeader(name)) continue;
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
