/**
 * The gateway profiles end to end with the built CLI against a local tenant: `okta-bootstrap --standard`, then
 * `get-settings --<gateway> --out DIR` writes each gateway's files (0600), `--kong-oss` is refused, and
 * `verify --gateway <kind>` runs the access matrix through each kind reading its generated file; after
 * `--mulesoft` (and Anypoint's client registration), `verify --gateway mulesoft_jwt` passes too.
 */
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWT_KINDS } from '../../src/gateway/kinds.js';
import { startLocalTenant } from '../../src/local-tenant/index.js';
import { runCli, type CliResult } from '../support/cli.js';
import { setUpMulesoft, type MulesoftSetup } from '../support/mulesoft-setup.js';

let tenant: Awaited<ReturnType<typeof startLocalTenant>>;
let dir: string;
let cli: (bin: 'okta-bootstrap' | 'get-settings', args: string[]) => Promise<CliResult>;

beforeAll(async () => {
  tenant = await startLocalTenant({ port: 0, rateLimits: 'none', specCheck: false });
  dir = await mkdtemp(join(tmpdir(), 'okb-profiles-'));
  const envFile = join(dir, '.env');
  await writeFile(envFile, '', { mode: 0o600 });
  const env = { OKTA_TENANT: tenant.orgUrl, OKTA_API_TOKEN: tenant.apiToken };
  cli = (bin, args) => runCli(bin, [...args, '--output-dir', join(dir, 'output'), '--env-file', envFile], { env, cwd: dir });
  const r = await cli('okta-bootstrap', ['--standard', '--yes']);
  if (r.code !== 0) throw new Error(`--standard exited ${r.code}: ${r.stderr}`);
}, 120_000);

afterAll(async () => {
  await tenant?.close();
});

const PROFILES: [string[], string[]][] = [
  [['--kong'], ['kong.yaml']],
  [['--kong', '--mode', 'introspection'], ['kong.yaml']],
  [['--aws'], ['aws-http-api.yaml']],
  [['--tyk'], ['tyk-api.json', 'tyk-policies.json']],
  [['--apigee'], ['apiproxy/proxies/default.xml', 'apiproxy/policies/VerifyJWT-Okta.xml']],
  [['--mulesoft_jwt'], ['flex-jwt-validation.yaml', 'anypoint-jwt-validation.tf']],
  [['--swag'], ['webmethods-okta-alias.json']],
  [['--mulesoft', '--raml'], ['solar-system-api.raml']],
];

describe('get-settings --<gateway> after okta-bootstrap --standard', () => {
  it.each(PROFILES)('%s writes its files with mode 0600 and states the scope semantics', async (args, files) => {
    const out = await mkdtemp(join(tmpdir(), 'okb-out-'));
    const r = await cli('get-settings', [...args, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Scopes: .*\b(ALL|ANY)\b/);
    for (const f of files) {
      const st = await stat(join(out, f));
      expect(st.mode & 0o777, f).toBe(0o600);
      expect(await readFile(join(out, f), 'utf8')).toContain("from input 'standard'");
    }
  });

  it('--kong --mode introspection keeps the secret out of the file', async () => {
    const out = await mkdtemp(join(tmpdir(), 'okb-out-'));
    expect((await cli('get-settings', ['--kong', '--mode', 'introspection', '--out', out])).code).toBe(0);
    expect(await readFile(join(out, 'kong.yaml'), 'utf8')).toContain('${{ env "DECK_OKTA_INTROSPECT_CLIENT_SECRET" }}');
  });

  it('--kong-oss is refused with the reason (exit 2)', async () => {
    const r = await cli('get-settings', ['--kong-oss']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/static PEM/);
  });
});

describe('verify --gateway <kind> after okta-bootstrap --standard', () => {
  it.each(JWT_KINDS)('%s: the access matrix passes', async (kind) => {
    const r = await cli('okta-bootstrap', ['verify', '--gateway', kind]);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/gateway\.silver\.moons/);
  });

  it('reads the file the person applies with --config', async () => {
    const out = await mkdtemp(join(tmpdir(), 'okb-out-'));
    expect((await cli('get-settings', ['--tyk', '--out', out])).code).toBe(0);
    const r = await cli('okta-bootstrap', ['verify', '--gateway', 'tyk', '--config', join(out, 'tyk-api.json'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(join(out, 'tyk-api.json'));
    const report = JSON.parse(r.stdout) as { counts: Record<string, number>; checks: { id: string; status: string }[] };
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    for (const id of ['token.silver', 'token.gold', 'gateway.silver.planets', 'gateway.silver.moons', 'gateway.gold.planets', 'gateway.gold.moons', 'gateway.none.planets', 'gateway.forged.moons', 'gateway.expired.planets', 'gateway.audience.planets']) {
      expect(byId[id], id).toBe('pass');
    }
    expect(byId['gateway.rotation']).toBe('skip');
  });
});

describe('verify --gateway mulesoft_jwt after okta-bootstrap --mulesoft', () => {
  let s: MulesoftSetup;
  beforeAll(async () => {
    s = await setUpMulesoft();
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });
  it('passes', async () => {
    const r = await s.cli(['verify', '--gateway', 'mulesoft_jwt']);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
  });
});
