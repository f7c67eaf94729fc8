import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { OktaHttpError } from '../errors.js';
import { findAuthServer, openStore, type TenantStore } from '../store.js';
import { MULTIPLE_CREDENTIALS, NO_CREDENTIALS } from './client-auth.js';
import { s256Challenge } from './pkce.js';
import { POLICY_FAILED, SCOPES_NOT_CONFIGURED } from './policy.js';
import { addApp, addGroup, addPolicy, addScopes, addUser } from '../../../test/support/oauth-test-fixture.js';
import { authn } from '../authn/authn.js';
import { NOT_ASSIGNED } from './access.js';
import { INVALID_CODE } from './actions/grants/authorization-code.js';
import type { OAuthResult } from './provider.js';
import { OAuthService } from './service.js';

const ORG = 'http://127.0.0.1:9999';
const basic = (id: string, secret = `${id}-secret`) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const VERIFIER = 'a'.repeat(20) + '-._~' + 'B'.repeat(30);

async function rejects(p: Promise<unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof OktaHttpError) return { status: e.status, body: e.body as unknown as Record<string, unknown> };
    throw e;
  }
  throw new Error('expected a rejection');
}

function redirectParams(r: OAuthResult): URLSearchParams {
  expect(r.status).toBe(302);
  const url = new URL(r.headers.location ?? '');
  return url.hash ? new URLSearchParams(url.hash.slice(1)) : url.searchParams;
}

describe('OAuthService', () => {
  let store: TenantStore;
  let svc: OAuthService;
  let now: number;

  beforeEach(async () => {
    store = await openStore();
    now = Date.UTC(2026, 5, 1, 12, 0, 0);
    svc = new OAuthService({ store, orgUrl: () => ORG, now: () => now });
    await addGroup(store, '00gSilver', 'Silver');
    await addUser(store, '00uAlice', 'alice@example.com', 'Passw0rdAlice', ['00gSilver']);
    await addUser(store, '00uBob', 'bob@example.com', 'Passw0rdBob', []);
    await addUser(store, '00uCarl', 'carl@example.com', 'Passw0rdCarl', ['00gSilver'], 'SUSPENDED');
    await addApp(store, '0oaWeb', {}, ['00gSilver']);
    await addScopes(store, 'default', ['api:read', 'api:write']);
    await addPolicy(store, 'default', { id: '00pMain', clients: ['0oaWeb'], rules: [{ id: '0prSilver', groups: ['00gSilver'], scopes: ['api:read', 'openid', 'profile', 'email', 'offline_access'], minutes: 30 }] });
  });

  async function session(login = 'alice@example.com', password = 'Passw0rdAlice'): Promise<string> {
    const r = await authn(svc.provider, { username: login, password });
    return (r.body as { sessionToken: string }).sessionToken;
  }

  async function codeFor(scope: string, extra: Record<string, string> = {}): Promise<URLSearchParams> {
    const sessionToken = await session();
    return redirectParams(
      await svc.authorize('default', {
        client_id: '0oaWeb', redirect_uri: 'http://localhost/cb', response_type: 'code', scope, state: 's1',
        code_challenge: s256Challenge(VERIFIER), code_challenge_method: 'S256', sessionToken, ...extra,
      }),
    );
  }

  it('serves metadata with the issuer, the org-level registration endpoint and S256', () => {
    const m = svc.metadata('default', 'openid-configuration').body as Record<string, unknown>;
    expect(m).toMatchObject({
      issuer: `${ORG}/oauth2/default`, registration_endpoint: `${ORG}/oauth2/v1/clients`, jwks_uri: `${ORG}/oauth2/default/v1/keys`,
      code_challenge_methods_supported: ['S256'], userinfo_endpoint: `${ORG}/oauth2/default/v1/userinfo`,
    });
    expect(svc.metadata('default', 'oauth-authorization-server').body).not.toHaveProperty('userinfo_endpoint');
    expect(() => svc.metadata('ausNope', 'openid-configuration')).toThrow(OktaHttpError);
  });

  it('client_credentials: a signed access token with Okta claims, introspection and revocation', async () => {
    const r = await svc.token('default', { grant_type: 'client_credentials', scope: 'api:read' }, basic('0oaWeb'));
    const body = r.body as Record<string, string | number>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 1800, scope: 'api:read' });
    const keys = (await svc.keys('default')).body as { keys: [] };
    const { payload, protectedHeader } = await jwtVerify(String(body.access_token), createLocalJWKSet(keys), { issuer: `${ORG}/oauth2/default`, audience: 'api://default', currentDate: new Date(now) });
    expect(protectedHeader.kid).toBe(findAuthServer(store.read(), 'default')?.kid);
    expect(payload).toMatchObject({ ver: 1, cid: '0oaWeb', sub: '0oaWeb', scp: ['api:read'], aud: 'api://default', exp: now / 1000 + 1800 });
    expect(String(payload.jti)).toMatch(/^AT\./);
    expect(payload).not.toHaveProperty('uid');
    const intro = await svc.introspect('default', { token: String(body.access_token) }, basic('0oaWeb'));
    expect(intro.body).toMatchObject({ active: true, client_id: '0oaWeb', sub: '0oaWeb', aud: 'api://default', scope: 'api:read', token_type: 'Bearer' });
    expect(intro.body).not.toHaveProperty('uid');
    await svc.revoke('default', { token: String(body.access_token) }, basic('0oaWeb'));
    expect((await svc.introspect('default', { token: String(body.access_token) }, basic('0oaWeb'))).body).toEqual({ active: false });
  });

  it('expired tokens are inactive', async () => {
    const r = await svc.token('default', { grant_type: 'client_credentials', scope: 'api:read' }, basic('0oaWeb'));
    now += 1800_000;
    const intro = await svc.introspect('default', { token: String((r.body as Record<string, unknown>).access_token) }, basic('0oaWeb'));
    expect(intro.body).toEqual({ active: false });
  });

  it('client authentication errors', async () => {
    const form = { grant_type: 'client_credentials', scope: 'api:read' };
    expect(await rejects(svc.token('default', form, undefined))).toEqual({ status: 401, body: { error: 'invalid_client', error_description: NO_CREDENTIALS } });
    expect((await rejects(svc.token('default', { ...form, client_id: '0oaWeb', client_secret: '0oaWeb-secret' }, basic('0oaWeb')))).body).toEqual({ error: 'invalid_request', error_description: MULTIPLE_CREDENTIALS });
    expect((await rejects(svc.token('default', form, basic('0oaWeb', 'wrong')))).status).toBe(401);
    expect((await rejects(svc.token('default', form, basic('0oaNope')))).body.error).toBe('invalid_client');
    const post = await svc.token('default', { ...form, client_id: '0oaWeb', client_secret: '0oaWeb-secret' }, undefined);
    expect(post.status).toBe(200);
  });

  it('refuses unknown scopes and policy failures', async () => {
    expect((await rejects(svc.token('default', { grant_type: 'client_credentials', scope: 'nope' }, basic('0oaWeb')))).body).toEqual({ error: 'invalid_scope', error_description: SCOPES_NOT_CONFIGURED });
    expect((await rejects(svc.token('default', { grant_type: 'client_credentials', scope: 'api:write' }, basic('0oaWeb')))).body).toEqual({ error: 'access_denied', error_description: POLICY_FAILED });
  });

  it('authorization code with PKCE through a sessionToken, ID token, refresh, userinfo', async () => {
    const q = await codeFor('openid profile email api:read offline_access', { nonce: 'n-1' });
    expect(q.get('state')).toBe('s1');
    const code = q.get('code') ?? '';
    const form = { grant_type: 'authorization_code', code, redirect_uri: 'http://localhost/cb', code_verifier: VERIFIER };
    const t = (await svc.token('default', form, basic('0oaWeb'))).body as Record<string, string>;
    expect(t.scope).toBe('openid profile email api:read offline_access');
    const at = decodeJwt(t.access_token ?? '');
    expect(at).toMatchObject({ uid: '00uAlice', sub: 'alice@example.com', cid: '0oaWeb' });
    const id = decodeJwt(t.id_token ?? '');
    expect(id).toMatchObject({ sub: '00uAlice', aud: '0oaWeb', nonce: 'n-1', preferred_username: 'alice@example.com', email: 'alice@example.com' });
    expect(t.refresh_token).toBeTruthy();
    // the code is one-time
    expect((await rejects(svc.token('default', form, basic('0oaWeb')))).body).toEqual({ error: 'invalid_grant', error_description: INVALID_CODE });
    const intro = (await svc.introspect('default', { token: t.access_token ?? '' }, basic('0oaWeb'))).body;
    expect(intro).toMatchObject({ active: true, uid: '00uAlice', username: 'alice@example.com', sub: 'alice@example.com' });
    const ui = await svc.userinfo('default', `Bearer ${t.access_token}`);
    expect(ui.body).toMatchObject({ sub: '00uAlice', email: 'alice@example.com', preferred_username: 'alice@example.com' });
    // refresh, narrowed
    const rf = (await svc.token('default', { grant_type: 'refresh_token', refresh_token: t.refresh_token ?? '', scope: 'api:read offline_access' }, basic('0oaWeb'))).body as Record<string, string>;
    expect(rf).toMatchObject({ scope: 'api:read offline_access', refresh_token: t.refresh_token });
    expect(rf).not.toHaveProperty('id_token');
    expect((await rejects(svc.token('default', { grant_type: 'refresh_token', refresh_token: t.refresh_token ?? '', scope: 'api:write' }, basic('0oaWeb')))).body.error).toBe('invalid_scope');
    // revoking the refresh token revokes it and the access tokens minted with it
    await svc.revoke('default', { token: t.refresh_token ?? '' }, basic('0oaWeb'));
    expect((await rejects(svc.token('default', { grant_type: 'refresh_token', refresh_token: t.refresh_token ?? '' }, basic('0oaWeb')))).body.error).toBe('invalid_grant');
    expect((await svc.introspect('default', { token: rf.access_token ?? '' }, basic('0oaWeb'))).body).toEqual({ active: false });
    expect((await svc.userinfo('default', `Bearer ${rf.access_token}`)).status).toBe(401);
  });

  it('PKCE, redirect_uri and expiry are enforced at the token endpoint', async () => {
    const c1 = (await codeFor('api:read')).get('code') ?? '';
    expect((await rejects(svc.token('default', { grant_type: 'authorization_code', code: c1, redirect_uri: 'http://localhost/cb', code_verifier: `${VERIFIER}x` }, basic('0oaWeb')))).body.error_description).toBe('PKCE verification failed.');
    const c2 = (await codeFor('api:read')).get('code') ?? '';
    expect((await rejects(svc.token('default', { grant_type: 'authorization_code', code: c2, redirect_uri: 'http://localhost/other', code_verifier: VERIFIER }, basic('0oaWeb')))).body.error).toBe('invalid_grant');
    const c3 = (await codeFor('api:read')).get('code') ?? '';
    now += 300_000;
    expect((await rejects(svc.token('default', { grant_type: 'authorization_code', code: c3, redirect_uri: 'http://localhost/cb', code_verifier: VERIFIER }, basic('0oaWeb')))).body.error_description).toBe(INVALID_CODE);
  });

  it('authorize redirects errors: no session, reused session, unassigned user, denied scope', async () => {
    const base = { client_id: '0oaWeb', redirect_uri: 'http://localhost/cb', response_type: 'code', scope: 'api:read', state: 'st' };
    expect(redirectParams(await svc.authorize('default', { ...base, prompt: 'none' })).get('error')).toBe('login_required');
    const st = await session();
    expect(redirectParams(await svc.authorize('default', { ...base, sessionToken: st })).get('code')).toBeTruthy();
    expect(redirectParams(await svc.authorize('default', { ...base, prompt: 'none', sessionToken: st })).get('error')).toBe('login_required');
    const bob = redirectParams(await svc.authorize('default', { ...base, sessionToken: await session('bob@example.com', 'Passw0rdBob') }));
    expect([bob.get('error'), bob.get('error_description'), bob.get('state')]).toEqual(['access_denied', NOT_ASSIGNED, 'st']);
    const denied = redirectParams(await svc.authorize('default', { ...base, scope: 'api:write', sessionToken: await session() }));
    expect([denied.get('error'), denied.get('error_description')]).toEqual(['access_denied', POLICY_FAILED]);
    const evil = await svc.authorize('default', { ...base, redirect_uri: 'http://evil/cb' });
    expect([evil.status, evil.headers.location, evil.headers['content-type']]).toEqual([400, undefined, 'text/html; charset=utf-8']);
  });

  it('implicit and hybrid response types: fragment by default, query refused, form_post', async () => {
    await addApp(store, '0oaSpa', { responseTypes: ['code', 'token', 'id_token'], grantTypes: ['authorization_code', 'implicit'] }, ['00gSilver']);
    await addPolicy(store, 'default', { id: '00pSpa', clients: ['0oaSpa'], rules: [{ id: '0prSpa', groups: ['00gSilver'], grants: ['authorization_code', 'implicit'], scopes: ['*'] }] });
    const base = { client_id: '0oaSpa', redirect_uri: 'http://localhost/cb', scope: 'openid api:read', state: 'st', nonce: 'nn' };
    const r = await svc.authorize('default', { ...base, response_type: 'token id_token', sessionToken: await session() });
    expect(r.headers.location).toContain('#');
    const f = redirectParams(r);
    expect(f.get('token_type')).toBe('Bearer');
    const id = decodeJwt(f.get('id_token') ?? '');
    expect(id).toMatchObject({ nonce: 'nn', aud: '0oaSpa', sub: '00uAlice' });
    expect(typeof id.at_hash).toBe('string');
    const hybrid = redirectParams(await svc.authorize('default', { ...base, response_type: 'code id_token', sessionToken: await session() }));
    expect(hybrid.get('code')).toBeTruthy();
    expect(typeof decodeJwt(hybrid.get('id_token') ?? '').c_hash).toBe('string');
    const q = redirectParams(await svc.authorize('default', { ...base, response_type: 'token', response_mode: 'query', sessionToken: await session() }));
    expect(q.get('error')).toBe('invalid_request');
    const noNonce = redirectParams(await svc.authorize('default', { ...base, nonce: undefined, response_type: 'id_token', sessionToken: await session() }));
    expect(noNonce.get('error')).toBe('invalid_request');
    const fp = await svc.authorize('default', { ...base, response_type: 'code', response_mode: 'form_post', sessionToken: await session() });
    expect(fp.status).toBe(200);
    expect(String(fp.body)).toMatch(/<form method="post" action="http:\/\/localhost\/cb"><input type="hidden" name="code" value="[^"]+"\/><input type="hidden" name="state" value="st"\/>/);
    // the web client may not use the implicit grant
    const web = redirectParams(await svc.authorize('default', { ...base, client_id: '0oaWeb', response_type: 'token', sessionToken: await session() }));
    expect(web.get('error')).toBe('unsupported_response_type');
  });

  it('a public client must use PKCE', async () => {
    await addApp(store, '0oaPublic', { tokenEndpointAuthMethod: 'none', clientSecret: undefined }, ['00gSilver']);
    const q = redirectParams(await svc.authorize('default', { client_id: '0oaPublic', redirect_uri: 'http://localhost/cb', response_type: 'code', scope: 'api:read', state: 's', sessionToken: await session() }));
    expect(q.get('error')).toBe('invalid_request');
    expect(q.get('error_description')).toMatch(/PKCE/);
  });

  it('keeps keys and token records in the state (a restarted service still introspects)', async () => {
    const r = await svc.token('default', { grant_type: 'client_credentials', scope: 'api:read' }, basic('0oaWeb'));
    const again = new OAuthService({ store, orgUrl: () => 'http://127.0.0.1:1234', now: () => now });
    expect((await again.introspect('default', { token: String((r.body as Record<string, unknown>).access_token) }, basic('0oaWeb'))).body).toMatchObject({ active: true });
  });
});
