/**
 * `--slash`: a line that starts with `/` is a command for the session, not a message (wscat's
 * habit): `/ping` probes now, `/close [code [reason]]` closes for good (the session then ends),
 * `/reconnect` drops the connection and connects again, `/stats` prints the figures.
 */
import { checkCloseCode } from '../../common/checks.ts';
import { WsmError } from '../../common/errors.ts';
import type { SocketStats } from '../facade/events.ts';
import type { WsmSocket } from '../facade/socket.ts';

/** What a line asked for: a message to send, or a command and what to print about it. */
export type SlashResult =
  | { readonly kind: 'message' }
  | { readonly kind: 'done' }
  | { readonly kind: 'stats'; readonly stats: SocketStats }
  | { readonly kind: 'close'; readonly code: number; readonly reason: string }
  | { readonly kind: 'error'; readonly message: string };

const COMMANDS = '/ping, /close [code [reason]], /reconnect, /stats';

/**
 * Carries out `line` when it is a command (`/close` is left to the caller, which ends the session).
 * A line that starts with `//` is the message that follows the first slash.
 */
export function slashCommand(line: string, socket: WsmSocket): SlashResult {
  if (!line.startsWith('/') || line.startsWith('//')) return { kind: 'message' };
  // A command the socket refuses (a reconnect of a failed socket, a bad close code) is a line of output.
  try {
    return run(line, socket);
  } catch (error) {
    if (error instanceof WsmError) return { kind: 'error', message: error.message };
    throw error;
  }
}

function run(line: string, socket: WsmSocket): SlashResult {
  const [name, ...args] = line.slice(1).trim().split(/\s+/);
  switch (name) {
    case 'ping':
      socket.probe();
      return { kind: 'done' };
    case 'reconnect':
      socket.reconnect();
      return { kind: 'done' };
    case 'stats':
      return { kind: 'stats', stats: socket.stats };
    case 'close': {
      const code = args[0] === undefined ? 1000 : Number(args[0]);
      const reason = args.slice(1).join(' ');
      // The socket's own rule (1000 or 3000-4999, a reason of at most 123 bytes), checked here.
      checkCloseCode(code, reason);
      return { kind: 'close', code, reason };
    }
    default:
      return {
        kind: 'error',
        message: `wsmachine: unknown command /${name ?? ''} (the commands are ${COMMANDS}; // sends a line that starts with /)`,
      };
  }
}
