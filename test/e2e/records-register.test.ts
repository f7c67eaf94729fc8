/**
 * register-client records the clients it registers in <output-dir>/register-client.json, never leaves a duplicate
 * after an ambiguous failure, reuses the recorded client on a re-run, and `destroy --output <record>` removes what
 * it registered (and nothing else). In front of the local tenant, a proxy (test/support/fault-proxy.ts) makes the
 * ambiguous failures: a 500 after the registration committed, a 500 before it, the connection gone after it.
 * Someone else's client of the same name and redirect URI (Anypoint's) is there all along and never touched.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultProxy, type Decide, type FaultProxy, type Seen } from '../support/fault-proxy.js';
import { orgObjects, recordsInvariant, type OrgObject } from '../support/records.js';
import { sdkClient, type Sdk } from '../support/org.js';
import { startEnv, type Env } from './apply-support.js';

const NAME = 'Solar System Auth';
const REDIRECT = 'http://localhost:8080';
const args = (name: string, ...more: string[]) => ['register-client', '--name', name, '--redirect-uri', REDIRECT, '--grant-type', 'authorization_code', ...more];
const isRegistration = (s: Seen) => s.method === 'POST' && s.path === '/oauth2/v1/clients';
const isDcr = (req: { method?: string; url?: string }) => req.method === 'POST' && req.url === '/oauth2/v1/clients';

interface RecordJson {
  '$okta-bootstrap': {
    input: string;
    orgUrl: string;
    status: string;
    objects: Record<string, { objectClass: string; state: string; id?: string; naturalKey: Record<string, string> }>;
    replay?: Record<string, { secret?: string }>;
  };
  [key: string]: unknown;
}

describe('register-client records its clients', () => {
  let e: Env;
  let sdk: Sdk;
  let baseline: OrgObject[];
  let foreign: string;
  let proxy: FaultProxy;
  let record: string;
  /** Every run goes through the proxy (the record names one org URL); `fault` says which requests fail. */
  const cli = (a: string[], fault: Decide = () => undefined) => {
    proxy.decide = fault;
    proxy.seen.length = 0;
    return e.cli(a, { env: { ...e.env, OKTA_TENANT: proxy.url } });
  };

  const readRecord = async () => JSON.parse(await readFile(record, 'utf8')) as RecordJson;
  const clientsNamed = async (name: string) => (await orgObjects(sdk)).filter((o) => o.objectClass === 'okta:client' && o.naturalKey.client_name === name).map((o) => o.id);
  const idOf = (stdout: string) => /AUTHN_CLIENT_ID=(\S+)/.exec(stdout)?.[1] ?? '';

  beforeAll(async () => {
    e = await startEnv();
    sdk = sdkClient(e.tenant.orgUrl, e.tenant.apiToken);
    proxy = await faultProxy(e.tenant.orgUrl);
    record = join(e.out, 'register-client.json');
    baseline = await orgObjects(sdk);
    // Anypoint registered a client of the same name and redirect URI before: it is not ours
    foreign = await e.registerClient(NAME, REDIRECT);
  });
  afterAll(async () => {
    await proxy?.close();
    await e?.close();
  });

  let first = '';
  it('a 500 after the registration committed: one client, found by name and redirect URI, recorded', async () => {
    let sent = 0;
    const r = await cli(args(NAME), (req) => (isDcr(req) && sent++ === 0 ? 'after' : undefined));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/was made but Okta's answer was lost/);
    first = idOf(r.stdout);
    expect(first).toMatch(/^0oa/);
    expect(first).not.toBe(foreign);
    expect(proxy.seen.filter(isRegistration)).toHaveLength(1);
    expect((await clientsNamed(NAME)).sort()).toEqual([foreign, first].sort());

    const rec = await readRecord();
    const meta = rec['$okta-bootstrap'];
    expect(meta.input).toBe('register-client');
    expect(meta.status).toBe('complete');
    expect(Object.keys(meta.objects)).toEqual(['SOLAR_SYSTEM_AUTH']);
    expect(meta.objects.SOLAR_SYSTEM_AUTH).toMatchObject({ objectClass: 'okta:client', state: 'done', id: first, naturalKey: { client_name: NAME } });
    // the repaired client's new secret is kept (Okta never returns it again)
    expect(meta.replay?.SOLAR_SYSTEM_AUTH?.secret).toMatch(/.{20,}/);
    expect(rec.SOLAR_SYSTEM_AUTH).toEqual({ client_id: first, client_name: NAME, redirect_uris: [REDIRECT] });
  });

  it('a re-run reuses the recorded client: no registration, the same id', async () => {
    const mark = e.tenant.requestLog.length;
    const r = await cli(args(NAME, '--show-secrets'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`"${NAME}" is recorded in ${record} as ${first} (SOLAR_SYSTEM_AUTH); reusing it`);
    expect(idOf(r.stdout)).toBe(first);
    expect(r.stdout).toContain(`AUTHN_CLIENT_SECRET=${(await readRecord())['$okta-bootstrap'].replay?.SOLAR_SYSTEM_AUTH?.secret ?? '?'}`);
    expect(e.writesSince(mark)).toEqual([]);

    // another redirect URI: the recorded client is reused unchanged, and the run says so
    const other = await cli(['register-client', '--name', NAME, '--redirect-uri', 'http://localhost:9090']);
    expect(other.code, other.stderr).toBe(0);
    expect(idOf(other.stdout)).toBe(first);
    expect(other.stderr).toContain(`redirect URIs are ${REDIRECT}, not http://localhost:9090; it is reused unchanged (pass --new for a client with these)`);
    expect(e.writesSince(mark)).toEqual([]);
  });

  it('--new registers another one on purpose, recorded under the next key', async () => {
    const r = await cli(args(NAME, '--new'));
    expect(r.code, r.stderr).toBe(0);
    const second = idOf(r.stdout);
    expect(second).not.toBe(first);
    expect(await clientsNamed(NAME)).toHaveLength(3);
    const objects = (await readRecord())['$okta-bootstrap'].objects;
    expect(Object.keys(objects)).toEqual(['SOLAR_SYSTEM_AUTH', 'SOLAR_SYSTEM_AUTH_2']);
    expect(objects.SOLAR_SYSTEM_AUTH_2).toMatchObject({ state: 'done', id: second });
  });

  it('500s before every registration: at most 4 POSTs, a pending intent, advice that says what the next run does', async () => {
    const r = await cli(args('Refused App'), (req) => (isDcr(req) ? 'before' : undefined));
    expect(r.code, r.stderr).toBe(1);
    const posts = proxy.seen.filter(isRegistration).length;
    expect(posts).toBeGreaterThanOrEqual(2);
    expect(posts).toBeLessThanOrEqual(4);
    expect(r.stderr).not.toContain('kept and adopted');
    expect(r.stderr).toContain(`Run the same command again: ${record} records the registration as pending, and the next run looks "Refused App" up by name and redirect URIs before it registers again`);
    const meta = (await readRecord())['$okta-bootstrap'];
    expect(meta.status).toBe('incomplete');
    expect(meta.objects.REFUSED_APP).toMatchObject({ state: 'pending', naturalKey: { client_name: 'Refused App' } });
    expect(meta.objects.REFUSED_APP?.id).toBeUndefined();
    expect(await clientsNamed('Refused App')).toEqual([]);

    // following the advice: one registration, under the same key
    const again = await cli(args('Refused App'));
    expect(again.code, again.stderr).toBe(0);
    expect(await clientsNamed('Refused App')).toEqual([idOf(again.stdout)]);
    expect((await readRecord())['$okta-bootstrap'].objects.REFUSED_APP).toMatchObject({ state: 'done', id: idOf(again.stdout) });
  });

  it('the org gone right after it committed a registration: the next run finds that client, no second one', async () => {
    const r = await cli(args(NAME, '--new'), (req) => (isDcr(req) ? 'after-then-gone' : undefined));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toContain('kept and adopted');
    expect(r.stderr).toContain('records the registration as pending');
    expect(await clientsNamed(NAME)).toHaveLength(4);
    const before = await readRecord();
    expect(before['$okta-bootstrap'].objects.SOLAR_SYSTEM_AUTH_3).toMatchObject({ state: 'pending' });
    // written with the intent: the clients of that name and redirect URI that were there before (Anypoint's)
    expect(before.SOLAR_SYSTEM_AUTH_3).toEqual({ client_name: NAME, redirect_uris: [REDIRECT], existingBefore: [foreign] });

    // the same command again, as the advice says: it completes that registration, it does not make another one
    const again = await cli(args(NAME, '--new'));
    expect(again.code, again.stderr).toBe(0);
    expect(proxy.seen.filter(isRegistration)).toHaveLength(0);
    expect(again.stderr).toMatch(/SOLAR_SYSTEM_AUTH_3: the registration an earlier run started did reach Okta: client 0oa\S+ is now recorded/);
    expect(await clientsNamed(NAME)).toHaveLength(4);
    const objects = (await readRecord())['$okta-bootstrap'].objects;
    expect(objects.SOLAR_SYSTEM_AUTH_3).toMatchObject({ state: 'done', id: idOf(again.stdout) });
    expect(idOf(again.stdout)).not.toBe(foreign);
    expect(await recordsInvariant(sdk, e.out, { baseline, foreign: [foreign] })).toEqual({ unrecorded: [], ownedTwice: [], sharedOnly: [] });
  });

  it('destroy --output <record> removes every client it registered, and only those', async () => {
    const r = await cli(['destroy', '--output', record, '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(await clientsNamed(NAME)).toEqual([foreign]);
    expect(await clientsNamed('Refused App')).toEqual([]);
    for (const o of Object.values((await readRecord())['$okta-bootstrap'].objects)) expect(o.state).toBe('deleted');
    expect(await recordsInvariant(sdk, e.out, { baseline, foreign: [foreign] })).toEqual({ unrecorded: [], ownedTwice: [], sharedOnly: [] });
  });

  it('after the destroy, a plain run registers a new client under the freed key', async () => {
    const r = await cli(args(NAME));
    expect(r.code, r.stderr).toBe(0);
    const id = idOf(r.stdout);
    expect((await clientsNamed(NAME)).sort()).toEqual([foreign, id].sort());
    expect((await readRecord())['$okta-bootstrap'].objects.SOLAR_SYSTEM_AUTH).toMatchObject({ state: 'done', id });
    expect(await recordsInvariant(sdk, e.out, { baseline, foreign: [foreign] })).toEqual({ unrecorded: [], ownedTwice: [], sharedOnly: [] });
  });
});

describe('register-client and its record lock', () => {
  let e: Env;
  beforeAll(async () => {
    e = await startEnv();
  });
  afterAll(async () => {
    await e?.close();
  });

  it('refuses (exit 1) while another live run holds the record, and registers nothing', async () => {
    const { acquireOutputLock } = await import('../../src/core/lock.js');
    const lock = await acquireOutputLock(join(e.out, 'register-client.json'), 'okta-bootstrap register-client --name "Other"', () => undefined);
    try {
      const mark = e.tenant.requestLog.length;
      const r = await e.cli(args(NAME));
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/register-client\.json is in use by another okta-bootstrap run/);
      expect(e.writesSince(mark)).toEqual([]);
    } finally {
      await lock.release();
    }
  });

  it('refuses (exit 2) a record of another org, and asks for --output-dir', async () => {
    const { writeFile, mkdir } = await import('node:fs/promises');
    await mkdir(e.out, { recursive: true });
    const other = { OKTA_TENANT: 'https://other.okta.com', '$okta-bootstrap': { version: 1, input: 'register-client', orgUrl: 'https://other.okta.com', status: 'complete', startedAt: new Date().toISOString(), dataSources: [], objects: {} } };
    await writeFile(join(e.out, 'register-client.json'), JSON.stringify(other), { mode: 0o600 });
    const mark = e.tenant.requestLog.length;
    const r = await e.cli(args(NAME));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('records clients of https://other.okta.com');
    expect(r.stderr).toContain('--output-dir');
    expect(e.writesSince(mark)).toEqual([]);
  });
});
