/**
 * `okta-bootstrap app --mulesoft` as a person runs it (built CLI): a missing value is named with the command that
 * writes it (exit 2); after the MuleSoft setup it serves the page on REDIRECT_URI's port, logs each request without
 * the query string, and stops cleanly on SIGTERM. The browser flows are in test/browser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { runListening } from '../support/listening.js';
import { freePort } from '../support/free-port.js';
import { setUpMulesoft, type MulesoftSetup } from '../support/mulesoft-setup.js';

let s: MulesoftSetup;
let port = 0;

beforeAll(async () => {
  port = await freePort();
  s = await setUpMulesoft({ env: { PORT: String(port) } });
}, 120_000);

afterAll(async () => {
  await s?.close();
});

/** Starts the app CLI; resolves once it listens. */
const runApp = () =>
  runListening(['app', '--mulesoft', '--output-dir', s.outputDir, '--env-file', s.envFile], /App listening on (http:\/\/\S+):/, {
    env: s.env,
    cwd: s.dir,
    secrets: [s.authnClientSecret],
  });

describe('okta-bootstrap app --mulesoft', () => {
  it('without the values, names each missing key and get-settings --mulesoft --write-env, exit 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'okb-app-'));
    await writeFile(join(dir, '.env'), '', { mode: 0o600 });
    const r = await runCli('okta-bootstrap', ['app', '--mulesoft', '--output-dir', join(dir, 'output'), '--env-file', join(dir, '.env')], { cwd: dir });
    expect(r.code).toBe(2);
    for (const key of ['AUTHN_CLIENT_ID', 'AUTHN_CLIENT_SECRET', 'OKTA_AZ_SERVER_ISSUER', 'REDIRECT_URI']) expect(r.stderr).toContain(key);
    expect(r.stderr).toContain('get-settings --mulesoft --write-env');
  });

  it('without --mulesoft it is a usage error (exit 2)', async () => {
    const r = await runCli('okta-bootstrap', ['app'], { cwd: s.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--mulesoft');
  });

  it("serves the page on REDIRECT_URI's port, logs requests without query strings, stops on SIGTERM", async () => {
    const app = await runApp();
    expect(app.url).toBe(`http://localhost:${port}`);
    const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    for (const text of ['Show me the planets', 'Show me the moons', 'Silver access', 'Gold access', 'Not signed in']) expect(page).toContain(text);
    await fetch(`http://127.0.0.1:${port}/?code=secret-code&state=x`, { redirect: 'manual' });
    const r = await app.stop();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^GET \/ 200 \d+ms$/m);
    expect(r.stdout).not.toContain('secret-code');
  });
});
