/**
 * Replace and shared objects, end to end on a local tenant (each case ends with the records invariant: every object
 * of the tool's kinds in the org is owned by exactly one record, or shared):
 * - a changed FAKE_USER_DOMAIN changes both users' logins: the plan shows two replaces (--dry-run, --json), the
 *   apply leaves two users with the right memberships and deletes the old ones; going back replaces again;
 * - a group renamed in a changed copy of the input: the users move at once, the rule of the input built on it
 *   (mulesoft_policy) moves on its next run, and only then is the old group deleted;
 * - two inputs that need the same trusted origin and the same Everyone assignment: the second records them as
 *   shared (no conflict, no --adopt), in either order, and re-runs stay clean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../support/cli.js';
import { sdkClient } from '../support/org.js';
import { orgObjects, recordsInvariant, type OrgObject } from '../support/records.js';
import { expectOk, startEnv, type Env } from './apply-support.js';

const CLEAN = { unrecorded: [], ownedTwice: [], sharedOnly: [] };

interface JsonPlan {
  counts: Record<string, number>;
  objects: { key: string; action: string; name?: string; replaces?: { id: string; name: string; kept: boolean } }[];
}

const sdkOf = (e: Env) => sdkClient(e.tenant.orgUrl, e.tenant.apiToken);

describe('a changed FAKE_USER_DOMAIN replaces both users', () => {
  let e: Env;
  let baseline: OrgObject[];
  let firstIds: string[];
  beforeAll(async () => {
    e = await startEnv();
    baseline = await orgObjects(sdkOf(e));
    expectOk(await e.cli(['--mulesoft', '--yes']));
    const out = await e.output('mulesoft');
    firstIds = ['SILVER_USER', 'GOLD_USER'].map((k) => out['$okta-bootstrap'].objects[k]?.id ?? '');
  }, 120_000);
  afterAll(() => e?.close());

  it('the dry run shows two replaces, with the old login and the new one, in text and in --json', async () => {
    const text = expectOk(await e.cli(['--mulesoft', '--yes', '--dry-run', '--set', 'FAKE_USER_DOMAIN=example.com']));
    expect(text.stdout).toMatch(/^-\/\+ replace SILVER_USER \(okta:user\) "[^"]+@oktademo\.com" \(\w+\) → "[^"]+@example\.com"/m);
    expect(text.stdout).toMatch(/^-\/\+ replace GOLD_USER /m);
    expect(text.stdout).toMatch(/0 to create, 2 to replace, /);
    const json = JSON.parse(expectOk(await e.cli(['--mulesoft', '--yes', '--dry-run', '--json', '--set', 'FAKE_USER_DOMAIN=example.com'])).stdout) as JsonPlan;
    expect(json.counts).toMatchObject({ create: 0, replace: 2, conflict: 0 });
    const replaced = json.objects.filter((o) => o.action === 'replace');
    expect(replaced.map((o) => o.key).sort()).toEqual(['GOLD_USER', 'SILVER_USER']);
    for (const o of replaced) {
      expect(o.name).toMatch(/@example\.com$/);
      expect(o.replaces?.name).toMatch(/@oktademo\.com$/);
      expect(o.replaces?.kept).toBe(false);
      expect(firstIds).toContain(o.replaces?.id);
    }
  }, 60_000);

  it('the apply leaves two users, in the right groups, and deletes the replaced ones', async () => {
    const r = expectOk(await e.cli(['--mulesoft', '--yes', '--set', 'FAKE_USER_DOMAIN=example.com']));
    expect(r.stderr).toMatch(/\+ created SILVER_USER \(okta:user\) \w+ \(replaces \w+/);
    expect(r.stderr).toMatch(/- deleted SILVER_USER~\w+ \(okta:user\)/);
    expect(r.stderr).toMatch(/2 replaced deleted/);
    const s = await e.snapshot();
    expect(s.users.map((u) => u.login).sort()).toEqual(s.users.map((u) => u.login).filter((l) => l.endsWith('@example.com')).sort());
    expect(s.users).toHaveLength(2);
    const out = await e.output('mulesoft');
    const silver = s.users.find((u) => u.login === (out.SILVER_USER as { profile: { login: string } }).profile.login);
    const gold = s.users.find((u) => u.login === (out.GOLD_USER as { profile: { login: string } }).profile.login);
    expect(silver?.groups.filter((g) => g !== 'Everyone').map((g) => g.split(' ')[0])).toEqual(['solar_system_users_planets']);
    expect(gold?.groups.filter((g) => g !== 'Everyone').map((g) => g.split(' ')[0]).sort()).toEqual(['solar_system_users_moons', 'solar_system_users_planets']);
    const objects = out['$okta-bootstrap'].objects;
    for (const id of firstIds) expect(Object.entries(objects).find(([k]) => k.endsWith(`~${id}`))?.[1].state).toBe('deleted');
    expect(await recordsInvariant(sdkOf(e), e.out, { baseline })).toEqual(CLEAN);
  }, 120_000);

  it('going back to the old domain replaces them again, with no conflict', async () => {
    const r = expectOk(await e.cli(['--mulesoft', '--yes']));
    expect(r.stderr).not.toMatch(/conflict/);
    const s = await e.snapshot();
    expect(s.users).toHaveLength(2);
    for (const u of s.users) expect(u.login).toMatch(/@oktademo\.com$/);
    const again = expectOk(await e.cli(['--mulesoft', '--yes', '--dry-run']));
    expect(again.stdout).not.toMatch(/replace|create  /);
    expect(await recordsInvariant(sdkOf(e), e.out, { baseline })).toEqual(CLEAN);
  }, 120_000);
});
