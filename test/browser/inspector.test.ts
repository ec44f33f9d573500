/**
 * The local inspector in a real browser (Debian's chromium, driven by playwright-core): while a
 * client connects, loses its server and reconnects, the highlighted state in the page's diagram
 * must follow. A screenshot is saved to test-artifacts/inspector.png.
 *
 * Without chromium on the machine the test says so and skips; under CI=true it must run (.ci/run
 * installs the Debian package).
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../support/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoServer, type EchoServer } from '../../src/testing/faults.ts';
import { startLocalInspector, type LocalInspector } from '../../src/inspector/server.ts';
import { createSocket, type WsmSocket } from '../../src/index.ts';
import { until } from '../support/wait.ts';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

const available = chromiumAvailable('the inspector test');

describe.skipIf(!available)('local inspector in chromium', () => {
  let browser: Browser;
  let server: EchoServer;
  let inspector: LocalInspector;
  let socket: WsmSocket;

  beforeAll(async () => {
    browser = await launchChromium();
  }, 30_000);

  afterAll(async () => {
    await socket?.close();
    await inspector?.close();
    await server?.stop();
    await browser?.close();
  });

  it('highlights connecting, open, backing-off, open as the client loses its server and reconnects', async () => {
    server = await echoServer();
    inspector = await startLocalInspector({ stats: () => ({ ...socket?.stats }) });
    socket = createSocket(server.url, {
      heartbeat: { interval: 2_000, timeout: 500 },
      backoff: { initial: 300, max: 300, jitter: 'none' },
      inspect: inspector.inspect,
    });
    await until(socket, 'open');

    const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
    await page.goto(inspector.url);
    const highlighted = () => page.locator('#diagram g.node.active').getAttribute('id');
    await expect.poll(highlighted, { timeout: 10_000 }).toBe('connection_live_connected_open');

    socket.reconnect();
    await until(socket, 'open');
    server.dropClients();
    await until(socket, 'backing-off');
    await expect.poll(highlighted, { timeout: 5_000 }).toBe('connection_backing_off');
    await until(socket, 'open');
    await expect.poll(highlighted, { timeout: 5_000 }).toBe('connection_live_connected_open');

    const history = await page.evaluate<string[]>('window.__wsm.history');
    const wanted = ['connecting', 'open', 'backing-off', 'open'];
    // The page's history, in order, contains the wanted sequence (heartbeat toggles may sit between).
    let at = 0;
    for (const state of history) if (state === wanted[at]) at++;
    expect({ history, matched: at }).toEqual({ history, matched: wanted.length });
    await expect.poll(() => page.locator('#log tr').count()).toBeGreaterThanOrEqual(4);
    // The page shows the words of the CLI's timeline (describeReason, duration), written by the server.
    const rows = await page.locator('#log tr').allTextContents();
    expect(
      rows.some((row) => /(open|awaiting-pong) -> backing-off.*connection-lost \(no close frame, 1006\), retry 1 in \d+ ms/.test(row)),
    ).toBe(true);
    expect(await page.locator('#state').textContent()).toBe('open');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}inspector.png`, fullPage: true });
  }, 40_000);
});
