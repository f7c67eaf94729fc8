/**
 * Adopting: an object created outside the tool whose natural key matches is a conflict, never adopted
 * silently; --adopt adopts it (and records it as adopted). Nothing is duplicated either way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { expectOk, LEGACY, startEnv, type Env } from './apply-support.js';
import { sdkClient } from '../support/org.js';

describe('an object created outside the tool with a matching name', () => {
  let e: Env;
  let foreignId: string;
  const args = ['--input', join(LEGACY, 'mulesoft.json'), '--tag', 'conflict1'];
  const groupName = 'solar_system_users_planets conflict1';

  beforeAll(async () => {
    e = await startEnv();
    const g = await sdkClient(e.tenant.orgUrl, e.tenant.apiToken).groupApi.createGroup({
      group: { profile: { name: groupName, description: 'made by hand' } },
    });
    foreignId = g.id!;
  });
  afterAll(() => e?.close());

  it('is reported as a conflict, not adopted, and the run fails (exit 1) without a duplicate', async () => {
    const r = await e.cli([...args, '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`! conflict SILVER_GROUP (okta:user_group) ${foreignId}`);
    expect(r.stderr).toContain('--adopt');
    const snap = await e.snapshot();
    expect(snap.groups.filter((g) => g.name === groupName)).toHaveLength(1);
    const out = await e.output('mulesoft');
    expect(out['$okta-bootstrap'].objects.SILVER_GROUP).toBeUndefined();
    // independent objects were still created and recorded
    expect(out['$okta-bootstrap'].objects.GOLD_GROUP?.state).toBe('done');
    expect(out['$okta-bootstrap'].status).toBe('incomplete');
  });

  it('--adopt adopts it: same id, recorded as adopted, the difference updated in place', async () => {
    const r = expectOk(await e.cli([...args, '--yes', '--adopt']));
    expect(r.stderr).toMatch(new RegExp(`(adopted|updated) SILVER_GROUP \\(okta:user_group\\) ${foreignId}`));
    expect(r.stderr).toContain('profile.description: "made by hand" → "Solar system users with read access to /planets"');
    const out = await e.output('mulesoft');
    expect(out['$okta-bootstrap'].objects.SILVER_GROUP).toMatchObject({ state: 'done', id: foreignId, adopted: true });
    expect(out.SILVER_GROUP_ID).toBe(foreignId);
    const snap = await e.snapshot();
    expect(snap.groups.filter((g) => g.name === groupName)).toHaveLength(1);
    expect(snap.groups.find((g) => g.id === foreignId)!.members).toHaveLength(2);
  });
});
