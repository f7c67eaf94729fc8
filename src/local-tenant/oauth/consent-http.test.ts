/**
 * Consent over HTTP: a client_credentials request for a scope that requires consent is refused, a FLEXIBLE one is
 * granted; recorded grants are listed and revoked through the User Grants API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type TenantStore } from '../store.js';
import type { BuiltTenant } from '../server.js';
import { CC_CONSENT } from './consent.js';
import { browserData } from '../sessions/store.js';
import { oauthPost, Org } from '../../../test/support/oauth-test-org.js';
import { serveTenant } from '../../../test/support/raw-http.js';

describe('consent', () => {
  let t: BuiltTenant;
  let store: TenantStore;
  let orgUrl: string;
  let org: Org;
  let as: string;
  let client: { clientId: string; clientSecret: string };
  let userId: string;

  beforeAll(async () => {
    store = await openStore();
    const served = await serveTenant(store, { rateLimits: 'none' });
    ({ built: t, orgUrl } = served);
    org = new Org(orgUrl, served.token);
    as = await org.server('Consent AS', 'api://consent');
    await org.ok('POST', `/api/v1/authorizationServers/${as}/scopes`, { name: 'c:required', consent: 'REQUIRED' });
    await org.ok('POST', `/api/v1/authorizationServers/${as}/scopes`, { name: 'c:flexible', consent: 'FLEXIBLE' });
    client = await org.client('Consent client');
    const policy = await org.policy(as, 'Consent', [client.clientId]);
    await org.rule(as, policy, { name: 'cc', grants: ['client_credentials'] });
    userId = await org.user('carol@example.com', 'Sup3rSecretPass');
  });
  afterAll(async () => {
    await t?.app.close();
  });

  it('client_credentials: a REQUIRED scope is refused, a FLEXIBLE one granted without a prompt', async () => {
    const token = (scope: string) => oauthPost(`${orgUrl}/oauth2/${as}/v1/token`, { grant_type: 'client_credentials', scope }, client);
    const refused = await token('c:required');
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ error: 'invalid_scope', error_description: CC_CONSENT });
    const flexible = await token('c:flexible');
    expect(flexible.status).toBe(200);
    expect(flexible.body).toMatchObject({ scope: 'c:flexible' });
  });

  it('recorded grants are listed per user and per client, and revoked one by one or all at once', async () => {
    const grantsUrl = `/api/v1/users/${userId}/grants`;
    expect(await org.ok('GET', grantsUrl)).toEqual([]);
    // the consent page records the grants (sessions/store.ts recordConsent); here they are recorded as it does
    const other = await org.client('Other client');
    await store.mutate((state) => {
      const grants = browserData(state.oauth).consentGrants;
      grants[`${as}/${client.clientId}/${userId}`] = { scopes: ['c:flexible', 'c:required'], lastUpdated: 1767225600 };
      grants[`${as}/${other.clientId}/${userId}`] = { scopes: ['c:required'], lastUpdated: 1767225600 };
    });
    const all = await org.ok<{ id: string; clientId: string; scopeId: string; source: string; status: string; _links: Record<string, { href: string }> }[]>('GET', grantsUrl);
    expect(all.map((g) => [g.clientId === client.clientId ? 'client' : 'other', g.scopeId]).sort()).toEqual([['client', 'c:flexible'], ['client', 'c:required'], ['other', 'c:required']]);
    expect(all[0]).toMatchObject({ source: 'END_USER', status: 'ACTIVE' });
    expect(Object.keys(all[0]?._links ?? {}).sort()).toEqual(['app', 'scope', 'self', 'user']);
    const forClient = `/api/v1/users/${userId}/clients/${client.clientId}/grants`;
    const mine = await org.ok<{ id: string }[]>('GET', forClient);
    expect(mine).toHaveLength(2);
    const first = mine[0]?.id ?? '';
    expect((await org.ok<{ id: string }>('GET', `${grantsUrl}/${first}`)).id).toBe(first);
    expect((await org.call('DELETE', `${grantsUrl}/${first}`)).status).toBe(204);
    expect((await org.call('GET', `${grantsUrl}/${first}`)).status).toBe(404);
    expect(await org.ok('GET', forClient)).toHaveLength(1);
    expect((await org.call('DELETE', forClient)).status).toBe(204);
    expect(await org.ok('GET', forClient)).toEqual([]);
    expect(await org.ok('GET', grantsUrl)).toHaveLength(1);
    expect((await org.call('DELETE', grantsUrl)).status).toBe(204);
    expect(await org.ok('GET', grantsUrl)).toEqual([]);
    expect((await org.call('GET', '/api/v1/users/00uNobody/grants')).status).toBe(404);
  });
});
