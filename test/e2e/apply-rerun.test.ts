/**
 * Running again: the same input twice leaves one copy of each object, and the second run reports
 * everything unchanged with zero writes in the tenant's request log. Built-in and legacy inputs. Also: a changed
 * description gives an update with the diff shown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectOk, LEGACY, startEnv, type Env } from './apply-support.js';
import { obj, parseObject } from '../support/json.js';
import type { OrgSnapshot } from '../support/org.js';

const variants = [
  { name: 'built-in inputs', mulesoft: ['--mulesoft'], policy: ['--mulesoft_policy'] },
  { name: 'legacy inputs', mulesoft: ['--input', join(LEGACY, 'mulesoft.json')], policy: ['--input', join(LEGACY, 'mulesoft_policy.json')] },
];

describe.each(variants)('running $name again', (v) => {
  let e: Env;
  let afterFirst: OrgSnapshot;
  let second: Awaited<ReturnType<Env['cli']>>;
  let secondWrites: string[];
  let policySecond: Awaited<ReturnType<Env['cli']>>;
  let policyWrites: string[];
  let clientId: string;

  beforeAll(async () => {
    e = await startEnv();
    expectOk(await e.cli([...v.mulesoft, '--yes']));
    afterFirst = await e.snapshot();
    const mark = e.tenant.requestLog.length;
    second = expectOk(await e.cli([...v.mulesoft, '--yes']));
    secondWrites = e.writesSince(mark);

    const first = await e.output('mulesoft');
    clientId = await e.registerClient('Solar System Auth', String(first.REDIRECT_URI));
    expectOk(await e.cli([...v.policy, '--yes', '--set', `AUTHN_CLIENT_ID=${clientId}`]));
    const pmark = e.tenant.requestLog.length;
    policySecond = expectOk(await e.cli([...v.policy, '--yes', '--set', `AUTHN_CLIENT_ID=${clientId}`]));
    policyWrites = e.writesSince(pmark);
  }, 120_000);
  afterAll(() => e?.close());

  it('the second run of mulesoft creates nothing, writes nothing, and reports every object unchanged', async () => {
    expect(secondWrites).toEqual([]);
    expect(second.stderr).not.toMatch(/^\+ created/m);
    const out = await e.output('mulesoft');
    const objects = Object.entries(out['$okta-bootstrap'].objects);
    expect(objects.length).toBeGreaterThanOrEqual(7);
    for (const [key, o] of objects) {
      expect(o.state, key).toBe('done');
      expect(second.stderr).toContain(`= unchanged ${key} (${o.objectClass}) ${o.id}`);
    }
    expect(out['$okta-bootstrap'].status).toBe('complete');
  });

  it('the org holds one copy of each object', async () => {
    const now = await e.snapshot();
    // the policy run added to it; the mulesoft objects are exactly those of the first run
    expect(now.groups.map((g) => g.id)).toEqual(afterFirst.groups.map((g) => g.id));
    expect(now.users.map((u) => u.id)).toEqual(afterFirst.users.map((u) => u.id));
    expect(now.servers.map((s) => s.id)).toEqual(afterFirst.servers.map((s) => s.id));
    expect(now.servers.find((s) => !s.isDefault)!.policies).toHaveLength(1);
    expect(now.servers.find((s) => !s.isDefault)!.policies[0]!.rules).toHaveLength(2);
  });

  it('the second run of mulesoft_policy writes nothing either', async () => {
    expect(policyWrites).toEqual([]);
    expect(policySecond.stderr).not.toMatch(/^\+ created/m);
    const out = await e.output('mulesoft_policy');
    expect(out['$okta-bootstrap'].dataSources).toEqual(['mulesoft']);
    for (const o of Object.values(out['$okta-bootstrap'].objects)) expect(o.state).toBe('done');
  });

  it('keeps the client secret across runs (Okta returns it only on create)', async () => {
    const out = await e.output('mulesoft');
    expect(String(out.INTROSPECT_CLIENT_SECRET).length).toBeGreaterThan(20);
    expect((out.INTROSPECT_CLIENT as { client_secret?: string }).client_secret).toBe(out.INTROSPECT_CLIENT_SECRET);
  });

  it('sends and receives only what the spec declares', () => {
    const bad = e.tenant.requestLog.filter((x) => (x.violations ?? []).length > 0);
    expect(bad.map((x) => ({ req: `${x.method} ${x.path}`, v: x.violations }))).toEqual([]);
  });
});

describe('a changed description', () => {
  let e: Env;
  afterAll(() => e?.close());

  it('is an update, with the difference shown field by field, applied in place', async () => {
    e = await startEnv();
    const file = join(e.dir, 'mulesoft.json');
    const input = parseObject(await readFile(join(LEGACY, 'mulesoft.json'), 'utf8'));
    await writeFile(file, JSON.stringify(input));
    expectOk(await e.cli(['--input', file, '--yes']));
    const groupId = String((await e.output('mulesoft')).SILVER_GROUP_ID);
    obj(obj(obj(input.SILVER_GROUP).default).profile).description = 'Planets only, changed';
    await writeFile(file, JSON.stringify(input));
    const mark = e.tenant.requestLog.length;
    const r = expectOk(await e.cli(['--input', file, '--yes']));
    expect(r.stderr).toContain(`~ updated SILVER_GROUP (okta:user_group) ${groupId}`);
    expect(r.stderr).toContain('profile.description: "Solar system users with read access to /planets" → "Planets only, changed"');
    expect(e.writesSince(mark)).toEqual([`PUT /api/v1/groups/${groupId} 200`]);
    const g = (await e.snapshot()).groups.find((x) => x.id === groupId);
    expect(g).toBeDefined();
    const sdkGroup = await (await import('../support/org.js')).sdkClient(e.tenant.orgUrl, e.tenant.apiToken).groupApi.getGroup({ groupId });
    expect(sdkGroup.profile?.description).toBe('Planets only, changed');
  });
});

describe.each(variants)('a changed PORT, $name', (v) => {
  let e: Env;
  afterAll(() => e?.close());

  it("re-runs as a full replace of the client (client_id and every setting), which the tenant accepts", async () => {
    e = await startEnv();
    expectOk(await e.cli([...v.mulesoft, '--yes']));
    const first = await e.output('mulesoft');
    const clientId = String(first.INTROSPECT_CLIENT_ID);
    const mark = e.tenant.requestLog.length;
    const r = expectOk(await e.cli([...v.mulesoft, '--yes', '--set', 'PORT=9191']));
    expect(r.stderr).toContain(`~ updated INTROSPECT_CLIENT (okta:client) ${clientId}`);
    expect(e.writesSince(mark)).toContain(`PUT /oauth2/v1/clients/${clientId} 200`);
    const after = await e.output('mulesoft');
    expect(after.REDIRECT_URI).toBe('http://localhost:9191');
    // the secret is kept (the replace does not rotate it) and the org holds the new redirect URI
    expect(after.INTROSPECT_CLIENT_SECRET).toBe(first.INTROSPECT_CLIENT_SECRET);
    expect((await e.snapshot()).apps.find((a) => a.id === clientId)?.redirectUris).toEqual(['http://localhost:9191']);
    // and again: nothing left to change
    const m2 = e.tenant.requestLog.length;
    expectOk(await e.cli([...v.mulesoft, '--yes', '--set', 'PORT=9191']));
    expect(e.writesSince(m2)).toEqual([]);
  }, 120_000);
});
