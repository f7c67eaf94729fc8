/**
 * Acceptance of the OAuth part with an independent client: openid-client v6 (discovery, client_credentials,
 * authorization code with PKCE through a sessionToken, refresh, introspection, userinfo, revocation) and jose
 * (issued tokens verify against /v1/keys). The tenant runs with specCheck, and no response may violate the spec.
 * Also: keys and tokens survive a restart on the same state file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalTenant } from '../index.js';
import type { LocalTenant } from '../types.js';
import { authorizeWithSession, oauthPost, Org, pkcePair, REDIRECT_URI, specViolations } from '../../../test/support/oauth-test-org.js';

const PASSWORD = 'Sup3rSecretPass';

describe('OAuth flows with openid-client and jose', () => {
  let t: LocalTenant;
  let org: Org;
  let serverId: string;
  let web: { clientId: string; clientSecret: string };
  let issuer: URL;

  beforeAll(async () => {
    t = await startLocalTenant({ port: 0, rateLimits: 'none', specCheck: true });
    org = new Org(t.orgUrl, t.apiToken);
    serverId = await org.server('Solar API', 'api://solar');
    await org.scope(serverId, 'solar:read');
    const silver = await org.group('Silver');
    await org.user('alice@example.com', PASSWORD, [silver]);
    web = await org.client('Solar web', {});
    await org.assign(web.clientId, silver);
    const policy = await org.policy(serverId, 'Solar policy', [web.clientId]);
    await org.rule(serverId, policy, { name: 'Silver', groups: [silver], grants: ['authorization_code', 'client_credentials'], scopes: ['*'], minutes: 15 });
    issuer = new URL(`${t.orgUrl}/oauth2/${serverId}`);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function config(auth: 'basic' | 'post'): Promise<client.Configuration> {
    return client.discovery(issuer, web.clientId, undefined, auth === 'basic' ? client.ClientSecretBasic(web.clientSecret) : client.ClientSecretPost(web.clientSecret), {
      execute: [client.allowInsecureRequests],
    });
  }

  it('discovers the server', async () => {
    const c = await config('basic');
    const m = c.serverMetadata();
    expect(m.issuer).toBe(issuer.href);
    expect(m.registration_endpoint).toBe(`${t.orgUrl}/oauth2/v1/clients`);
    expect(m.code_challenge_methods_supported).toEqual(['S256']);
    const oauthMeta = await fetch(`${issuer.href}/.well-known/oauth-authorization-server`);
    expect(oauthMeta.status).toBe(200);
  });

  it('client_credentials (basic and post), jose verification against /v1/keys, introspection, revocation', async () => {
    for (const auth of ['basic', 'post'] as const) {
      const c = await config(auth);
      const tokens = await client.clientCredentialsGrant(c, { scope: 'solar:read' });
      expect(tokens.token_type.toLowerCase()).toBe('bearer');
      expect(tokens.expires_in).toBe(900);
      const jwks = createRemoteJWKSet(new URL(`${issuer.href}/v1/keys`));
      const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: issuer.href, audience: 'api://solar' });
      expect(payload).toMatchObject({ ver: 1, cid: web.clientId, sub: web.clientId, scp: ['solar:read'] });
      const intro = await client.tokenIntrospection(c, tokens.access_token);
      expect(intro).toMatchObject({ active: true, client_id: web.clientId, sub: web.clientId, aud: 'api://solar', scope: 'solar:read' });
      await client.tokenRevocation(c, tokens.access_token);
      expect(await client.tokenIntrospection(c, tokens.access_token)).toEqual({ active: false });
    }
  });

  it('authorization code with PKCE through a sessionToken, ID token, userinfo, refresh, introspection', async () => {
    const c = await config('basic');
    const { verifier, challenge } = pkcePair();
    const params = await authorizeWithSession(t.orgUrl, serverId, {
      clientId: web.clientId, username: 'alice@example.com', password: PASSWORD, scope: 'openid profile email offline_access solar:read', challenge, state: 'xyz',
    });
    const callback = new URL(`${REDIRECT_URI}?${params.toString()}`);
    const tokens = await client.authorizationCodeGrant(c, callback, { pkceCodeVerifier: verifier, expectedState: 'xyz' });
    const claims = tokens.claims();
    expect(claims?.sub).toMatch(/^00u/);
    expect(claims?.aud).toBe(web.clientId);
    expect(tokens.scope).toBe('openid profile email offline_access solar:read');
    expect(tokens.refresh_token).toBeTruthy();
    const jwks = createRemoteJWKSet(new URL(`${issuer.href}/v1/keys`));
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: issuer.href, audience: 'api://solar' });
    expect(payload).toMatchObject({ sub: 'alice@example.com', uid: claims?.sub, cid: web.clientId });
    expect(await client.fetchUserInfo(c, tokens.access_token, String(claims?.sub))).toMatchObject({ email: 'alice@example.com', preferred_username: 'alice@example.com' });
    const refreshed = await client.refreshTokenGrant(c, tokens.refresh_token ?? '');
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    const intro = await client.tokenIntrospection(c, refreshed.access_token);
    expect(intro).toMatchObject({ active: true, uid: claims?.sub, username: 'alice@example.com', sub: 'alice@example.com' });
    const rtIntro = await client.tokenIntrospection(c, tokens.refresh_token ?? '', { token_type_hint: 'refresh_token' });
    expect(rtIntro.active).toBe(true);
    // the code is one-time
    await expect(client.authorizationCodeGrant(c, callback, { pkceCodeVerifier: verifier, expectedState: 'xyz' })).rejects.toThrow();
  });

  it('answers OAuth errors in the spec shapes', async () => {
    const tokenUrl = `${issuer.href}/v1/token`;
    const none = await oauthPost(tokenUrl, { grant_type: 'client_credentials', scope: 'solar:read' });
    expect(none).toMatchObject({ status: 401, body: { error: 'invalid_client', error_description: 'No client credentials found' } });
    const unknownScope = await oauthPost(tokenUrl, { grant_type: 'client_credentials', scope: 'nope' }, web);
    expect(unknownScope).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
    const badIntro = await oauthPost(`${issuer.href}/v1/introspect`, { token: 'x' }, { clientId: web.clientId, clientSecret: 'wrong' });
    expect(badIntro).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect((await oauthPost(`${issuer.href}/v1/introspect`, { token: 'garbage' }, web)).body).toEqual({ active: false });
    const ui = await fetch(`${issuer.href}/v1/userinfo`, { headers: { authorization: 'Bearer nope' } });
    expect(ui.status).toBe(401);
    expect(ui.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    const authn = await fetch(`${t.orgUrl}/api/v1/authn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice@example.com', password: 'wrong' }) });
    expect(authn.status).toBe(401);
    expect(await authn.json()).toMatchObject({ errorCode: 'E0000004', errorSummary: 'Authentication failed' });
    const unknownServer = await fetch(`${t.orgUrl}/oauth2/ausNope/.well-known/openid-configuration`);
    expect(unknownServer.status).toBe(404);
    expect(await unknownServer.json()).toMatchObject({ errorCode: 'E0000007' });
  });

  it('sends no response that violates the spec', () => {
    expect(t.requestLog.length).toBeGreaterThan(20);
    expect(specViolations(t.requestLog)).toEqual([]);
  });
});

describe('persistence of keys and tokens across a restart', () => {
  it('a token issued before a restart still verifies and introspects; a revoked one stays revoked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oauth-state-'));
    const statePath = join(dir, 'state.json');
    try {
      const t1 = await startLocalTenant({ port: 0, rateLimits: 'none', statePath });
      const org = new Org(t1.orgUrl, t1.apiToken);
      await org.scope('default', 'things:read');
      const web = await org.client('Restart client');
      const policy = await org.policy('default', 'P', [web.clientId]);
      await org.rule('default', policy, { name: 'R', groups: ['EVERYONE'], grants: ['client_credentials'], scopes: ['things:read'] });
      const issue = async () => (await oauthPost(`${t1.orgUrl}/oauth2/default/v1/token`, { grant_type: 'client_credentials', scope: 'things:read' }, web)).body as { access_token: string };
      const kept = (await issue()).access_token;
      const revoked = (await issue()).access_token;
      expect((await oauthPost(`${t1.orgUrl}/oauth2/default/v1/revoke`, { token: revoked }, web)).status).toBe(200);
      await t1.close();

      const t2 = await startLocalTenant({ port: 0, rateLimits: 'none', statePath });
      try {
        const jwks = createRemoteJWKSet(new URL(`${t2.orgUrl}/oauth2/default/v1/keys`));
        await expect(jwtVerify(kept, jwks, { audience: 'api://default' })).resolves.toBeTruthy();
        const intro = (url: string, token: string) => oauthPost(`${url}/oauth2/default/v1/introspect`, { token }, web);
        expect((await intro(t2.orgUrl, kept)).body).toMatchObject({ active: true, client_id: web.clientId });
        expect((await intro(t2.orgUrl, revoked)).body).toEqual({ active: false });
      } finally {
        await t2.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
