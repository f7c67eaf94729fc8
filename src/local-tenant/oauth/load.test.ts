/**
 * Okta's behaviour under load and faults, over HTTP: rate-limit headers on every response, 429 E0000047 once
 * a bucket is spent, the concurrent cap, and seeded faults that repeat exactly (before and after the handler).
 * "429 until reset" runs over HTTP with the tenant's injected clock (`clock` option), so no test waits a minute.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalTenant } from '../index.js';
import { FaultInjector } from '../steps/faults.js';
import type { LocalTenant } from '../types.js';
import { Org } from '../../../test/support/oauth-test-org.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'load-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function limitsFile(name: string, config: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(config));
  return p;
}

describe('rate-limit headers (developer org)', () => {
  let t: LocalTenant;
  beforeAll(async () => {
    t = await startLocalTenant({ port: 0, rateLimits: 'developer' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('are present and exact on every response, per bucket', async () => {
    const org = new Org(t.orgUrl, t.apiToken);
    const calls: [string, string, number][] = [
      ['GET', '/api/v1/groups', 100],
      ['GET', '/api/v1/users', 100],
      ['GET', '/api/v1/groups', 100],
      ['GET', '/api/v1/apps', 20],
      ['GET', '/api/v1/authorizationServers', 100],
      ['GET', '/api/v1/groups/00gNope', 100],
      ['GET', '/oauth2/v1/clients', 25],
      ['GET', '/oauth2/default/.well-known/openid-configuration', 600],
      ['GET', '/oauth2/default/v1/keys', 600],
      ['POST', '/api/v1/authn', 100],
      ['GET', '/api/v1/apps', 20],
      ['GET', '/api/v1/groups', 100],
    ];
    const seen: { bucket: string; reset: string }[] = [];
    for (const [method, path, limit] of calls) {
      const before = Date.now() / 1000;
      const r = await org.call(method, path, method === 'POST' ? { username: 'x', password: 'y' } : undefined);
      const reset = r.headers.get('x-rate-limit-reset') ?? '';
      expect(r.headers.get('x-rate-limit-limit'), `${method} ${path}`).toBe(String(limit));
      expect(Number(reset) % 60).toBe(0);
      expect(Number(reset)).toBeGreaterThan(before);
      expect(Number(reset)).toBeLessThanOrEqual(Math.floor(before / 60) * 60 + 120);
      // earlier requests of the same bucket in the same window
      const bucket = /^\/api\/v1\/groups\/[^/]+$/.test(path) ? 'group-by-id' : path.startsWith('/api/v1/groups') ? 'groups' : path.startsWith('/api/v1/users') ? 'users' : path.startsWith('/api/v1/apps') ? 'apps' : path.startsWith('/api/v1/') ? 'api' : path.startsWith('/oauth2/v1/clients') ? 'clients' : 'oauth2';
      const earlier = seen.filter((s) => s.reset === reset && s.bucket === bucket).length;
      expect(r.headers.get('x-rate-limit-remaining'), `${method} ${path}`).toBe(String(limit - earlier - 1));
      seen.push({ bucket, reset });
    }
  });
});

describe('a spent bucket', () => {
  it('gives 429 E0000047 with the headers, and other buckets still work', async () => {
    const t = await startLocalTenant({ port: 0, rateLimits: limitsFile('small.json', { buckets: [{ name: 'groups', match: '/api/v1/groups**', limit: 3 }, { name: 'api', match: '/api/v1/**', limit: 100 }] }) });
    try {
      const org = new Org(t.orgUrl, t.apiToken);
      const results: { status: number; remaining: string | null; reset: string | null; body: unknown }[] = [];
      for (let i = 0; i < 8 && !results.some((r) => r.status === 429); i++) {
        const r = await org.call('GET', '/api/v1/groups');
        results.push({ status: r.status, remaining: r.headers.get('x-rate-limit-remaining'), reset: r.headers.get('x-rate-limit-reset'), body: r.body });
      }
      const limited = results.at(-1);
      expect(limited?.status).toBe(429);
      expect(limited?.body).toMatchObject({ errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.', errorLink: 'E0000047', errorCauses: [] });
      expect(limited?.remaining).toBe('0');
      // exactly three admitted in the window of the 429
      expect(results.filter((r) => r.status === 200 && r.reset === limited?.reset).map((r) => r.remaining)).toEqual(['2', '1', '0']);
      const other = await org.call('GET', '/api/v1/users');
      expect(other.status).toBe(200);
      expect(other.headers.get('x-rate-limit-limit')).toBe('100');
    } finally {
      await t.close();
    }
  });
});

describe('a spent bucket, on the tenant clock', () => {
  it('gives 429 E0000047 with exact headers until its reset, then 200 once the clock passes it', async () => {
    let now = Date.UTC(2026, 0, 1, 10, 0, 12, 345);
    // an object config (not a file), and the tenant's injectable clock
    const t = await startLocalTenant({ port: 0, clock: () => now, rateLimits: { buckets: [{ name: 'groups', match: '/api/v1/groups**', limit: 2 }] } });
    try {
      const org = new Org(t.orgUrl, t.apiToken);
      const reset = String(Date.UTC(2026, 0, 1, 10, 1, 0) / 1000);
      const headers = (r: { headers: Headers }) => ({
        limit: r.headers.get('x-rate-limit-limit'),
        remaining: r.headers.get('x-rate-limit-remaining'),
        reset: r.headers.get('x-rate-limit-reset'),
      });
      for (const remaining of ['1', '0']) {
        const r = await org.call('GET', '/api/v1/groups');
        expect(r.status).toBe(200);
        expect(headers(r)).toEqual({ limit: '2', remaining, reset });
      }
      for (const at of [Date.UTC(2026, 0, 1, 10, 0, 12, 400), Date.UTC(2026, 0, 1, 10, 0, 59, 999)]) {
        now = at;
        const r = await org.call('GET', '/api/v1/groups?limit=1');
        expect(r.status).toBe(429);
        expect(headers(r)).toEqual({ limit: '2', remaining: '0', reset });
        expect(r.body).toMatchObject({ errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.', errorLink: 'E0000047', errorCauses: [] });
      }
      now = Date.UTC(2026, 0, 1, 10, 1, 0, 0); // the reset instant: a new window
      const after = await org.call('GET', '/api/v1/groups');
      expect(after.status).toBe(200);
      expect(headers(after)).toEqual({ limit: '2', remaining: '1', reset: String(Date.UTC(2026, 0, 1, 10, 2, 0) / 1000) });
      // the same clock stamps what the tenant writes
      const created = await org.call('POST', '/api/v1/groups', { profile: { name: 'clocked' } });
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({ created: '2026-01-01T10:01:00.000Z' });
      expect(t.requestLog.at(-1)).toMatchObject({ method: 'POST', path: '/api/v1/groups', at: '2026-01-01T10:01:00.000Z' });
    } finally {
      await t.close();
    }
  });
});

describe('the concurrent cap', () => {
  it("rejects requests beyond it with 429 and Okta's concurrency headers (limit 0, remaining 0, an estimated reset)", async () => {
    const file = limitsFile('conc.json', { concurrency: 3, buckets: [{ name: 'api', match: '/api/v1/**', limit: 1000 }] });
    // every request is held 1 s, so all eight are in flight together
    const t = await startLocalTenant({ port: 0, rateLimits: file, latencyMs: 1000 });
    try {
      const org = new Org(t.orgUrl, t.apiToken);
      // the reset is estimated when a request is refused, so it is judged against the time they were sent (the
      // answers come a held second later, and later still on a loaded machine)
      const sent = Date.now() / 1000;
      const rs = await Promise.all(Array.from({ length: 8 }, () => org.call('GET', '/api/v1/groups')));
      const ok = rs.filter((r) => r.status === 200);
      const limited = rs.filter((r) => r.status === 429);
      expect(ok).toHaveLength(3);
      expect(limited).toHaveLength(5);
      for (const r of limited) {
        expect(r.headers.get('x-rate-limit-limit')).toBe('0');
        expect(r.headers.get('x-rate-limit-remaining')).toBe('0');
        expect(Number(r.headers.get('x-rate-limit-reset'))).toBeGreaterThan(sent);
        expect(Number(r.headers.get('x-rate-limit-reset'))).toBeLessThanOrEqual(Date.now() / 1000 + 3);
        expect(r.body).toMatchObject({ errorCode: 'E0000047' });
      }
      // the slots are freed once the responses are done
      expect((await org.call('GET', '/api/v1/groups')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('seeded faults', () => {
  const RATE = 0.4;
  const SEED = 20260601;
  const N = 24;

  async function run(): Promise<{ outcomes: (number | 'reset')[]; existing: Set<string> }> {
    const t = await startLocalTenant({ port: 0, rateLimits: 'none', failRate: RATE, seed: SEED });
    try {
      const org = new Org(t.orgUrl, t.apiToken);
      const outcomes: (number | 'reset')[] = [];
      for (let i = 0; i < N; i++) {
        try {
          outcomes.push((await org.call('POST', '/api/v1/groups', { profile: { name: `g${i}` } })).status);
        } catch {
          outcomes.push('reset');
        }
      }
      // read back (retrying through the faults)
      for (;;) {
        try {
          const r = await org.call('GET', '/api/v1/groups?limit=200');
          if (r.status === 200) return { outcomes, existing: new Set((r.body as { profile: { name: string } }[]).map((g) => g.profile.name)) };
        } catch {
          /* reset: retry */
        }
      }
    } finally {
      await t.close();
    }
  }

  it('the same seed gives the same failures, before or after the handler ran', async () => {
    const first = await run();
    const second = await run();
    expect(second.outcomes).toEqual(first.outcomes);
    const injector = new FaultInjector({ rate: RATE, seed: SEED });
    const expected = Array.from({ length: N }, (_, i) => injector.decide(i));
    expect(first.outcomes).toEqual(expected.map((d) => (d === null ? 200 : d.kind === 'reset' ? 'reset' : Number(d.kind))));
    expect(expected.some((d) => d?.phase === 'after')).toBe(true);
    expect(expected.some((d) => d?.phase === 'before')).toBe(true);
    expect(new Set(first.outcomes)).toEqual(new Set([200, 500, 503, 'reset']));
    // "created but the response was lost": after-phase faults committed the group, before-phase ones did not
    for (let i = 0; i < N; i++) {
      expect(first.existing.has(`g${i}`), `g${i} (${JSON.stringify(expected[i])})`).toBe(expected[i]?.phase !== 'before');
    }
  });
});
