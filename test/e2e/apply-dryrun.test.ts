/**
 * Dry run: --dry-run resolves every value and reads the org, prints the plan (create / update /
 * unchanged / conflict with method, path and masked body), and sends no write; --json prints it as JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { expectOk, startEnv, type Env } from './apply-support.js';

interface JsonPlan {
  input: string;
  counts: Record<string, number>;
  objects: { key: string; objectClass: string; action: string; method?: string; path?: string; body?: unknown; id?: string }[];
}

describe('--dry-run', () => {
  let e: Env;
  beforeAll(async () => {
    e = await startEnv();
  });
  afterAll(() => e?.close());

  it('on an empty org: every object is a create, later values are (known after apply), nothing is written', async () => {
    const mark = e.tenant.requestLog.length;
    const before = await e.snapshot();
    const r = expectOk(await e.cli(['--mulesoft', '--dry-run', '--yes']));
    expect(e.writesSince(mark)).toEqual([]);
    expect(await e.snapshot()).toEqual(before);
    await expect(readdir(e.out)).rejects.toThrow(); // no output file either
    expect(r.stdout).toMatch(/\+ create\s+OKTA_AZ_SERVER \(okta:authz_server\)/);
    expect(r.stdout).toContain('POST /api/v1/authorizationServers');
    expect(r.stdout).toContain('POST /api/v1/groups');
    expect(r.stdout).toContain('(known after apply)');
    expect(r.stdout).not.toMatch(/^(= unchanged|! conflict)/m);
    // secrets are masked: the generated password never shows
    expect(r.stdout).toContain('********');
  });

  it('--json on an empty org prints the plan as JSON', async () => {
    const mark = e.tenant.requestLog.length;
    const r = expectOk(await e.cli(['--mulesoft', '--dry-run', '--json', '--yes']));
    expect(e.writesSince(mark)).toEqual([]);
    const plan = JSON.parse(r.stdout) as JsonPlan;
    expect(plan.input).toBe('mulesoft');
    expect(plan.objects.length).toBeGreaterThanOrEqual(7);
    expect(plan.objects.every((o) => o.action === 'create')).toBe(true);
    const user = plan.objects.find((o) => o.objectClass === 'okta:user')!;
    expect(JSON.stringify(user.body)).toContain('(known after apply)'); // its group ids
    expect(JSON.stringify(user.body)).not.toMatch(/"value":"(?!\*)/); // password masked
    expect(plan.objects.find((o) => o.objectClass === 'okta:scope')!.path).toContain('(known after apply)');
  });

  it('on a fully applied org: every object unchanged, still no write', async () => {
    expectOk(await e.cli(['--mulesoft', '--yes']));
    const mark = e.tenant.requestLog.length;
    const r = expectOk(await e.cli(['--mulesoft', '--dry-run', '--json', '--yes']));
    expect(e.writesSince(mark)).toEqual([]);
    const plan = JSON.parse(r.stdout) as JsonPlan;
    expect(plan.objects.map((o) => `${o.key} ${o.action}`)).toEqual(plan.objects.map((o) => `${o.key} unchanged`));
    const out = await e.output('mulesoft');
    for (const o of plan.objects) expect(o.id).toBe(out['$okta-bootstrap'].objects[o.key]!.id);
    const text = expectOk(await e.cli(['--mulesoft', '--dry-run', '--yes']));
    expect(text.stdout).toMatch(/0 to create, 0 to update, \d+ unchanged, 0 conflicts/);
    expect(e.writesSince(mark)).toEqual([]);
  });
});
