/**
 * `okta-bootstrap verify --mulesoft` (built CLI) after a good MuleSoft setup against a local tenant: every check
 * passes (exit 0, --json the same results); then each breakage, made through the Okta SDK and undone after,
 * fails the right check with the right cause. The breakages that live in .env and the environment run through
 * the built CLI (exit 1, the failing ids on stderr); the ones made in the org run verify in-process (the same
 * runVerify the CLI calls, with the same file reading) to keep this file fast: a CLI run costs seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { sdkClient, type Sdk } from '../support/org.js';
import { runVerify } from '../../src/verify/index.js';
import { runCli } from '../support/cli.js';
import { setUpMulesoft, GOLD_SCOPE, type MulesoftSetup } from '../support/mulesoft-setup.js';

interface Check {
  id: string;
  group: number;
  status: 'pass' | 'fail' | 'skip';
  cause?: string;
  fix?: string;
  detail?: string;
  data?: { accessToken?: string; claims?: Record<string, unknown> };
}
interface Report {
  ok: boolean;
  counts: { pass: number; fail: number; skip: number };
  checks: Check[];
}

let s: MulesoftSetup;
let sdk: Sdk;
let serverId: string;
let policyId: string;

async function verifyJson(extraEnv: Record<string, string> = {}) {
  const r = await s.cli(['verify', '--mulesoft', '--json'], extraEnv);
  let report: Report | undefined;
  try {
    report = JSON.parse(r.stdout) as Report;
  } catch {
    throw new Error(`verify --json printed no JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
  return { ...r, report, byId };
}

/** runVerify in-process, reading the same output files and .env as the CLI (and no process environment). */
async function verifyInProcess() {
  const report = (await runVerify({ credentials: { orgUrl: s.tenant.orgUrl, token: s.tenant.apiToken }, outputDir: s.outputDir, envFile: s.envFile, env: {} })) as unknown as Report;
  return { report, byId: Object.fromEntries(report.checks.map((c) => [c.id, c])) };
}

/** The run failed exactly at the expected checks (others may fail as consequences only where listed). */
function expectFailures(report: Report, expected: string[], allowedConsequences: string[] = []) {
  const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
  for (const id of expected) expect(failed, `expected ${id} to fail`).toContain(id);
  for (const id of failed) expect([...expected, ...allowedConsequences], `unexpected failure ${id}`).toContain(id);
  expect(report.ok).toBe(false);
}

beforeAll(async () => {
  s = await setUpMulesoft({ specCheck: true });
  sdk = sdkClient(s.tenant.orgUrl, s.tenant.apiToken);
  serverId = String(s.mulesoft.OKTA_AZ_SERVER_ID);
  policyId = (s.policy.ACCESS_POLICY as { id: string }).id;
}, 120_000);

afterAll(async () => {
  await s?.close();
});

describe('verify --mulesoft after a good setup', () => {
  it('passes every check: exit 0, a table of 27 PASS lines, nothing skipped', async () => {
    const r = await s.cli(['verify', '--mulesoft']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => /^\s+(PASS|FAIL|SKIP)\s/.test(l));
    expect(lines).toHaveLength(27);
    expect(lines.every((l) => l.trim().startsWith('PASS'))).toBe(true);
    expect(r.stdout).toContain('verify: 27 passed, 0 failed, 0 skipped');
    // the decoded claims, as the API Center app printed them
    expect(r.stdout).toMatch(/scp: \["openid","http:\/\/myapp\.com\/scp\/silver","http:\/\/myapp\.com\/scp\/gold"\]/);
    expect(r.stdout).toContain(`cid: "${s.authnClientId}"`);
    // no secret reaches the terminal
    for (const secret of [s.authnClientSecret, String(s.mulesoft.INTROSPECT_CLIENT_SECRET), String(s.mulesoft.SILVER_PASSWORD)]) {
      expect(r.stdout + r.stderr).not.toContain(secret);
    }
  });

  it("verify's own requests are what Okta's spec declares (the spec's known defects, e.g. /api/v1/authn, left out by the validator)", async () => {
    const before = s.tenant.requestLog.length;
    const r = await s.cli(['verify', '--mulesoft', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const sent = s.tenant.requestLog.slice(before);
    expect(sent.length).toBeGreaterThan(20);
    const bad = sent.flatMap((e) =>
      (e.violations ?? [])
        .filter((v) => v.direction === 'request')
        .map((v) => `${e.method} ${e.path}: ${v.message}`),
    );
    expect(bad).toEqual([]);
  });

  it('--json gives the same results; --show-secrets adds the access tokens, which are absent otherwise', async () => {
    const table = await s.cli(['verify', '--mulesoft']);
    const r = await s.cli(['verify', '--mulesoft', '--json', '--show-secrets']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.ok).toBe(true);
    expect(report.counts).toEqual({ pass: 27, fail: 0, skip: 0 });
    const tableIds = table.stdout.split('\n').flatMap((l) => /^\s+PASS\s+(\S+)/.exec(l)?.[1] ?? []);
    expect(report.checks.map((c) => c.id)).toEqual(tableIds);
    expect(new Set(report.checks.map((c) => c.group))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(report.checks.find((c) => c.id === 'token.gold')!.data!.accessToken).toMatch(/^ey/);
    expect(table.stdout).not.toMatch(/access token: ey/);
  });
});

describe('verify --mulesoft diagnoses each breakage', () => {
  it('no output files at all → exit 2 saying what to run first', async () => {
    const r = await runCli('okta-bootstrap', ['verify', '--mulesoft', '--output-dir', `${s.dir}/nowhere`, '--env-file', s.envFile], { env: s.env, cwd: s.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Nothing to verify');
    expect(r.stderr).toContain('okta-bootstrap --mulesoft');
  });

  it('the gold user removed from the gold group → audit.user.gold names the group and the PUT that fixes it', async () => {
    const goldGroup = String(s.mulesoft.GOLD_GROUP_ID);
    const goldUser = (s.mulesoft.GOLD_USER as { id: string }).id;
    await sdk.groupApi.unassignUserFromGroup({ groupId: goldGroup, userId: goldUser });
    try {
      const { report, byId } = await verifyInProcess();
      // consequences: the silver rule matches the gold user but lacks gold, so Okta passes over it and no rule is
      // left: access_denied at /authorize, predicted by audit.rule.order
      expectFailures(report, ['audit.user.gold', 'audit.rule.order', 'dance.gold']);
      const c = byId['audit.user.gold']!;
      expect(c.cause).toMatch(/gold user .* is not in group solar_system_users_moons .*\(00g/);
      expect(c.fix).toContain(`PUT /api/v1/groups/${goldGroup}/users/${goldUser}`);
      expect(c.fix).toContain('okta-bootstrap --mulesoft');
      expect(byId['audit.rule.order']!.cause).toMatch(/Okta answers access_denied to the gold user \S+ asking for openid/);
      expect(byId['dance.gold']!.cause).toMatch(/Policy evaluation failed/);
    } finally {
      await sdk.groupApi.assignUserToGroup({ groupId: goldGroup, userId: goldUser });
    }
  });

  it('the silver rule deactivated → audit.rule.silver says INACTIVE and how to activate it', async () => {
    const ruleId = (s.policy.SILVER_RULE as { id: string }).id;
    await sdk.authorizationServerApi.deactivateAuthorizationServerPolicyRule({ authServerId: serverId, policyId, ruleId });
    try {
      const { report, byId } = await verifyInProcess();
      // the silver user matches no rule any more: no token, so the silver matrix rows are skipped
      expectFailures(report, ['audit.rule.silver', 'audit.rule.order', 'dance.silver']);
      expect(byId['audit.rule.order']!.cause).toMatch(/Okta answers access_denied to the silver user/);
      expect(byId['audit.rule.silver']!.cause).toMatch(/rule "silver access rule" \(0pr\w+\) is INACTIVE/);
      expect(byId['audit.rule.silver']!.fix).toContain(`/rules/${ruleId}/lifecycle/activate`);
      expect(byId['dance.silver']!.cause).toMatch(/Policy evaluation failed/);
      expect(byId['gateway.silver.planets']!.status).toBe('skip');
      expect(byId['dance.gold']!.status).toBe('pass');
    } finally {
      await sdk.authorizationServerApi.activateAuthorizationServerPolicyRule({ authServerId: serverId, policyId, ruleId });
    }
  });

  it('the gold scope deleted → audit.scope.gold names the scope and the server', async () => {
    const scopeId = (s.mulesoft.GOLD_SCOPE as { id: string }).id;
    await sdk.authorizationServerApi.deleteOAuth2Scope({ authServerId: serverId, scopeId });
    try {
      const { report, byId } = await verifyInProcess();
      expectFailures(report, ['audit.scope.gold', 'dance.gold']);
      expect(byId['audit.scope.gold']!.cause).toContain(`scope ${GOLD_SCOPE} (GOLD_SCOPE_NAME, from `);
      expect(byId['audit.scope.gold']!.cause).toContain(`is not defined on authorization server ${serverId}`);
      expect(byId['dance.gold']!.cause).toMatch(/invalid_scope/);
      expect(byId['audit.scope.silver']!.status).toBe('pass');
    } finally {
      await sdk.authorizationServerApi.createOAuth2Scope({ authServerId: serverId, oAuth2Scope: { name: GOLD_SCOPE, description: 'gold level access' } });
    }
  });

  it("the policy's client list changed → audit.policy names AUTHN_CLIENT_ID and the client it lists instead", async () => {
    const policy = await sdk.authorizationServerApi.getAuthorizationServerPolicy({ authServerId: serverId, policyId });
    const other = String(s.mulesoft.INTROSPECT_CLIENT_ID);
    await sdk.authorizationServerApi.replaceAuthorizationServerPolicy({ authServerId: serverId, policyId, policy: { ...policy, conditions: { clients: { include: [other] } } } });
    try {
      const { report, byId } = await verifyInProcess();
      expectFailures(report, ['audit.policy', 'dance.silver', 'dance.gold']);
      expect(byId['audit.policy']!.cause).toContain(`does not include AUTHN_CLIENT_ID ${s.authnClientId} (from `);
      expect(byId['audit.policy']!.cause).toContain(`(it lists ${other})`);
      expect(byId['audit.policy']!.fix).toContain('okta-bootstrap --mulesoft_policy');
    } finally {
      await sdk.authorizationServerApi.replaceAuthorizationServerPolicy({ authServerId: serverId, policyId, policy: { ...policy, conditions: { clients: { include: [s.authnClientId] } } } });
    }
  });

  it('the trusted origin deleted → audit.trusted_origin names the origin', async () => {
    const origin = s.policy.APP_TRUSTED_ORIGIN as { id: string; name: string; origin: string };
    await sdk.trustedOriginApi.deleteTrustedOrigin({ trustedOriginId: origin.id });
    try {
      const { report, byId } = await verifyInProcess();
      expectFailures(report, ['audit.trusted_origin']);
      expect(byId['audit.trusted_origin']!.cause).toContain(`${new URL(String(s.mulesoft.REDIRECT_URI)).origin} (from REDIRECT_URI`);
      expect(byId['audit.trusted_origin']!.cause).toContain('is not a trusted origin');
      expect(byId['audit.trusted_origin']!.fix).toContain('POST /api/v1/trustedOrigins');
    } finally {
      await sdk.trustedOriginApi.createTrustedOrigin({ trustedOrigin: { name: origin.name, origin: origin.origin, scopes: [{ type: 'CORS' }, { type: 'REDIRECT' }] } });
    }
  });

  it("the introspection client's secret wrong in .env → introspection.credentials blames INTROSPECT_CLIENT_SECRET in .env", async () => {
    const original = await readFile(s.envFile, 'utf8');
    await writeFile(s.envFile, `${original}INTROSPECT_CLIENT_SECRET=not-the-secret-at-all\n`);
    try {
      const { code, report, byId, stderr } = await verifyJson();
      expect(code).toBe(1);
      expect(stderr).toMatch(/checks failed: .*introspection\.credentials/);
      // the gateway introspects with the same wrong secret, so the allowed matrix rows fail too
      expectFailures(report, ['introspection.credentials', 'introspect.silver', 'introspect.gold'], ['gateway.silver.planets', 'gateway.silver.moons', 'gateway.gold.planets', 'gateway.gold.moons']);
      const c = byId['introspection.credentials']!;
      expect(c.cause).toContain('introspection returned 401 invalid_client');
      expect(c.cause).toContain(`INTROSPECT_CLIENT_SECRET (from ${s.envFile}) is wrong`);
      expect(c.fix).toContain("Anypoint's Client Provider form");
      expect(JSON.stringify(report)).not.toContain('not-the-secret-at-all');
      expect(byId['gateway.silver.planets']!.fix).toMatch(/introspection/);
    } finally {
      await writeFile(s.envFile, original);
    }
  });

  it('OKTA_AZ_SERVER_ISSUER wrong → authserver.metadata shows both issuers and where the wrong one came from', async () => {
    const real = String(s.mulesoft.OKTA_AZ_SERVER_ISSUER);
    const wrong = `${s.tenant.orgUrl}/oauth2/default`;
    const { code, report, byId } = await verifyJson({ OKTA_AZ_SERVER_ISSUER: wrong });
    expect(code).toBe(1);
    // the app would use the wrong issuer for the dance too
    expectFailures(report, ['authserver.metadata'], ['dance.silver', 'dance.gold']);
    const c = byId['authserver.metadata']!;
    expect(c.cause).toContain(`OKTA_AZ_SERVER_ISSUER ${wrong} (from environment) is not the server's issuer ${real}`);
    expect(c.fix).toContain(`OKTA_AZ_SERVER_ISSUER=${real}`);
  });

  it("REDIRECT_URI not one of the client's → Okta's HTML error page at /authorize, and the dance names the cause", async () => {
    const wrong = `${String(s.mulesoft.REDIRECT_URI).replace(/\/+$/, '')}/elsewhere`;
    const { code, report, byId } = await verifyJson({ REDIRECT_URI: wrong });
    expect(code).toBe(1);
    expectFailures(report, ['audit.redirect_uri', 'dance.silver', 'dance.gold'], ['token.silver', 'token.gold', 'introspect.silver', 'introspect.gold']);
    for (const id of ['dance.silver', 'dance.gold']) {
      const c = byId[id]!;
      expect(c.cause).toContain(`redirect_uri is not registered for AUTHN_CLIENT_ID ${s.authnClientId}`);
      expect(c.cause).toContain(`REDIRECT_URI ${wrong} (from environment)`);
      expect(c.cause).toContain("invalid_request: The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.");
      expect(c.fix).toContain('audit.redirect_uri');
    }
  });

  it('the rule priorities swapped (silver first) → Okta passes over the silver rule for the gold user: verify passes', async () => {
    const silverRule = (s.policy.SILVER_RULE as { id: string }).id;
    const goldRule = (s.policy.GOLD_RULE as { id: string }).id;
    const api = sdk.authorizationServerApi;
    const get = (ruleId: string) => api.getAuthorizationServerPolicyRule({ authServerId: serverId, policyId, ruleId });
    const [silver, gold] = [await get(silverRule), await get(goldRule)];
    const put = (rule: typeof silver, priority: number) =>
      api.replaceAuthorizationServerPolicyRule({ authServerId: serverId, policyId, ruleId: rule.id!, policyRule: { name: rule.name!, type: rule.type!, conditions: rule.conditions!, actions: rule.actions, priority } });
    await put(silver, 1);
    await put(gold, 2);
    try {
      const { report, byId } = await verifyInProcess();
      expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual([]);
      expect(byId['audit.rule.order']!.detail).toBe('silver → "silver access rule" (priority 1); gold → "gold access rule" (priority 2)');
      expect(byId['token.gold']!.status).toBe('pass');
    } finally {
      await put(gold, 1);
      await put(silver, 2);
    }
  });

  it('rules put in the wrong order by hand: a re-run of --mulesoft_policy shows the priority change, repairs it, and verify passes', async () => {
    const silverRule = (s.policy.SILVER_RULE as { id: string }).id;
    const goldRule = (s.policy.GOLD_RULE as { id: string }).id;
    const api = sdk.authorizationServerApi;
    const silver = await api.getAuthorizationServerPolicyRule({ authServerId: serverId, policyId, ruleId: silverRule });
    // silver to the top: the tenant shifts gold down (silver 1, gold 2)
    await api.replaceAuthorizationServerPolicyRule({ authServerId: serverId, policyId, ruleId: silverRule, policyRule: { name: silver.name!, type: silver.type!, conditions: silver.conditions!, actions: silver.actions, priority: 1 } });
    const order = async () => {
      const res = await fetch(`${s.tenant.orgUrl}/api/v1/authorizationServers/${serverId}/policies/${policyId}/rules`, { headers: { authorization: `SSWS ${s.tenant.apiToken}`, accept: 'application/json' } });
      return ((await res.json()) as { id: string; priority: number }[]).map((r) => [r.id, r.priority]);
    };
    expect(await order()).toEqual([[silverRule, 1], [goldRule, 2]]);
    // (--adopt: an earlier test re-created the trusted origin by hand, under a new id)
    const dry = await s.cli(['--mulesoft_policy', '--dry-run', '--adopt']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout + dry.stderr).toMatch(/GOLD_RULE[\s\S]*priority: 2 → 1/);
    const r = await s.cli(['--mulesoft_policy', '--yes', '--adopt']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`~ updated GOLD_RULE (okta:rule) ${goldRule}`);
    expect(await order()).toEqual([[goldRule, 1], [silverRule, 2]]);
    const again = await s.cli(['--mulesoft_policy', '--yes', '--adopt']);
    expect(again.stderr).toContain(`= unchanged GOLD_RULE (okta:rule) ${goldRule}`);
    expect(again.stderr).toContain(`= unchanged SILVER_RULE (okta:rule) ${silverRule}`);
    const { report } = await verifyInProcess();
    expect(report.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual([]);
  });

  it('after every breakage was undone, verify passes again', async () => {
    const { code, report } = await verifyJson();
    expect(report.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(code).toBe(0);
  });
});
