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
    expect(Object.keys(fresh.authorizationServers)).toEqual(['default']);
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
