/**
 * `wsmachine`: a wscat that survives.
 *
 * Theory of operation: the CLI is one `createSocket` plus printing. Lines on stdin are sent
 * (queued in the outbox while not open); messages go to stdout; state changes go to stderr as a
 * timeline (or everything to stdout as JSON lines with --json); a status line redraws in place when
 * stdout is a terminal. Every line printed passes the scrubber built from the URL's and headers'
 * secrets. The process ends by itself: stdin's end or a signal closes the socket cleanly (exit 0);
 * the connection ending for good on its own is exit 1; bad usage is exit 2 before anything
 * connects.
 */
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import type { InspectionEvent } from 'xstate';
import { WsmError } from '../../common/errors.ts';
import { startLocalInspector, type LocalInspector } from '../inspector/server.ts';
import { redactUrl, scrubber, secretsOf } from '../../common/redact.ts';
import { createSocket, type WsmSocket } from '../index.ts';
import { parseCommand, USAGE, UsageError, type ConnectCommand } from './args.ts';
import { runDemo } from './demo.ts';
import { clockTime, stateLine } from '../facade/format.ts';
import { stateJson, statusLine } from './lines.ts';

// '#package.json' is the package's own manifest (package.json "imports"), from the sources and from dist/ alike.
const version = (createRequire(import.meta.url)('#package.json') as { version: string }).version;

export async function main(argv: readonly string[]): Promise<number> {
  let command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  switch (command.kind) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'version':
      process.stdout.write(`wsmachine ${version}\n`);
      return 0;
    case 'demo':
      return runDemo({ inspectLocal: command.inspectLocal });
    case 'connect':
      return runClient(command);
  }
}

async function stately(): Promise<((event: InspectionEvent) => void) | undefined> {
  try {
    const name = '@statelyai/inspect';
    const module = (await import(name)) as { createSkyInspector?: () => { inspect: (event: InspectionEvent) => void } };
    return module.createSkyInspector?.().inspect;
  } catch {
    return undefined;
  }
}

async function runClient(command: ConnectCommand): Promise<number> {
  const scrub = scrubber(secretsOf(command.url, command.headers));
  const tty = Boolean(process.stdout.isTTY) && !command.json && !command.quiet;
  // On a terminal that also types into us, the status line is readline's prompt, so what the user
  // is typing is redrawn under every printed line instead of being mixed into it.
  const interactive = tty && Boolean(process.stdin.isTTY);
  const input = createInterface({
    input: process.stdin,
    ...(interactive ? { output: process.stdout, terminal: true } : { terminal: false }),
  });
  let statusShown = false;
  let socket: WsmSocket | undefined;

  const clearStatus = () => {
    if (statusShown) process.stdout.write('\r\x1b[2K');
    statusShown = false;
  };
  const drawStatus = () => {
    if (!tty || !socket) return;
    clearStatus();
    const status = scrub(statusLine(socket.stats));
    if (interactive) {
      input.setPrompt(`${status}  > `);
      input.prompt(true);
    } else {
      process.stdout.write(status);
    }
    statusShown = true;
  };
  const out = (text: string) => {
    clearStatus();
    process.stdout.write(`${scrub(text)}\n`);
    drawStatus();
  };
  const err = (text: string) => {
    clearStatus();
    process.stderr.write(`${scrub(text)}\n`);
    drawStatus();
  };
  const json = (object: Record<string, unknown>) => out(JSON.stringify(object));
  const timeline = (text: string) => {
    if (!command.quiet && !command.json) err(`${clockTime(Date.now())} ${text}`);
  };

  let inspector: LocalInspector | undefined;
  let inspect: ((event: InspectionEvent) => void) | undefined;
  if (command.inspectLocal !== undefined) {
    inspector = await startLocalInspector({ port: command.inspectLocal, scrub, stats: () => ({ ...socket?.stats }) });
    err(`inspector: ${inspector.url}`);
    inspect = inspector.inspect;
  }
  if (command.inspect) {
    const sky = await stately();
    if (!sky) {
      err(
        'wsmachine: --inspect needs the optional package @statelyai/inspect (npm install @statelyai/inspect) and the internet; --inspect-local works offline',
      );
      await inspector?.close();
      input.close();
      process.stdin.destroy();
      return 2;
    }
    const local = inspect;
    inspect = local ? (event) => (local(event), sky(event)) : sky;
  }

  try {
    socket = createSocket(command.url, {
      ...command.options,
      headers: command.headers,
      protocols: command.protocols,
      ...(inspect ? { inspect } : {}),
    });
  } catch (error) {
    // parseCommand checks what createSocket checks; this is the backstop: usage, not a crash.
    if (!(error instanceof WsmError)) throw error;
    process.stderr.write(`${scrub(error.message)}\n`);
    await inspector?.close();
    input.close();
    process.stdin.destroy();
    return 2;
  }
  // The socket starts on the next microtask: nothing is missed by printing this first.
  timeline(`connecting to ${redactUrl(command.url)}`);
  const live = socket;
  let gaveUp = false;
  live.on('close', (info) => {
    gaveUp = info.gaveUp;
  });
  live.on('state', (event) => {
    if (command.json) json(stateJson(Date.now(), event));
    else timeline(stateLine(event, event.to === 'closed' && gaveUp));
    drawStatus();
  });
  live.on('message', (data) => {
    if (command.json) {
      json(
        typeof data === 'string'
          ? { t: Date.now(), type: 'message', data }
          : { t: Date.now(), type: 'message', binary: true, base64: Buffer.from(data).toString('base64') },
      );
    } else {
      out(typeof data === 'string' ? data : `<binary ${data.byteLength} bytes>`);
    }
  });
  live.on('pong', ({ rttMs }) => {
    if (command.json) json({ t: Date.now(), type: 'pong', rttMs });
    else drawStatus();
  });
  live.on('error', (error) => {
    if (command.json) json({ t: Date.now(), type: 'error', message: error.message });
    else if (!command.quiet) err(`${clockTime(Date.now())} error: ${error.message}`);
  });

  input.on('line', (line) => {
    try {
      live.send(line);
      if (interactive) drawStatus();
    } catch (error) {
      if (!(error instanceof WsmError)) throw error;
      if (command.json) json({ t: Date.now(), type: 'error', message: error.message });
      else err(error.message);
    }
  });

  const finished = new Promise<number>((resolve) => {
    let closing = false;
    const shutdown = async (why: string) => {
      if (closing) return;
      closing = true;
      // Lines typed before the socket opened are still in the outbox: give them the next open.
      if (why === 'eof' && live.stats.queued > 0 && live.state !== 'closed') {
        await new Promise<void>((resolve) => {
          const offOpen = live.on('open', () => done());
          const offClose = live.on('close', () => done());
          function done() {
            offOpen();
            offClose();
            resolve();
          }
        });
      }
      const info = await live.close();
      if (info.unsent.length > 0) err(`${info.unsent.length} message(s) were never sent`);
      resolve(0);
    };
    input.on('close', () => void shutdown('eof'));
    process.once('SIGINT', () => void shutdown('signal'));
    // A terminal readline turns Ctrl-C into its own SIGINT event.
    input.on('SIGINT', () => void shutdown('signal'));
    process.once('SIGTERM', () => void shutdown('signal'));
    live.on('close', ({ reason }) => {
      if (!closing && reason.type !== 'closed-by-client') {
        closing = true;
        resolve(1);
      }
    });
  });

  const code = await finished;
  clearStatus();
  input.close();
  process.stdin.destroy();
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  await inspector?.close();
  return code;
}
