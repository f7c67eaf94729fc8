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
import type { ChildProcess } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, runCli } from '../support/cli.js';
import { sdkClient } from '../support/org.js';
import { orgObjects, readRecords, recordsInvariant, type OrgObject } from '../support/records.js';
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
    expect(again.stdout).not.toMatch(/^(-\/\+ replace|\+ create) /m);
    expect(await recordsInvariant(sdkOf(e), e.out, { baseline })).toEqual(CLEAN);
  }, 120_000);
});

/** Kills the CLI (SIGKILL) as soon as the tenant logs the first request that `hit` matches. */
function killAt(e: Env, hit: (r: { method: string; path: string; status: number }) => boolean) {
  let child: ChildProcess | undefined;
  const log = e.tenant.requestLog;
  const push = log.push.bind(log);
  log.push = (...items) => {
    const n = push(...items);
    if (child && items.some(hit)) {
      child.kill('SIGKILL');
      child = undefined;
    }
    return n;
  };
  return (c: ChildProcess) => {
    child = c;
  };
}

const KILL_POINTS = [
  { at: 'the first new user is created', hit: (r: { method: string; path: string; status: number }) => r.method === 'POST' && r.path === '/api/v1/users' && r.status < 300 },
  // Okta deletes a user in two steps: killed between them, the user is left DEPROVISIONED
  { at: 'the first replaced user is deactivated', hit: (r: { method: string; path: string; status: number }) => r.method === 'POST' && /^\/api\/v1\/users\/[^/]+\/lifecycle\/deactivate$/.test(r.path) },
  { at: 'the first replaced user is deleted', hit: (r: { method: string; path: string; status: number }) => r.method === 'DELETE' && r.path.startsWith('/api/v1/users/') },
];
const THEN = [
  { name: 'the same domain', args: ['--set', 'FAKE_USER_DOMAIN=example.com'], domain: '@example.com' },
  { name: 'the old domain', args: [], domain: '@oktademo.com' },
];

describe.each(KILL_POINTS.flatMap((k) => THEN.map((t) => ({ ...k, then: t }))))('kill -9 when $at, then a run with $then.name', ({ at, hit, then }) => {
  it('leaves two users with the domain of the last run, every object recorded once', async () => {
    const e = await startEnv();
    try {
      const baseline = await orgObjects(sdkOf(e));
      expectOk(await e.cli(['--mulesoft', '--yes']));
      const killed = await e.cli(['--mulesoft', '--yes', '--set', 'FAKE_USER_DOMAIN=example.com'], { onSpawn: killAt(e, hit) });
      expect(killed.signal).toBe('SIGKILL');
      expect(await recordsInvariant(sdkOf(e), e.out, { baseline })).toEqual(CLEAN);
      const r = expectOk(await e.cli(['--mulesoft', '--yes', ...then.args]));
      expect(r.stderr).not.toMatch(/conflict/);
      // going back to a user left DEPROVISIONED: its delete is finished, and a new user made with its login
      if (at.includes('deactivated') && then.args.length === 0) expect(r.stderr).toMatch(/finished deleting (SILVER|GOLD)_USER~\w+ \(okta:user\)/);
      const users = (await e.snapshot()).users;
      expect(users).toHaveLength(2);
      for (const u of users) expect(u.login.endsWith(then.domain)).toBe(true);
      expect(await recordsInvariant(sdkOf(e), e.out, { baseline })).toEqual(CLEAN);
    } finally {
      await e.close();
    }
  }, 120_000);
});

describe('a replace in a run that fails', () => {
  let e: Env;
  let baseline: OrgObject[];
  let copy: string;
  let handMade: string;
  let firstIds: Record<string, string>;
  let failed: Awaited<ReturnType<Env['cli']>>;
  let afterFail: Record<string, { state: string; id?: string; replacedBy?: string }>;
  let back: Awaited<ReturnType<Env['cli']>>;
  beforeAll(async () => {
    e = await startEnv();
    baseline = await orgObjects(sdkOf(e));
    copy = join(e.dir, 'mulesoft.json');
    const input = JSON.parse(await readFile(join(ROOT, 'inputs', 'mulesoft.json'), 'utf8')) as Record<string, unknown>;
    delete input.$schema;
    await writeFile(copy, JSON.stringify(input, null, 2));
    expectOk(await e.cli(['--input', copy, '--yes']));
    const objects = (await e.output('mulesoft'))['$okta-bootstrap'].objects;
    firstIds = { SILVER_USER: objects.SILVER_USER?.id ?? '', GOLD_USER: objects.GOLD_USER?.id ?? '' };
    // someone else's group, which an entry added to the copy then names: a conflict that fails the run
    const g = await sdkOf(e).groupApi.createGroup({ group: { profile: { name: 'someone else group' } } });
    handMade = String(g.id);
    const withConflict = { ...input, EXTRA_GROUP: { objType: 'json', objectClass: 'okta:user_group', default: { profile: { name: 'someone else group' } } } };
    await writeFile(copy, JSON.stringify(withConflict, null, 2));
    failed = await e.cli(['--input', copy, '--yes', '--set', 'FAKE_USER_DOMAIN=example.com']);
    afterFail = (await e.output('mulesoft'))['$okta-bootstrap'].objects;
    await writeFile(copy, JSON.stringify(input, null, 2));
  }, 180_000);
  afterAll(() => e?.close());

  it('keeps the replaced users recorded (exit 1) and says the next complete run deletes them', async () => {
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/kept the replaced objects recorded \(.*SILVER_USER~/);
    for (const [key, id] of Object.entries(firstIds)) expect(afterFail[`${key}~${id}`]).toMatchObject({ state: 'done', id, replacedBy: key });
    expect((await e.snapshot()).users).toHaveLength(4);
    expect(await recordsInvariant(sdkOf(e), e.out, { baseline, foreign: [handMade] })).toEqual(CLEAN);
  });

  it('a dry run lists them to delete; going back, it takes them back instead', async () => {
    const same = expectOk(await e.cli(['--input', copy, '--yes', '--dry-run', '--set', 'FAKE_USER_DOMAIN=example.com']));
    for (const [key, id] of Object.entries(firstIds)) expect(same.stdout).toMatch(new RegExp(`^- delete {4}${key}~${id} \\(okta:user\\)`, 'm'));
    expect(same.stdout).toMatch(/2 replaced earlier to delete\./);
    const back = expectOk(await e.cli(['--input', copy, '--yes', '--dry-run']));
    expect(back.stdout).not.toMatch(/^- delete/m);
    expect(back.stdout).toMatch(/^= unchanged SILVER_USER \(okta:user\) "[^"]+@oktademo\.com"/m);
    expect(back.stdout).toMatch(/replaces "[^"]+@example\.com" \(\w+\), deleted once every step/);
  }, 60_000);

  it('going back takes the replaced users back and deletes the ones the failed run made', async () => {
    back = expectOk(await e.cli(['--input', copy, '--yes']));
    expect(back.stderr).not.toMatch(/conflict/);
    const s = await e.snapshot();
    expect(s.users.map((u) => u.id).sort()).toEqual(Object.values(firstIds).sort());
    const objects = (await e.output('mulesoft'))['$okta-bootstrap'].objects as typeof afterFail;
    for (const [key, id] of Object.entries(firstIds)) {
      expect(objects[key]?.id).toBe(id);
      expect(objects[`${key}~${id}`]).toBeUndefined();
      const made = afterFail[key]?.id ?? '';
      expect(objects[`${key}~${made}`]).toMatchObject({ state: 'deleted', replacedBy: key });
    }
    expect(await recordsInvariant(sdkOf(e), e.out, { baseline, foreign: [handMade] })).toEqual(CLEAN);
  }, 120_000);
});

describe('a group renamed in a changed copy of the input', () => {
  let e: Env;
  let baseline: OrgObject[];
  let copy: string;
  let clientId: string;
  let oldGroupId: string;
  let renamed: Awaited<ReturnType<Env['cli']>>;
  let policyRun: Awaited<ReturnType<Env['cli']>>;
  let finalRun: Awaited<ReturnType<Env['cli']>>;
  beforeAll(async () => {
    e = await startEnv();
    baseline = await orgObjects(sdkOf(e));
    // a copy named mulesoft.json: its record is output/mulesoft.json, which mulesoft_policy loads
    copy = join(e.dir, 'mulesoft.json');
    await copyFile(join(ROOT, 'inputs', 'mulesoft.json'), copy);
    await copyFile(join(ROOT, 'inputs', 'schema.json'), join(e.dir, 'schema.json'));
    expectOk(await e.cli(['--input', copy, '--yes']));
    const first = await e.output('mulesoft');
    oldGroupId = String(first.SILVER_GROUP_ID);
    clientId = await e.registerClient('Solar System Auth', String(first.REDIRECT_URI));
    expectOk(await e.cli(['--mulesoft_policy', '--yes', '--set', `AUTHN_CLIENT_ID=${clientId}`]));
    const text = await readFile(copy, 'utf8');
    await writeFile(copy, text.replace('"solar_system_users_planets {{TAG}}"', '"solar_system_silver_planets {{TAG}}"'));
    renamed = expectOk(await e.cli(['--input', copy, '--yes']));
    policyRun = expectOk(await e.cli(['--mulesoft_policy', '--yes', '--set', `AUTHN_CLIENT_ID=${clientId}`]));
    finalRun = expectOk(await e.cli(['--input', copy, '--yes']));
  }, 240_000);
  afterAll(() => e?.close());

  it('replaces the group and moves the users at once, keeping the old group while the policy input still names it', () => {
    expect(renamed.stderr).toMatch(/\+ created SILVER_GROUP \(okta:user_group\) \w+ \(replaces \w+/);
    expect(renamed.stderr).toMatch(/~ updated SILVER_USER/);
    expect(renamed.stderr).toMatch(new RegExp(`kept SILVER_GROUP~${oldGroupId} \\(okta:user_group\\) ${oldGroupId}: .*mulesoft_policy\\.json still uses it`));
  });

  it('the policy run moves the silver rule to the new group, and the next run deletes the old group', async () => {
    expect(policyRun.stderr).toMatch(/~ updated SILVER_RULE/);
    expect(finalRun.stderr).toMatch(new RegExp(`- deleted SILVER_GROUP~${oldGroupId} \\(okta:user_group\\)`));
    const sdk = sdkOf(e);
    const s = await e.snapshot();
    const out = await e.output('mulesoft');
    const newId = String(out.SILVER_GROUP_ID);
    expect(newId).not.toBe(oldGroupId);
    expect(s.groups.map((g) => g.id)).not.toContain(oldGroupId);
    const silverGroup = s.groups.find((g) => g.id === newId);
    expect(silverGroup?.name).toMatch(/^solar_system_silver_planets /);
    expect(silverGroup?.members).toHaveLength(2);
    // the rule, read through the SDK, names the new group and nothing else
    const serverId = String(out.OKTA_AZ_SERVER_ID);
    const policy = (await e.output('mulesoft_policy')).ACCESS_POLICY as { id: string };
    const rules = [];
    for await (const r of await sdk.authorizationServerApi.listAuthorizationServerPolicyRules({ authServerId: serverId, policyId: policy.id })) if (r) rules.push(r);
    const silverRule = rules.find((r) => r.name === 'silver access rule');
    expect(silverRule?.conditions?.people?.groups?.include).toEqual([newId]);
    expect(await recordsInvariant(sdk, e.out, { baseline, foreign: [clientId] })).toEqual(CLEAN);
  });
});

/** An input that needs a trusted origin for http://localhost:8080 and the app's Everyone assignment. */
const sharingInput = (label: string) => ({
  TAG: { objType: 'string', default: '{{GENERATE_TAG}}', saveToOutput: true },
  ORIGIN: {
    objType: 'json',
    objectClass: 'okta:trusted_origin',
    saveToOutput: true,
    default: { name: `${label} app {{TAG}}`, origin: 'http://localhost:8080', scopes: [{ type: 'CORS' }, { type: 'REDIRECT' }] },
  },
  EVERYONE: {
    objType: 'json',
    objectClass: 'okta:app_group_assignment',
    saveToOutput: true,
    default: { appId: '{{AUTHN_CLIENT_ID}}', groupId: 'Everyone' },
  },
});

describe.each([['alpha', 'beta'], ['beta', 'alpha']])('two inputs that need the same origin and assignment: %s, then %s', (firstName, secondName) => {
  let e: Env;
  let baseline: OrgObject[];
  let clientId: string;
  const file = (n: string) => join(e.dir, `${n}.json`);
  const run = (n: string, extra: string[] = []) => e.cli(['--input', file(n), '--yes', '--set', `AUTHN_CLIENT_ID=${clientId}`, ...extra]);
  beforeAll(async () => {
    e = await startEnv();
    baseline = await orgObjects(sdkOf(e));
    clientId = await e.registerClient('Solar System Auth', 'http://localhost:8080');
    for (const n of ['alpha', 'beta']) await writeFile(file(n), JSON.stringify(sharingInput(n), null, 2));
    expectOk(await run(firstName));
  }, 120_000);
  afterAll(() => e?.close());

  it('the second input plans them as shared, records them shared, and needs no --adopt', async () => {
    const dry = expectOk(await run(secondName, ['--dry-run']));
    expect(dry.stdout).toMatch(/^= shared {4}ORIGIN \(okta:trusted_origin\) "http:\/\/localhost:8080"/m);
    expect(dry.stdout).toMatch(/^= shared {4}EVERYONE \(okta:app_group_assignment\)/m);
    expect(dry.stdout).toMatch(/name differs, which does not count/);
    expect(dry.stdout).toMatch(/0 to create, 0 to update, 0 unchanged, 2 shared, 0 conflicts/);
    const r = expectOk(await run(secondName));
    expect(r.stderr).toMatch(/= unchanged ORIGIN \(okta:trusted_origin\) \w+ \(shared: used, not owned\)/);
    const owner = (await e.output(firstName))['$okta-bootstrap'].objects;
    const sharer = (await e.output(secondName))['$okta-bootstrap'].objects as Record<string, { id?: string; shared?: boolean; state: string }>;
    for (const k of ['ORIGIN', 'EVERYONE']) {
      expect(owner[k]?.state).toBe('done');
      expect((owner[k] as { shared?: boolean } | undefined)?.shared).toBeUndefined();
      expect(sharer[k]).toMatchObject({ state: 'done', shared: true, id: owner[k]?.id });
    }
    expect((await e.snapshot()).trustedOrigins).toHaveLength(1);
    expect(await recordsInvariant(sdkOf(e), e.out, { baseline, foreign: [clientId] })).toEqual(CLEAN);
  }, 60_000);

  it('both run again, in either order, with no conflict and no write', async () => {
    const mark = e.tenant.requestLog.length;
    for (const n of [secondName, firstName, secondName]) {
      const r = expectOk(await run(n));
      expect(r.stderr).not.toMatch(/conflict|\+ created/);
    }
    expect(e.writesSince(mark)).toEqual([]);
    expect(await recordsInvariant(sdkOf(e), e.out, { baseline, foreign: [clientId] })).toEqual(CLEAN);
  }, 60_000);
});

describe('the step-by-step flow and the demo flow on one tenant, each with its own output folder', () => {
  let e: Env;
  let baseline: OrgObject[];
  const flows = ['steps', 'demo'] as const;
  const folder = (f: string) => join(e.dir, f);
  const okb = (f: string, args: string[]) =>
    runCli('okta-bootstrap', [...args, '--output-dir', join(folder(f), 'output'), '--env-file', join(folder(f), '.env')], { env: e.env, cwd: folder(f) });
  /** The ids every record in the other flow's folder owns: someone else's objects, seen from this folder. */
  const ownedIn = async (f: string) =>
    (await readRecords(join(folder(f), 'output'))).flatMap((r) => Object.values(r.objects).filter((o) => !o.shared && o.state !== 'deleted' && o.id !== undefined).map((o) => o.id ?? ''));
  async function flow(f: string): Promise<void> {
    // a TAG per flow: two sets made in the same minute would otherwise get the same generated TAG
    expectOk(await okb(f, ['--mulesoft', '--yes', '--tag', f]));
    const out = JSON.parse(await readFile(join(folder(f), 'output', 'mulesoft.json'), 'utf8')) as { REDIRECT_URI: string };
    const env = await readFile(join(folder(f), '.env'), 'utf8');
    if (!env.includes('AUTHN_CLIENT_ID=')) {
      const args = ['register-client', '--name', 'Solar System Auth', '--redirect-uri', out.REDIRECT_URI, '--grant-type', 'authorization_code', '--grant-type', 'implicit', '--write-env', join(folder(f), '.env')];
      expectOk(await okb(f, args));
    }
    const policy = expectOk(await okb(f, ['--mulesoft_policy', '--yes']));
    expect(policy.stderr).not.toMatch(/conflict/);
    expectOk(await okb(f, ['verify', '--mulesoft']));
  }
  beforeAll(async () => {
    e = await startEnv();
    baseline = await orgObjects(sdkOf(e));
    for (const f of flows) {
      await mkdir(folder(f), { recursive: true });
      await writeFile(join(folder(f), '.env'), '', { mode: 0o600 });
    }
  });
  afterAll(() => e?.close());

  it.each([['steps', 'demo', 'steps', 'demo'], ['demo', 'steps', 'demo']])('run in the order %s, %s, %s…, each ending with verify passing', async (...order) => {
    for (const f of order) await flow(f);
    const policyOf = async (f: string) => (await readRecords(join(folder(f), 'output'))).find((r) => r.input === 'mulesoft_policy')?.objects ?? {};
    const steps = await policyOf('steps');
    const demo = await policyOf('demo');
    // one trusted origin, owned by one flow and shared by the other
    expect([steps.APP_TRUSTED_ORIGIN?.shared, demo.APP_TRUSTED_ORIGIN?.shared].filter(Boolean)).toHaveLength(1);
    expect(steps.APP_TRUSTED_ORIGIN?.id).toBe(demo.APP_TRUSTED_ORIGIN?.id);
    expect((await e.snapshot()).trustedOrigins).toHaveLength(1);
    // the app clients stand for the ones Anypoint registers: made by someone else, for this test
    const apps = await Promise.all(flows.map(async (f) => /^AUTHN_CLIENT_ID=(.*)$/m.exec(await readFile(join(folder(f), '.env'), 'utf8'))?.[1] ?? ''));
    for (const [f, other] of [['steps', 'demo'], ['demo', 'steps']] as const) {
      expect(await recordsInvariant(sdkOf(e), join(folder(f), 'output'), { baseline, foreign: [...apps, ...(await ownedIn(other))] })).toEqual(CLEAN);
    }
  }, 300_000);
});
