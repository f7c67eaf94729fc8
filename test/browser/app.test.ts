/**
 * The sample app in a real browser (Debian's Chromium through playwright-core), against the local tenant on port 0
 * (set up by the built CLI: okta-bootstrap --mulesoft, the app's client registered as Anypoint registers it, without
 * post_logout_redirect_uris, --mulesoft_policy, which adds REDIRECT_URI to them, get-settings --mulesoft --write-env),
 * the local gateway and the app on free ports. Signing in goes through the tenant's hosted sign-in page
 * (fields "Username" and "Password", button "Sign in"). One browser for the file, a new context per scenario.
 * The last test photographs the app after a gold sign-in (`npm run screenshot` writes it to docs/app.png, the README's).
 */
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAppConfig } from '../../src/app/load.js';
import { startApp, type AppConfig, type RunningApp } from '../../src/app/index.js';
import { startGateway } from '../../src/gateway/index.js';
import { ROOT, runCli } from '../support/cli.js';
import { freePort } from '../support/free-port.js';
import { GOLD_SCOPE, setUpMulesoft, SILVER_SCOPE, type MulesoftSetup } from '../support/mulesoft-setup.js';
import { Org } from '../support/oauth-test-org.js';
import { chromiumPresent, inCI, INSTALL_HINT, launchChromium } from './chromium.js';

type Gateway = Awaited<ReturnType<typeof startGateway>>;

let setup: MulesoftSetup;
let gateway: Gateway;
let app: RunningApp;
let config: AppConfig;
let browser: Browser;
const started = Date.now();

const user = (level: 'silver' | 'gold') => ({
  login: (setup.mulesoft[`${level.toUpperCase()}_USER`] as { profile: { login: string } }).profile.login,
  password: String(setup.mulesoft[`${level.toUpperCase()}_PASSWORD`]),
});

async function fresh(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  // Every step here takes well under a second; a missing element should fail the scenario quickly.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  return { context, page };
}

/** Clicks a panel's "Sign in" (or its prompt=none action). */
async function panel(page: Page, level: 'silver' | 'gold', action: 'sign-in' | 'session' = 'sign-in'): Promise<void> {
  await page.getByRole('button', { name: action === 'sign-in' ? `Sign in for ${level} access` : `Use my Okta session for ${level} access` }).click();
}

/** Fills the hosted sign-in page and submits it. */
async function hostedSignIn(page: Page, login: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function signInAs(page: Page, level: 'silver' | 'gold', who: 'silver' | 'gold' = level): Promise<void> {
  await page.goto(app.url);
  await panel(page, level);
  await expect.poll(() => page.url()).toContain(setup.tenant.orgUrl);
  await hostedSignIn(page, user(who).login, user(who).password);
  await page.waitForURL((u) => u.href.startsWith(app.url)).catch(async (e: unknown) => {
    process.stdout.write(`DEBUG ${page.url()}\n${(await page.content()).slice(0, 3000)}\n`);
    throw e;
  });
}

async function press(page: Page, label: 'Show me the planets' | 'Show me the moons'): Promise<string> {
  await page.getByRole('button', { name: label }).click();
  await page.waitForLoadState();
  return page.locator('#result').innerText();
}

describe.skipIf(!chromiumPresent && !inCI)('the sample app in Chromium', () => {
  beforeAll(async () => {
    if (!chromiumPresent) throw new Error(`Chromium is required with CI=true: ${INSTALL_HINT}`);
    const port = await freePort();
    [setup, browser] = await Promise.all([setUpMulesoft({ env: { PORT: String(port) }, client: 'anypoint' }), launchChromium()]);
    const values = setup.mulesoft;
    const intro = values.INTROSPECT_CLIENT as { client_id: string; client_secret: string };
    gateway = await startGateway({
      port: 0,
      introspectionUrl: `${String(values.OKTA_AZ_SERVER_ISSUER)}/v1/introspect`,
      clientId: intro.client_id,
      clientSecret: intro.client_secret,
      allowedClientIds: [setup.authnClientId],
      policies: { 'GET /planets': [SILVER_SCOPE], 'GET /moons': [GOLD_SCOPE] },
      cache: false,
    });
    const written = await runCli('get-settings', ['--mulesoft', '--write-env', '--output-dir', setup.outputDir, '--env-file', setup.envFile], {
      env: { ...setup.env, PROXY_URI: gateway.url },
      cwd: setup.dir,
    });
    if (written.code !== 0) throw new Error(`get-settings --mulesoft --write-env exited ${written.code}: ${written.stderr}`);
    config = await loadAppConfig({ outputDir: setup.outputDir, envFile: setup.envFile, env: {} });
    expect(config.redirectUri).toBe(`http://localhost:${port}`);
    app = await startApp({ config });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await gateway?.close();
    await setup?.close();
    process.stdout.write(`browser tests: ${((Date.now() - started) / 1000).toFixed(1)} s in all (setup included)\n`);
  });

  it('1. before sign-in, "Show me the planets" shows the gateway\'s 400 explained', async () => {
    const { context, page } = await fresh();
    await page.goto(app.url);
    await expect.poll(() => page.locator('#who').innerText()).toBe('Not signed in');
    const result = await press(page, 'Show me the planets');
    expect(result).toContain('400');
    expect(result).toContain('no access token was sent');
    await context.close();
  });

  it('2. silver sign-in through the hosted page: planets 200, moons 403 naming the gold scope', async () => {
    const { context, page } = await fresh();
    await signInAs(page, 'silver');
    expect(await page.locator('#who').innerText()).toContain(user('silver').login);
    expect(await press(page, 'Show me the planets')).toContain('200');
    const moons = await press(page, 'Show me the moons');
    expect(moons).toContain('403');
    expect(moons).toContain(`needs the scope ${GOLD_SCOPE}`);
    expect(moons).toContain(`your token has openid ${SILVER_SCOPE}`);
    await context.close();
  });

  it('3. gold sign-in: planets and moons 200', async () => {
    const { context, page } = await fresh();
    await signInAs(page, 'gold');
    expect(await page.locator('#who').innerText()).toContain('gold');
    expect(await press(page, 'Show me the planets')).toContain('Jupiter');
    expect(await press(page, 'Show me the moons')).toContain('Ganymede');
    await context.close();
  });

  it('4. a silver user choosing the gold panel gets access_denied, explained', async () => {
    const { context, page } = await fresh();
    await signInAs(page, 'gold', 'silver');
    const notice = await page.locator('#notice').innerText();
    expect(notice).toContain('your user is not allowed the gold scope');
    expect(notice).toContain('the gold rule needs the gold group');
    // Okta: a rule matches only when it allows every requested scope (the silver rule does not allow gold, the gold
    // rule needs the gold group), so policy evaluation fails and nothing is issued.
    expect(notice).toContain('access_denied');
    expect(await page.locator('#who').innerText()).toBe('Not signed in');
    await context.close();
  });

  it('5. a wrong password: the hosted page says so, and nothing is issued', async () => {
    const { context, page } = await fresh();
    const tokensBefore = setup.tenant.requestLog.filter((e) => e.path.endsWith('/v1/token')).length;
    await page.goto(app.url);
    await panel(page, 'silver');
    await hostedSignIn(page, user('silver').login, 'not-the-password-1A');
    await expect.poll(() => page.getByText('Unable to sign in').count()).toBeGreaterThan(0);
    expect(page.url().startsWith(setup.tenant.orgUrl)).toBe(true);
    await page.goto(app.url);
    expect(await page.locator('#who').innerText()).toBe('Not signed in');
    expect(setup.tenant.requestLog.filter((e) => e.path.endsWith('/v1/token')).length).toBe(tokensBefore);
    await context.close();
  });

  it('6. log out, then signing in again shows the hosted page, and the Okta session is gone', async () => {
    // Anypoint registered the client without logout URIs: the policy input's APP_LOGOUT_URI added the one Okta
    // redirects to after logout
    expect(setup.policy.APP_LOGOUT_URI).toMatchObject({ client_id: setup.authnClientId, uri: config.redirectUri, post_logout_redirect_uris: [config.redirectUri] });
    const { context, page } = await fresh();
    await signInAs(page, 'silver');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((u) => u.href.startsWith(app.url));
    expect(await page.locator('#who').innerText()).toBe('Not signed in');
    expect(await page.locator('#notice').innerText()).toContain('signed out of the app and of Okta');
    const me = await page.request.get(`${setup.tenant.orgUrl}/api/v1/sessions/me`);
    expect(me.status()).toBe(404);
    await panel(page, 'silver');
    await expect.poll(() => page.url()).toContain(setup.tenant.orgUrl);
    await expect.poll(() => page.getByLabel('Username').count()).toBe(1);
    await context.close();
  });

  it('7. prompt=none without an Okta session gives login_required at the app, explained', async () => {
    const { context, page } = await fresh();
    await page.goto(app.url);
    await panel(page, 'silver', 'session');
    await page.waitForURL((u) => u.href.startsWith(app.url));
    const notice = await page.locator('#notice').innerText();
    expect(notice).toContain('login_required');
    expect(notice).toContain('You have no Okta session');
    await context.close();
  });

  it('8. a user who is not assigned to the client is refused, explained', async () => {
    // A second app: its client is assigned to the gold group only, so the silver user is not assigned to it.
    const org = new Org(setup.tenant.orgUrl, setup.tenant.apiToken);
    const port = await freePort();
    const redirectUri = `http://localhost:${port}`;
    const other = await org.client('Gold-only app', { redirect_uris: [redirectUri], post_logout_redirect_uris: [redirectUri], grant_types: ['authorization_code'] });
    await org.assign(other.clientId, String(setup.mulesoft.GOLD_GROUP_ID));
    const second = await startApp({ config: { ...config, clientId: other.clientId, clientSecret: other.clientSecret, redirectUri } });
    const { context, page } = await fresh();
    try {
      await page.goto(second.url);
      await panel(page, 'silver');
      await hostedSignIn(page, user('silver').login, user('silver').password);
      await page.waitForURL((u) => u.href.startsWith(second.url));
      const notice = await page.locator('#notice').innerText();
      expect(notice).toContain('access_denied');
      expect(notice).toContain('not assigned to this app');
    } finally {
      await context.close();
      await second.close();
    }
  });

  it('the screenshot after a gold sign-in (docs/app.png) shows who, both panels, the buttons, a 200 and both tokens', async () => {
    const { context, page } = await fresh();
    await signInAs(page, 'gold');
    await press(page, 'Show me the planets');
    for (const sel of ['#who', '#gateway', '#level-silver', '#level-gold', '#result', '#id-token', '#access-token']) {
      expect(await page.locator(sel).count(), sel).toBe(1);
    }
    expect(await page.locator('#who').innerText()).toContain('gold');
    expect(await page.locator('#result').innerText()).toContain('200');
    for (const name of ['Show me the planets', 'Show me the moons', 'Log out']) expect(await page.getByRole('button', { name }).count(), name).toBe(1);
    // The same page is photographed on every run (so a page that can no longer be rendered fails here); it replaces the
    // README's docs/app.png only with `npm run screenshot`, so a test run leaves the working tree as it was.
    const target = process.env.OKB_UPDATE_SCREENSHOT === '1' ? join(ROOT, 'docs', 'app.png') : join(await mkdtemp(join(tmpdir(), 'okb-shot-')), 'app.png');
    await page.screenshot({ path: target, fullPage: true });
    expect((await stat(target)).size).toBeGreaterThan(10_000);
    await context.close();
  });
});
