/**
 * `verify --input FILE` for a custom input: each object its output recorded exists and is active, the MuleSoft
 * checks are skipped with the reason (the input has not that shape), and an object deleted behind the tool's back
 * fails the check (exit 1) naming it. Against a local tenant on port 0.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingMulesoftKeys } from '../../src/verify/objects.js';
import { expectOk, startEnv, type Env } from './apply-support.js';

const INPUT = {
  TAG: { objType: 'string', default: '{{GENERATE_TAG}}', saveToOutput: true },
  TEAM_GROUP: { objType: 'json', objectClass: 'okta:user_group', saveToOutput: true, default: { profile: { name: 'verify-input team {{TAG}}', description: 'a custom input' } } },
  APP_ORIGIN: {
    objType: 'json',
    objectClass: 'okta:trusted_origin',
    saveToOutput: true,
    default: { name: 'verify-input origin {{TAG}}', origin: 'http://localhost:4321', scopes: [{ type: 'CORS' }] },
  },
};

describe('verify --input FILE', () => {
  let e: Env;
  let file: string;
  beforeAll(async () => {
    e = await startEnv();
    file = join(e.dir, 'my-setup.json');
    await writeFile(file, JSON.stringify(INPUT));
    expectOk(await e.cli(['--input', file, '--yes']));
  }, 60_000);
  afterAll(() => e?.close());

  it('checks each recorded object and says what it skipped', async () => {
    const r = await e.cli(['verify', '--input', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { checks: { id: string; status: string; detail?: string }[] };
    const byId = new Map(report.checks.map((c) => [c.id, c]));
    expect(byId.get('object.TEAM_GROUP')?.status).toBe('pass');
    expect(byId.get('object.APP_ORIGIN')?.status).toBe('pass');
    expect(byId.get('object.APP_ORIGIN')?.detail).toMatch(/ACTIVE/);
    const skipped = byId.get('mulesoft.checks');
    expect(skipped?.status).toBe('skip');
    expect(skipped?.detail).toMatch(/my-setup has not the MuleSoft flow's shape \(its output has no OKTA_AZ_SERVER, INTROSPECT_CLIENT, SILVER_USER, GOLD_USER\)/);
    const text = await e.cli(['verify', '--input', file]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('6. Objects the input recorded');
    expect(text.stdout).toMatch(/SKIP\s+mulesoft\.checks/);
  });

  it('an object deleted outside the tool fails its check, named, exit 1', async () => {
    const out = await e.output('my-setup');
    const id = out['$okta-bootstrap'].objects.TEAM_GROUP?.id;
    expect(id).toBeTruthy();
    const del = await fetch(`${e.tenant.orgUrl}/api/v1/groups/${id}`, { method: 'DELETE', headers: { Authorization: `SSWS ${e.tenant.apiToken}` } });
    expect(del.status).toBe(204);
    const r = await e.cli(['verify', '--input', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+object\.TEAM_GROUP/);
    expect(r.stdout).toContain(`TEAM_GROUP ${id}`);
    expect(r.stderr).toMatch(/1 of \d+ checks failed: object\.TEAM_GROUP/);
  });

  it('--input and --mulesoft together is a usage error; a missing output names the run to make', async () => {
    const both = await e.cli(['verify', '--input', file, '--mulesoft']);
    expect(both.code).toBe(2);
    const none = await e.cli(['verify', '--input', join(e.dir, 'never-run.json')]);
    expect(none.code, none.stderr).toBe(2);
    expect(none.stderr).toMatch(/Nothing to verify: .*never-run\.json does not exist/);
  });

  it('the MuleSoft shape: an authorization server, an introspection client, a silver and a gold user', () => {
    expect(missingMulesoftKeys({ values: { OKTA_AZ_SERVER_ID: 'aus1', INTROSPECT_CLIENT: {}, SILVER_USER: {}, GOLD_USERNAME: 'g' } })).toEqual([]);
    expect(missingMulesoftKeys({ values: { OKTA_AZ_SERVER: {} } })).toEqual(['INTROSPECT_CLIENT', 'SILVER_USER', 'GOLD_USER']);
  });
});
