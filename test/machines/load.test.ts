/**
 * Every machines/ and common/ module loads and the machine starts, checked inside tests: a definition error
 * (an unknown target, a missing state) must fail a test, not only the import of a test file.
 */
import { expect, it } from 'vitest';

it('the connection machine loads, resolves its targets and starts', async () => {
  const { connectionMachine } = await import('../../machines/connection.machine.ts');
  const { resolveConnectionOptions } = await import('../../machines/options.ts');
  const { createActor, fromCallback } = await import('xstate');
  expect(connectionMachine.id).toBe('connection');
  const machine = connectionMachine.provide({ actors: { socket: fromCallback(() => () => {}) } });
  const actor = createActor(machine, { input: { options: resolveConnectionOptions() } });
  actor.start();
  expect(actor.getSnapshot().value).toEqual({ live: 'connecting' });
  actor.send({ type: 'close' });
  expect(actor.getSnapshot().value).toBe('closed');
  actor.stop();
});

it('the policy, option, vocabulary and state-change modules load, and the common ones they use', async () => {
  for (const module of ['policy', 'options', 'vocabulary', 'state-change']) {
    await expect(import(`../../machines/${module}.ts`)).resolves.toBeTypeOf('object');
  }
  for (const module of ['checks', 'redact', 'errors']) {
    await expect(import(`../../common/${module}.ts`)).resolves.toBeTypeOf('object');
  }
});
