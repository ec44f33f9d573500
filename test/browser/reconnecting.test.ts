/**
 * `ReconnectingWebSocket` in a real browser (Debian's chromium via playwright-core): the browser
 * variant of `wsmachine/reconnecting` is bundled with esbuild and served from 127.0.0.1 with a ws
 * server. The page's own WebSocket underneath: `binaryType` blob and arraybuffer as the platform
 * delivers them, the platform's event classes, error before close on a dropped connection, a
 * server's close code, readyState across close() and reconnects, the heartbeat once `web.ping`
 * says what the server answers, startClosed.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocketServer } from 'ws';
import { servePage, type PageServer } from '../support/page-server.ts';
import { chromiumAvailable, launchChromium } from '../support/chromium.ts';

const PAGE = `<!doctype html><meta charset="utf-8"><script src="/ReconnectingWebSocket.js"></script>
<script>
  window.log = [];
  window.make = (url, options) => {
    const rws = new ReconnectingWebSocket.default(url, [], {
      minReconnectionDelay: 50, maxReconnectionDelay: 200, connectionTimeout: 1000, ...options,
    });
    window.rws = rws;
    rws.onopen = (e) => log.push('open ' + rws.readyState + ' ' + (e instanceof Event));
    rws.onmessage = async (e) => {
      const d = e.data;
      const kind = typeof d === 'string' ? 'text ' + d
        : d instanceof Blob ? 'blob ' + [...new Uint8Array(await d.arrayBuffer())].join(',')
        : d instanceof ArrayBuffer ? 'arraybuffer ' + [...new Uint8Array(d)].join(',') : 'other';
      log.push('message ' + (e instanceof MessageEvent) + ' ' + kind);
    };
    rws.addEventListener('close', (e) => log.push('close ' + e.code + ' ' + e.reason + ' ' + e.wasClean + ' ' + e.disconnectReason.type + ' ' + rws.readyState));
    rws.addEventListener('error', (e) => log.push('error ' + rws.readyState));
    return rws.readyState;
  };
</script>`;

const available = chromiumAvailable('the ReconnectingWebSocket browser test');

describe.skipIf(!available)('ReconnectingWebSocket in chromium', () => {
  let browser: Browser;
  let served: PageServer;
  let wss: WebSocketServer;
  let page: Page;
  let silent = false;
  let connections = 0;
  let url = '';

  beforeAll(async () => {
    served = await servePage('src/reconnecting-browser.ts', 'ReconnectingWebSocket', PAGE);
    ({ wss, url } = served);
    wss.on('connection', (peer) => {
      connections++;
      peer.on('error', () => {});
      peer.on('message', (data, isBinary) => {
        if (silent) return;
        const text = (data as Buffer).toString();
        if (!isBinary && text === 'ping') peer.send('pong');
        else if (!isBinary && text === 'bytes please') peer.send(Buffer.from([1, 2, 250]));
        else if (!isBinary && text === 'close please') peer.close(4000, 'bye');
        else peer.send(data, { binary: isBinary });
      });
    });
    browser = await launchChromium();
    page = await browser.newPage();
  }, 30_000);

  afterAll(async () => {
    await page?.evaluate(() => (globalThis as unknown as { rws?: { close(): void } }).rws?.close()).catch(() => {});
    await browser?.close();
    await served?.close();
  });

  const log = () => page.evaluate(() => (globalThis as unknown as { log: string[] }).log);
  const logged = (line: string) => expect.poll(log, { timeout: 5_000 }).toContain(line);
  const count = async (line: string) => (await log()).filter((l) => l === line).length;
  const make = (options: Record<string, unknown> = {}) =>
    page.evaluate(([ws, o]) => (globalThis as unknown as { make(u: string, o: unknown): number }).make(ws, o), [
      url.replace('http', 'ws'),
      options,
    ] as const);
  const run = (code: string) => page.evaluate(code);

  it('carries text and binary as blob and arraybuffer, with the platform event classes', async () => {
    await page.goto(url);
    expect(await make()).toBe(0);
    await logged('open 1 true');
    await run(`rws.send('hello')`);
    await logged('message true text hello');
    expect(await run('rws.binaryType')).toBe('blob');
    await run(`rws.send('bytes please')`);
    await logged('message true blob 1,2,250');
    await run(`rws.binaryType = 'arraybuffer'; rws.send('bytes please')`);
    await logged('message true arraybuffer 1,2,250');
    await run(`rws.send(new Uint8Array([7, 8]))`);
    await logged('message true arraybuffer 7,8');
    expect(await run(`(() => { try { rws.binaryType = 'text'; return 'taken'; } catch (e) { return e.code; } })()`)).toBe(
      'WSM_INVALID_ARGUMENT',
    );
    await run('rws.close()');
    await logged('close 1000  true closed-by-client 3');
  }, 30_000);

  it('a dropped connection is error then close 1006; a server close keeps its code; readyState CLOSED between attempts', async () => {
    await page.goto(url);
    await make();
    await logged('open 1 true');
    for (const client of wss.clients) client.terminate();
    await logged('close 1006  false connection-lost 3');
    const lines = await log();
    expect(lines[lines.indexOf('close 1006  false connection-lost 3') - 1]).toBe('error 3');
    await expect.poll(() => count('open 1 true'), { timeout: 5_000 }).toBe(2);
    await run(`rws.send('close please')`);
    await logged('close 4000 bye true closed-by-server 3');
    await expect.poll(() => count('open 1 true'), { timeout: 5_000 }).toBe(3);
    expect(await run(`rws.close(4001, 'done'); rws.readyState`)).toBe(2);
    await logged('close 4001 done true closed-by-client 3');
    expect(await run('rws.readyState')).toBe(3);
  }, 30_000);

  it('the heartbeat runs once web.ping says what the server answers, and catches a silent server', async () => {
    await page.goto(url);
    await make({ web: { ping: 'ping' }, heartbeat: { interval: 300, timeout: 150 } });
    await logged('open 1 true');
    await expect.poll(() => page.evaluate('rws.stats.rttMs'), { timeout: 5_000 }).not.toBeNull();
    expect((await log()).some((l) => l.includes('text pong'))).toBe(false);
    silent = true;
    await logged('close 1006  false heartbeat-timeout 3');
    silent = false;
    await expect.poll(() => count('open 1 true'), { timeout: 5_000 }).toBe(2);
    await run('rws.close()');
  }, 30_000);

  it('startClosed connects nothing until reconnect(), which flushes what was queued', async () => {
    await page.goto(url);
    const before = connections;
    expect(await make({ startClosed: true })).toBe(3);
    await run(`rws.send('early')`);
    await run('rws.reconnect()');
    await logged('message true text early');
    // Had the socket connected at construction, reconnect() would have replaced that connection.
    expect(connections).toBe(before + 1);
    await run('rws.close()');
  }, 30_000);
});
