/**
 * The hosted pages through the tenant's HTTP server (fastify inject, with a small cookie jar standing in for the
 * browser): the sign-in page and its form, sessions (prompt, max_age, /api/v1/sessions/me), logout, consent and
 * the error pages. The real-browser runs are in the sample app's tests.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import { addApp, addGroup, addPolicy, addScopes, addUser } from '../../../test/support/oauth-test-fixture.js';
import { s256Challenge } from '../oauth/pkce.js';
import { buildTenantServer } from '../server.js';
import { findAuthServer, openStore, type TenantStore } from '../store.js';
import type { LocalTenantOptions } from '../types.js';
import { CONSENT_DENIED } from '../oauth/actions/authorization/consent.js';
import { CSRF_FAILED, TRANSACTION_UNKNOWN } from '../oauth/actions/authorization/forms.js';
import { NOT_LOGGED_IN } from '../oauth/actions/authorization/index.js';
import { LOGOUT_URI_NOT_REGISTERED } from '../oauth/actions/logout.js';
import { BROWSER_ROUTES } from './routes.js';

const CB = 'http://localhost:8080/callback';
const VERIFIER = 'v'.repeat(43);
const HOSTILE = `<script>alert("x")</script>&'`;

let store: TenantStore;
let app: FastifyInstance;
let now: number;

async function tenant(options: LocalTenantOptions = {}): Promise<void> {
  store = await openStore();
  now = Date.UTC(2026, 5, 1, 12, 0, 0);
  app = buildTenantServer(store, { rateLimits: 'none', clock: () => now, ...options }).app;
  await addGroup(store, '00gSilver', 'Silver');
  await addUser(store, '00uAlice', 'alice@example.com', 'Passw0rdAlice', ['00gSilver']);
  await addUser(store, '00uLocked', 'locked@example.com', 'Passw0rdLocked', ['00gSilver'], 'LOCKED_OUT');
  await addUser(store, '00uSusp', 'suspended@example.com', 'Passw0rdSusp', ['00gSilver'], 'SUSPENDED');
  await addApp(store, '0oaWeb', { redirectUris: [CB], postLogoutRedirectUris: ['http://localhost:8080/'] }, ['00gSilver']);
  await addScopes(store, 'default', ['api:read']);
  await store.mutate((s) => {
    const server = findAuthServer(s, 'default');
    if (server) {
      server.scopes.scpConsent = { ...(server.scopes['scpapi:read'] ?? { id: '', name: '', consent: 'IMPLICIT', default: false, optional: false, system: false, metadataPublish: 'NO_CLIENTS', created: '', lastUpdated: '' }), id: 'scpConsent', name: 'api:consent', displayName: 'Read <your> planets', description: 'See the planets', consent: 'REQUIRED' };
    }
  });
  await addPolicy(store, 'default', { id: '00pWeb', clients: ['0oaWeb'], rules: [{ id: '0prWeb', groups: ['00gSilver'], scopes: ['*'] }] });
}

/** The browser: a cookie jar over inject. */
class Browser {
  readonly jar = new Map<string, string>();
  last?: LightMyRequestResponse;

  private cookieHeader(): Record<string, string> {
    return this.jar.size > 0 ? { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }

  private keep(r: LightMyRequestResponse): LightMyRequestResponse {
    const raw = r.headers['set-cookie'];
    for (const c of raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      if (/Max-Age=0/i.test(c)) this.jar.delete(name);
      else this.jar.set(name, pair.slice(eq + 1));
    }
    this.last = r;
    return r;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.keep(await app.inject({ method: 'GET', url, headers: this.cookieHeader() }));
  }

  async post(url: string, form: Record<string, string>): Promise<LightMyRequestResponse> {
    return this.keep(await app.inject({ method: 'POST', url, headers: { ...this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() }));
  }

  async delete(url: string): Promise<LightMyRequestResponse> {
    return this.keep(await app.inject({ method: 'DELETE', url, headers: this.cookieHeader() }));
  }
}

function authorizeUrl(over: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    client_id: '0oaWeb', redirect_uri: CB, response_type: 'code', scope: 'openid api:read', state: 'st-1', nonce: 'n-1',
    code_challenge: s256Challenge(VERIFIER), code_challenge_method: 'S256', ...over,
  });
  return `/oauth2/default/v1/authorize?${q.toString()}`;
}

/** The hidden fields and the action of the page's form. */
function formOf(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form method="post" action="([^"]*)"/.exec(html)?.[1] ?? '';
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields[m[1] ?? ''] = m[2] ?? '';
  return { action, fields };
}

/** The text of the page, tags removed and entities decoded. */
const textOf = (html: string): string =>
  html.replace(/<style>[^<]*<\/style>/g, '').replace(/<[^>]*>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();

function redirect(r: LightMyRequestResponse): URL {
  expect(r.statusCode).toBe(302);
  return new URL(String(r.headers.location));
}

async function signIn(b: Browser, username: string, password: string, url = authorizeUrl()): Promise<LightMyRequestResponse> {
  const page = await b.get(url);
  expect(page.statusCode).toBe(200);
  const { action, fields } = formOf(page.body);
  return b.post(action, { ...fields, username, password });
}

async function tokens(code: string): Promise<{ id_token: string; access_token: string }> {
  const r = await app.inject({
    method: 'POST', url: '/oauth2/default/v1/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('0oaWeb:0oaWeb-secret').toString('base64')}` },
    payload: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CB, code_verifier: VERIFIER }).toString(),
  });
  expect(r.statusCode).toBe(200);
  return r.json();
}

describe('the sign-in page', () => {
  beforeEach(async () => tenant({ orgName: 'Solar Org' }));

  it('has Username, Password, Sign in and the org name, no script, and the security headers', async () => {
    const r = await new Browser().get(authorizeUrl());
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toMatch(/<label for="okta-signin-username">Username<\/label>/);
    expect(r.body).toMatch(/<label for="okta-signin-password">Password<\/label>/);
    expect(r.body).toMatch(/<button type="submit" id="okta-signin-submit">Sign in<\/button>/);
    expect(r.body).toContain('<h1 class="org">Solar Org</h1>');
    expect(r.body).not.toMatch(/<script|onload=|javascript:/i);
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self' http://localhost:8080");
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('the right credentials: a session cookie (HttpOnly, SameSite=Lax, host-only), then the code and state; the tokens work', async () => {
    const b = new Browser();
    const r = await signIn(b, 'alice@example.com', 'Passw0rdAlice');
    const url = redirect(r);
    expect(`${url.origin}${url.pathname}`).toBe(CB);
    expect(url.searchParams.get('state')).toBe('st-1');
    const cookies = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
    const sid = cookies.find((c) => c.startsWith('sid='));
    expect(sid).toMatch(/^sid=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(sid).not.toMatch(/Domain=/i);
    const t = await tokens(url.searchParams.get('code') ?? '');
    const claims = JSON.parse(Buffer.from(t.id_token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect([claims.sub, claims.nonce, claims.auth_time]).toEqual(['00uAlice', 'n-1', Math.floor(now / 1000)]);
  });

  it('wrong credentials: the page again with "Unable to sign in", nothing issued, no session', async () => {
    const b = new Browser();
    const r = await signIn(b, 'alice@example.com', 'wrong');
    expect(r.statusCode).toBe(200);
    expect(textOf(r.body)).toContain('Unable to sign in');
    expect(r.body).toContain('value="alice@example.com"');
    expect(b.jar.has('sid')).toBe(false);
    // The new form works (a fresh transaction and CSRF token).
    const { action, fields } = formOf(r.body);
    expect(redirect(await b.post(action, { ...fields, username: 'alice', password: 'Passw0rdAlice' })).searchParams.get('code')).toBeTruthy();
  });

  it('a locked user gets Okta’s locked message; a suspended one "Unable to sign in"', async () => {
    expect(textOf((await signIn(new Browser(), 'locked@example.com', 'Passw0rdLocked')).body)).toContain('Your account is locked. Please contact your administrator.');
    const susp = textOf((await signIn(new Browser(), 'suspended@example.com', 'Passw0rdSusp')).body);
    expect(susp).toContain('Unable to sign in');
    expect(susp).not.toContain('locked');
  });

  it('the CSRF token, the browser cookie and a live transaction are required', async () => {
    const b = new Browser();
    const page = await b.get(authorizeUrl());
    const { action, fields } = formOf(page.body);
    const creds = { username: 'alice@example.com', password: 'Passw0rdAlice' };
    const noToken = await b.post(action, { stateToken: fields.stateToken ?? '', ...creds });
    expect([noToken.statusCode, textOf(noToken.body).includes(CSRF_FAILED)]).toEqual([403, true]);
    const wrongToken = await b.post(action, { ...fields, _xsrfToken: 'x'.repeat(32), ...creds });
    expect(wrongToken.statusCode).toBe(403);
    const otherBrowser = new Browser();
    const noCookie = await otherBrowser.post(action, { ...fields, ...creds });
    expect([noCookie.statusCode, otherBrowser.jar.has('sid')]).toEqual([403, false]);
    const unknown = await b.post(action, { ...fields, stateToken: 'nope', ...creds });
    expect([unknown.statusCode, textOf(unknown.body).includes(TRANSACTION_UNKNOWN)]).toEqual([400, true]);
    expect(b.jar.has('sid')).toBe(false);
    // The untouched form still works once; then the transaction is spent.
    expect(redirect(await b.post(action, { ...fields, ...creds })).searchParams.get('code')).toBeTruthy();
    expect((await b.post(action, { ...fields, ...creds })).statusCode).toBe(400);
  });

  it('a transaction expires after 10 minutes', async () => {
    const b = new Browser();
    const { action, fields } = formOf((await b.get(authorizeUrl())).body);
    now += 601_000;
    expect((await b.post(action, { ...fields, username: 'alice@example.com', password: 'Passw0rdAlice' })).statusCode).toBe(400);
  });
});

describe('escaping', () => {
  beforeEach(async () => tenant({ orgName: HOSTILE }));

  it('a hostile org name and login are escaped everywhere', async () => {
    const b = new Browser();
    const first = await b.get(authorizeUrl());
    const again = await signIn(b, `"><script>alert(1)</script>`, 'x');
    for (const body of [first.body, again.body]) {
      expect(body).not.toMatch(/<script/i);
      expect(body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
    }
    expect(again.body).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(textOf(again.body)).toContain(HOSTILE);
  });
});

describe('sessions', () => {
  beforeEach(async () => tenant());

  it('a second authorize within the session skips the page; prompt=login forces it; prompt=none uses the session', async () => {
    const b = new Browser();
    redirect(await signIn(b, 'alice@example.com', 'Passw0rdAlice'));
    expect(redirect(await b.get(authorizeUrl({ state: 'st-2' }))).searchParams.get('state')).toBe('st-2');
    expect(redirect(await b.get(authorizeUrl({ prompt: 'none' }))).searchParams.get('code')).toBeTruthy();
    const forced = await b.get(authorizeUrl({ prompt: 'login' }));
    expect([forced.statusCode, forced.body.includes('okta-signin-submit')]).toEqual([200, true]);
    // Signing in on the forced page goes on (prompt=login is satisfied by the fresh sign-in).
    const { action, fields } = formOf(forced.body);
    expect(redirect(await b.post(action, { ...fields, username: 'alice@example.com', password: 'Passw0rdAlice' })).searchParams.get('code')).toBeTruthy();
  });

  it('POST /authorize reads the session cookie as GET does', async () => {
    const b = new Browser();
    redirect(await signIn(b, 'alice@example.com', 'Passw0rdAlice'));
    const form = Object.fromEntries(new URL(`http://x${authorizeUrl({ state: 'posted' })}`).searchParams);
    expect(redirect(await b.post('/oauth2/default/v1/authorize', form)).searchParams.get('state')).toBe('posted');
    expect((await new Browser().post('/oauth2/default/v1/authorize', form)).body).toContain('okta-signin-submit');
  });

  it('prompt=none without a session: login_required, and only then', async () => {
    const u = redirect(await new Browser().get(authorizeUrl({ prompt: 'none' })));
    expect([u.searchParams.get('error'), u.searchParams.get('error_description'), u.searchParams.get('state')]).toEqual(['login_required', NOT_LOGGED_IN, 'st-1']);
    expect((await new Browser().get(authorizeUrl())).statusCode).toBe(200);
  });

  it('max_age: a session older than max_age asks again, a younger one does not; auth_time is the sign-in time', async () => {
    const b = new Browser();
    const signedInAt = Math.floor(now / 1000);
    redirect(await signIn(b, 'alice@example.com', 'Passw0rdAlice'));
    now += 120_000;
    expect((await b.get(authorizeUrl({ max_age: '60' }))).statusCode).toBe(200);
    const code = redirect(await b.get(authorizeUrl({ max_age: '600' }))).searchParams.get('code') ?? '';
    const claims = JSON.parse(Buffer.from((await tokens(code)).id_token.split('.')[1] ?? '', 'base64url').toString()) as { auth_time: number };
    expect(claims.auth_time).toBe(signedInAt);
    expect(redirect(await b.get(authorizeUrl({ max_age: '60', prompt: 'none' }))).searchParams.get('error')).toBe('login_required');
  });

  it('the session idles out after 2 hours without use', async () => {
    const b = new Browser();
    redirect(await signIn(b, 'alice@example.com', 'Passw0rdAlice'));
    now += 7_199_000;
    expect(redirect(await b.get(authorizeUrl())).searchParams.get('code')).toBeTruthy(); // extends it
    now += 7_199_000;
    expect((await b.get('/api/v1/sessions/me')).statusCode).toBe(200);
    now += 7_201_000;
    expect((await b.get(authorizeUrl())).statusCode).toBe(200);
  });

  it('a sessionToken on /authorize starts a session too', async () => {
    const authn = await app.inject({ method: 'POST', url: '/api/v1/authn', payload: { username: 'alice@example.com', password: 'Passw0rdAlice' } });
    const sessionToken = String(authn.json<{ sessionToken: string }>().sessionToken);
    const b = new Browser();
    expect(redirect(await b.get(authorizeUrl({ sessionToken }))).searchParams.get('code')).toBeTruthy();
    expect(b.jar.has('sid')).toBe(true);
    expect(redirect(await b.get(authorizeUrl())).searchParams.get('code')).toBeTruthy();
  });

  it('GET /api/v1/sessions/me answers the session; DELETE ends it; both 404 without one', async () => {
    const b = new Browser();
    const none = await b.get('/api/v1/sessions/me');
    expect([none.statusCode, none.json<{ errorCode: string }>().errorCode]).toEqual([404, 'E0000007']);
    redirect(await signIn(b, 'alice@example.com', 'Passw0rdAlice'));
    const me = await b.get('/api/v1/sessions/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ userId: '00uAlice', login: 'alice@example.com', status: 'ACTIVE', amr: ['pwd'], createdAt: new Date(Math.floor(now / 1000) * 1000).toISOString() });
    expect(me.json<{ id: string }>().id).toMatch(/^102/);
    const del = await b.delete('/api/v1/sessions/me');
    expect(del.statusCode).toBe(204);
    expect(String(del.headers['set-cookie'])).toMatch(/^sid=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/);
    expect((await b.get('/api/v1/sessions/me')).statusCode).toBe(404);
    expect((await b.delete('/api/v1/sessions/me')).statusCode).toBe(404);
    expect((await b.get(authorizeUrl())).statusCode).toBe(200);
  });

  it('the browser routes need no API token', async () => {
    const b = new Browser();
    for (const r of BROWSER_ROUTES) {
      const [method = '', path = ''] = r.split(' ');
      const url = path.replace(':authServerId', 'default');
      const res = await app.inject({ method: method as 'GET' | 'POST' | 'DELETE', url, ...(method === 'POST' ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' } : {}) });
      expect([r, res.statusCode === 401]).toEqual([r, false]);
    }
    expect(b.jar.size).toBe(0);
  });
});

describe('logout', () => {
  beforeEach(async () => tenant());

  async function signedIn(): Promise<{ b: Browser; idToken: string }> {
    const b = new Browser();
    const code = redirect(await signIn(b, 'alice@example.com', 'Passw0rdAlice')).searchParams.get('code') ?? '';
    return { b, idToken: (await tokens(code)).id_token };
  }
  const logoutUrl = (q: Record<string, string>): string => `/oauth2/default/v1/logout?${new URLSearchParams(q).toString()}`;

  it('is in discovery as end_session_endpoint', async () => {
    const m = (await app.inject({ method: 'GET', url: '/oauth2/default/.well-known/openid-configuration' })).json<Record<string, unknown>>();
    expect(m.end_session_endpoint).toBe(`${String(m.issuer)}/v1/logout`);
  });

  it('a registered post_logout_redirect_uri: the session ends, the browser goes there with state', async () => {
    const { b, idToken } = await signedIn();
    const r = await b.get(logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: 'http://localhost:8080/', state: 'bye' }));
    expect(redirect(r).toString()).toBe('http://localhost:8080/?state=bye');
    expect(b.jar.has('sid')).toBe(false);
    expect((await b.get('/api/v1/sessions/me')).statusCode).toBe(404);
    expect((await b.get(authorizeUrl())).statusCode).toBe(200);
  });

  it('an expired ID token still signs out', async () => {
    const { b, idToken } = await signedIn();
    now += 2 * 3600_000 - 1000;
    expect(redirect(await b.get(logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: 'http://localhost:8080/' }))).origin).toBe('http://localhost:8080');
    expect((await b.get('/api/v1/sessions/me')).statusCode).toBe(404);
  });

  it('an unregistered URI, a bad or missing id_token_hint: an error page, and the session stays', async () => {
    const { b, idToken } = await signedIn();
    const evil = await b.get(logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: 'http://evil.example/' }));
    expect([evil.statusCode, evil.headers.location, textOf(evil.body).includes(LOGOUT_URI_NOT_REGISTERED)]).toEqual([400, undefined, true]);
    const forged = `${idToken.slice(0, -4)}AAAA`;
    expect((await b.get(logoutUrl({ id_token_hint: forged, post_logout_redirect_uri: 'http://localhost:8080/' }))).statusCode).toBe(400);
    expect((await b.get(logoutUrl({ post_logout_redirect_uri: 'http://localhost:8080/' }))).statusCode).toBe(400);
    expect((await b.get('/api/v1/sessions/me')).statusCode).toBe(200);
  });

  it('without post_logout_redirect_uri: a signed-out page', async () => {
    const { b, idToken } = await signedIn();
    const r = await b.get(logoutUrl({ id_token_hint: idToken }));
    expect([r.statusCode, textOf(r.body).includes('Signed out')]).toEqual([200, true]);
    expect((await b.get('/api/v1/sessions/me')).statusCode).toBe(404);
  });

  it('DCR accepts and echoes post_logout_redirect_uris', async () => {
    const token = store.read().apiToken;
    const r = await app.inject({
      method: 'POST', url: '/oauth2/v1/clients', headers: { authorization: `SSWS ${token}` },
      payload: { client_name: 'App', application_type: 'web', redirect_uris: [CB], post_logout_redirect_uris: ['http://localhost:8080/'], response_types: ['code'], grant_types: ['authorization_code'] },
    });
    expect([r.statusCode, r.json<Record<string, unknown>>().post_logout_redirect_uris]).toEqual([201, ['http://localhost:8080/']]);
  });
});

describe('consent', () => {
  beforeEach(async () => tenant());
  const consentUrl = (over: Record<string, string> = {}): string => authorizeUrl({ scope: 'openid api:consent', ...over });

  it('a REQUIRED scope: the consent page lists it; Don’t allow → access_denied; Allow → the code; then it is not asked again', async () => {
    const b = new Browser();
    const page = await signIn(b, 'alice@example.com', 'Passw0rdAlice', consentUrl());
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('0oaWeb would like to:');
    expect(text).toContain('Read <your> planets');
    expect(text).toContain('api:consent');
    expect(text).not.toContain('openid'); // IMPLICIT system scope: not asked
    expect(page.body).toMatch(/<button type="submit" name="consent" value="allow"[^>]*>Allow<\/button>/);
    expect(page.body).toMatch(/<button type="submit" name="consent" value="deny"[^>]*>Don't allow<\/button>/);
    const { action, fields } = formOf(page.body);
    const denied = redirect(await b.post(action, { ...fields, consent: 'deny' }));
    expect([denied.searchParams.get('error'), denied.searchParams.get('error_description'), denied.searchParams.get('state')]).toEqual(['access_denied', CONSENT_DENIED, 'st-1']);

    const again = await b.get(consentUrl()); // signed in: straight to consent
    const form = formOf(again.body);
    expect(form.action).toBe('/login/consent');
    const ok = redirect(await b.post(form.action, { ...form.fields, consent: 'allow' }));
    expect(ok.searchParams.get('code')).toBeTruthy();
    expect((await tokens(ok.searchParams.get('code') ?? '')).access_token).toBeTruthy();

    expect(redirect(await b.get(consentUrl())).searchParams.get('code')).toBeTruthy();
    expect((await b.get(consentUrl({ prompt: 'consent' }))).body).toContain('/login/consent');
  });

  it('the consent form needs its CSRF token; prompt=none without a grant: consent_required', async () => {
    const b = new Browser();
    const page = await signIn(b, 'alice@example.com', 'Passw0rdAlice', consentUrl());
    const { action, fields } = formOf(page.body);
    expect((await b.post(action, { stateToken: fields.stateToken ?? '', consent: 'allow' })).statusCode).toBe(403);
    expect(redirect(await b.get(consentUrl({ prompt: 'none' }))).searchParams.get('error')).toBe('consent_required');
  });

  it('an IMPLICIT scope asks nothing', async () => {
    expect(redirect(await signIn(new Browser(), 'alice@example.com', 'Passw0rdAlice')).searchParams.get('code')).toBeTruthy();
  });
});

describe('error pages: what must not be redirected', () => {
  beforeEach(async () => tenant());

  it.each([
    ['an unknown client_id', { client_id: '0oaNope' }, 'invalid_client', "Invalid value for 'client_id' parameter."],
    ['a redirect_uri the client does not have', { redirect_uri: 'http://evil.example/cb' }, 'invalid_request', "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings."],
  ])('%s: an HTML 400 page naming it', async (_what, over, code, description) => {
    const r = await new Browser().get(authorizeUrl(over));
    expect([r.statusCode, r.headers.location, r.headers['content-type'], r.headers['x-frame-options']]).toEqual([400, undefined, 'text/html; charset=utf-8', 'DENY']);
    const text = textOf(r.body);
    expect(text).toContain('400 Bad Request');
    expect(text).toContain(`Error Code ${code}`);
    expect(text).toContain(`Description ${description}`);
  });
});
