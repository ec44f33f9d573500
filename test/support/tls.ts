/**
 * A self-signed certificate for 127.0.0.1 (made by Debian's openssl, valid one day) and a wss://
 * echo server that uses it, optionally asking for a client certificate signed by the same one.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { track } from './servers.ts';

export interface SelfSigned {
  readonly key: string;
  readonly cert: string;
  readonly keyPath: string;
  readonly certPath: string;
}

/** A fresh key and self-signed certificate (CN=localhost, SAN IP:127.0.0.1), as text and as files. */
export function selfSigned(): SelfSigned {
  const dir = mkdtempSync(join(tmpdir(), 'wsm-tls-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ].concat(['-keyout', keyPath, '-out', certPath]),
    { stdio: 'ignore' },
  );
  track({ close: async () => rmSync(dir, { recursive: true, force: true }) });
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8'), keyPath, certPath };
}

/** A wss:// echo server on 127.0.0.1 with `tls`; with `clientCa`, clients must present a certificate it signed. */
export async function tlsEchoServer(tls: SelfSigned, clientCa?: string): Promise<{ url: string; requests: IncomingMessage[] }> {
  const https = createHttpsServer({
    key: tls.key,
    cert: tls.cert,
    ...(clientCa ? { ca: clientCa, requestCert: true, rejectUnauthorized: true } : {}),
  });
  const wss = new WebSocketServer({ server: https });
  const requests: IncomingMessage[] = [];
  wss.on('connection', (peer, request) => {
    requests.push(request);
    peer.on('error', () => {});
    peer.on('message', (data, isBinary) => peer.send(data, { binary: isBinary }));
  });
  https.listen(0, '127.0.0.1');
  await once(https, 'listening');
  track({
    close: async () => {
      for (const client of wss.clients) client.terminate();
      https.closeAllConnections();
      await new Promise<void>((resolve) => https.close(() => resolve()));
    },
  });
  return { url: `wss://127.0.0.1:${(https.address() as { port: number }).port}`, requests };
}
