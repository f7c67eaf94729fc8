/**
 * Persistence of the local tenant: restarts keep every object and the token; two writers on one state file
 * (two tenants, each with its own store, contending only through the lock file) never lose or corrupt anything;
 * a stale lock left by a dead process is recovered; reset and info work without a server; ensureLocalTenant
 * reuses a running tenant or starts one in-process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureLocalTenant, openStore, readLocalTenantInfo, resetStateFile, startLocalTenant } from './index.js';
import { withFileLock } from './lock.js';
import { readStateFile } from './store.js';
import type { TenantState } from './types.js';
import { obj, objs, parseObject, str } from '../../test/support/json.js';

const dirs: string[] = [];
async function tempState(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'okb-tenant-'));
  dirs.push(dir);
  return join(dir, 'nested', 'tenant.json');
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function api(orgUrl: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(orgUrl + path, {
    method,
    headers: { authorization: `SSWS ${token}`, 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  return { status: res.status, body: json };
}
/** A string field of a response's JSON object body (`id` unless named). */
const idOf = (r: { body: unknown }, key = 'id'): string => str(obj(r.body)[key]);

describe('state file', () => {
  it('is created on first start with mode 0600 and a generated token, and a restart keeps every object and the token', async () => {
    const statePath = await tempState();
    const a = await startLocalTenant({ port: 0, statePath, rateLimits: 'none' });
    expect(a.apiToken).toMatch(/^00[A-Za-z0-9_-]{40}$/);
    expect((await stat(statePath)).mode & 0o777).toBe(0o600);
    const as = await api(a.orgUrl, a.apiToken, 'POST', '/api/v1/authorizationServers', { name: 'kept', audiences: ['api://kept'] });
    const scope = await api(a.orgUrl, a.apiToken, 'POST', `/api/v1/authorizationServers/${idOf(as)}/scopes`, { name: 'kept:read' });
    const group = await api(a.orgUrl, a.apiToken, 'POST', '/api/v1/groups', { profile: { name: 'kept group' } });
    const user = await api(a.orgUrl, a.apiToken, 'POST', '/api/v1/users', {
      profile: { firstName: 'K', lastName: 'Ept', email: 'kept@example.com', login: 'kept@example.com' },
      credentials: { password: { value: 'Str0ng-Passw0rd' } },
      groupIds: [idOf(group)],
    });
    const client = await api(a.orgUrl, a.apiToken, 'POST', '/oauth2/v1/clients', { client_name: 'kept client', redirect_uris: ['http://localhost:8080'] });
    const origin = await api(a.orgUrl, a.apiToken, 'POST', '/api/v1/trustedOrigins', { name: 'kept', origin: 'http://localhost:8080', scopes: [{ type: 'CORS' }] });
    await a.close();
    expect(JSON.stringify(await readFile(statePath, 'utf8'))).not.toContain('Str0ng-Passw0rd');

    const b = await startLocalTenant({ port: 0, statePath, rateLimits: 'none' });
    try {
      expect(b.apiToken).toBe(a.apiToken);
      expect(obj((await api(b.orgUrl, b.apiToken, 'GET', `/api/v1/authorizationServers/${idOf(as)}`)).body).issuer).toBe(`${b.orgUrl}/oauth2/${idOf(as)}`);
      expect(obj((await api(b.orgUrl, b.apiToken, 'GET', `/api/v1/authorizationServers/${idOf(as)}/scopes/${idOf(scope)}`)).body).name).toBe('kept:read');
      expect(objs((await api(b.orgUrl, b.apiToken, 'GET', `/api/v1/groups/${idOf(group)}/users`)).body).map((u) => u.id)).toEqual([idOf(user)]);
      expect(obj((await api(b.orgUrl, b.apiToken, 'GET', `/oauth2/v1/clients/${idOf(client, 'client_id')}`)).body).client_name).toBe('kept client');
      expect((await api(b.orgUrl, b.apiToken, 'GET', `/api/v1/trustedOrigins/${idOf(origin)}`)).status).toBe(200);
      expect(readLocalTenantInfo(statePath)).toEqual({ orgUrl: b.orgUrl, apiToken: b.apiToken });
    } finally {
      await b.close();
    }
  });

  it('the default server has a real aus id, kept across restarts; `default` is its alias in management, OAuth and discovery paths', async () => {
    const statePath = await tempState();
    const a = await startLocalTenant({ port: 0, statePath, rateLimits: 'none' });
    const listed = objs((await api(a.orgUrl, a.apiToken, 'GET', '/api/v1/authorizationServers')).body);
    const id = str(listed.find((s) => s.name === 'default')?.id);
    expect(id).toMatch(/^aus[A-Za-z0-9]{17}$/);
    await a.close();

    const b = await startLocalTenant({ port: 0, statePath, rateLimits: 'none' });
    try {
      const issuer = `${b.orgUrl}/oauth2/default`;
      for (const path of ['default', id]) {
        expect(obj((await api(b.orgUrl, b.apiToken, 'GET', `/api/v1/authorizationServers/${path}`)).body)).toMatchObject({ id, name: 'default', issuer });
        const meta = obj((await api(b.orgUrl, b.apiToken, 'GET', `/oauth2/${path}/.well-known/openid-configuration`)).body);
        expect(meta).toMatchObject({ issuer, token_endpoint: `${issuer}/v1/token`, jwks_uri: `${issuer}/v1/keys` });
        expect((await api(b.orgUrl, b.apiToken, 'GET', `/oauth2/${path}/v1/keys`)).status).toBe(200);
      }
      // a child created through the alias belongs to the real id, and its links name it
      const scope = await api(b.orgUrl, b.apiToken, 'POST', '/api/v1/authorizationServers/default/scopes', { name: 'alias:read' });
      expect(scope.status).toBe(201);
      expect(JSON.stringify(obj(scope.body)._links)).toContain(`/api/v1/authorizationServers/${id}/scopes/`);
      expect((await api(b.orgUrl, b.apiToken, 'GET', `/api/v1/authorizationServers/${id}/scopes/${idOf(scope)}`)).status).toBe(200);
      const policy = await api(b.orgUrl, b.apiToken, 'POST', '/api/v1/authorizationServers/default/policies', { name: 'P', description: 'p', conditions: { clients: { include: ['ALL_CLIENTS'] } } });
      expect(policy.status).toBe(201);
      expect(objs((await api(b.orgUrl, b.apiToken, 'GET', `/api/v1/authorizationServers/${id}/policies`)).body).map((p) => p.id)).toEqual([idOf(policy)]);
      // a client_credentials token from /oauth2/default carries the default issuer and introspects through the id
      const client = obj((await api(b.orgUrl, b.apiToken, 'POST', '/oauth2/v1/clients', { client_name: 'cc', grant_types: ['client_credentials'], response_types: ['token'], application_type: 'service', token_endpoint_auth_method: 'client_secret_basic' })).body);
      const rule = await api(b.orgUrl, b.apiToken, 'POST', `/api/v1/authorizationServers/default/policies/${idOf(policy)}/rules`, {
        name: 'R', type: 'RESOURCE_ACCESS', conditions: { people: { groups: { include: ['EVERYONE'] } }, grantTypes: { include: ['client_credentials'] }, scopes: { include: ['*'] } },
      });
      expect(rule.status).toBe(201);
      const basic = `Basic ${Buffer.from(`${str(client.client_id)}:${str(client.client_secret)}`).toString('base64')}`;
      const form = (o: Record<string, string>) => ({ method: 'POST', headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: new URLSearchParams(o) });
      const token = obj(await (await fetch(`${b.orgUrl}/oauth2/default/v1/token`, form({ grant_type: 'client_credentials', scope: 'alias:read' }))).json());
      const intro = obj(await (await fetch(`${b.orgUrl}/oauth2/${id}/v1/introspect`, form({ token: str(token.access_token) }))).json());
      expect(intro).toMatchObject({ active: true, iss: issuer, scope: 'alias:read' });
    } finally {
      await b.close();
    }
  });

  it('a state file from before the default server had a real id gets one, the same for every reader, and keeps its objects', async () => {
    const statePath = await tempState();
    const a = await startLocalTenant({ port: 0, statePath, rateLimits: 'none' });
    await api(a.orgUrl, a.apiToken, 'POST', '/api/v1/authorizationServers/default/scopes', { name: 'old:read' });
    await a.close();
    // rewrite it as the older layout: the server stored under, and with, the id `default`, without the alias
    const old = parseObject(await readFile(statePath, 'utf8'));
    const servers = obj(old.authorizationServers);
    const [realId, server] = Object.entries(servers).find(([, s]) => obj(s).name === 'default') ?? [];
    if (!realId || !server) throw new Error('no default server in the state');
    const { alias: _alias, ...rest } = obj(server);
    delete servers[realId];
    servers.default = { ...rest, id: 'default' };
    await writeFile(statePath, JSON.stringify(old));

    const first = readStateFile(statePath);
    const second = readStateFile(statePath);
    const migrated = Object.values(first?.authorizationServers ?? {}).find((s) => s.name === 'default');
    expect(migrated?.id).toMatch(/^aus[A-Za-z0-9]{17}$/);
    expect(migrated?.alias).toBe('default');
    expect(Object.keys(second?.authorizationServers ?? {})).toEqual(Object.keys(first?.authorizationServers ?? {}));
    const b = await startLocalTenant({ port: 0, statePath, rateLimits: 'none' });
    try {
      const got = obj((await api(b.orgUrl, b.apiToken, 'GET', '/api/v1/authorizationServers/default')).body);
      expect(got).toMatchObject({ id: migrated?.id, issuer: `${b.orgUrl}/oauth2/default` });
      expect(objs((await api(b.orgUrl, b.apiToken, 'GET', '/api/v1/authorizationServers/default/scopes')).body).map((s) => s.name)).toContain('old:read');
    } finally {
      await b.close();
    }
  });

  it('two tenants writing to one state file at once lose nothing and leave valid JSON', async () => {
    const statePath = await tempState();
    const a = await startLocalTenant({ port: 0, statePath, rateLimits: 'none' });
    const b = await startLocalTenant({ port: 0, statePath, rateLimits: 'none' });
    try {
      expect(b.apiToken).toBe(a.apiToken);
      const N = 40;
      const results = await Promise.all(
        Array.from({ length: N }, (_, i) => {
          const t = i % 2 ? a : b;
          return api(t.orgUrl, t.apiToken, 'POST', '/api/v1/groups', { profile: { name: `hammer-${i}` } });
        }),
      );
      expect(results.map((r) => r.status)).toEqual(Array(N).fill(200));
      const state = JSON.parse(await readFile(statePath, 'utf8')) as TenantState;
      const names = Object.values(state.groups).map((g) => g.profile.name);
      for (let i = 0; i < N; i++) expect(names).toContain(`hammer-${i}`);
      // each tenant sees the other's writes (reload on change)
      for (const t of [a, b]) {
        const listed = (await api(t.orgUrl, t.apiToken, 'GET', '/api/v1/groups?q=hammer-')).body as unknown[];
        expect(listed).toHaveLength(N);
      }
      // uniqueness holds across writers: the same new name through both at once → exactly one 200
      const dup = await Promise.all([a, b].map((t) => api(t.orgUrl, t.apiToken, 'POST', '/api/v1/groups', { profile: { name: 'only-once' } })));
      expect(dup.map((r) => r.status).sort()).toEqual([200, 400]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('recovers a stale lock left by a dead process', async () => {
    const statePath = await tempState();
    const store = await openStore(statePath);
    await writeFile(`${statePath}.lock`, '999999 1', { mode: 0o600 }); // pid that does not exist, time long ago
    await store.mutate((s) => {
      s.orgUrl = 'http://127.0.0.1:1';
    });
    expect(parseObject(await readFile(statePath, 'utf8')).orgUrl).toBe('http://127.0.0.1:1');
    await expect(stat(`${statePath}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a live lock makes other writers wait, not fail', async () => {
    const statePath = await tempState();
    const store = await openStore(statePath);
    const order: string[] = [];
    let release!: () => void;
    const held = withFileLock(`${statePath}.lock`, () => new Promise<void>((r) => (release = () => { order.push('holder done'); r(); })));
    await new Promise((r) => setTimeout(r, 20));
    const write = store.mutate(() => order.push('writer'));
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual([]);
    release();
    await Promise.all([held, write]);
    expect(order).toEqual(['holder done', 'writer']);
  });

  it('a mutation that throws persists nothing', async () => {
    const statePath = await tempState();
    const store = await openStore(statePath);
    const before = await readFile(statePath, 'utf8');
    await expect(
      store.mutate((s) => {
        s.orgUrl = 'http://changed';
        throw new Error('validation failed');
      }),
    ).rejects.toThrow('validation failed');
    expect(await readFile(statePath, 'utf8')).toBe(before);
    expect(store.read().orgUrl).not.toBe('http://changed');
  });

  it('reset empties the org and keeps the token (or rotates it on request); a corrupt file is reported, then reset works', async () => {
    const statePath = await tempState();
    const t = await startLocalTenant({ port: 0, statePath, rateLimits: 'none' });
    await api(t.orgUrl, t.apiToken, 'POST', '/api/v1/groups', { profile: { name: 'gone after reset' } });
    await t.close();
    const fresh = await resetStateFile(statePath);
    expect(fresh.apiToken).toBe(t.apiToken);
    expect(Object.values(fresh.groups).map((g) => g.profile.name)).toEqual(['Everyone']);
    expect(Object.values(fresh.authorizationServers).map((s) => [s.name, s.alias])).toEqual([['default', 'default']]);
    expect(Object.keys(fresh.authorizationServers)[0]).toMatch(/^aus[A-Za-z0-9]{17}$/);
    expect((await resetStateFile(statePath, { newToken: true })).apiToken).not.toBe(t.apiToken);

    await writeFile(statePath, '{not json');
    await expect(startLocalTenant({ port: 0, statePath })).rejects.toThrow(/not valid JSON/);
    await resetStateFile(statePath);
    expect(readLocalTenantInfo(statePath)?.apiToken).toMatch(/^00/);
  });

  it('without a state path the tenant is in memory only', async () => {
    const a = await startLocalTenant({ port: 0, rateLimits: 'none' });
    await api(a.orgUrl, a.apiToken, 'POST', '/api/v1/groups', { profile: { name: 'ephemeral' } });
    await a.close();
    const b = await startLocalTenant({ port: 0, rateLimits: 'none' });
    try {
      expect(b.apiToken).not.toBe(a.apiToken);
      expect((await api(b.orgUrl, b.apiToken, 'GET', '/api/v1/groups?q=ephemeral')).body).toEqual([]);
    } finally {
      await b.close();
    }
  });
});

describe('ensureLocalTenant', () => {
  it('starts one in-process when none runs, and reuses a running one with the same state', async () => {
    const statePath = await tempState();
    const port = 20000 + Math.floor(Math.random() * 20000);
    const first = await ensureLocalTenant({ statePath, port, host: '127.0.0.1' });
    try {
      expect(first.embedded).toBe(true);
      expect(first.orgUrl).toBe(`http://127.0.0.1:${port}`);
      const second = await ensureLocalTenant({ statePath, port, host: '127.0.0.1' });
      expect(second.embedded).toBe(false);
      expect(second.apiToken).toBe(first.apiToken);
      await second.close(); // a no-op: the first still serves
      expect((await api(first.orgUrl, first.apiToken, 'GET', '/api/v1/groups?limit=1')).status).toBe(200);
      const otherState = await tempState();
      await resetStateFile(otherState);
      await expect(ensureLocalTenant({ statePath: otherState, port, host: '127.0.0.1' })).rejects.toThrow(/does not accept the token/);
    } finally {
      await first.close();
    }
  });
});
