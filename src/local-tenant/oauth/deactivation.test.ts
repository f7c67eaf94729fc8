/**
 * Deactivating a client or a user revokes their tokens: they introspect as inactive, and stay so after the client
 * or the user is activated again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalTenant } from '../index.js';
import type { LocalTenant } from '../types.js';
import { authorizeWithSession, oauthPost, Org, pkcePair, REDIRECT_URI } from '../../../test/support/oauth-test-org.js';

const PASSWORD = 'Sup3rSecretPass';

describe('tokens of a deactivated client or user', () => {
  let t: LocalTenant;
  let org: Org;
  let as: string;
  let userId: string;
  let silver: string;

  beforeAll(async () => {
    t = await startLocalTenant({ port: 0, rateLimits: 'none' });
    org = new Org(t.orgUrl, t.apiToken);
    as = await org.server('Deactivation AS', 'api://deact');
    await org.scope(as, 'd:read');
    silver = await org.group('Deact silver');
    userId = await org.user('erin@example.com', PASSWORD, [silver]);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function setUp(name: string) {
    const client = await org.client(name);
    await org.assign(client.clientId, silver);
    const policy = await org.policy(as, name, [client.clientId]);
    await org.rule(as, policy, { name, groups: [silver], scopes: ['d:read', 'openid'] });
    return client;
  }
  const introspect = async (token: string, client: { clientId: string; clientSecret: string }) =>
    (await oauthPost(`${t.orgUrl}/oauth2/${as}/v1/introspect`, { token }, client)).body as { active: boolean };

  it('a deactivated client: its client_credentials token is no longer active, also after reactivation', async () => {
    const client = await setUp('Deact client');
    const gateway = await org.client('Deact gateway');
    const tok = (await oauthPost(`${t.orgUrl}/oauth2/${as}/v1/token`, { grant_type: 'client_credentials', scope: 'd:read' }, client)).body as { access_token: string };
    expect(await introspect(tok.access_token, gateway)).toMatchObject({ active: true });
    await org.ok('POST', `/api/v1/apps/${client.clientId}/lifecycle/deactivate`);
    expect(await introspect(tok.access_token, gateway)).toEqual({ active: false });
    await org.ok('POST', `/api/v1/apps/${client.clientId}/lifecycle/activate`);
    expect(await introspect(tok.access_token, gateway)).toEqual({ active: false });
  });

  it('a deactivated user: their access tokens are no longer active', async () => {
    const client = await setUp('Deact user client');
    const { verifier, challenge } = pkcePair();
    const params = await authorizeWithSession(t.orgUrl, as, { clientId: client.clientId, username: 'erin@example.com', password: PASSWORD, scope: 'openid d:read', challenge });
    const code = params.get('code') ?? '';
    const tokens = (await oauthPost(`${t.orgUrl}/oauth2/${as}/v1/token`, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier }, client)).body as { access_token: string };
    expect(await introspect(tokens.access_token, client)).toMatchObject({ active: true, uid: userId });
    await org.ok('POST', `/api/v1/users/${userId}/lifecycle/deactivate`);
    expect(await introspect(tokens.access_token, client)).toEqual({ active: false });
  });
});
