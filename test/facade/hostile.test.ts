/**
 * Hostile or broken servers on 127.0.0.1. None may crash or hang the host process: each ends in a
 * named reason and the documented retry decision (README, "Disconnect reasons").
 */
import { createServer as createHttpServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { listenLocal } from '../../src/testing/faults.ts';
import { accept101, closeFrame, frame, rawServer } from '../support/raw.ts';
import { closeAll, track } from '../support/servers.ts';
import { selfSigned, tlsEchoServer } from '../support/tls.ts';
import { closeSockets, socketTo } from '../support/sockets.ts';
import { nextDisconnect, nextEvent, until } from '../support/wait.ts';

afterEach(async () => {
  await closeSockets();
  await closeAll();
});

/** A server that completes the upgrade, then writes `bytes`. */
const upgradeThen = (bytes: () => Buffer, extraHeaders: readonly string[] = []) =>
  rawServer((socket, request) => {
    socket.on('error', () => {});
    socket.write(accept101(request, extraHeaders));
    socket.write(bytes());
  });

describe('protocol violations: protocol-error, not retried', () => {
  it.each([
    ['invalid UTF-8 in a text frame', () => frame(0x1, Buffer.from([0x68, 0xff, 0xfe])), 1007, 'WS_ERR_INVALID_UTF8'],
    ['a reserved opcode', () => frame(0x3, Buffer.from('x')), 1002, 'WS_ERR_INVALID_OPCODE'],
    // Only the header, announcing 17 MiB: ws refuses on the length, before any payload arrives.
    [
      'a message over the default maxPayload (16 MiB)',
      () => frame(0x2, Buffer.alloc(0), 17 * 1024 * 1024),
      1009,
      'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH',
    ],
  ] as const)('%s -> protocol-error %s', async (_name, bytes, code, detail) => {
    const server = await upgradeThen(bytes);
    const socket = socketTo(server.url);
    const event = await nextDisconnect(socket);
    expect(event.reason).toMatchObject({ type: 'protocol-error', code, detail });
    expect(event.to).toBe('closed');
  });

  it.each([
    ['a wrong subprotocol', ['Sec-WebSocket-Protocol: other']],
    ['a missing subprotocol', []],
  ] as const)('%s -> protocol-error 1002 (EHANDSHAKE)', async (_name, headers) => {
    const server = await rawServer((socket, request) => {
      socket.on('error', () => {});
      socket.write(accept101(request, headers));
    });
    const socket = socketTo(server.url, { protocols: ['v1'] });
    const event = await nextDisconnect(socket);
    expect(event.reason).toMatchObject({ type: 'protocol-error', code: 1002, detail: 'EHANDSHAKE' });
    expect(event.reason?.type === 'protocol-error' && event.reason.message).toMatch(/subprotocol/);
    expect(event.to).toBe('closed');
  });

  it('garbage bytes instead of a handshake -> protocol-error 1002 (HTTP parse error)', async () => {
    const server = await rawServer((socket) => {
      socket.on('error', () => {});
      socket.end('SSH-2.0-OpenSSH_9.2\r\n\x00\x01\x02 not http at all');
    });
    const socket = socketTo(server.url);
    const event = await nextDisconnect(socket);
    expect(event.reason).toMatchObject({ type: 'protocol-error', code: 1002 });
    expect(event.reason?.type === 'protocol-error' && event.reason.detail).toMatch(/^HPE_/);
    expect(event.to).toBe('closed');
  });
});

describe('other broken servers', () => {
  it('a plain HTTP server answering 200 to the upgrade -> handshake-rejected 200, not retried', async () => {
    const server = track(await listenLocal(createHttpServer((_req, res) => res.end('hello'))));
    const socket = socketTo(server.url);
    const event = await nextDisconnect(socket);
    expect(event.reason).toEqual({ type: 'handshake-rejected', status: 200 });
    expect(event.to).toBe('closed');
  });

  it('a close frame, then the TCP connection kept open -> closed-by-server after closeTimeout, not 30 s', async () => {
    let connections = 0;
    const server = await rawServer((socket, request) => {
      connections++;
      socket.on('error', () => {});
      socket.write(accept101(request));
      socket.write(closeFrame(4003, 'go away'));
      // ...and never ends the TCP connection nor reads again.
      socket.pause();
    });
    const socket = socketTo(server.url, { heartbeat: false });
    await until(socket, 'open');
    const started = Date.now();
    const event = await nextDisconnect(socket);
    expect(event.reason).toEqual({ type: 'closed-by-server', code: 4003, reason: 'go away' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(event.to).toBe('backing-off');
    await until(socket, 'open');
    expect(connections).toBe(2);
  });

  it('a flood of pings: ws answers while it can, then cuts the flood -> connection-lost, retried', async () => {
    let connections = 0;
    const server = await rawServer((socket, request) => {
      connections++;
      socket.on('error', () => {});
      socket.write(accept101(request));
      socket.write(Buffer.concat(Array.from({ length: 10_000 }, () => frame(0x9, Buffer.from('p')))));
    });
    const socket = socketTo(server.url, { heartbeat: false });
    let pings = 0;
    socket.on('ping', () => pings++);
    await until(socket, 'open');
    // ws terminates a peer whose pings outrun the pongs it can write (maxPendingAutoPongs).
    const event = await nextDisconnect(socket);
    expect(event.reason).toEqual({ type: 'connection-lost', code: 1006 });
    expect(event.to).toBe('backing-off');
    expect(pings).toBeGreaterThan(0);
    await until(socket, 'open');
    expect(connections).toBeGreaterThanOrEqual(2);
  });
});

describe('TLS', () => {
  it('wss:// to a self-signed server: tls-error by default (not retried); open once its CA is passed', async () => {
    const tls = selfSigned();
    const { url } = await tlsEchoServer(tls);
    const cert = tls.cert;
    const refused = socketTo(url);
    const event = await nextDisconnect(refused);
    expect(event.reason).toMatchObject({ type: 'tls-error', code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(event.to).toBe('closed');

    const trusted = socketTo(url, { ws: { ca: cert } });
    await nextEvent(trusted, 'open');
    expect(trusted.state).toBe('open');
  });
});
