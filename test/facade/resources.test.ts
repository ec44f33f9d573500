/**
 * No leaks: after close() resolves, the process holds no socket or timer of ours and exits on its
 * own. Checked in a child process, so that the test runner's own handles do not blur the picture.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { closeAll, freePort, wsServer } from '../support/servers.ts';

afterEach(closeAll);

it('after close() the active handles are back to the baseline and the process exits by itself', async () => {
  const server = await wsServer({ echo: true });
  const fixture = fileURLToPath(new URL('../fixtures/exit-after-close.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, server.url, `ws://127.0.0.1:${await freePort()}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exit = await new Promise<number | string>((resolve) => {
    // A child that has not exited after 15 s is hanging on something: that is the failure.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('hung');
    }, 15_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? 'signal');
    });
  });
  expect({ exit, stderr }).toEqual({ exit: 0, stderr: '' });
  const report = JSON.parse(stdout) as { baseline: string[]; after: string[]; reasons: string[] };
  expect(report.after).toEqual(report.baseline);
  expect(report.reasons).toEqual(['closed-by-client', 'closed-by-client']);
}, 20_000);
