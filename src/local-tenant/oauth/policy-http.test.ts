/**
 * Okta's policy evaluation end to end: objects made through the management API, tokens asked for over HTTP.
 * Each case has its allowed and its denied side.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalTenant } from '../index.js';
import type { LocalTenant } from '../types.js';
import { POLICY_FAILED } from './policy.js';
import { NOT_ASSIGNED } from './access.js';
import { authorizeWithSession, oauthPost, Org, pkcePair, REDIRECT_URI, specViolations } from '../../../test/support/oauth-test-org.js';

const PASSWORD = 'Sup3rSecretPass';
type Client = { clientId: string; clientSecret: string };
type Outcome = { ok: true; lifetime: number; scope: string } | { ok: false; error: string; description: string };

describe('policy evaluation over HTTP', () => {
  let t: LocalTenant;
  let org: Org;
  let as: string;
  let policyId: string;
  let r1: string;
  let r2: string;
  const c: Record<'a' | 'unassigned' | 'excluded', Client> = {} as never;

  beforeAll(async () => {
    t = await startLocalTenant({ port: 0, rateLimits: 'none', specCheck: true });
    org = new Org(t.orgUrl, t.apiToken);
    as = await org.server('Policy AS', 'api://policy');
    await org.scope(as, 'a:read');
    await org.scope(as, 'a:write');
    const silver = await org.group('Silver');
    const gold = await org.group('Gold');
    const bronze = await org.group('Bronze');
    await org.user('alice@example.com', PASSWORD, [silver]);
    await org.user('bob@example.com', PASSWORD, [gold]);
    await org.user('dave@example.com', PASSWORD, [bronze]);
    c.a = await org.client('A');
    c.unassigned = await org.client('Unassigned');
    c.excluded = await org.client('Excluded');
    for (const g of [silver, gold, bronze]) await org.assign(c.a.clientId, g);
    await org.assign(c.excluded.clientId, silver);
    policyId = await org.policy(as, 'Main', [c.a.clientId, c.unassigned.clientId], 1);
    r1 = await org.rule(as, policyId, { name: 'Silver fast', priority: 1, groups: [silver], scopes: ['a:read'], minutes: 10 });
    r2 = await org.rule(as, policyId, { name: 'Silver and gold', priority: 2, groups: [silver, gold], scopes: ['a:read'], minutes: 20 });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function userToken(client: Client, login: string, scope: string): Promise<Outcome> {
    const { verifier, challenge } = pkcePair();
    const q = await authorizeWithSession(t.orgUrl, as, { clientId: client.clientId, username: login, password: PASSWORD, scope, challenge });
    if (q.get('error')) return { ok: false, error: q.get('error') ?? '', description: q.get('error_description') ?? '' };
    const r = await oauthPost(`${t.orgUrl}/oauth2/${as}/v1/token`, { grant_type: 'authorization_code', code: q.get('code') ?? '', redirect_uri: REDIRECT_URI, code_verifier: verifier }, client);
    const body = r.body as { access_token: string; scope: string; error?: string; error_description?: string };
    if (r.status !== 200) return { ok: false, error: body.error ?? '', description: body.error_description ?? '' };
    const at = decodeJwt(body.access_token);
    return { ok: true, lifetime: Number(at.exp) - Number(at.iat), scope: body.scope };
  }

  async function clientToken(client: Client, scope: string): Promise<Outcome> {
    const r = await oauthPost(`${t.orgUrl}/oauth2/${as}/v1/token`, { grant_type: 'client_credentials', scope }, client);
    const body = r.body as { access_token: string; scope: string; error?: string; error_description?: string };
    if (r.status !== 200) return { ok: false, error: body.error ?? '', description: body.error_description ?? '' };
    const at = decodeJwt(body.access_token);
    return { ok: true, lifetime: Number(at.exp) - Number(at.iat), scope: body.scope };
  }

  const denied: Outcome = { ok: false, error: 'access_denied', description: POLICY_FAILED };

  it('a user in the right group gets a token; a user outside it does not', async () => {
    expect(await userToken(c.a, 'alice@example.com', 'a:read')).toEqual({ ok: true, lifetime: 600, scope: 'a:read' });
    expect(await userToken(c.a, 'dave@example.com', 'a:read')).toEqual(denied);
  });

  it('rules are taken in priority order: the first matching rule decides', async () => {
    // alice matches both rules: priority 1 (10 min) wins; bob matches only the priority-2 rule (20 min)
    expect(await userToken(c.a, 'alice@example.com', 'a:read')).toMatchObject({ ok: true, lifetime: 600 });
    expect(await userToken(c.a, 'bob@example.com', 'a:read')).toMatchObject({ ok: true, lifetime: 1200 });
    // swap the priorities: now alice gets the 20-minute rule
    const rules = `/api/v1/authorizationServers/${as}/policies/${policyId}/rules`;
    const one = await org.ok<Record<string, unknown>>('GET', `${rules}/${r1}`);
    await org.ok('PUT', `${rules}/${r1}`, { ...one, priority: 3 });
    try {
      expect(await userToken(c.a, 'alice@example.com', 'a:read')).toMatchObject({ ok: true, lifetime: 1200 });
    } finally {
      await org.ok('PUT', `${rules}/${r1}`, { ...one, priority: 1 });
    }
  });

  it('a user not assigned to the client gets no token', async () => {
    expect(await userToken(c.unassigned, 'alice@example.com', 'a:read')).toEqual({ ok: false, error: 'access_denied', description: NOT_ASSIGNED });
    expect((await userToken(c.a, 'alice@example.com', 'a:read')).ok).toBe(true);
  });

  it('a scope no rule grants is refused, so is a request a rule covers only in part; an unknown scope is invalid_scope', async () => {
    expect(await userToken(c.a, 'alice@example.com', 'a:write')).toEqual(denied);
    expect(await userToken(c.a, 'alice@example.com', 'a:read a:write')).toEqual(denied);
    expect(await userToken(c.a, 'alice@example.com', 'nope')).toMatchObject({ ok: false, error: 'invalid_scope' });
  });

  it('an INACTIVE rule is skipped', async () => {
    const rules = `/api/v1/authorizationServers/${as}/policies/${policyId}/rules`;
    await org.ok('POST', `${rules}/${r1}/lifecycle/deactivate`);
    try {
      expect(await userToken(c.a, 'alice@example.com', 'a:read')).toMatchObject({ ok: true, lifetime: 1200 });
      await org.ok('POST', `${rules}/${r2}/lifecycle/deactivate`);
      expect(await userToken(c.a, 'alice@example.com', 'a:read')).toEqual(denied);
    } finally {
      await org.ok('POST', `${rules}/${r1}/lifecycle/activate`);
      await org.ok('POST', `${rules}/${r2}/lifecycle/activate`);
    }
    expect(await userToken(c.a, 'alice@example.com', 'a:read')).toMatchObject({ ok: true, lifetime: 600 });
  });

  it('an INACTIVE policy is skipped', async () => {
    const policy = `/api/v1/authorizationServers/${as}/policies/${policyId}`;
    await org.ok('POST', `${policy}/lifecycle/deactivate`);
    try {
      expect(await userToken(c.a, 'alice@example.com', 'a:read')).toEqual(denied);
    } finally {
      await org.ok('POST', `${policy}/lifecycle/activate`);
    }
    expect((await userToken(c.a, 'alice@example.com', 'a:read')).ok).toBe(true);
  });

  it('a client the policy does not include gets no token; policies of different priorities', async () => {
    expect(await userToken(c.excluded, 'alice@example.com', 'a:read')).toEqual(denied);
    expect(await clientToken(c.excluded, 'a:read')).toEqual(denied);
    const rules = `/api/v1/authorizationServers/${as}/policies`;
    // a lower-priority policy that includes the client: it now gets tokens from that policy's rule
    const low = await org.policy(as, 'Low', [c.excluded.clientId, c.a.clientId], 2);
    await org.rule(as, low, { name: 'Everyone', groups: ['EVERYONE'], grants: ['authorization_code', 'client_credentials'], scopes: ['a:read', 'a:write'], minutes: 5 });
    try {
      expect(await userToken(c.excluded, 'alice@example.com', 'a:read')).toMatchObject({ ok: true, lifetime: 300 });
      expect(await clientToken(c.excluded, 'a:read')).toMatchObject({ ok: true, lifetime: 300 });
      // for client A the priority-1 policy still decides first…
      expect(await userToken(c.a, 'alice@example.com', 'a:read')).toMatchObject({ ok: true, lifetime: 600 });
      // …and the lower-priority policy applies when no rule of the first one matches
      expect(await userToken(c.a, 'dave@example.com', 'a:write')).toMatchObject({ ok: true, lifetime: 300, scope: 'a:write' });
    } finally {
      await org.ok('DELETE', `${rules}/${low}`).catch(async () => {
        await org.ok('POST', `${rules}/${low}/lifecycle/deactivate`);
      });
    }
  });

  it('sends no response that violates the spec', () => {
    expect(t.requestLog.length).toBeGreaterThan(30);
    expect(specViolations(t.requestLog)).toEqual([]);
  });
});
