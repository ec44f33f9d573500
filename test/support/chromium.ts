/**
 * Debian's chromium for the browser tests (through playwright-core): whether it is there (under
 * CI it must be: .ci/run installs it), and a headless launch that talks to nothing but 127.0.0.1.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser tests can run here; under CI a missing chromium is an error, not a skip. */
export function chromiumAvailable(what: string): boolean {
  const available = existsSync(CHROMIUM);
  if (!available && process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: .ci/run must install chromium`);
  if (!available) console.warn(`SKIPPED: ${what} needs ${CHROMIUM} (apt-get install chromium)`);
  return available;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
