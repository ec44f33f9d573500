/**
 * A hand-made WebSocket server on 127.0.0.1 for hostile-server tests: it reads the upgrade request
 * and lets the test write whatever bytes it wants (a valid 101 built with `accept101`, frames built
 * with `frame`, or garbage).
 */
import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { createServer } from 'node:net';
import { listenLocal } from '../../src/testing/faults.ts';
import { track } from './servers.ts';

/** The 101 response for an upgrade request, with extra header lines. */
export function accept101(request: string, extraHeaders: readonly string[] = []): string {
  const key = /sec-websocket-key:\s*(\S+)/i.exec(request)?.[1] ?? '';
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  return [
    'HTTP/1.1 101 Switching Protocols',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Accept: ${accept}`,
    ...extraHeaders,
    '',
    '',
  ].join('\r\n');
}

/** An unmasked server frame. `declaredLength` lies about the payload length when given. */
export function frame(opcode: number, payload: Buffer = Buffer.alloc(0), declaredLength = payload.length): Buffer {
  let header: Buffer;
  if (declaredLength < 126) header = Buffer.from([0x80 | opcode, declaredLength]);
  else if (declaredLength < 65_536) {
    header = Buffer.alloc(4);
    header.writeUInt8(0x80 | opcode, 0);
    header.writeUInt8(126, 1);
    header.writeUInt16BE(declaredLength, 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(0x80 | opcode, 0);
    header.writeUInt8(127, 1);
    header.writeBigUInt64BE(BigInt(declaredLength), 2);
  }
  return Buffer.concat([header, payload]);
}

export function closeFrame(code: number, reason = ''): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return frame(0x8, payload);
}

/** A server that hands each connection's socket and upgrade request to `onRequest`. */
export async function rawServer(onRequest: (socket: Socket, request: string) => void) {
  const server = createServer((socket) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      if (!buffered.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      onRequest(socket, buffered);
    };
    socket.on('data', onData);
  });
  return track(await listenLocal(server));
}
