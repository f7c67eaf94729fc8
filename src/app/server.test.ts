/**
 * The app against a real local tenant and the real local gateway, driven over HTTP the way a browser would go
 * (cookies kept by hand, redirects followed one by one), signing in headlessly: the authorize URL the app sends
 * the browser to, plus a sessionToken from /api/v1/authn. The hosted sign-in page itself is covered by the
 * browser tests (test/browser).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalTenant } from '../local-tenant/index.js';
import { startGateway } from '../gateway/index.js';
import { Org, sessionTokenFor } from '../../test/support/oauth-test-org.js';
import { freePort } from '../../test/support/free-port.js';
import { accessLevels, apiResources, type AppConfig } from './config.js';
import { startApp, type RunningApp } from './server.js';
import { COOKIE_NAME } from './session.js';

const SILVER = 'http://myapp.com/scp/silver';
const GOLD = 'http://myapp.com/scp/gold';

/** A browser without a browser: one cookie jar per host, manual redirects. */
class Agent {
  private jar = new Map<string, Map<string, string>>();
  private cookieFor(url: URL): string {
    return [...(this.jar.get(url.host) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async request(method: string, url: string, form?: Record<string, string>): Promise<Response> {
    const u = new URL(url);
    const res = await fetch(u, {
      method,
      redirect: 'manual',
      headers: { cookie: this.cookieFor(u), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = (pair ?? '').indexOf('=');
      if (eq > 0 && pair) {
        const jar = this.jar.get(u.host) ?? new Map<string, string>();
        jar.set(pair.slice(0, eq), pair.slice(eq + 1));
        this.jar.set(u.host, jar);
      }
    }
    return res;
  }
  /** The app session cookie this agent holds for `url`'s host. */
  appCookie(url: string): string | undefined {
    return this.jar.get(new URL(url).host)?.get(COOKIE_NAME);
  }
  async page(url: string): Promise<string> {
    return (await this.request('GET', url)).text();
  }
}

const csrfOf = (page: string) => /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';

let tenant: Awaited<ReturnType<typeof startLocalTenant>>;
let gateway: Awaited<ReturnType<typeof startGateway>>;
let app: RunningApp;
let config: AppConfig;
let serverId = '';
const log: string[] = [];
const users = { silver: 'silver@example.com', gold: 'gold@example.com' };
const PASSWORD = 'Tr0ub4dor&3xyz';

beforeAll(async () => {
  tenant = await startLocalTenant({ port: 0, rateLimits: 'none' });
  const org = new Org(tenant.orgUrl, tenant.apiToken);
  const port = await freePort();
  const redirectUri = `http://localhost:${port}`;
  serverId = await org.server('solar', 'api://solar_system');
  await org.scope(serverId, SILVER);
  await org.scope(serverId, GOLD);
  const silverGroup = await org.group('silver');
  const goldGroup = await org.group('gold');
  await org.user(users.silver, PASSWORD, [silverGroup]);
  await org.user(users.gold, PASSWORD, [goldGroup]);
  const client = await org.client('Solar System Auth', { redirect_uris: [redirectUri], post_logout_redirect_uris: [redirectUri], grant_types: ['authorization_code'] });
  const intro = await org.client('introspection', { application_type: 'service', grant_types: ['client_credentials'], redirect_uris: undefined, response_types: ['token'] });
  const everyone = (await org.ok<{ id: string }[]>('GET', '/api/v1/groups?q=Everyone'))[0]?.id ?? '';
  await org.assign(client.clientId, everyone);
  const policy = await org.policy(serverId, 'app', [client.clientId]);
  await org.rule(serverId, policy, { name: 'gold', priority: 1, groups: [goldGroup], grants: ['authorization_code'], scopes: ['openid', SILVER, GOLD] });
  await org.rule(serverId, policy, { name: 'silver', priority: 2, groups: [silverGroup], grants: ['authorization_code'], scopes: ['openid', SILVER] });
  const issuer = `${tenant.orgUrl}/oauth2/${serverId}`;
  const policies = { 'GET /planets': [SILVER], 'GET /moons': [GOLD] };
  gateway = await startGateway({
    port: 0,
    introspectionUrl: `${issuer}/v1/introspect`,
    clientId: intro.clientId,
    clientSecret: intro.clientSecret,
    allowedClientIds: [client.clientId],
    policies,
    cache: false,
  });
  config = {
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    issuer,
    proxyUri: gateway.url,
    redirectUri,
    gateway: 'mulesoft',
    levels: accessLevels(SILVER, GOLD),
    resources: apiResources(policies),
  };
  app = await startApp({ config, onLog: (l) => log.push(l) });
});

afterAll(async () => {
  await app?.close();
  await gateway?.close();
  await tenant?.close();
});

/** Sign in at `level` as `user`: POST /login → Okta's authorize URL (+ sessionToken) → the app's callback → the page. */
async function signIn(agent: Agent, level: string, user: string): Promise<string> {
  const home = await agent.page(`${app.url}/`);
  const login = await agent.request('POST', `${app.url}/login`, { csrf: csrfOf(home), level });
  expect(login.status).toBe(303);
  const authorize = new URL(login.headers.get('location') ?? '');
  expect(authorize.href.startsWith(`${config.issuer}/v1/authorize`)).toBe(true);
  for (const p of ['state', 'nonce', 'code_challenge']) expect(authorize.searchParams.get(p)).toBeTruthy();
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('redirect_uri')).toBe(config.redirectUri);
  authorize.searchParams.set('sessionToken', await sessionTokenFor(tenant.orgUrl, user, PASSWORD));
  authorize.searchParams.delete('prompt');
  const back = await agent.request('GET', authorize.href);
  expect(back.status).toBe(302);
  const callback = await agent.request('GET', back.headers.get('location') ?? '');
  expect(callback.status).toBe(303);
  expect(callback.headers.get('location')).toBe('/');
  return agent.page(`${app.url}/`);
}

async function call(agent: Agent, resource: string): Promise<string> {
  const page = await agent.page(`${app.url}/`);
  const r = await agent.request('POST', `${app.url}/call`, { csrf: csrfOf(page), resource });
  expect(r.status).toBe(303);
  return agent.page(`${app.url}/`);
}

describe('the sample app', () => {
  it('serves the page with the panels, the buttons, the gateway, a CSP without scripts and a session cookie', async () => {
    const res = await new Agent().request('GET', `${app.url}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE_NAME}=`)) ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const page = await res.text();
    expect(page).not.toMatch(/<script/i);
    for (const text of ['Silver access', 'Gold access', 'Show me the planets', 'Show me the moons', 'Not signed in', gateway.url, SILVER, GOLD]) expect(page).toContain(text);
  });

  it('refuses a POST without the CSRF token, or with another session\'s', async () => {
    const a = new Agent();
    await a.page(`${app.url}/`);
    expect((await a.request('POST', `${app.url}/call`, { resource: 'planets' })).status).toBe(403);
    const other = csrfOf(await new Agent().page(`${app.url}/`));
    expect((await a.request('POST', `${app.url}/call`, { resource: 'planets', csrf: other })).status).toBe(403);
  });

  it('before sign-in, the planets answer is the gateway\'s 400, explained', async () => {
    const page = await call(new Agent(), 'planets');
    expect(page).toContain('400');
    expect(page).toContain('no access token was sent');
  });

  it('silver: planets 200, moons 403 naming the gold scope and the token\'s scopes; claims shown; logout ends it', async () => {
    const a = new Agent();
    const page = await signIn(a, 'silver', users.silver);
    expect(page).toContain('Signed in as');
    expect(page).toContain(users.silver);
    expect(page).toContain('ID token claims');
    expect(page).toContain('Access token claims');
    expect(await call(a, 'planets')).toContain('Jupiter');
    const moons = await call(a, 'moons');
    expect(moons).toContain('403');
    expect(moons).toContain(`/moons needs the scope ${GOLD}; your token has openid ${SILVER}`);
    const csrf = csrfOf(await a.page(`${app.url}/`));
    const out = await a.request('POST', `${app.url}/logout`, { csrf });
    expect(out.status).toBe(303);
    const discovery = (await (await fetch(`${config.issuer}/.well-known/openid-configuration`)).json()) as { end_session_endpoint?: string };
    const location = out.headers.get('location') ?? '';
    if (discovery.end_session_endpoint) {
      const end = new URL(location);
      expect(end.href.startsWith(discovery.end_session_endpoint)).toBe(true);
      expect(end.searchParams.get('id_token_hint')).toBeTruthy();
      expect(end.searchParams.get('post_logout_redirect_uri')).toBe(config.redirectUri);
      expect(end.searchParams.get('state')).toBeTruthy();
    } else {
      expect(location).toBe('/');
    }
    expect(await a.page(`${app.url}/`)).toContain('Not signed in');
  });

  it('a new session id after sign-in (the one from before is dead); logout returns with its state to "Signed out"', async () => {
    const a = new Agent();
    await a.page(`${app.url}/`);
    const before = a.appCookie(app.url);
    await signIn(a, 'silver', users.silver);
    const after = a.appCookie(app.url);
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
    const stale = await fetch(`${app.url}/`, { headers: { cookie: `${COOKIE_NAME}=${before ?? ''}` } });
    expect(await stale.text()).toContain('Not signed in');
    const out = await a.request('POST', `${app.url}/logout`, { csrf: csrfOf(await a.page(`${app.url}/`)) });
    const location = out.headers.get('location') ?? '';
    if (location !== '/') {
      const state = new URL(location).searchParams.get('state') ?? '';
      await a.request('GET', `${config.redirectUri}/?state=${encodeURIComponent(state)}`);
      expect(await a.page(`${app.url}/`)).toContain('You are signed out of the app and of Okta.');
    }
  });

  it('gold: both resources 200', async () => {
    const a = new Agent();
    const page = await signIn(a, 'gold', users.gold);
    expect(page).toContain('· gold');
    expect(await call(a, 'planets')).toContain('Saturn');
    expect(await call(a, 'moons')).toContain('Ganymede');
  });

  it('an error in the authorization response is explained; a state that is not ours is refused', async () => {
    const a = new Agent();
    const home = await a.page(`${app.url}/`);
    const login = await a.request('POST', `${app.url}/login`, { csrf: csrfOf(home), level: 'gold', prompt: 'none' });
    const authorize = new URL(login.headers.get('location') ?? '');
    expect(authorize.searchParams.get('prompt')).toBe('none');
    const state = authorize.searchParams.get('state') ?? '';
    await a.request('GET', `${config.redirectUri}/?error=access_denied&error_description=${encodeURIComponent('Policy evaluation failed for this request, please check the policy configurations.')}&state=${state}`);
    const page = await a.page(`${app.url}/`);
    expect(page).toContain('your user is not allowed the gold scope');
    expect(page).toContain('the gold rule needs the gold group');
    await a.request('GET', `${config.redirectUri}/?code=abc&state=not-mine`);
    expect(await a.page(`${app.url}/`)).toContain('state mismatch');
  });

  it('logs each request without query strings or tokens', () => {
    expect(log.length).toBeGreaterThan(5);
    expect(log.some((l) => /^GET \/ 303 \d+ms$/.test(l))).toBe(true);
    expect(log.join('\n')).not.toMatch(/code=|state=|eyJ/);
  });
});
