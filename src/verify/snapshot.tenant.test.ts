/**
 * readOrg against the local tenant (specCheck on): what it reads, the "not found → null" convention, and that
 * every path is read once. The checks themselves are tested on hand-built snapshots (org-checks.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalTenant, type LocalTenant } from '../local-tenant/index.js';
import { createOktaClient, type OktaApi } from '../okta/client.js';
import { readOrg } from './snapshot.js';
import type { Sourced, VerifyValues } from './values.js';

let tenant: LocalTenant;
let api: OktaApi;
const ids: Record<string, string> = {};

const src = (value: string): Sourced => ({ value, source: 'test' });
const AS = '/api/v1/authorizationServers';

async function post<T extends { id: string }>(path: string, body: unknown): Promise<T> {
  return (await api.request<T>('POST', path, { body })).body;
}

beforeAll(async () => {
  tenant = await startLocalTenant({ port: 0, rateLimits: 'none', specCheck: true });
  api = createOktaClient({ orgUrl: tenant.orgUrl, token: tenant.apiToken });
  const server = await post(AS, { name: 'snapshot server', description: 'd', audiences: ['api://snap'] });
  ids.server = server.id;
  await post(`${AS}/${server.id}/scopes`, { name: 'snap:silver' });
  const policy = await post(`${AS}/${server.id}/policies`, { type: 'OAUTH_AUTHORIZATION_POLICY', name: 'snap policy', description: 'd', priority: 1, conditions: { clients: { include: ['ALL_CLIENTS'] } } });
  ids.policy = policy.id;
  const rule = { type: 'RESOURCE_ACCESS', conditions: { people: { groups: { include: ['EVERYONE'] } }, grantTypes: { include: ['authorization_code'] }, scopes: { include: ['*'] } }, actions: { token: { accessTokenLifetimeMinutes: 60, refreshTokenLifetimeMinutes: 0, refreshTokenWindowMinutes: 10080 } } };
  await post(`${AS}/${server.id}/policies/${policy.id}/rules`, { ...rule, name: 'first', priority: 1 });
  await post(`${AS}/${server.id}/policies/${policy.id}/rules`, { ...rule, name: 'second', priority: 2 });
  const group = await post('/api/v1/groups', { profile: { name: 'snap group' } });
  ids.group = group.id;
  const user = await post('/api/v1/users?activate=true', { profile: { firstName: 'Ann', lastName: 'Snap', email: 'ann.snap@example.com', login: 'ann.snap@example.com' }, credentials: { password: { value: 'Xq7!vR2#mPz9wL4$' } } });
  ids.user = user.id;
});

afterAll(async () => {
  await tenant?.close();
});

function values(over: Partial<VerifyValues> = {}): VerifyValues {
  const issuer = `${tenant.orgUrl}/oauth2/${ids.server}`;
  return {
    serverId: src(ids.server ?? ''),
    issuer: src(issuer),
    introspectionUrl: src(`${issuer}/v1/introspect`),
    introspectClientId: src('0oaNoSuchClient'),
    introspectClientSecret: src('wrong'),
    authnClientId: src('0oaNoSuchApp'),
    redirectUri: src('http://localhost:8080/callback'),
    audiences: [],
    silver: { userId: src(ids.user ?? ''), groupId: src(ids.group ?? ''), scope: src('snap:silver'), ruleName: 'first' },
    gold: { username: src('nobody@example.com'), scope: src('snap:gold'), ruleName: 'second' },
    gatewayPolicies: {},
    outputsRead: [],
    ...over,
  };
}

describe('reading the org into a snapshot', () => {
  it('reads the server, its documents, scopes, policies with their rules, users, the client and the origins; each path once', async () => {
    const mark = tenant.requestLog.length;
    const s = await readOrg({ api, fetch, orgUrl: tenant.orgUrl, values: values() });
    expect(s.server?.id).toBe(ids.server);
    expect(s.metadata?.document?.issuer).toBe(`${tenant.orgUrl}/oauth2/${ids.server}`);
    expect(s.keys?.status).toBe(200);
    expect(s.keys?.keys?.length).toBeGreaterThan(0);
    expect(s.keys?.keys?.every((k) => k.problem === undefined)).toBe(true);
    expect(s.scopes?.map((x) => x.name)).toContain('snap:silver');
    expect(s.policies?.map((p) => [p.policy.id, p.rules.map((r) => r.name)])).toEqual([[ids.policy, ['first', 'second']]]);
    // the silver user exists, but is not in the group: the group is read to tell "not a member" from "no such group"
    expect(s.users.silver?.user?.id).toBe(ids.user);
    expect(s.users.silver?.group?.id).toBe(ids.group);
    // not found → null
    expect(s.users.gold).toEqual({ user: null, groups: [] });
    expect(s.authnClient).toEqual({ app: null });
    // the made-up client is refused (401), so the introspection client is looked up: it does not exist
    expect(s.introspection?.outcome).toMatchObject({ kind: 'rejected', status: 401 });
    expect(s.introspection?.client).toBeNull();
    expect(Array.isArray(s.trustedOrigins)).toBe(true);

    const sent = tenant.requestLog.slice(mark).map((e) => `${e.method} ${e.path}`);
    expect(sent.length).toBeGreaterThan(10);
    expect(sent.filter((x, i) => sent.indexOf(x) !== i)).toEqual([]);
    expect(tenant.requestLog.slice(mark).flatMap((e) => e.violations ?? [])).toEqual([]);
  });

  it('reads nothing of a server that is not ACTIVE, and nothing without ids to look up', async () => {
    await api.request('POST', `${AS}/${ids.server}/lifecycle/deactivate`);
    try {
      const s = await readOrg({ api, fetch, orgUrl: tenant.orgUrl, values: values({ authnClientId: undefined, redirectUri: undefined, introspectionUrl: undefined }) });
      expect(s.server?.status).toBe('INACTIVE');
      expect([s.metadata, s.keys, s.scopes, s.policies, s.authnClient, s.trustedOrigins, s.introspection]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
    } finally {
      await api.request('POST', `${AS}/${ids.server}/lifecycle/activate`);
    }
    const none = await readOrg({ api, fetch, orgUrl: tenant.orgUrl, values: values({ serverId: src('ausNoSuchServer') }) });
    expect(none.server).toBeNull();
  });
});
