/**
 * The one-step setup for any gateway, as a person runs it, against a local tenant: `okta-bootstrap --standard`
 * (our input) and files with the original okta-api-center standard.json's and aws.json's structures, unmodified; then the
 * settings of its output feed every gateway profile, and each JWT kind of the local gateway, reading its generated
 * file, lets silver read /planets only and gold read both.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicies, type GatewayPolicies } from '../../src/gateway/policies.js';
import { JWT_KINDS } from '../../src/gateway/kinds.js';
import { startLocalTenant } from '../../src/local-tenant/index.js';
import type { GatewaySettings } from '../../src/settings/gateways/index.js';
import { runDance } from '../../src/verify/dance.js';
import { LEGACY } from './apply-support.js';
import { runCli } from '../support/cli.js';
import { callGateway, startKind } from '../support/gateway-kinds.js';
import { tokenOf, GOLD_SCOPE, SILVER_SCOPE } from '../support/mulesoft-setup.js';

const variants = [
  { name: 'okta-bootstrap --standard', args: ['--standard'], output: 'standard', audience: 'api://solar_system' },
  { name: "the original standard.json's structure, unmodified", args: ['--input', join(LEGACY, 'standard.json')], output: 'standard', audience: 'http://localhost:8081' },
  { name: "the original aws.json's structure, unmodified", args: ['--input', join(LEGACY, 'aws.json')], output: 'aws', audience: 'http://localhost:8081' },
];

describe.each(variants)('$name', (v) => {
  let tenant: Awaited<ReturnType<typeof startLocalTenant>>;
  let out: Record<string, unknown>;
  let silver: string;
  let gold: string;
  let dir: string;

  beforeAll(async () => {
    tenant = await startLocalTenant({ port: 0, rateLimits: 'none', specCheck: true });
    dir = await mkdtemp(join(tmpdir(), 'okb-standard-'));
    const envFile = join(dir, '.env');
    await writeFile(envFile, '', { mode: 0o600 });
    const r = await runCli('okta-bootstrap', [...v.args, '--yes', '--output-dir', join(dir, 'output'), '--env-file', envFile], {
      env: { OKTA_TENANT: tenant.orgUrl, OKTA_API_TOKEN: tenant.apiToken, PROXY_URI: 'http://localhost:8081' },
      cwd: dir,
    });
    expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
    out = JSON.parse(await readFile(join(dir, 'output', `${v.output}.json`), 'utf8')) as Record<string, unknown>;
    const login = (level: 'SILVER' | 'GOLD') => (out[`${level}_USER`] as { profile: { login: string } }).profile.login;
    const dance = (level: 'SILVER' | 'GOLD', scopes: string[]) =>
      runDance({
        orgUrl: tenant.orgUrl,
        issuer: String(out.OKTA_AZ_SERVER_ISSUER),
        clientId: String(out.AUTHN_CLIENT_ID),
        clientSecret: String(out.AUTHN_CLIENT_SECRET),
        redirectUri: String(out.REDIRECT_URI),
        username: login(level),
        password: String(out[`${level}_PASSWORD`]),
        scopes,
      });
    silver = tokenOf(await dance('SILVER', ['openid', SILVER_SCOPE]));
    gold = tokenOf(await dance('GOLD', ['openid', SILVER_SCOPE, GOLD_SCOPE]));
  }, 180_000);

  afterAll(async () => {
    await tenant?.close();
  });

  it('creates the app client, the audience and the policy map the profiles need', () => {
    expect(String(out.AUTHN_CLIENT_ID)).toMatch(/^0oa/);
    expect((out.OKTA_AZ_SERVER as { audiences: string[] }).audiences).toEqual([v.audience]);
    if (v.args[0] === '--standard') expect(out.GATEWAY_POLICIES).toEqual({ 'GET /planets': [SILVER_SCOPE], 'GET /moons': [GOLD_SCOPE] });
  });

  it('its settings feed the profiles: get-settings --aws reads the issuer and audience from its output', async () => {
    const r = await runCli('get-settings', ['--aws', '--format', 'json', '--output-dir', join(dir, 'output'), '--env-file', join(dir, '.env')], { env: {}, cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { values: Record<string, string> };
    expect(j.values.Issuer).toBe(out.OKTA_AZ_SERVER_ISSUER);
    expect(j.values.Audience).toBe(v.audience);
  });

  it.each(JWT_KINDS)('gateway --kind %s from its generated file: silver → planets only, gold → both', async (kind) => {
    const policies = (out.GATEWAY_POLICIES as GatewayPolicies | undefined) ?? { 'GET /planets': [SILVER_SCOPE], 'GET /moons': [GOLD_SCOPE] };
    const settings: GatewaySettings = {
      input: v.output,
      tag: String(out.TAG),
      issuer: String(out.OKTA_AZ_SERVER_ISSUER),
      audience: v.audience,
      upstreamUrl: 'http://127.0.0.1:9',
      policies: parsePolicies(policies),
      policiesSource: 'output',
    };
    const gw = await startKind(kind, settings);
    try {
      expect((await callGateway(gw, '/planets', silver)).status).toBe(200);
      expect((await callGateway(gw, '/moons', silver)).status).toBeGreaterThanOrEqual(401);
      expect((await callGateway(gw, '/planets', gold)).status).toBe(200);
      expect((await callGateway(gw, '/moons', gold)).status).toBe(200);
    } finally {
      await gw.close();
    }
  });
});
