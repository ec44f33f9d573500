/**
 * A socket actor double: records every command the machine sends and whether its cleanup ran, and
 * lets a test play the socket's side by emitting `SocketEvent`s into the machine.
 */
import { fromCallback } from 'xstate';
import type { SocketInput } from '../../machines/connection.machine.ts';
import type { SocketCommand, SocketEvent } from '../../machines/vocabulary.ts';

export interface FakeSocket {
  readonly id: number;
  readonly input: SocketInput;
  readonly commands: SocketCommand[];
  disposed: boolean;
  emit(event: SocketEvent): void;
}

export interface FakeSockets {
  readonly logic: ReturnType<typeof fromCallback<SocketCommand, SocketInput>>;
  readonly all: FakeSocket[];
  /** The sockets whose cleanup has not run. */
  live(): FakeSocket[];
  /** The newest socket; throws when none was ever created. */
  current(): FakeSocket;
  /** Makes the next `n` sockets throw when started (an adapter that fails). */
  failNext(n: number): void;
}

export function fakeSockets(): FakeSockets {
  const all: FakeSocket[] = [];
  let failures = 0;
  const logic = fromCallback<SocketCommand, SocketInput>(({ input, sendBack, receive }) => {
    if (failures > 0) {
      failures--;
      throw new Error('adapter exploded');
    }
    const socket: FakeSocket = {
      id: all.length + 1,
      input,
      commands: [],
      disposed: false,
      emit: (event) => sendBack(event),
    };
    all.push(socket);
    receive((command) => socket.commands.push(command));
    return () => {
      socket.disposed = true;
    };
  });
  return {
    logic,
    all,
    live: () => all.filter((s) => !s.disposed),
    current: () => {
      const socket = all.at(-1);
      if (!socket) throw new Error('no socket was created');
      return socket;
    },
    failNext: (n) => {
      failures = n;
    },
  };
}
