/**
 * The web adapter in a real browser (Debian's chromium via playwright-core): the browser entry is
 * bundled with esbuild and served from 127.0.0.1 with a ws server that answers the application-level
 * ping. Messages of both kinds, app-level pongs (consumed, confirming delivery), a server that goes
 * silent (heartbeat-timeout), dropped connections (connection-lost) and a clean close.
 */
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../support/chromium.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocketServer } from 'ws';
import { servePage, type PageServer } from '../support/page-server.ts';

const PAGE = `<!doctype html><meta charset="utf-8"><script src="/wsmachine.js"></script>
<script>
  window.log = [];
  window.start = (url) => {
    const socket = wsmachine.createSocket(url, {
      heartbeat: { interval: 500, timeout: 250 },
      connectTimeout: 1000,
      backoff: { initial: 50, max: 200, jitter: 'none' },
    });
    window.socket = socket;
    socket.on('state', (e) => log.push('state ' + e.from + '>' + e.to + (e.reason ? ' ' + e.reason.type : '')));
    socket.on('message', (m) => log.push(typeof m === 'string' ? 'text ' + m : 'bytes ' + m.byteLength));
    socket.on('pong', () => log.push('pong'));
  };
</script>`;

const available = chromiumAvailable('the web adapter test');

describe.skipIf(!available)('web adapter in chromium', () => {
  let browser: Browser;
  let served: PageServer;
  let wss: WebSocketServer;
  let page: Page;
  let silent = false;
  let url = '';

  beforeAll(async () => {
    served = await servePage('src/browser.ts', 'wsmachine', PAGE);
    ({ wss, url } = served);
    wss.on('connection', (peer) => {
      peer.on('error', () => {});
      peer.on('message', (data, isBinary) => {
        if (silent) return;
        const text = (data as Buffer).toString();
        if (!isBinary && text === 'ping') peer.send('pong');
        else if (!isBinary && text === 'bytes please') peer.send(Buffer.from([1, 2, 3]));
        else peer.send(data, { binary: isBinary });
      });
    });
    browser = await launchChromium();
    page = await browser.newPage();
  }, 30_000);

  afterAll(async () => {
    await page?.evaluate(() => (globalThis as unknown as { socket?: { close(): Promise<unknown> } }).socket?.close()).catch(() => {});
    await browser?.close();
    await served?.close();
  });

  const log = () => page.evaluate(() => (globalThis as unknown as { log: string[] }).log);
  const logged = (line: string) => expect.poll(log, { timeout: 5_000 }).toContain(line);

  it('carries messages, answers its heartbeat at the application level, and survives silence and drops', async () => {
    await page.goto(url);
    await page.evaluate((ws) => (globalThis as unknown as { start(u: string): void }).start(ws), url.replace('http', 'ws'));
    await logged('state connecting>open');

    await page.evaluate(() => (globalThis as unknown as { socket: { send(d: string): void } }).socket.send('hello'));
    await logged('text hello');
    await page.evaluate(() => (globalThis as unknown as { socket: { send(d: string): void } }).socket.send('bytes please'));
    await logged('bytes 3');

    // The app-level pong is consumed (never a message) and confirms what was sent before the ping.
    await logged('pong');
    expect(await log()).not.toContain('text pong');
    const stats = () => page.evaluate(() => (globalThis as unknown as { socket: { stats: { confirmed: number } } }).socket.stats.confirmed);
    await expect.poll(stats, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);

    silent = true;
    await logged('state awaiting-pong>backing-off heartbeat-timeout');
    silent = false;
    await expect.poll(async () => (await log()).filter((l) => l === 'state connecting>open').length, { timeout: 5_000 }).toBe(2);

    for (const client of wss.clients) client.terminate();
    await logged('state open>backing-off connection-lost');
    await expect.poll(async () => (await log()).filter((l) => l === 'state connecting>open').length, { timeout: 5_000 }).toBe(3);

    await page.evaluate(() => (globalThis as unknown as { socket: { close(): Promise<unknown> } }).socket.close());
    await logged('state closing>closed closed-by-client');
  }, 30_000);
});
