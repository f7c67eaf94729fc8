/**
 * verify against a tenant that fails 10 % of Okta's requests (500, 503 or a reset, before or after the handler
 * ran), for seeds 1 to 10: every check passes. verify's OAuth calls go through the governed transport (GETs and
 * introspection retried, the dance restarted rather than a sessionToken or code replayed), so an injected fault
 * is never taken for a misconfiguration.
 *
 * One good setup (built CLI, no faults) on a state file; then, per seed, the same state served with faults on the
 * same port (the output files name that URL) and verify run in-process (the runVerify the CLI calls, with the same
 * file reading); for seed 3 also through the built CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalTenant } from '../../src/local-tenant/index.js';
import { runVerify } from '../../src/verify/index.js';
import { runCli } from '../support/cli.js';
import { setUpMulesoft, type MulesoftSetup } from '../support/mulesoft-setup.js';

let s: MulesoftSetup;
let statePath: string;
let port: number;
/** Injected faults per seed, from the tenant's request log. */
const faultsBySeed: Record<number, number> = {};

beforeAll(async () => {
  statePath = join(await mkdtemp(join(tmpdir(), 'okb-vfaults-')), 'tenant.json');
  s = await setUpMulesoft({ statePath });
  port = Number(new URL(s.tenant.orgUrl).port);
  await s.close();
}, 120_000);

afterAll(async () => {
  await s?.close();
});

async function withFaults<T>(seed: number, fn: (orgUrl: string, token: string) => Promise<T>): Promise<{ result: T; faults: number }> {
  const t = await startLocalTenant({ port, statePath, rateLimits: 'none', failRate: 0.1, seed });
  try {
    const result = await fn(t.orgUrl, t.apiToken);
    return { result, faults: t.requestLog.filter((e) => (e.notes ?? []).some((n) => n.startsWith('fault #'))).length };
  } finally {
    await t.close();
  }
}

describe('verify --mulesoft with --fail-rate 0.1', () => {
  for (let seed = 1; seed <= 10; seed++) {
    it(`seed ${seed}: every check passes`, async () => {
      const { result: report, faults } = await withFaults(seed, (orgUrl, token) =>
        runVerify({ credentials: { orgUrl, token }, outputDir: s.outputDir, envFile: s.envFile, env: {} }),
      );
      const bad = report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.status} ${c.cause ?? c.detail ?? ''}`);
      expect(bad).toEqual([]);
      expect(report.counts).toEqual({ pass: 27, fail: 0, skip: 0 });
      faultsBySeed[seed] = faults;
    }, 60_000);
  }

  it('the faults really happened: about one request in ten over the ten seeds', () => {
    const total = Object.values(faultsBySeed).reduce((a, b) => a + b, 0);
    expect(Object.keys(faultsBySeed)).toHaveLength(10);
    expect(total, JSON.stringify(faultsBySeed)).toBeGreaterThanOrEqual(20);
  });

  it('seed 3 through the built CLI: exit 0, 27 passed', async () => {
    const { result: r } = await withFaults(3, (orgUrl, token) =>
      runCli('okta-bootstrap', ['verify', '--mulesoft', '--output-dir', s.outputDir, '--env-file', s.envFile], { env: { OKTA_TENANT: orgUrl, OKTA_API_TOKEN: token }, cwd: s.dir }),
    );
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('verify: 27 passed, 0 failed, 0 skipped');
  }, 60_000);
});
