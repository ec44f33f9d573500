import { describe, expect, it } from 'vitest';
import { isSecretHeader, isSecretParam, REDACTED, redactText, redactUrl, scrubber, secretsOf } from '../../common/redact.ts';
import { thrown } from '../support/thrown.ts';

describe('redactUrl', () => {
  it('masks the user name, the password and the values of credential-like query parameters, keeps the rest', () => {
    expect(redactUrl('wss://alice:s3cret@feed.example:8443/v1?token=abc&room=lobby&API_KEY=k1#frag')).toBe(
      'wss://***:***@feed.example:8443/v1?token=***&room=lobby&API_KEY=***#frag',
    );
  });

  it('masks a token given as the user name (wss://TOKEN@host), and presigned-URL signatures', () => {
    expect(redactUrl('wss://tok3nAsUser@feed.example/')).toBe('wss://***@feed.example/');
    expect(redactUrl('wss://s3.example/x?X-Amz-Credential=AKIA1&X-Amz-Signature=f00d&X-Amz-Expires=60&access-token=t1')).toBe(
      'wss://s3.example/x?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Expires=60&access-token=***',
    );
  });

  it('leaves a URL without secrets as it is (and accepts a URL object)', () => {
    expect(redactUrl(new URL('ws://127.0.0.1:8080/path?room=1'))).toBe('ws://127.0.0.1:8080/path?room=1');
  });

  it('masks an unparsable URL by shape: userinfo and every query value', () => {
    expect(redactUrl('ws://bob:pw@[bad/x?token=abc&a=1')).toBe(`ws://${REDACTED}@[bad/x?token=${REDACTED}&a=${REDACTED}`);
  });

  it('in an unparsable URL a value runs to the next & or #, spaces included', () => {
    expect(redactUrl('ws://bad host/?token=S3CRET tok&room=1#x')).toBe(`ws://bad host/?token=${REDACTED}&room=${REDACTED}#x`);
  });
});

describe('secret names', () => {
  it.each([
    'token',
    'access_token',
    'ID_TOKEN',
    'key',
    'apikey',
    'auth',
    'secret',
    'password',
    'sig',
    'signature',
    'session',
    'jwt',
    'access-token',
    'accessToken',
    'X-Amz-Signature',
    'X-Amz-Security-Token',
    'X-Amz-Credential',
    'client.secret',
    'api-key',
    'code',
  ])('query parameter %s is a secret', (name) => expect(isSecretParam(name)).toBe(true));

  it.each(['room', 'tokens_left', 'monkey', 'author', 'page'])('query parameter %s is not', (name) => {
    expect(isSecretParam(name)).toBe(false);
  });

  it.each([
    'Authorization',
    'cookie',
    'Proxy-Authorization',
    'X-Api-Key',
    'x-auth-token',
    'X-Amz-Security-Token',
    'X-Goog-Api-Key',
    'my-cookie',
  ])('header %s is a secret', (name) => expect(isSecretHeader(name)).toBe(true));

  it.each(['Accept', 'User-Agent', 'X-Request-Id', 'cookies-enabled', 'X-Keyboard'])(
    'header %s is not (a word, not a substring)',
    (name) => {
      expect(isSecretHeader(name)).toBe(false);
    },
  );
});

describe('secretsOf and scrubber', () => {
  it('collects the password, secret query values, and secret header values with their credential parts, longest first', () => {
    const secrets = secretsOf('ws://u:pa%24%24word@h/?token=tok%2Fen&room=lobby&key=abc', {
      Authorization: 'Bearer abcdef123',
      Cookie: 'sid=zyxwvu98; theme=dark',
      Accept: 'text/plain',
    });
    expect(secrets).toEqual([
      'sid=zyxwvu98; theme=dark',
      'Bearer abcdef123',
      'u:pa%24%24word',
      'pa%24%24word',
      'u:pa$$word',
      'abcdef123',
      'pa$$word',
      'tok%2Fen',
      'zyxwvu98',
      'tok/en',
      'dark',
      'abc',
    ]);
  });

  it('takes the credential exactly: base64 padding kept, spacing tolerated', () => {
    expect(secretsOf(undefined, { Authorization: 'Basic dXNlcjpwYXNz=' })).toEqual(['Basic dXNlcjpwYXNz=', 'dXNlcjpwYXNz=']);
    expect(secretsOf(undefined, { Authorization: 'Bearer  abcdef' })).toEqual(['Bearer  abcdef', 'abcdef']);
    expect(secretsOf(undefined, { Authorization: ' Bearer abcdef' })).toEqual([' Bearer abcdef', 'abcdef']);
    expect(secretsOf(undefined, { Cookie: 'a=value1;  b=value2' })).toEqual(['a=value1;  b=value2', 'value1', 'value2']);
  });

  it('ignores values shorter than 3 characters, and text without userinfo or query', () => {
    expect(secretsOf('not a url', { Authorization: 'ab' })).toEqual([]);
    expect(secretsOf(undefined)).toEqual([]);
  });

  it('finds the secrets of a URL that does not parse, by shape', () => {
    expect(secretsOf('ws://bad host/?token=S3CRETtok&room=1')).toEqual(['S3CRETtok']);
    expect(secretsOf('ws://TOKasUSER@bad host:99999/')).toEqual(['TOKasUSER']);
    expect(secretsOf('wss://[x/?X-Amz-Signature=abc%2Bdef&access-token=a+b+c')).toEqual([
      'abc%2Bdef',
      'a%20b%20c',
      'abc+def',
      'a+b+c',
      'a b c',
    ]);
  });

  it('replaces every occurrence of every secret', () => {
    const scrub = scrubber(['abcdef123', 'pa55word']);
    expect(scrub('x abcdef123 y abcdef123 pa55word')).toBe('x *** y *** ***');
    expect(scrubber([])('unchanged')).toBe('unchanged');
  });
});

describe('every credential word, and the shapes around it', () => {
  it.each([
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
  ])('%s makes a parameter and a header secret, alone and as one word of a longer name', (word) => {
    expect([isSecretParam(word), isSecretParam(`x_${word}`), isSecretHeader(`X-${word}`), isSecretParam(`${word}x_y`)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('reads userinfo anywhere in the text, a URL quoted in another one too', () => {
    expect(secretsOf('ws://h.test/?next=https://alice:pw1234@other.test/')).toEqual(['alice:pw1234', 'pw1234', 'alice']);
  });

  it('keeps a value that holds "=", and ignores a parameter without one', () => {
    expect(secretsOf('ws://h.test/?token=abc==&apikey&room=1')).toEqual(['abc%3D%3D', 'abc==']);
  });

  it('keeps a value whose percent-encoding is broken, as it is', () => {
    expect(secretsOf('ws://h.test/?token=ab%E0%A4%A')).toEqual(['ab%25E0%25A4%25A', 'ab%E0%A4%A']);
  });

  it('skips a header value that is not a string (a provider may return anything)', () => {
    expect(secretsOf(undefined, { Authorization: 42 as never, Cookie: 'sid=zyxwvu98' })).toEqual(['sid=zyxwvu98', 'zyxwvu98']);
  });
});

describe('redactText', () => {
  it('masks userinfo and credential values of any URL in free text, and nothing else', () => {
    expect(redactText('refresh failed for wss://u:p@feed.test/x?room=1&access-token=s3cret tail')).toBe(
      `refresh failed for wss://${REDACTED}@feed.test/x?room=1&access-token=${REDACTED} tail`,
    );
  });

  it('stops a value at a space or a quote, and leaves text without URLs alone', () => {
    expect(redactText('"ws://h/?token=abc" and ws://h/?key=def ok')).toBe(`"ws://h/?token=${REDACTED}" and ws://h/?key=${REDACTED} ok`);
    expect(redactText('a = b & c?d')).toBe('a = b & c?d');
  });

  it('masks every URL in the text, not only the first', () => {
    expect(redactText('//a@x //b@y ?sig=1&sig=2')).toBe(`//${REDACTED}@x //${REDACTED}@y ?sig=${REDACTED}&sig=${REDACTED}`);
  });
});

describe('the door', () => {
  it('redactUrl refuses what is neither a string nor a URL', () => {
    const error = thrown(() => redactUrl(5 as never));
    expect([error.code, error.message]).toEqual(['WSM_INVALID_ARGUMENT', 'wsmachine: redactUrl: url must be a string or a URL, got 5']);
  });
});

describe('shapes found in review', () => {
  it('a fragment holds credentials too (OAuth implicit flow): masked when the URL parses and when it does not', () => {
    expect(redactUrl('wss://h.test/feed#access_token=FRAGSECRET1&state=xyz')).toBe('wss://h.test/feed#access_token=***&state=xyz');
    expect(redactUrl('wss://h.test:99999/feed#access_token=FRAGSECRET1')).toBe('wss://h.test:99999/feed#access_token=***');
    expect(redactText('refused wss://h.test/#id_token=abc.def')).toBe('refused wss://h.test/#id_token=***');
    expect(secretsOf('wss://h.test/#access_token=FRAGSECRET1')).toEqual(['FRAGSECRET1']);
  });

  it('a password may hold a raw @: the userinfo runs to the last @ of the authority', () => {
    expect(redactUrl('ws://user:p@ssw0rdSECRET@h.test:99999/')).toBe('ws://***@h.test:99999/');
    expect(redactUrl('ws://user:p@ssw0rdSECRET@h.test/')).toBe('ws://***:***@h.test/');
    expect(redactText('cannot sign ws://bob:hunter@2SECRET@h.test/x')).toBe('cannot sign ws://***@h.test/x');
    expect(secretsOf('ws://bob:hunter@2SECRET@h.test:99999/')).toContain('hunter@2SECRET');
  });

  it.each(['XAPIToken', 'JWTToken', 'SASToken', 'HMACSignature', 'X-API-KEY'])('%s: a credential word after an acronym', (name) => {
    expect(isSecretParam(name)).toBe(true);
    expect(isSecretHeader(name)).toBe(true);
  });
});
