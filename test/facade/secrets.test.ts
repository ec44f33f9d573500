/**
 * Secrets stay secret: a run with known credentials in the URL (user:password@, token query
 * parameters) and in Authorization / Cookie headers, through opens, messages, pongs, a server
 * close, a rejection, a refused port and an adapter failure; then every error, reason, event,
 * stats object and inspection event it produced is scanned for the secrets, as JSON and as
 * util.inspect (what a logger would print).
 */
import { createServer as createHttpServer } from 'node:http';
import { inspect } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { connect } from '../../src/index.ts';
import { createSocket, type SocketEventName, type WsmSocket } from '../../src/index.ts';
import { closeAll, freePort, rejectingServer, track, wsServer } from '../support/servers.ts';
import { listenLocal } from '../../src/testing/faults.ts';
import { FAST } from '../support/sockets.ts';
import { nextDisconnect, nextEvent, until } from '../support/wait.ts';

const SECRETS = ['pa55Secret', 'TOKsecret123', 'ATsecret456', 'BEARERsecret789', 'COOKIEsecret000'];
const HEADERS = { Authorization: 'Bearer BEARERsecret789', Cookie: 'sid=COOKIEsecret000' };
const query = '?token=TOKsecret123&access_token=ATsecret456&room=lobby';

const seen: unknown[] = [];
const sockets: WsmSocket[] = [];
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
  await closeAll();
});

/** A socket whose every event, and every inspection event of its actor, lands in `seen`. */
function watched(url: Parameters<typeof createSocket>[0]): WsmSocket {
  const socket = createSocket(url, {
    ...FAST,
    headers: HEADERS,
    inspect: (event: InspectionEvent) => seen.push(event),
  });
  for (const name of ['open', 'message', 'close', 'reconnecting', 'state', 'ping', 'pong', 'unconfirmed', 'error'] as SocketEventName[]) {
    socket.on(name, (payload) => seen.push(payload));
  }
  sockets.push(socket);
  return socket;
}

function scan(): string[] {
  const found: string[] = [];
  for (const item of seen) {
    const text = [inspect(item, { depth: 6 }), safeJson(item)].join('\n');
    for (const secret of SECRETS) if (text.includes(secret)) found.push(`${secret} in ${text.slice(0, 300)}`);
  }
  return found;
}

function safeJson(value: unknown): string {
  const stack = new WeakSet<object>();
  return (
    JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'object' && v !== null) {
        if (stack.has(v)) return '[cycle]';
        stack.add(v);
      }
      if (v instanceof Error) return { name: v.name, message: v.message, stack: v.stack };
      return v;
    }) ?? ''
  );
}

it('no secret in errors, reasons, events, stats or inspection events after a run', async () => {
  const server = await wsServer({ echo: true });
  const withSecrets = (port: number) => `ws://user:pa55Secret@127.0.0.1:${port}/feed${query}`;

  // Open, echo, pong, a server close, a reconnect.
  const healthy = watched(withSecrets(server.port));
  const { request, socket: peer } = await server.nextConnection();
  expect(request.headers.authorization).toBe(HEADERS.Authorization);
  expect(request.url).toContain('TOKsecret123');
  await until(healthy, 'open');
  healthy.send('hello');
  await nextEvent(healthy, 'message');
  await nextEvent(healthy, 'pong');
  peer.close(4000, 'bye');
  await nextEvent(healthy, 'open');
  seen.push(healthy.stats);

  // A rejection, a refused port, an adapter failure on a URL that does not parse.
  const rejecting = await rejectingServer(401);
  const rejected = watched(withSecrets(rejecting.port));
  seen.push(await nextEvent(rejected, 'close'));
  const refused = watched(withSecrets(await freePort()));
  seen.push(await nextDisconnect(refused));
  const broken = watched(() => `ws://user:pa55Secret@[not-a-host/feed${query}`);
  const failure = await nextDisconnect(broken);
  expect(failure.reason?.type).toBe('adapter-error');
  seen.push(failure, broken.actor.getSnapshot(), broken.stats);

  // Errors thrown at the caller.
  for (const make of [
    () => createSocket(`http://user:pa55Secret@127.0.0.1/${query}`),
    () => createSocket(withSecrets(1), { heartbeat: { interval: 1, timeout: 2 } }),
  ]) {
    try {
      make();
    } catch (error) {
      seen.push(error);
    }
  }
  seen.push(await connect(withSecrets(rejecting.port), { ...FAST, headers: HEADERS }).catch((e: unknown) => e));

  expect(seen.filter((item) => String((item as { type?: unknown }).type).startsWith('@xstate.')).length).toBeGreaterThan(100);
  const started = Date.now();
  expect(scan()).toEqual([]);
  console.log(`scanned ${seen.length} items in ${Date.now() - started} ms`);
  // Redacted, not erased: the rest of the URL still tells the story.
  expect(seen.map((item) => inspect(item, { depth: 8 })).join('\n')).toContain('room=lobby');
}, 60_000);

it('no secret shows whatever the URL looks like: unparsable, a token as the user name, presigned signatures', async () => {
  const TOKEN = 'S3CRETtok';
  const found: unknown[] = [];
  const lines: string[] = [];
  const urls = [
    `ws://bad host/?token=${TOKEN}`,
    `ws://bad host/?token=${TOKEN} tail`,
    `ws://${TOKEN}@127.0.0.1:${await freePort()}/`,
    `ws://${TOKEN}@bad host:99999/`,
    `ws://127.0.0.1:${await freePort()}/?X-Amz-Signature=${TOKEN}&X-Amz-Expires=60`,
    `ws://127.0.0.1:${await freePort()}/?access-token=${TOKEN}`,
    `http://u:${TOKEN}@127.0.0.1/`,
    // Found in review: a fragment (OAuth's #access_token=), a password holding a raw @.
    `ws://127.0.0.1:${await freePort()}/feed#access_token=${TOKEN}`,
    `ws://user:p@${TOKEN}@bad host:99999/`,
  ];
  for (const url of urls) {
    // Static: misuse throws at once, the message masked.
    try {
      const socket = createSocket(url, { ...FAST, maxAttempts: 0, trace: (line) => lines.push(line) });
      found.push(await nextEvent(socket, 'close'));
    } catch (error) {
      found.push(error);
    }
    // The same URL from a provider, and a provider whose error quotes it: reasons, trace lines, events.
    for (const provider of [
      () => url,
      () => {
        throw new Error(`token refresh failed for ${url} (retry later)`);
      },
    ]) {
      const socket = createSocket(provider, { ...FAST, maxAttempts: 0, trace: (line) => lines.push(line) });
      for (const name of ['state', 'error', 'reconnecting'] as SocketEventName[]) socket.on(name, (payload) => found.push(payload));
      found.push(await nextEvent(socket, 'close'), socket.actor.getSnapshot(), socket.stats);
    }
  }
  const text = [...found.map((item) => `${inspect(item, { depth: 8 })}\n${safeJson(item)}`), ...lines].join('\n');
  expect(text).toContain('adapter-error');
  expect(text).toContain('?token=***');
  expect(text).toContain('(retry later)');
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain('S3CRET');
});

it("no secret from a redirect: ws quotes the server's Location in its error, masked by shape", async () => {
  const server = createHttpServer((_request, response) => {
    response.writeHead(302, { Location: 'ws://127.0.0.1:99999/next?X-Amz-Signature=REDIRsecret&access_token=REDIRtoken' }).end();
  });
  const { url } = track(await listenLocal(server));
  const lines: string[] = [];
  const socket = createSocket(`${url}/?token=MYtoken`, {
    maxAttempts: 0,
    ws: { followRedirects: true },
    trace: (line) => lines.push(line),
  });
  const errors: Error[] = [];
  socket.on('error', (error) => errors.push(error));
  const { reason } = await nextEvent(socket, 'close');
  const text = [inspect(reason), ...errors.map((e) => e.message), ...lines].join('\n');
  expect(text).toContain('Invalid URL: ws://127.0.0.1:99999/next?X-Amz-Signature=***&access_token=***');
  for (const secret of ['REDIRsecret', 'REDIRtoken', 'MYtoken']) expect(text).not.toContain(secret);
});
