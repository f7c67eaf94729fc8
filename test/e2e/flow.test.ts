/**
 * The whole MuleSoft flow, as a person runs it, against a local tenant, checked through the Okta SDK:
 *   okta-bootstrap --mulesoft --yes → get-settings --mulesoft_introspect → register-client (Anypoint's DCR)
 *   → okta-bootstrap --mulesoft_policy --yes → get-settings --mulesoft
 * once with the built-in inputs and once with the original okta-bootstrapper's files, unmodified.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalTenant } from '../../src/local-tenant/index.js';
import { ROOT, runCli } from '../support/cli.js';
import { orgSnapshot, sdkClient, type OrgSnapshot } from '../support/org.js';
import { parseObject, str } from '../support/json.js';

type Tenant = Awaited<ReturnType<typeof startLocalTenant>>;

const LEGACY = join(ROOT, 'test', 'fixtures', 'legacy-inputs');

interface Variant {
  name: string;
  mulesoft: string[];
  policy: string[];
  /** The built-in policy input also creates the trusted origin and the Everyone assignment. */
  extras: boolean;
}

const variants: Variant[] = [
  { name: 'built-in inputs', mulesoft: ['--mulesoft'], policy: ['--mulesoft_policy'], extras: true },
  {
    name: 'legacy okta-bootstrapper inputs, unmodified',
    mulesoft: ['--input', join(LEGACY, 'mulesoft.json')],
    policy: ['--input', join(LEGACY, 'mulesoft_policy.json')],
    extras: false,
  },
];

describe.each(variants)('the MuleSoft flow with $name', (v) => {
  let tenant: Tenant;
  let dir: string;
  let out: string;
  let envFile: string;
  let env: Record<string, string>;
  let snap: OrgSnapshot;
  let first: Record<string, unknown>;
  let policyOut: Record<string, unknown>;
  let clientId = '';

  const cli = (bin: 'okta-bootstrap' | 'get-settings', args: string[]) =>
    runCli(bin, [...args, '--output-dir', out, '--env-file', envFile], { env, cwd: dir });

  beforeAll(async () => {
    tenant = await startLocalTenant({ port: 0, rateLimits: 'none', specCheck: true });
    dir = await mkdtemp(join(tmpdir(), 'okb-flow-'));
    out = join(dir, 'output');
    envFile = join(dir, '.env');
    env = { OKTA_TENANT: tenant.orgUrl, OKTA_API_TOKEN: tenant.apiToken };

    const r1 = await cli('okta-bootstrap', [...v.mulesoft, '--yes']);
    expect(r1.code, r1.stderr).toBe(0);
    first = parseObject(await readFile(join(out, 'mulesoft.json'), 'utf8'));

    const reg = await cli('okta-bootstrap', [
      'register-client', '--name', 'Solar System Auth', '--redirect-uri', String(first.REDIRECT_URI),
      '--grant-type', 'authorization_code', '--grant-type', 'implicit', '--write-env', envFile,
    ]);
    expect(reg.code, reg.stderr).toBe(0);
    clientId = /AUTHN_CLIENT_ID=(\S+)/.exec(reg.stdout)?.[1] ?? '';
    expect(clientId).toMatch(/^0oa/);

    const r2 = await cli('okta-bootstrap', [...v.policy, '--yes']);
    expect(r2.code, r2.stderr).toBe(0);
    policyOut = parseObject(await readFile(join(out, 'mulesoft_policy.json'), 'utf8'));
    snap = await orgSnapshot(sdkClient(tenant.orgUrl, tenant.apiToken));
  }, 120_000);

  afterAll(async () => {
    await tenant?.close();
  });

  it('creates the authorization server with both scopes, the policy for the registered client and both rules', () => {
    const tag = String(first.TAG);
    expect(tag).toMatch(/^autogen\d{8}-\d{4}-[0-9a-z]{4}$/);
    const custom = snap.servers.filter((s) => !s.isDefault);
    expect(custom).toHaveLength(1);
    const server = custom[0]!;
    expect(server.name).toContain(tag);
    expect(server.status).toBe('ACTIVE');
    expect(server.scopes).toEqual(['http://myapp.com/scp/gold', 'http://myapp.com/scp/silver']);
    expect(server.policies).toHaveLength(1);
    const policy = server.policies[0]!;
    expect(policy.status).toBe('ACTIVE');
    expect(policy.clients).toEqual([clientId]);
    const byName = Object.fromEntries(policy.rules.map((r) => [r.name, r]));
    const silver = policy.rules.find((r) => r.scopes.includes('http://myapp.com/scp/silver') && !r.scopes.includes('http://myapp.com/scp/gold'));
    const gold = policy.rules.find((r) => r.scopes.includes('http://myapp.com/scp/gold'));
    expect(Object.keys(byName)).toHaveLength(2);
    expect(silver!.groups).toEqual([`solar_system_users_planets ${tag}`]);
    expect(silver!.scopes).toEqual(['http://myapp.com/scp/silver', 'openid']);
    expect(gold!.groups).toEqual([`solar_system_users_moons ${tag}`]);
    expect(gold!.scopes).toEqual(['http://myapp.com/scp/gold', 'http://myapp.com/scp/silver', 'openid']);
    for (const r of [silver!, gold!]) {
      expect(r.status).toBe('ACTIVE');
      expect(r.grantTypes).toEqual(['authorization_code', 'implicit']);
    }
    // the default server is untouched
    expect(snap.servers.find((s) => s.isDefault)!.policies).toEqual([]);
  });

  it('creates the groups and users with the right memberships', () => {
    const tag = String(first.TAG);
    const silverGroup = snap.groups.find((g) => g.name === `solar_system_users_planets ${tag}`)!;
    const goldGroup = snap.groups.find((g) => g.name === `solar_system_users_moons ${tag}`)!;
    expect(silverGroup.id).toBe(first.SILVER_GROUP_ID);
    expect(goldGroup.id).toBe(first.GOLD_GROUP_ID);
    expect(snap.users).toHaveLength(2);
    for (const u of snap.users) expect(u.status).toBe('ACTIVE');
    const silverUser = (first.SILVER_USER as { profile: { login: string } }).profile.login;
    const goldUser = (first.GOLD_USER as { profile: { login: string } }).profile.login;
    expect(silverGroup.members).toEqual([goldUser, silverUser].sort());
    expect(goldGroup.members).toEqual([goldUser]);
    expect(snap.groups.map((g) => g.name).sort()).toEqual(['Everyone', goldGroup.name, silverGroup.name].sort());
  });

  it('creates the introspection client and records its id and secret', () => {
    const introspect = snap.apps.find((a) => a.id === first.INTROSPECT_CLIENT_ID)!;
    expect(introspect.label).toBe(`mulesoft introspect client ${str(first.TAG)}`);
    expect(String(first.INTROSPECT_CLIENT_SECRET).length).toBeGreaterThan(20);
    expect(snap.apps.map((a) => a.label).sort()).toEqual(['Solar System Auth', introspect.label].sort());
  });

  it('records the right ids and URLs in the output files', () => {
    const server = snap.servers.find((s) => !s.isDefault)!;
    expect(first.OKTA_AZ_SERVER_ID).toBe(server.id);
    expect(first.OKTA_AZ_SERVER_ISSUER).toBe(`${tenant.orgUrl}/oauth2/${server.id}`);
    expect(first.AUTHORIZE_URL).toBe(`${tenant.orgUrl}/oauth2/${server.id}/v1/authorize`);
    expect(first.TOKEN_URL).toBe(`${tenant.orgUrl}/oauth2/${server.id}/v1/token`);
    expect(first.TOKEN_INTROSPECTION_URL).toBe(`${tenant.orgUrl}/oauth2/${server.id}/v1/introspect`);
    expect(first.CLIENT_REGISTRATION_URL).toBe(`${tenant.orgUrl}/oauth2/v1/clients`);
    expect(first.OKTA_TENANT).toBe(tenant.orgUrl);
    expect(JSON.stringify(first)).not.toContain(tenant.apiToken);
    expect(JSON.stringify(policyOut)).not.toContain(tenant.apiToken);
    const policyId = (policyOut.ACCESS_POLICY as { id: string }).id;
    expect(policyId).toMatch(/^00p/);
  });

  it('records a data source by name only, so the policy output does not copy the first output\'s secrets', () => {
    expect(policyOut.DATA_SOURCE).toBe('mulesoft');
    const text = JSON.stringify(policyOut);
    for (const k of ['INTROSPECT_CLIENT_SECRET', 'SILVER_PASSWORD', 'GOLD_PASSWORD'] as const) {
      if (typeof first[k] === 'string') expect(text).not.toContain(first[k]);
    }
  });

  it('writes output files with mode 0600', async () => {
    for (const f of ['mulesoft.json', 'mulesoft_policy.json']) {
      expect((await stat(join(out, f))).mode & 0o777).toBe(0o600);
    }
    expect((await stat(envFile)).mode & 0o777).toBe(0o600);
  });

  it.runIf(v.extras)('adds the trusted origin and assigns the client to Everyone', () => {
    expect(snap.trustedOrigins).toEqual([{ origin: String(first.REDIRECT_URI), scopes: ['CORS', 'REDIRECT'], status: 'ACTIVE' }]);
    const app = snap.apps.find((a) => a.id === clientId)!;
    expect(app.groups).toEqual(['Everyone']);
  });

  it('get-settings prints values that match the org', async () => {
    const intro = await cli('get-settings', ['--mulesoft_introspect', '--format', 'env', '--show-secrets']);
    expect(intro.code, intro.stderr).toBe(0);
    const server = snap.servers.find((s) => !s.isDefault)!;
    expect(intro.stdout).toContain(`${tenant.orgUrl}/oauth2/v1/clients`);
    expect(intro.stdout).toContain(String(first.INTROSPECT_CLIENT_ID));
    expect(intro.stdout).toContain(String(first.INTROSPECT_CLIENT_SECRET));
    expect(intro.stdout).toContain(`${tenant.orgUrl}/oauth2/${server.id}/v1/authorize`);
    expect(intro.stdout).toContain(`${tenant.orgUrl}/oauth2/${server.id}/v1/token`);
    expect(intro.stdout).toContain(`${tenant.orgUrl}/oauth2/${server.id}/v1/introspect`);

    const app = await cli('get-settings', ['--mulesoft', '--format', 'json', '--show-secrets']);
    expect(app.code, app.stderr).toBe(0);
    const json = JSON.parse(app.stdout) as Record<string, unknown>;
    const values = (json.values ?? json) as Record<string, string>;
    expect(values.OKTA_TENANT).toBe(tenant.orgUrl);
    expect(values.AUTHN_CLIENT_ID).toBe(clientId);
    expect(values.OKTA_AZ_SERVER_ISSUER).toBe(`${tenant.orgUrl}/oauth2/${server.id}`);
    expect(snap.users.map((u) => u.login)).toContain(values.SILVER_USERNAME);
    expect(snap.users.map((u) => u.login)).toContain(values.GOLD_USERNAME);
    expect(values.REDIRECT_URI).toBe(first.REDIRECT_URI);
    expect(values.PORT).toBe(first.PORT);
  });

  it('sends and receives only what Okta\'s spec declares', () => {
    const bad = tenant.requestLog.filter((e) => (e.violations ?? []).length > 0);
    expect(bad.map((e) => ({ req: `${e.method} ${e.path}`, v: e.violations }))).toEqual([]);
  });
});
