/**
 * Records, values (issue cases 7 and 9), against a local tenant:
 * - values derived from objects come from the objects: after `get-settings --mulesoft --write-env`, a destroy
 *   and a fresh --mulesoft, the new run uses the new server's issuer (.env's old one is reported with its source
 *   and not used), a data source's OKTA_AZ_SERVER_ID beats a stale one in .env, and get-settings prints and
 *   rewrites the new values;
 * - nothing is written before a problem that could be found first: values nobody gives in a run that cannot
 *   ask, references to undefined keys and bodies of the wrong shape are reported together, exit 2, 0 writes.
 * Each case ends with the records invariant: every object of the tool's kinds is recorded exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { ROOT, runCli } from '../support/cli.js';
import { sdkClient } from '../support/org.js';
import { orgObjects, recordsInvariant, type OrgObject } from '../support/records.js';
import { expectOk, startEnv, type Env } from './apply-support.js';

const CLEAN = { unrecorded: [], ownedTwice: [], sharedOnly: [] };

describe('values derived from objects come from the objects (runs and get-settings)', () => {
  let e: Env;
  let baseline: OrgObject[];
  const sdk = () => sdkClient(e.tenant.orgUrl, e.tenant.apiToken);
  const envFile = () => join(e.dir, '.env');
  const settings = (args: string[]) => runCli('get-settings', [...args, '--output-dir', e.out, '--env-file', envFile()], { env: e.env, cwd: e.dir });
  const dotenv = async () => parse(await readFile(envFile(), 'utf8'));

  beforeAll(async () => {
    e = await startEnv();
    baseline = await orgObjects(sdk());
  });
  afterAll(async () => {
    await e.close();
  });

  it('--mulesoft, --write-env, destroy --cascade, --mulesoft: the new issuer everywhere, the stale one reported', async () => {
    expectOk(await e.cli(['--mulesoft', '--yes']));
    const first = await e.output('mulesoft');
    const oldIssuer = String(first.OKTA_AZ_SERVER_ISSUER);
    const oldServer = String(first.OKTA_AZ_SERVER_ID);
    // the app's .env, as the README's step writes it (AUTHN_* are missing: exit 1, the rest is written)
    const w = await settings(['--mulesoft', '--write-env']);
    expect(w.code).toBe(1);
    expect((await dotenv()).OKTA_AZ_SERVER_ISSUER).toBe(oldIssuer);

    expectOk(await e.cli(['destroy', '--mulesoft', '--cascade', '--yes']));
    const again = expectOk(await e.cli(['--mulesoft', '--yes']));
    const second = await e.output('mulesoft');
    const newIssuer = String(second.OKTA_AZ_SERVER_ISSUER);
    const server = (await sdk().authorizationServerApi.getAuthorizationServer({ authServerId: String(second.OKTA_AZ_SERVER_ID) })).issuer;
    expect(newIssuer).not.toBe(oldIssuer);
    expect(newIssuer).toBe(server);
    expect(second.TOKEN_URL).toBe(`${newIssuer}/v1/token`);
    // .env's value, with its source and the value used, reported once
    const reported = again.stderr.split('\n').filter((l) => l.includes('OKTA_AZ_SERVER_ISSUER:'));
    expect(reported).toHaveLength(1);
    expect(reported[0]).toContain(envFile());
    expect(reported[0]).toContain(JSON.stringify(oldIssuer));
    expect(reported[0]).toContain(JSON.stringify(newIssuer));
    expect(reported[0]).toMatch(/not used/);

    // get-settings: the new issuer next to the URLs built from it; .env's old one reported with its source
    const intro = expectOk(await settings(['--mulesoft_introspect', '--format', 'json', '--show-secrets']));
    const shown = JSON.stringify(intro.stdout);
    expect(shown).toContain(newIssuer);
    expect(shown).not.toContain(oldIssuer);
    expect(intro.stderr).toMatch(new RegExp(`OKTA_AZ_SERVER_ISSUER: ${escape(envFile())} holds "${escape(oldIssuer)}", which is not used`));

    // --write-env rewrites the stale keys (it does not say "unchanged" for them)
    const rewrite = await settings(['--mulesoft', '--write-env']);
    expect(rewrite.code).toBe(1);
    expect(rewrite.stderr).not.toMatch(/ 0 updated/);
    const env = await dotenv();
    expect(env.OKTA_AZ_SERVER_ISSUER).toBe(newIssuer);
    expect(env.SILVER_USERNAME).toBe(second.SILVER_USERNAME);

    // --set still wins over the object, with a warning (a dry run: nothing written)
    const forced = expectOk(await e.cli(['--mulesoft', '--dry-run', '--set', 'TOKEN_URL=https://forced.example.com/token']));
    expect(forced.stderr).toMatch(/TOKEN_URL: --set TOKEN_URL="https:\/\/forced.example.com\/token" is used instead of the value this input reads from its objects/);

    // a data source's value read from its objects beats .env's stale copy
    await writeFile(envFile(), `${await readFile(envFile(), 'utf8')}OKTA_AZ_SERVER_ID=${oldServer}\n`);
    const client = await e.registerClient('Solar System Auth', 'http://localhost:8080');
    const policy = expectOk(await e.cli(['--mulesoft_policy', '--yes', '--set', `AUTHN_CLIENT_ID=${client}`]));
    expect(policy.stderr).toMatch(new RegExp(`OKTA_AZ_SERVER_ID: ${escape(envFile())} gives "${oldServer}", which is not used: .*"${String(second.OKTA_AZ_SERVER_ID)}"`));
    const made = await e.output('mulesoft_policy');
    expect(made['$okta-bootstrap'].objects.ACCESS_POLICY?.state).toBe('done');
    const policies = [];
    for await (const p of await sdk().authorizationServerApi.listAuthorizationServerPolicies({ authServerId: String(second.OKTA_AZ_SERVER_ID) })) policies.push(p?.name);
    expect(policies).toContain('Solar system API access policy');
    expect(await recordsInvariant(sdk(), e.out, { baseline, foreign: [client] })).toEqual(CLEAN);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('nothing written before a problem that could be found first', () => {
  let e: Env;
  let baseline: OrgObject[];
  const sdk = () => sdkClient(e.tenant.orgUrl, e.tenant.apiToken);
  /** A copy of a built-in input, changed by `edit`. */
  const copy = async (name: string, file: string, edit: (input: Record<string, { default?: Record<string, unknown> }>) => void): Promise<string> => {
    const input = JSON.parse(await readFile(join(ROOT, 'inputs', `${name}.json`), 'utf8')) as Record<string, { default?: Record<string, unknown> }>;
    delete input.$schema;
    edit(input);
    const path = join(e.dir, file);
    await writeFile(path, JSON.stringify(input, null, 2));
    return path;
  };
  /** Runs it with --yes and stdin not a terminal: exit 2, and not one write reached the tenant. */
  const refused = async (args: string[]) => {
    const mark = e.tenant.requestLog.length;
    const r = await e.cli([...args, '--yes'], { input: '' });
    expect(r.code, r.stderr).toBe(2);
    expect(e.writesSince(mark)).toEqual([]);
    return r.stderr;
  };

  beforeAll(async () => {
    e = await startEnv();
    baseline = await orgObjects(sdk());
    expectOk(await e.cli(['--mulesoft', '--yes']));
  });
  afterAll(async () => {
    await e.close();
  });

  it('--mulesoft_policy --yes without AUTHN_CLIENT_ID: reported before the trusted origin is created', async () => {
    const err = await refused(['--mulesoft_policy']);
    expect(err).toMatch(/1 problem in the input/);
    expect(err).toMatch(/AUTHN_CLIENT_ID/);
    expect(err).toMatch(/--set AUTHN_CLIENT_ID=VALUE/);
    expect(await recordsInvariant(sdk(), e.out, { baseline })).toEqual(CLEAN);
  });

  it('{{NOPE.id}} and another undefined key in a copied input: both reported, none of its 8 objects created', async () => {
    const f = await copy('mulesoft', 'nope.json', (i) => {
      const group = i.SILVER_GROUP?.default?.profile as Record<string, unknown>;
      group.description = '{{NOPE.id}} x';
      const server = i.OKTA_AZ_SERVER?.default as Record<string, unknown>;
      server.description = 'for {{ALSO_NOPE}}';
    });
    const err = await refused(['--input', f]);
    expect(err).toMatch(/2 problems in the input/);
    expect(err).toMatch(/SILVER_GROUP.*\{\{NOPE\}\} names NOPE/);
    expect(err).toMatch(/OKTA_AZ_SERVER.*\{\{ALSO_NOPE\}\} names ALSO_NOPE/);
    expect(await recordsInvariant(sdk(), e.out, { baseline })).toEqual(CLEAN);
  });

  it("audiences as a string and a user's groupIds as a string: both reported with the field and the expected type", async () => {
    const f = await copy('mulesoft', 'shapes.json', (i) => {
      const server = i.OKTA_AZ_SERVER?.default as Record<string, unknown>;
      server.audiences = 'api://solar_system';
      const user = i.SILVER_USER?.default as Record<string, unknown>;
      user.groupIds = '{{SILVER_GROUP_ID}}';
    });
    const err = await refused(['--input', f]);
    expect(err).toMatch(/2 problems in the input/);
    expect(err).toMatch(/OKTA_AZ_SERVER\.default\.audiences.*is a string \("api:\/\/solar_system"\); Okta expects an array/);
    expect(err).toMatch(/SILVER_USER\.default\.groupIds.*is a string .*Okta expects an array/);
    expect(await recordsInvariant(sdk(), e.out, { baseline })).toEqual(CLEAN);
  });

  it('a missing value and a wrong shape in one run: one report with both', async () => {
    const f = await copy('mulesoft', 'both.json', (i) => {
      const server = i.OKTA_AZ_SERVER?.default as Record<string, unknown>;
      server.audiences = 'api://solar_system';
      server.description = 'for {{NOPE}}';
    });
    const err = await refused(['--input', f]);
    expect(err).toMatch(/2 problems in the input/);
    expect(err).toMatch(/audiences/);
    expect(err).toMatch(/NOPE/);
    expect(await recordsInvariant(sdk(), e.out, { baseline })).toEqual(CLEAN);
  });
});
