/**
 * `npm run size`: what a browser app pays for wsmachine, measured on the built package as a user's
 * bundler sees it (esbuild, platform browser, minified, gzip level 9), next to XState alone.
 *
 * - the page: `import { createSocket } from 'wsmachine'` (resolved through the package's own
 *   exports, so under the browser condition: the browser facade over the web adapter);
 * - the same page moved from reconnecting-websocket: `ReconnectingWebSocket` from `wsmachine/reconnecting`;
 * - XState's own minimal bundle: `createMachine` + `createActor`;
 * - XState with the functions wsmachine's machine imports (what the dependency costs here).
 * The budget is XState's minimal bundle + 6 KiB gzip; the exit code is 1 when the page is over it.
 * Run `npm run build` first (the script `size` does).
 */
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BUDGET_OVER_XSTATE = 6 * 1024;

interface Measured {
  readonly min: number;
  readonly gzip: number;
  /** Minified bytes per input file of wsmachine's own. */
  readonly own: ReadonlyMap<string, number>;
}

async function measure(contents: string): Promise<Measured> {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    minify: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    metafile: true,
    logLevel: 'error',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const inputs = Object.values(result.metafile.outputs)[0]?.inputs ?? {};
  const own = new Map(
    Object.entries(inputs)
      .filter(([path, input]) => path.startsWith('dist/') && input.bytesInOutput > 0)
      .map(([path, input]) => [path, input.bytesInOutput] as const),
  );
  return { min: code.length, gzip: gzipSync(code, { level: 9 }).length, own };
}

const page = await measure(`import { createSocket } from 'wsmachine';\ncreateSocket('wss://feed.example/ws').on('message', console.log);`);
const reconnecting = await measure(
  `import ReconnectingWebSocket from 'wsmachine/reconnecting';\nnew ReconnectingWebSocket('wss://feed.example/ws').onmessage = console.log;`,
);
const minimal = await measure(`import { createActor, createMachine } from 'xstate';\ncreateActor(createMachine({})).start();`);
const used = await measure(
  `import { assertEvent, assign, createActor, emit, enqueueActions, fromCallback, sendTo, setup } from 'xstate';\n` +
    `console.log(assertEvent, assign, createActor, emit, enqueueActions, fromCallback, sendTo, setup);`,
);

const kB = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const row = (name: string, min: number, gzip: number): string => `${name.padEnd(58)} ${kB(min).padStart(9)} ${kB(gzip).padStart(9)}`;
console.log(`${'bundle (esbuild, browser, minified)'.padEnd(58)} ${'min'.padStart(9)} ${'gzip'.padStart(9)}`);
console.log(row("createSocket from 'wsmachine' (browser condition)", page.min, page.gzip));
console.log(row("ReconnectingWebSocket from 'wsmachine/reconnecting'", reconnecting.min, reconnecting.gzip));
console.log(row('XState alone: createMachine + createActor', minimal.min, minimal.gzip));
console.log(row("XState alone: the functions wsmachine's machine imports", used.min, used.gzip));
console.log(row("wsmachine's own code (the page minus the line above)", page.min - used.min, page.gzip - used.gzip));
console.log("\nwsmachine's own modules in the page, minified:");
for (const [path, bytes] of [...page.own].sort((a, b) => b[1] - a[1])) console.log(`  ${kB(bytes).padStart(8)}  ${path}`);

const budget = minimal.gzip + BUDGET_OVER_XSTATE;
const verdict = page.gzip <= budget ? 'within it' : `over it by ${kB(page.gzip - budget)}`;
console.log(`\nbudget: XState's minimal bundle + 6 KiB = ${kB(budget)} gzip; the page is ${kB(page.gzip)}, ${verdict}`);
process.exitCode = page.gzip <= budget ? 0 : 1;
