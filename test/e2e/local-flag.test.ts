/**
 * `--local` on every command, as a person uses it with `okta-bootstrap local serve` running in another terminal on a
 * port of their choosing: each command finds that server through the state file (not the default port 7777),
 * the whole flow runs against it, and `gateway --local` enforces tokens the tenant issued.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnvFile } from '../../src/core/config.js';
import { runDance } from '../../src/verify/dance.js';
import { runCli, type CliResult } from '../support/cli.js';
import { serve, type Serve } from '../support/serve.js';
import { obj, parseObject } from '../support/json.js';
import { GOLD_SCOPE, SILVER_SCOPE, tokenOf } from '../support/mulesoft-setup.js';

describe('--local with a running local serve on another port', () => {
  let srv: Serve;
  let dir: string;
  let state: string;
  let out: string;
  let envFile: string;
  const results: CliResult[] = [];

  const cli = async (bin: 'okta-bootstrap' | 'get-settings', args: string[]) => {
    const r = await runCli(bin, [...args, '--local', '--local-state', state, '--output-dir', out, '--env-file', envFile], { cwd: dir, secrets: [srv.token] });
    results.push(r);
    return r;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'okb-localflag-'));
    state = join(dir, 'tenant.json');
    out = join(dir, 'output');
    envFile = join(dir, '.env');
    await writeFile(envFile, '', { mode: 0o600 });
    srv = await serve(['--state', state, '--rate-limits', 'none']);
    expect(srv.orgUrl).not.toMatch(/:7777$/);
  }, 30_000);

  afterAll(async () => {
    srv?.child.kill('SIGTERM');
    await srv?.exit;
  });

  it('runs the whole flow against it, then verify passes', async () => {
    const r1 = await cli('okta-bootstrap', ['--mulesoft', '--yes']);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r1.stderr).toContain(`Using the running local tenant at ${srv.orgUrl}`);
    const mule = JSON.parse(await readFile(join(out, 'mulesoft.json'), 'utf8')) as Record<string, string>;
    expect(mule.OKTA_TENANT).toBe(srv.orgUrl);
    const reg = await cli('okta-bootstrap', ['register-client', '--name', 'Solar System Auth', '--redirect-uri', mule.REDIRECT_URI!, '--grant-type', 'authorization_code', '--write-env', envFile]);
    expect(reg.code, reg.stderr).toBe(0);
    const r2 = await cli('okta-bootstrap', ['--mulesoft_policy', '--yes']);
    expect(r2.code, r2.stderr).toBe(0);
    const gs = await cli('get-settings', ['--mulesoft', '--format', 'json', '--show-secrets']);
    expect(gs.code, gs.stderr).toBe(0);
    expect(obj(parseObject(gs.stdout).values).OKTA_TENANT).toBe(srv.orgUrl);
    const v = await cli('okta-bootstrap', ['verify', '--mulesoft']);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    expect(v.stdout).toMatch(/verify: \d+ passed, 0 failed/);
    // no command started a tenant of its own
    for (const r of results) expect(r.stderr).not.toContain('Local tenant started in-process');
  }, 90_000);

  it('gateway --local enforces tokens the tenant issued', async () => {
    const mule = JSON.parse(await readFile(join(out, 'mulesoft.json'), 'utf8')) as Record<string, string> & { GOLD_USER: { profile: { login: string } } };
    const dotenv = readEnvFile(envFile);
    const gold = tokenOf(
      await runDance({
        orgUrl: srv.orgUrl,
        issuer: mule.OKTA_AZ_SERVER_ISSUER!,
        clientId: dotenv.AUTHN_CLIENT_ID!,
        clientSecret: dotenv.AUTHN_CLIENT_SECRET!,
        redirectUri: mule.REDIRECT_URI!,
        username: mule.GOLD_USER.profile.login,
        password: mule.GOLD_PASSWORD!,
        scopes: ['openid', SILVER_SCOPE, GOLD_SCOPE],
      }),
    );
    let url = '';
    let child: import('node:child_process').ChildProcess | undefined;
    const done = runCli('okta-bootstrap', ['gateway', '--mulesoft', '--local', '--local-state', state, '--port', '0', '--output-dir', out, '--env-file', envFile], {
      cwd: dir,
      secrets: [srv.token],
      onSpawn: (c) => {
        child = c;
        let err = '';
        c.stderr!.on('data', (d: Buffer) => {
          err += d.toString();
          url ||= /Gateway listening on (http:\/\/\S+)/.exec(err)?.[1] ?? '';
        });
      },
    });
    for (let i = 0; i < 200 && !url; i++) await new Promise((r) => setTimeout(r, 50));
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const moons = await fetch(`${url}/moons`, { headers: { Authorization: `Bearer ${gold}` } });
    expect(moons.status).toBe(200);
    const forged = await fetch(`${url}/moons`, { headers: { Authorization: 'Bearer not-a-token' } });
    expect(forged.status).toBe(401);
    child!.kill('SIGTERM');
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`Using the running local tenant at ${srv.orgUrl}`);
  }, 60_000);
});
