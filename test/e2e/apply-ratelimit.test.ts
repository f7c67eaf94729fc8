/**
 * Forced 429s at the CLI level: the tenant's `developer` profile (an Integrator Free Plan org's separate buckets)
 * scaled down in 3-s windows, and a concurrency cap (2) far below the CLI's default concurrency (8), so that the
 * run meets both kinds of E0000047 for real: rate 429s (the bucket's limit, remaining 0, its reset) and
 * concurrency 429s (limit 0, remaining 0). The governor waits (and says so), the run completes with exit 0, and
 * the org holds exactly one of each object.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalTenant } from '../../src/local-tenant/index.js';
import { DEVELOPER_RATE_LIMITS } from '../../src/local-tenant/steps/rate-limit.js';
import { runCli } from '../support/cli.js';
import { orgSnapshot, sdkClient } from '../support/org.js';

type Tenant = Awaited<ReturnType<typeof startLocalTenant>>;

describe('a run against tight rate limits', () => {
  let tenant: Tenant;
  let dir: string;

  beforeAll(async () => {
    tenant = await startLocalTenant({
      port: 0,
      latencyMs: 30,
      rateLimits: {
        concurrency: 2,
        windowSeconds: 3,
        // the profile's buckets at a thirtieth of their per-minute limits, per 3 s (a rate below the profile's, so
        // that buckets are spent and the waits for their resets are long enough to be announced)
        buckets: DEVELOPER_RATE_LIMITS.buckets.map((b) => ({ ...b, limit: Math.max(1, Math.round(b.limit / 30)) })),
      },
    });
    dir = await mkdtemp(join(tmpdir(), 'okb-429-'));
    await writeFile(join(dir, '.env'), '', { mode: 0o600 });
  });

  afterAll(async () => {
    await tenant?.close();
  });

  it('meets 429s, waits them out, and completes with one of each object', async () => {
    const r = await runCli('okta-bootstrap', ['--mulesoft', '--yes', '--output-dir', join(dir, 'output'), '--env-file', join(dir, '.env')], {
      env: { OKTA_TENANT: tenant.orgUrl, OKTA_API_TOKEN: tenant.apiToken },
      cwd: dir,
      timeoutMs: 90_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const refused = tenant.requestLog.filter((e) => e.status === 429);
    expect(refused.length, 'the tenant sent 429s (otherwise this test proves nothing)').toBeGreaterThan(0);
    const notes = refused.flatMap((e) => e.notes ?? []);
    expect(notes.some((n) => n.startsWith('rate limited (') && n !== 'rate limited (concurrency)'), 'a bucket was spent').toBe(true);
    expect(r.stderr).toMatch(/rate limit on (GET|POST|PUT|DELETE) \/\S+, resuming in \d+(\.\d)? s/);
    expect(r.stderr).toMatch(/Done: 8 created/);
    expect(r.stderr + r.stdout).not.toMatch(/E0000047/); // the person never sees the 429 itself

    const out = JSON.parse(await readFile(join(dir, 'output', 'mulesoft.json'), 'utf8')) as Record<string, unknown>;
    const snap = await orgSnapshot(sdkClient(tenant.orgUrl, tenant.apiToken));
    const servers = snap.servers.filter((s) => !s.isDefault);
    expect(servers).toHaveLength(1);
    expect(servers[0]!.scopes).toHaveLength(2);
    expect(snap.users).toHaveLength(2);
    expect(snap.groups.filter((g) => g.type !== 'BUILT_IN')).toHaveLength(2);
    expect(snap.apps.map((a) => a.id)).toEqual([out.INTROSPECT_CLIENT_ID]);
  }, 120_000);
});
