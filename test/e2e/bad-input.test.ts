/**
 * Bad input, bad credentials, an unreachable org and an Okta validation error: each gets its message
 * and exit code, and input errors send nothing to Okta (the tenant's request log shows no write).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalTenant } from '../../src/local-tenant/index.js';
import { runCli } from '../support/cli.js';

type Tenant = Awaited<ReturnType<typeof startLocalTenant>>;
let tenant: Tenant;
let dir: string;

const writes = () => tenant.requestLog.filter((e) => e.method !== 'GET');

beforeAll(async () => {
  tenant = await startLocalTenant({ port: 0, rateLimits: 'none' });
  dir = await mkdtemp(join(tmpdir(), 'okb-bad-'));
});
afterAll(async () => {
  await tenant.close();
});

async function inputFile(name: string, content: string): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, content);
  return p;
}

function run(args: string[], env: Record<string, string> = {}, outDir = join(dir, 'out')) {
  return runCli('okta-bootstrap', [...args, '--output-dir', outDir, '--env-file', join(dir, 'none.env')], {
    env: { OKTA_TENANT: tenant.orgUrl, OKTA_API_TOKEN: tenant.apiToken, ...env },
  });
}

describe('input problems: exit 2, every problem at once, nothing sent', () => {
  it('JSON syntax error with line and column', async () => {
    const f = await inputFile('syntax.json', '{\n  "TAG": {\n    "objType": "string",\n    "default": "x",\n  }\n}\n');
    const before = tenant.requestLog.length;
    const r = await run(['--input', f, '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 5/);
    expect(r.stderr).toMatch(/column \d+/);
    expect(tenant.requestLog.length).toBe(before);
  });

  it('unknown objType and objectClass, json without default, a cycle: all reported together', async () => {
    const f = await inputFile(
      'many.json',
      JSON.stringify({
        A: { objType: 'strng', default: 'x' },
        B: { objType: 'json', objectClass: 'okta:grup', default: { profile: { name: 'n' } } },
        C: { objType: 'json', objectClass: 'okta:user_group' },
        D: { objType: 'string', default: '{{E}}' },
        E: { objType: 'string', default: '{{D}}' },
      }),
    );
    const before = tenant.requestLog.length;
    const r = await run(['--input', f, '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/A\.objType/);
    expect(r.stderr).toMatch(/string/); // the suggestion names the valid objType
    expect(r.stderr).toMatch(/B\.objectClass/);
    expect(r.stderr).toMatch(/okta:user_group/); // closest valid class suggested
    expect(r.stderr).toMatch(/C.*default/);
    expect(r.stderr).toMatch(/cycle/i);
    expect(r.stderr).toMatch(/D.*E|E.*D/);
    expect(tenant.requestLog.length).toBe(before);
  });

  it('a reference to an undefined key only warns, and is then asked for (stdin not a TTY: stop, say --set)', async () => {
    const f = await inputFile('ref.json', JSON.stringify({ X: { objType: 'string', default: 'v-{{NOT_DEFINED_ANYWHERE}}', saveToOutput: true } }));
    const r = await run(['--input', f]);
    expect(r.stderr).toMatch(/NOT_DEFINED_ANYWHERE/);
    expect(r.stderr).toMatch(/warning/i);
    expect(r.stderr).toMatch(/--yes|--set/);
    expect(r.code).toBe(2);
    expect(writes()).toEqual([]);
    const ok = await run(['--input', f, '--yes', '--set', 'NOT_DEFINED_ANYWHERE=given']);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('a bad --set is a usage error', async () => {
    const r = await run(['--mulesoft', '--yes', '--set', 'NOEQUALS']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/KEY=VALUE/);
  });

  it('two inputs at once is a usage error', async () => {
    const r = await run(['--mulesoft', '--mulesoft_policy']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Choose one input/);
  });

  it('a value Okta would refuse fails the plan, not the run halfway: exit 2, every such problem, nothing written', async () => {
    const before = tenant.requestLog.length;
    const r = await run(['--mulesoft', '--yes', '--set', 'REDIRECT_URI=9191']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/INTROSPECT_CLIENT\.default\.redirect_uris\.0: "9191" is not an absolute URI/);
    expect(r.stderr).toMatch(/REDIRECT_URI or PORT/);
    expect(tenant.requestLog.slice(before).filter((e) => e.method !== 'GET')).toEqual([]);

    const f = await inputFile('refused.json', JSON.stringify({
      CLIENT: { objType: 'json', objectClass: 'okta:client', default: { client_name: 'c', redirect_uris: ['http://ok.example.com/cb', 'http://x.example.com/#frag'], grant_types: ['authorization_code'] } },
      NO_REDIRECT: { objType: 'json', objectClass: 'okta:client', default: { client_name: 'd', grant_types: ['implicit'] } },
      ORIGIN: { objType: 'json', objectClass: 'okta:trusted_origin', default: { name: 'o', origin: 'localhost', scopes: [{ type: 'CORS' }] } },
    }));
    const before2 = tenant.requestLog.length;
    const r2 = await run(['--input', f, '--yes']);
    expect(r2.code, r2.stderr).toBe(2);
    expect(r2.stderr).toMatch(/3 problems in the input/);
    expect(r2.stderr).toMatch(/CLIENT\.default\.redirect_uris\.1/);
    expect(r2.stderr).toMatch(/NO_REDIRECT\.default\.redirect_uris: grant type implicit needs at least one redirect URI/);
    expect(r2.stderr).toMatch(/ORIGIN\.default\.origin: "localhost" is not an origin/);
    expect(tenant.requestLog.slice(before2).filter((e) => e.method !== 'GET')).toEqual([]);
  });

  it('a custom profile attribute (not in the base profile schema) fails the plan with the key and the attribute, nothing written', async () => {
    const f = await inputFile('custom-attr.json', JSON.stringify({
      GROUP: { objType: 'json', objectClass: 'okta:user_group', default: { profile: { name: 'custom attr group', level: 'gold' } } },
      USER: {
        objType: 'json',
        objectClass: 'okta:user',
        default: { profile: { firstName: 'A', lastName: 'B', email: 'custom.attr@example.com', login: 'custom.attr@example.com', costCentre: '42', department: 'space' } },
      },
    }));
    const before = tenant.requestLog.length;
    const r = await run(['--input', f, '--yes']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/GROUP\.default\.profile\.level: "level" is not an attribute of Okta's base group profile/);
    expect(r.stderr).toMatch(/USER\.default\.profile\.costCentre: "costCentre" is not an attribute of Okta's base user profile/);
    expect(r.stderr).not.toMatch(/department/);
    expect(tenant.requestLog.slice(before).filter((e) => e.method !== 'GET')).toEqual([]);
  });
});

describe('register-client checks its registration like an input\'s okta:client', () => {
  it('a redirect URI Okta would refuse: exit 2, the okta:client check\'s message, nothing sent', async () => {
    const before = tenant.requestLog.length;
    const r = await run(['register-client', '--name', 'Bad Redirect', '--redirect-uri', 'http://x.example.com/#frag']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/redirect_uris\.0: "http:\/\/x\.example\.com\/#frag" is not an absolute URI without a fragment/);
    expect(r.stderr).toMatch(/--redirect-uri/);
    expect(tenant.requestLog.length).toBe(before);
  });
});

describe('credentials and reachability', () => {
  it('missing token: exit 2, says where to get it, nothing sent', async () => {
    const before = tenant.requestLog.length;
    const r = await run(['--mulesoft', '--yes'], { OKTA_API_TOKEN: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/OKTA_API_TOKEN/);
    expect(r.stderr).toMatch(/Security → API → Tokens/);
    expect(tenant.requestLog.length).toBe(before);
  });

  it('wrong token: 401 E0000011, check OKTA_API_TOKEN, nothing after it runs', async () => {
    const before = tenant.requestLog.length;
    const r = await run(['--mulesoft', '--yes'], { OKTA_API_TOKEN: 'definitely-not-the-token-0000000000' }, join(dir, 'out-401'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/401/);
    expect(r.stderr).toMatch(/E0000011/);
    expect(r.stderr).toMatch(/OKTA_API_TOKEN/);
    expect(r.stderr).not.toContain('definitely-not-the-token-0000000000');
    const after = tenant.requestLog.slice(before);
    expect(after.length).toBe(1);
    expect(after[0]!.status).toBe(401);
    await expect(readdir(join(dir, 'out-401'))).rejects.toThrow();
  });

  it('http:// to a non-local host is refused before any request', async () => {
    const r = await run(['--mulesoft', '--yes'], { OKTA_TENANT: 'http://example.okta.com' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/https/);
  });

  it('an unreachable org URL: exit 1 with the URL and what to check', async () => {
    const r = await run(['--mulesoft', '--yes'], { OKTA_TENANT: 'http://127.0.0.1:9' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/127\.0\.0\.1:9/);
    expect(r.stderr).toMatch(/OKTA_TENANT|local serve/);
  });
});

describe('an Okta validation error', () => {
  it('shows errorCode, errorSummary, every cause and the key, exit 1', async () => {
    const f = await inputFile(
      'rule.json',
      JSON.stringify({
        SERVER: { objType: 'json', objectClass: 'okta:authz_server', default: { name: 'bad-input-server', description: 'd', audiences: ['api://x'] } },
        POLICY: {
          objType: 'json',
          objectClass: 'okta:oauth_policy',
          oktaEndpoint: '/api/v1/authorizationServers/{{SERVER.id}}/policies',
          default: { type: 'OAUTH_AUTHORIZATION_POLICY', status: 'ACTIVE', name: 'p', description: 'p', priority: 1, conditions: { clients: { include: ['ALL_CLIENTS'] } } },
        },
        NO_PEOPLE_RULE: {
          objType: 'json',
          objectClass: 'okta:rule',
          oktaEndpoint: '/api/v1/authorizationServers/{{SERVER.id}}/policies/{{POLICY.id}}/rules',
          default: {
            type: 'RESOURCE_ACCESS',
            name: 'no people',
            priority: 1,
            conditions: { grantTypes: { include: ['authorization_code'] }, scopes: { include: ['openid'] } },
            actions: { token: { accessTokenLifetimeMinutes: 60, refreshTokenLifetimeMinutes: 0, refreshTokenWindowMinutes: 10080 } },
          },
        },
      }),
    );
    const r = await run(['--input', f, '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/NO_PEOPLE_RULE/);
    expect(r.stderr).toMatch(/E0000001/);
    expect(r.stderr).toMatch(/Api validation failed: conditions\.people/);
    expect(r.stderr).toMatch(/At least one of 'conditions\.people\.users\.include' or 'conditions\.people\.groups\.include'/);
  });
});
