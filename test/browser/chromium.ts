/**
 * Debian's Chromium driven by playwright-core (no browser download: playwright-core ships none, and none is
 * fetched). One browser per test file; each scenario gets a new context (its own cookies).
 *
 * Flags: headless, `--no-sandbox --disable-gpu --disable-background-networking --disable-component-update
 * --disable-sync --no-first-run`. The profile: Playwright's launch() starts Chromium with a fresh temporary
 * `--user-data-dir` of its own and deletes it on close (it refuses one in `args`; only launchPersistentContext
 * takes one, and that allows no second context).
 *
 * Without Chromium the browser tests are skipped with a line saying how to install it; with CI=true a missing
 * browser is a failure.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const INSTALL_HINT = 'apt-get update && apt-get install -y chromium';

export const chromiumPresent = existsSync(CHROMIUM);
export const inCI = process.env.CI === 'true';

if (!chromiumPresent) {
  const line = `browser tests: Chromium not found at ${CHROMIUM}; ${inCI ? 'CI=true, so this FAILS' : 'skipped'}. Install it with \`${INSTALL_HINT}\` (or set CHROMIUM_PATH).`;
  process.stdout.write(`\n${line}\n`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}
