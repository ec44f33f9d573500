/**
 * `wsmachine`: a wscat that survives.
 *
 * Theory of operation: the CLI is one `createSocket` plus printing. Lines on stdin are sent
 * (queued in the outbox while not open), or with -x the given messages once open; messages go to
 * stdout; state changes go to stderr as a timeline (or everything to stdout as JSON lines with
 * --json). The timeline leaves out the heartbeat's own cycle (open -> awaiting-pong -> open, every
 * interval) unless -v: the status line, redrawn in place when stdout is a terminal, carries the
 * round trip instead. Every line printed passes the scrubber built from the URL's, headers' and
 * flags' secrets. The process ends by itself: stdin's end, -x's wait, /close or a signal closes the
 * socket cleanly (exit 0); the connection ending for good on its own is exit 1; bad usage is exit 2
 * before anything connects.
 */
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { InspectionEvent } from 'xstate';
import { WsmError } from '../../common/errors.ts';
import { startLocalInspector, type LocalInspector } from '../inspector/server.ts';
import { redactUrl, scrubber, secretsOf } from '../../common/redact.ts';
import { createSocket, type WsmSocket } from '../index.ts';
import { parseCommand, USAGE, UsageError, type ConnectCommand } from './args.ts';
import { runDemo } from './demo.ts';
import { clockTime, stateLine } from '../facade/format.ts';
import { stateJson, statusLine } from './lines.ts';
import { slashCommand } from './slash.ts';
import type { StateChange } from '../facade/events.ts';

/** The heartbeat's own cycle: shown with -v only (the status line has the round trip). */
const isHeartbeatCycle = ({ from, to }: StateChange): boolean =>
  (from === 'open' && to === 'awaiting-pong') || (from === 'awaiting-pong' && to === 'open');

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
  // The flags' secrets by the same rule as the URL's and headers' (3 characters at least, longest first).
  const secrets = [...new Set([...command.secrets, ...secretsOf(command.url, command.headers)])].filter((secret) => secret.length >= 3);
  const scrub = scrubber(secrets.sort((a, b) => b.length - a.length));
  const executing = command.execute.length > 0;
  const tty = Boolean(process.stdout.isTTY) && !command.json && !command.quiet;
  // On a terminal that also types into us, the status line is readline's prompt, so what the user
  // is typing is redrawn under every printed line instead of being mixed into it.
  const interactive = tty && Boolean(process.stdin.isTTY);
  const input = createInterface({
    // With -x the session is the given messages: stdin is not read.
    input: executing ? Readable.from([]) : process.stdin,
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
      ...(Object.keys(command.ws).length > 0 ? { ws: command.ws } : {}),
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
    if (!command.verbose && isHeartbeatCycle(event)) {
      drawStatus();
      return;
    }
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
    else if (command.showPingPong) timeline(`< pong ${rttMs} ms`);
    else drawStatus();
  });
  live.on('ping', (data) => {
    if (!command.showPingPong) return;
    const payload = data.byteLength > 0 ? ` ${JSON.stringify(Buffer.from(data).toString())}` : '';
    if (command.json) json({ t: Date.now(), type: 'ping', data: Buffer.from(data).toString() });
    else timeline(`< ping${payload} (answered)`);
  });
  live.on('error', (error) => {
    if (command.json) json({ t: Date.now(), type: 'error', message: error.message });
    else if (!command.quiet) err(`${clockTime(Date.now())} error: ${error.message}`);
  });

  let requestClose: ((code: number, reason: string) => void) | undefined;
  // Set once the session is ending: a line after /close or the end of stdin is not taken.
  let closing = false;
  input.on('line', (line) => {
    if (closing) return;
    if (command.slash) {
      const result = slashCommand(line, live);
      if (result.kind === 'done') return;
      if (result.kind === 'stats') {
        if (command.json) json({ t: Date.now(), type: 'stats', ...result.stats });
        else err(JSON.stringify(result.stats));
        return;
      }
      if (result.kind === 'error') {
        if (command.json) json({ t: Date.now(), type: 'error', message: result.message });
        else err(result.message);
        return;
      }
      if (result.kind === 'close') {
        requestClose?.(result.code, result.reason);
        return;
      }
      if (line.startsWith('//')) line = line.slice(1);
    }
    try {
      live.send(line);
      if (interactive) drawStatus();
    } catch (error) {
      if (!(error instanceof WsmError)) throw error;
      if (command.json) json({ t: Date.now(), type: 'error', message: error.message });
      else err(error.message);
    }
  });

  let closeWith = { code: 1000, reason: '' };
  let waitTimer: ReturnType<typeof setTimeout> | undefined;
  let opened = false;
  live.on('open', () => {
    opened = true;
  });
  const finished = new Promise<number>((resolve) => {
    requestClose = (code, reason) => {
      closeWith = { code, reason };
      void shutdown('command');
    };
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
      const info = await live.close(closeWith.code, closeWith.reason);
      if (info.unsent.length > 0) err(`${info.unsent.length} message(s) were never sent`);
      resolve(0);
    };
    if (executing) {
      // -x: the messages go once the first connection is open; the replies print for --wait.
      const offOpen = live.on('open', () => {
        offOpen();
        for (const message of command.execute) live.send(message);
        waitTimer = setTimeout(() => void shutdown('executed'), command.waitMs);
      });
    } else {
      input.on('close', () => void shutdown('eof'));
    }
    process.once('SIGINT', () => void shutdown('signal'));
    // A terminal readline turns Ctrl-C into its own SIGINT event.
    input.on('SIGINT', () => void shutdown('signal'));
    process.once('SIGTERM', () => void shutdown('signal'));
    live.on('close', ({ reason }) => {
      if (closing || reason.type === 'closed-by-client') return;
      closing = true;
      // -x: a server that answers and then closes has ended the exchange, as a request's server would.
      resolve(executing && opened && reason.type === 'closed-by-server' ? 0 : 1);
    });
  });

  const code = await finished;
  clearTimeout(waitTimer);
  clearStatus();
  input.close();
  process.stdin.destroy();
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  await inspector?.close();
  return code;
}
