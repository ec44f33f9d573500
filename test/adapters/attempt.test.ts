/**
 * The adapters' shared skeleton (adapters/attempt.ts) with a scripted driver inside the real
 * machine on a virtual clock: commands, the ping sequence, the data path bookkeeping, cleanup.
 */
import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { adapterLogic, type Attempt, type Driver } from '../../adapters/attempt.ts';
import { Sealed, type AdapterOptions, type DataSink, type Transport } from '../../adapters/contract.ts';
import { connectionMachine } from '../../machines/connection.machine.ts';
import { stateNameOf } from '../../machines/state-change.ts';
import { resolveConnectionOptions } from '../../machines/options.ts';
import { VirtualClock } from '../../src/testing/virtual-clock.ts';

function scripted(options: { url?: AdapterOptions['url'] } = {}) {
  const clock = new VirtualClock();
  const log: string[] = [];
  let attempt: Attempt<AdapterOptions> | undefined;
  let open = false;
  const socket = { readyState: 0, bufferedAmount: 0, send: (data: unknown) => log.push(`write ${String(data)}`) };
  const sink: DataSink = {
    attach: (transport: Transport) => log.push(`attach ${transport.send('x') ? 'writable' : 'closed'}`),
    detach: (_transport, clean) => log.push(`detach ${clean ? 'clean' : 'unclean'}`),
    pinged: (seq) => log.push(`pinged ${seq}`),
    ponged: (seq) => log.push(`ponged ${seq}`),
  };
  const logic = adapterLogic<AdapterOptions, [unknown]>(
    'scripted',
    (a) => {
      a.secrets = ['s3cret'];
      return [a.options.url];
    },
    (a, url) => {
      attempt = a;
      log.push(`open ${a.href(url)}`);
      const driver: Driver = {
        ping: (seq) => open && Boolean(log.push(`ping ${seq}`)),
        close: (code) => log.push(`close ${code}`),
        terminate: () => log.push('terminate'),
        pause: () => log.push('pause'),
        resume: () => log.push('resume'),
        release: () => log.push('release'),
      };
      a.adopt(driver);
    },
  );
  const actor = createActor(connectionMachine.provide({ actors: { socket: logic } }), {
    input: {
      options: resolveConnectionOptions({ heartbeat: { interval: 1_000, timeout: 400 }, backoff: { jitter: 'none' } }),
      socket: new Sealed({ url: options.url ?? 'ws://127.0.0.1:1/', sink, now: () => clock.now() }),
    },
    clock,
  });
  actor.start();
  const current = (): Attempt<AdapterOptions> => {
    if (!attempt) throw new Error('no attempt opened');
    return attempt;
  };
  const opened = (): void => {
    open = true;
    socket.readyState = 1;
    current().opened(socket, 'chat');
  };
  const refusePings = (): void => {
    open = false;
  };
  return { actor, clock, log, current, opened, refusePings, state: () => stateNameOf(actor.getSnapshot().value) };
}

describe('the adapter skeleton', () => {
  it('opens with the checked URL, attaches a writable transport before the machine hears open', () => {
    const s = scripted();
    s.opened();
    expect(s.log).toEqual(['open ws://127.0.0.1:1/', 'write x', 'attach writable']);
    expect(s.state()).toBe('open');
  });

  it('numbers the pings; one pong per ping; only a sent sequence number confirms', () => {
    const s = scripted();
    s.opened();
    s.clock.advance(1_000);
    expect(s.log.slice(-2)).toEqual(['ping 1', 'pinged 1']);
    s.clock.advance(30);
    s.current().alive();
    s.current().alive();
    expect(s.actor.getSnapshot().context.rttMs).toBe(30);
    expect(s.state()).toBe('open');
    s.current().ponged(2);
    s.current().ponged(1);
    expect(s.log.filter((line) => line.startsWith('ponged'))).toEqual(['ponged 1']);
  });

  it('after a resume, the first frame read answers the probe, even backlog from before the pause', () => {
    const s = scripted();
    s.opened();
    s.actor.send({ type: 'reading.pause' });
    s.actor.send({ type: 'reading.resume' });
    expect(s.log.slice(-4)).toEqual(['pause', 'resume', 'ping 1', 'pinged 1']);
    s.current().alive();
    expect(s.state()).toBe('open');
  });

  it('a ping the driver could not send is not counted, awaits no answer, and the pong timeout still ends the attempt', () => {
    const s = scripted();
    s.opened();
    s.refusePings();
    s.clock.advance(1_000);
    expect(s.state()).toBe('awaiting-pong');
    expect(s.log.some((line) => line.startsWith('ping'))).toBe(false);
    s.current().alive();
    expect(s.state()).toBe('awaiting-pong');
    s.clock.advance(400);
    expect(s.state()).toBe('backing-off');
    expect(s.log.slice(-3)).toEqual(['terminate', 'detach unclean', 'release']);
  });

  it('a close we started detaches clean; a close we did not, unclean', () => {
    const ours = scripted();
    ours.opened();
    ours.actor.send({ type: 'close' });
    ours.current().closed(1000, '', true);
    expect(ours.log.slice(-3)).toEqual(['close 1000', 'detach clean', 'release']);
    expect(ours.state()).toBe('closed');

    const theirs = scripted();
    theirs.opened();
    theirs.current().closed(1001, 'bye', true);
    expect(theirs.log.slice(-2)).toEqual(['detach unclean', 'release']);
    expect(theirs.actor.getSnapshot().context.reason).toEqual({ type: 'closed-by-server', code: 1001, reason: 'bye' });
  });

  it('a failing provider is the invoke error, scrubbed of the secrets the attempt knows', async () => {
    const s = scripted({ url: () => Promise.reject(new Error('token s3cret expired')) });
    await Promise.resolve();
    await Promise.resolve();
    expect(s.actor.getSnapshot().context.reason).toEqual({ type: 'adapter-error', message: 'token *** expired' });
  });

  it('after cleanup, nothing of the attempt reaches the machine', () => {
    const s = scripted();
    const first = (s.opened(), s.current());
    s.actor.send({ type: 'reconnect' });
    expect(s.log).toContain('release');
    first.fail(new Error('late'));
    first.closed(1006, '', false);
    expect(s.state()).toBe('connecting');
  });
});
