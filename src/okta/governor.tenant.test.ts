/**
 * The governor against the local tenant: forced 429s (a tiny per-minute bucket; the tenant and the governor share
 * a faked Date so a minute's wait takes no time), injected 5xx and connection resets (no duplicates), and the
 * concurrency cap (counted by the tenant, which rejects anything over its cap).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startLocalTenant, type LocalTenant } from '../local-tenant/index.js';
import { createOktaClient } from './client.js';
import { createGovernor, type WaitEvent } from './governor.js';
import { handlerFor } from './handlers/index.js';
import type { Handler, Obj } from './handlers/types.js';
import { createLogger } from '../core/log.js';
import { CreateOwner } from '../apply/create.js';
import { newMeta, OutputJournal } from '../apply/journal.js';
import { ExistingLoader } from '../apply/lookup.js';

const dir = mkdtempSync(join(tmpdir(), 'gov-tenant-'));
function limitsFile(name: string, config: unknown): string {
  const f = join(dir, `${name}.json`);
  writeFileSync(f, JSON.stringify(config));
  return f;
}

let tenant: LocalTenant | undefined;
afterEach(async () => {
  await tenant?.close();
  tenant = undefined;
  vi.useRealTimers();
});

const groups = handlerFor('okta:user_group');
const users = handlerFor('okta:user');

async function namesOfGroups(orgUrl: string, token: string): Promise<string[]> {
  const api = createOktaClient({ orgUrl, token, governor: createGovernor({ baseBackoffMs: 5 }) });
  const all = await api.list<Obj>('/api/v1/groups', { search: 'type eq "OKTA_GROUP"' });
  return all.map((g) => String((g.profile as Obj).name)).sort();
}

describe('governor and the local tenant', () => {
  it('with forced 429s it waits for the reset and the run completes, each object once', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T10:00:05Z'));
    tenant = await startLocalTenant({
      port: 0,
      rateLimits: limitsFile('tiny', { concurrency: 50, buckets: [{ name: 'groups', match: '/api/v1/groups**', limit: 3 }] }),
    });
    const gov = createGovernor({
      maxConcurrent: 8,
      now: () => Date.now(),
      sleep: async (ms) => {
        vi.setSystemTime(Date.now() + ms);
        await new Promise((r) => setImmediate(r));
      },
    });
    const waits: WaitEvent[] = [];
    gov.on('wait', (e) => waits.push(e));
    const api = createOktaClient({ orgUrl: tenant.orgUrl, token: tenant.apiToken, governor: gov });
    const names = Array.from({ length: 10 }, (_, i) => `rl group ${String(i).padStart(2, '0')}`);
    const started = Date.now();
    await Promise.all(names.map((n) => groups.create({ api, parent: {} }, { profile: { name: n } })));

    const rejected = tenant.requestLog.filter((e) => e.status === 429);
    expect(rejected.length).toBeGreaterThanOrEqual(1); // the first burst goes out before any header is known
    expect(gov.stats().rateLimited).toBe(rejected.length);
    expect(waits.some((w) => w.bucket.endsWith(' /api/v1/groups') && w.reason === 'rate-limit' && w.ms > 0)).toBe(true);
    // 10 creates at 3 a minute: the run spans at least three window resets, in faked time
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 55_000);
    vi.useRealTimers();
    expect(await namesOfGroups(tenant.orgUrl, tenant.apiToken)).toEqual(names);
  });

  it('with injected 5xx and connection resets there are no duplicates, and a failed POST is looked up before it is sent again', async () => {
    tenant = await startLocalTenant({ port: 0, rateLimits: 'none', failRate: 0.25, seed: 20260301 });
    const gov = createGovernor({ baseBackoffMs: 5, maxBackoffMs: 40 });
    const api = createOktaClient({ orgUrl: tenant.orgUrl, token: tenant.apiToken, governor: gov });
    const ctx = { api, parent: {} };
    // creates go through the engine's create-once owner, as in a run
    const journal = new OutputJournal({ dir, input: 'faults', runAt: new Date(), write: false }, {}, newMeta('faults', tenant.orgUrl));
    const loader = new ExistingLoader((c, parent, keys) => handlerFor(c).findExisting({ api, parent }, keys));
    const owner = new CreateOwner({ journal, loader, log: createLogger({ quiet: true }), sleep: () => Promise.resolve() });
    const create = (handler: Handler, body: Obj) => owner.create({ key: JSON.stringify(handler.naturalKey(body)), handler, ctx, body, nk: handler.naturalKey(body) }, () => undefined);
    const names = Array.from({ length: 12 }, (_, i) => `fault group ${String(i).padStart(2, '0')}`);
    const made: Obj[] = [];
    // Sequential, so the tenant's seeded faults fall on the same requests in every run.
    for (const n of names) made.push(await create(groups, { profile: { name: n } }));
    for (let i = 0; i < 12; i++) {
      await create(users, {
        profile: { firstName: 'F', lastName: `L${i}`, email: `fault.user${i}@example.com`, login: `fault.user${i}@example.com` },
        credentials: { password: { value: `Xy7#kLm2pQ-${i}` } },
        groupIds: [String(made[i]!.id)],
      });
    }
    const log = tenant.requestLog;
    const faulted = log.filter((e) => (e.notes ?? []).some((n) => n.startsWith('fault')));
    const kinds = new Set(faulted.flatMap((e) => (e.notes ?? []).map((n) => n.replace(/^fault #\d+: /, ''))));
    expect(faulted.length).toBeGreaterThanOrEqual(5);
    expect([...kinds].some((k) => k.includes('after'))).toBe(true); // some writes committed and lost their answer
    expect([...kinds].some((k) => k.startsWith('reset'))).toBe(true);
    // A create POST that failed is never followed directly by another POST: a lookup comes first.
    const creates = (e: { method: string; path: string }) => e.method === 'POST' && (e.path === '/api/v1/groups' || e.path === '/api/v1/users');
    for (let i = 0; i < log.length - 1; i++) {
      const e = log[i]!;
      if (creates(e) && (e.notes ?? []).some((n) => n.startsWith('fault'))) expect(creates(log[i + 1]!)).toBe(false);
    }
    expect(gov.stats().retries).toBeGreaterThan(0);

    expect(await namesOfGroups(tenant.orgUrl, tenant.apiToken)).toEqual(names);
    const check = createOktaClient({ orgUrl: tenant.orgUrl, token: tenant.apiToken, governor: createGovernor({ baseBackoffMs: 5 }) });
    const all = await check.list<Obj>('/api/v1/users', { search: 'profile.login sw "fault.user"' });
    expect(all.map((u) => String((u.profile as Obj).login)).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `fault.user${i}@example.com`).sort());
  });

  it('keeps within the concurrency cap (the tenant rejects anything over it)', async () => {
    tenant = await startLocalTenant({
      port: 0,
      latencyMs: 20,
      rateLimits: limitsFile('conc', { concurrency: 4, buckets: [{ name: 'api', match: '/api/v1/**', limit: 100000 }] }),
    });
    const gov = createGovernor({ maxConcurrent: 4 });
    const api = createOktaClient({ orgUrl: tenant.orgUrl, token: tenant.apiToken, governor: gov });
    await Promise.all(Array.from({ length: 30 }, () => api.request('GET', '/api/v1/groups', { query: { limit: 1 } })));
    expect(tenant.requestLog.filter((e) => e.status === 429)).toEqual([]);
    expect(gov.stats().maxInFlight).toBe(4);
  });

  it('a cap above the org’s is lowered after the first concurrency 429, and the run completes', async () => {
    tenant = await startLocalTenant({
      port: 0,
      latencyMs: 20,
      rateLimits: limitsFile('conc3', { concurrency: 3, buckets: [{ name: 'api', match: '/api/v1/**', limit: 100000 }] }),
    });
    const gov = createGovernor({ maxConcurrent: 10, baseBackoffMs: 5 });
    const api = createOktaClient({ orgUrl: tenant.orgUrl, token: tenant.apiToken, governor: gov });
    const res = await Promise.all(Array.from({ length: 40 }, () => api.request('GET', '/api/v1/groups', { query: { limit: 1 } })));
    expect(res.every((r) => r.status === 200)).toBe(true);
    expect(tenant.requestLog.filter((e) => e.status === 429).length).toBeGreaterThan(0);
    expect(gov.stats().concurrencyCap).toBe(2);
  });
});
