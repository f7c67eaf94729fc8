/**
 * destroy never deletes what a record of this tool does not own (issue "every object stays recorded", case 11 and
 * the destroy side of shared objects and sets):
 * - a hand-edited id naming a hand-made group or user is refused ("recorded id X is now Y"), both kept, the rest
 *   deleted, exit 1; once the entries are fixed, the same destroy finishes;
 * - an id naming Everyone sends no DELETE for it at all ("kept: Okta's own"), checked in the tenant's request log;
 * - a record of another org is refused (exit 2), and so is a per-run snapshot (exit 2, with how to restore it);
 * - a record held by another run's lock is refused (exit 1); destroy releases its own locks;
 * - a shared entry is released, not deleted; an owned object another record still uses is handed over to it;
 * - --tag and --all choose among the sets of an input; destroying the current set says which earlier sets remain.
 * Every case ends with the records invariant (test/support/records.ts).
 */
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, startEnv, type Env } from './apply-support.js';
import { sdkClient } from '../support/org.js';
import { orgObjects, recordsInvariant, type OrgObject } from '../support/records.js';

const META = '$okta-bootstrap';
const CLEAN = { unrecorded: [], ownedTwice: [], sharedOnly: [] };

interface RawEntry {
  objectClass: string;
  state: string;
  id?: string;
  naturalKey: Record<string, string>;
  shared?: boolean;
  at: string;
}
interface RawMeta {
  input: string;
  orgUrl: string;
  tag?: string;
  retiredAt?: string;
  objects: Record<string, RawEntry>;
}
type RawRecord = Record<string, unknown> & { [META]: RawMeta };

async function readRecord(file: string): Promise<RawRecord> {
  return JSON.parse(await readFile(file, 'utf8')) as RawRecord;
}

async function editRecord(file: string, edit: (meta: RawMeta) => void): Promise<void> {
  const json = await readRecord(file);
  edit(json[META]);
  await writeFile(file, JSON.stringify(json, null, 2) + '\n');
}

function entry(meta: RawMeta, key: string): RawEntry {
  const o = meta.objects[key];
  if (!o) throw new Error(`no entry ${key} in the record`);
  return o;
}

/** A management API call straight to the tenant: objects made by hand, as someone else would. */
async function mgmt(e: Env, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${e.tenant.orgUrl}${path}`, {
    method,
    headers: { Authorization: `SSWS ${e.tenant.apiToken}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

async function list<T>(e: Env, path: string): Promise<T[]> {
  const res = await fetch(`${e.tenant.orgUrl}${path}`, { headers: { Authorization: `SSWS ${e.tenant.apiToken}`, Accept: 'application/json' } });
  return (await res.json()) as T[];
}

async function exists(e: Env, path: string): Promise<boolean> {
  const res = await fetch(`${e.tenant.orgUrl}${path}`, { headers: { Authorization: `SSWS ${e.tenant.apiToken}`, Accept: 'application/json' } });
  await res.text();
  return res.status === 200;
}

function deletesSince(e: Env, mark: number): string[] {
  return e.tenant.requestLog.slice(mark).filter((r) => r.method === 'DELETE').map((r) => r.path);
}

describe('destroy checks each object before deleting it', () => {
  let e: Env;
  let baseline: OrgObject[];
  /** The objects the tests made by hand, as someone else. */
  const foreign: string[] = [];
  const sdk = () => sdkClient(e.tenant.orgUrl, e.tenant.apiToken);
  const record = () => join(e.out, 'mulesoft.json');
  beforeAll(async () => {
    e = await startEnv();
    baseline = await orgObjects(sdk());
  }, 60_000);
  afterAll(() => e?.close());

  it('refuses a recorded id that now names a hand-made group or user, keeps both, deletes the rest, exits 1', async () => {
    expectOk(await e.cli(['--mulesoft', '--yes']));
    const group = await mgmt(e, 'POST', '/api/v1/groups', { profile: { name: 'Hand Made Group' } });
    const user = await mgmt(e, 'POST', '/api/v1/users?activate=true', { profile: { login: 'hand.made@example.com', email: 'hand.made@example.com', firstName: 'Hand', lastName: 'Made' } });
    const [gid, uid] = [String(group.id), String(user.id)];
    foreign.push(gid, uid);
    const real: Record<string, string> = {};
    await editRecord(record(), (m) => {
      real.SILVER_GROUP = entry(m, 'SILVER_GROUP').id ?? '';
      real.SILVER_USER = entry(m, 'SILVER_USER').id ?? '';
      entry(m, 'SILVER_GROUP').id = gid;
      entry(m, 'SILVER_USER').id = uid;
    });
    const mark = e.tenant.requestLog.length;
    const r = await e.cli(['destroy', '--mulesoft', '--yes']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`recorded id ${gid} is now okta:user_group profile.name "Hand Made Group"`);
    expect(r.stderr).toContain(`recorded id ${uid} is now okta:user profile.login "hand.made@example.com"`);
    expect(r.stderr).toMatch(/destroy kept 2 objects it may not delete/);
    expect(r.stderr).toMatch(/- deleted GOLD_GROUP \(okta:user_group\)/);
    expect(r.stderr).toMatch(/- deleted OKTA_AZ_SERVER \(okta:authz_server\)/);
    // no request of any kind changed the hand-made objects
    expect(e.writesSince(mark).filter((w) => w.includes(gid) || w.includes(uid))).toEqual([]);
    expect(await exists(e, `/api/v1/groups/${gid}`)).toBe(true);
    expect(await exists(e, `/api/v1/users/${uid}`)).toBe(true);
    const meta = (await readRecord(record()))[META];
    expect(entry(meta, 'SILVER_GROUP').state).toBe('done');
    expect(entry(meta, 'GOLD_GROUP').state).toBe('deleted');

    // the entries fixed, the same destroy deletes what is left, and only that
    await editRecord(record(), (m) => {
      entry(m, 'SILVER_GROUP').id = real.SILVER_GROUP;
      entry(m, 'SILVER_USER').id = real.SILVER_USER;
    });
    const again = expectOk(await e.cli(['destroy', '--mulesoft', '--yes']));
    expect(again.stderr).toMatch(/- deleted SILVER_GROUP \(okta:user_group\)/);
    expect(again.stderr).toMatch(/- deleted SILVER_USER \(okta:user\)/);
    expect(await recordsInvariant(sdk(), e.out, { baseline, foreign })).toEqual(CLEAN);
  }, 120_000);

  it('an id naming Everyone: kept as Okta\'s own, no DELETE request for it at all', async () => {
    expectOk(await e.cli(['--mulesoft', '--yes']));
    const everyone = await list<{ id: string }>(e, `/api/v1/groups?search=${encodeURIComponent('type eq "BUILT_IN"')}`);
    const eid = everyone[0]?.id ?? '';
    expect(eid).not.toBe('');
    let real = '';
    await editRecord(record(), (m) => {
      real = entry(m, 'GOLD_GROUP').id ?? '';
      entry(m, 'GOLD_GROUP').id = eid;
    });
    const mark = e.tenant.requestLog.length;
    const r = await e.cli(['destroy', '--mulesoft', '--yes']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`kept GOLD_GROUP (okta:user_group) ${eid}: Okta's own`);
    expect(deletesSince(e, mark).filter((p) => p.includes(eid))).toEqual([]);
    expect(e.writesSince(mark).filter((w) => w.includes(eid))).toEqual([]);
    await editRecord(record(), (m) => {
      entry(m, 'GOLD_GROUP').id = real;
    });
    expectOk(await e.cli(['destroy', '--mulesoft', '--yes']));
    expect(await recordsInvariant(sdk(), e.out, { baseline, foreign })).toEqual(CLEAN);
  }, 120_000);

  it('refuses a record of another org (exit 2) and a per-run snapshot (exit 2, with how to restore it)', async () => {
    expectOk(await e.cli(['--mulesoft', '--yes']));
    const snapshot = (await readdir(e.out)).find((n) => /^\d{8}-\d{4}/.test(n) && n.endsWith('_mulesoft.json'));
    expect(snapshot).toBeDefined();
    let mark = e.tenant.requestLog.length;
    const s = await e.cli(['destroy', '--output', join(e.out, snapshot ?? ''), '--yes']);
    expect(s.code, s.stderr).toBe(2);
    expect(s.stderr).toContain('per-run snapshot');
    expect(s.stderr).toContain(`cp ${join(e.out, snapshot ?? '')} ${record()}`);
    expect(e.tenant.requestLog.length).toBe(mark);

    const other = join(e.out, 'other.json');
    await writeFile(other, await readFile(record(), 'utf8'));
    await editRecord(other, (m) => {
      m.input = 'other';
      m.orgUrl = 'https://someone-else.okta.com';
    });
    mark = e.tenant.requestLog.length;
    const o = await e.cli(['destroy', '--output', other, '--yes']);
    expect(o.code, o.stderr).toBe(2);
    expect(o.stderr).toContain('https://someone-else.okta.com');
    expect(e.writesSince(mark)).toEqual([]);
    await rm(other);

    // a record held by a live run is refused, and destroy's own lock is gone once it ends
    const lock = `${record()}.lock`;
    await writeFile(lock, JSON.stringify({ pid: process.pid, host: hostname(), command: 'okta-bootstrap --mulesoft', startedAt: new Date().toISOString() }));
    mark = e.tenant.requestLog.length;
    const l = await e.cli(['destroy', '--mulesoft', '--yes']);
    expect(l.code, l.stderr).toBe(1);
    expect(l.stderr).toContain('in use by another okta-bootstrap run');
    expect(l.stderr).toContain('okta-bootstrap --mulesoft');
    expect(e.writesSince(mark)).toEqual([]);
    await rm(lock);
    expectOk(await e.cli(['destroy', '--mulesoft', '--yes']));
    expect((await readdir(e.out)).filter((n) => n.endsWith('.lock'))).toEqual([]);
    expect(await recordsInvariant(sdk(), e.out, { baseline, foreign })).toEqual(CLEAN);
  }, 120_000);
});

describe('destroy and shared objects', () => {
  let e: Env;
  let baseline: OrgObject[];
  const sdk = () => sdkClient(e.tenant.orgUrl, e.tenant.apiToken);
  const ORIGIN = 'http://localhost:8080';
  const inputA = {
    A_GROUP: { objType: 'json', objectClass: 'okta:user_group', saveToOutput: true, default: { profile: { name: 'shared test A', description: 'a' } } },
    A_ORIGIN: { objType: 'json', objectClass: 'okta:trusted_origin', saveToOutput: true, default: { name: 'app origin', origin: ORIGIN, scopes: [{ type: 'CORS' }] } },
  };
  const inputB = {
    B_GROUP: { objType: 'json', objectClass: 'okta:user_group', saveToOutput: true, default: { profile: { name: 'shared test B', description: 'b' } } },
  };
  const recA = () => join(e.out, 'a.json');
  const recB = () => join(e.out, 'b.json');
  /** B uses A's origin: the entry a run of B makes when it finds the origin with the settings it needs. */
  const shareOrigin = async () => {
    const origin = entry((await readRecord(recA()))[META], 'A_ORIGIN');
    await editRecord(recB(), (m) => {
      m.objects.B_ORIGIN = { ...origin, shared: true };
    });
    return origin.id ?? '';
  };
  beforeAll(async () => {
    e = await startEnv();
    baseline = await orgObjects(sdk());
    await writeFile(join(e.dir, 'a.json'), JSON.stringify(inputA));
    await writeFile(join(e.dir, 'b.json'), JSON.stringify(inputB));
  }, 60_000);
  afterAll(() => e?.close());

  it('a shared entry is released, the object kept for its owner', async () => {
    expectOk(await e.cli(['--input', join(e.dir, 'a.json'), '--yes']));
    expectOk(await e.cli(['--input', join(e.dir, 'b.json'), '--yes']));
    const id = await shareOrigin();
    const r = expectOk(await e.cli(['destroy', '--input', join(e.dir, 'b.json'), '--yes']));
    expect(r.stderr).toContain(`released B_ORIGIN (okta:trusted_origin) ${id}`);
    expect(await exists(e, `/api/v1/trustedOrigins/${id}`)).toBe(true);
    expect((await readRecord(recB()))[META].objects.B_ORIGIN).toBeUndefined();
    expect(await recordsInvariant(sdk(), e.out, { baseline })).toEqual(CLEAN);
  }, 120_000);

  it('an owned object another record still uses is handed over to it, then deleted by its destroy', async () => {
    expectOk(await e.cli(['--input', join(e.dir, 'b.json'), '--yes']));
    const id = await shareOrigin();
    const r = expectOk(await e.cli(['destroy', '--input', join(e.dir, 'a.json'), '--yes']));
    expect(r.stderr).toContain(`kept A_ORIGIN (okta:trusted_origin) ${id}: still used by ${recB()} (B_ORIGIN), which owns it from now on`);
    expect(r.stderr).toMatch(/- deleted A_GROUP \(okta:user_group\)/);
    expect(await exists(e, `/api/v1/trustedOrigins/${id}`)).toBe(true);
    expect((await readRecord(recA()))[META].objects.A_ORIGIN).toBeUndefined();
    const b = entry((await readRecord(recB()))[META], 'B_ORIGIN');
    expect(b.shared).toBeUndefined();
    expect(b.id).toBe(id);
    expect(await recordsInvariant(sdk(), e.out, { baseline })).toEqual(CLEAN);

    const d = expectOk(await e.cli(['destroy', '--input', join(e.dir, 'b.json'), '--yes']));
    expect(d.stderr).toMatch(/- deleted B_ORIGIN \(okta:trusted_origin\)/);
    expect(await exists(e, `/api/v1/trustedOrigins/${id}`)).toBe(false);
    expect(await recordsInvariant(sdk(), e.out, { baseline })).toEqual(CLEAN);
  }, 120_000);
});

describe('destroy chooses among the sets of an input', () => {
  let e: Env;
  let baseline: OrgObject[];
  const sdk = () => sdkClient(e.tenant.orgUrl, e.tenant.apiToken);
  const current = () => join(e.out, 'mulesoft.json');
  const earlier = (tag: string) => join(e.out, `mulesoft.${tag}.json`);
  /** A run of the set TAG, its record marked with its TAG (what the run itself records once sets are recorded). */
  const runSet = async (tag: string) => {
    expectOk(await e.cli(['--mulesoft', '--tag', tag, '--yes']));
    await editRecord(current(), (m) => {
      m.tag = tag;
    });
  };
  /** The current set becomes an earlier one: `<input>.<TAG>.json` with retiredAt. */
  const retire = async (tag: string) => {
    await editRecord(current(), (m) => {
      m.retiredAt = new Date().toISOString();
    });
    await rename(current(), earlier(tag));
  };
  const serverNamed = async (tag: string) => {
    return (await list<{ name: string }>(e, '/api/v1/authorizationServers')).some((s) => s.name.includes(tag));
  };
  beforeAll(async () => {
    e = await startEnv();
    baseline = await orgObjects(sdk());
    await runSet('tA');
    await retire('tA');
    await runSet('tB');
  }, 120_000);
  afterAll(() => e?.close());

  it('--all --dry-run lists every set; deletes nothing', async () => {
    const mark = e.tenant.requestLog.length;
    const r = expectOk(await e.cli(['destroy', '--mulesoft', '--all', '--dry-run']));
    expect(r.stdout).toContain(`mulesoft (${current()})`);
    expect(r.stdout).toContain(`mulesoft (${earlier('tA')})`);
    expect(e.writesSince(mark)).toEqual([]);
  });

  it('destroy --<input> destroys the current set and says which earlier sets remain', async () => {
    const r = expectOk(await e.cli(['destroy', '--mulesoft', '--yes']));
    expect(r.stderr).toContain('1 earlier set remains: okta-bootstrap ls');
    expect(await serverNamed('tB')).toBe(false);
    expect(await serverNamed('tA')).toBe(true);
    expect(await recordsInvariant(sdk(), e.out, { baseline })).toEqual(CLEAN);
  }, 60_000);

  it('--tag names a set that does not exist: exit 2, with the sets there are', async () => {
    const r = await e.cli(['destroy', '--mulesoft', '--tag', 'nope', '--yes']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('no set with TAG nope');
    expect(r.stderr).toContain('tA');
  });

  it('--tag destroys the set of that TAG, current or earlier, and only it', async () => {
    await runSet('tB');
    const r = expectOk(await e.cli(['destroy', '--mulesoft', '--tag', 'tA', '--yes']));
    expect(r.stderr).toContain(earlier('tA'));
    expect(await serverNamed('tA')).toBe(false);
    expect(await serverNamed('tB')).toBe(true);
    expect(await recordsInvariant(sdk(), e.out, { baseline })).toEqual(CLEAN);
    // the current set by its TAG
    const c = expectOk(await e.cli(['destroy', '--mulesoft', '--tag', 'tB', '--yes']));
    expect(c.stderr).toContain(current());
    expect(await serverNamed('tB')).toBe(false);
  }, 120_000);

  it('--all destroys every set of the input', async () => {
    await rm(earlier('tA'));
    await runSet('tB');
    await retire('tB');
    await runSet('tA');
    const r = expectOk(await e.cli(['destroy', '--mulesoft', '--all', '--yes']));
    expect(r.stderr).toContain(current());
    expect(r.stderr).toContain(earlier('tB'));
    expect(await serverNamed('tA')).toBe(false);
    expect(await serverNamed('tB')).toBe(false);
    expect(await recordsInvariant(sdk(), e.out, { baseline })).toEqual(CLEAN);
  }, 120_000);
});
