/**
 * Secrets, end to end: the whole flow with every diagnostic switched on (--debug --verbose), plus a failing run,
 * a dry run, a re-run, get-settings in every format, verify and destroy. Then:
 *  - OKTA_API_TOKEN appears in no stdout, no stderr and no file the CLI wrote (HOME is the test folder too,
 *    so a cache or config the SDK might drop there is searched as well);
 *  - client secrets and passwords are masked on the console unless --show-secrets;
 *  - every file the CLI wrote is mode 0600.
 * The local tenant keeps its state in memory here, so no tenant file (which must hold the token) is in the folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalTenant } from '../../src/local-tenant/index.js';
import { readEnvFile } from '../../src/core/config.js';
import { runCli, type CliResult } from '../support/cli.js';

type Tenant = Awaited<ReturnType<typeof startLocalTenant>>;

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

describe('secrets across the whole flow, with --debug --verbose', () => {
  let tenant: Tenant;
  let dir: string;
  let out: string;
  let envFile: string;
  const runs: { what: string; r: CliResult; showSecrets: boolean }[] = [];

  const run = async (bin: 'okta-bootstrap' | 'get-settings', args: string[], expectCode: number) => {
    const r = await runCli(bin, [...args, '--output-dir', out, '--env-file', envFile], {
      env: { OKTA_TENANT: tenant.orgUrl, OKTA_API_TOKEN: tenant.apiToken, HOME: dir },
      cwd: dir,
      timeoutMs: 90_000,
    });
    const what = `${bin} ${args.join(' ')}`;
    expect(r.code, `${what}\n${r.stderr}\n${r.stdout}`).toBe(expectCode);
    runs.push({ what, r, showSecrets: args.includes('--show-secrets') });
    return r;
  };

  beforeAll(async () => {
    tenant = await startLocalTenant({ port: 0, rateLimits: 'none' });
    dir = await mkdtemp(join(tmpdir(), 'okb-secrets-'));
    out = join(dir, 'output');
    envFile = join(dir, '.env');
    await writeFile(envFile, '', { mode: 0o600 });
    const dbg = ['--debug', '--verbose'];

    // a value refused before any write (exit 2), then an Okta error mid-run (E0000001 on the users' login):
    // the debug dump of a failed exchange
    await run('okta-bootstrap', ['--mulesoft', '--yes', '--set', 'REDIRECT_URI=not-a-uri', ...dbg], 2);
    await run('okta-bootstrap', ['--mulesoft', '--yes', '--set', 'FAKE_USER_DOMAIN=bad domain', '--new-tag', ...dbg], 1);
    await run('okta-bootstrap', ['destroy', '--mulesoft', '--yes', ...dbg], 0);
    await run('okta-bootstrap', ['--mulesoft', '--dry-run', ...dbg], 0);
    await run('okta-bootstrap', ['--mulesoft', '--yes', ...dbg], 0);
    await run('get-settings', ['--mulesoft_introspect', ...dbg], 0);
    await run('get-settings', ['--mulesoft_introspect', '--format', 'json', '--show-secrets', ...dbg], 0);
    const mule = JSON.parse(await readFile(join(out, 'mulesoft.json'), 'utf8')) as Record<string, string>;
    await run('okta-bootstrap', [
      'register-client', '--name', 'Solar System Auth', '--redirect-uri', mule.REDIRECT_URI!,
      '--grant-type', 'authorization_code', '--grant-type', 'implicit', '--write-env', envFile, ...dbg,
    ], 0);
    await run('okta-bootstrap', ['--mulesoft_policy', '--yes', ...dbg], 0);
    await run('okta-bootstrap', ['--mulesoft_policy', '--yes', '--show-secrets', ...dbg], 0);
    // before --write-env, which adds PROXY_URI (the gateway verify would then call)
    await run('okta-bootstrap', ['verify', '--mulesoft', '--json', ...dbg], 0);
    await run('get-settings', ['--mulesoft', '--write-env', ...dbg], 0);
    await run('get-settings', ['--mulesoft', '--format', 'env', ...dbg], 2); // masked secrets into a pipe: refused
    await run('get-settings', ['--mulesoft', '--format', 'json', '--show-secrets', ...dbg], 0);
    await run('okta-bootstrap', ['destroy', '--mulesoft', '--cascade', '--dry-run', ...dbg], 0);
  }, 300_000);

  afterAll(async () => {
    await tenant?.close();
  });

  it('never prints the API token, not even in debug HTTP dumps (runCli checks every run; here: it did debug)', () => {
    expect(runs.length).toBeGreaterThan(10);
    // the runs did dump HTTP exchanges, so the check above looked at real debug output
    expect(runs.some(({ r }) => /SSWS \*{8}|HTTP (GET|POST)/.test(r.stderr + r.stdout))).toBe(true);
    for (const { r } of runs) expect(r.stdout + r.stderr).not.toContain(tenant.apiToken);
  });

  it('prints plain lines without a terminal: no live status view, no cursor movement', () => {
    for (const { what, r } of runs) {
      expect(r.stdout + r.stderr, what).not.toMatch(/· in progress \d+ ·/);
      expect(r.stdout + r.stderr, what).not.toContain('\u001b[');
    }
  });

  it('writes the API token into no file: outputs, per-run outputs, .env, nothing under HOME', async () => {
    const files = await filesUnder(dir);
    expect(files.some((f) => f.endsWith('mulesoft.json'))).toBe(true);
    expect(files.some((f) => f.endsWith('.env'))).toBe(true);
    for (const f of files) expect(await readFile(f, 'utf8'), f).not.toContain(tenant.apiToken);
  });

  it('writes every file mode 0600', async () => {
    for (const f of await filesUnder(dir)) expect((await stat(f)).mode & 0o777, f).toBe(0o600);
  });

  it('masks client secrets and passwords on the console unless --show-secrets', async () => {
    const mule = JSON.parse(await readFile(join(out, 'mulesoft.json'), 'utf8')) as Record<string, string>;
    const dotenv = readEnvFile(envFile);
    const secrets = [mule.INTROSPECT_CLIENT_SECRET, mule.SILVER_PASSWORD, mule.GOLD_PASSWORD, dotenv.AUTHN_CLIENT_SECRET];
    for (const s of secrets) expect(s, 'a secret the flow produced').toMatch(/.{8,}/);
    for (const { what, r, showSecrets } of runs) {
      if (showSecrets) continue;
      for (const s of secrets) expect(r.stdout + r.stderr, what).not.toContain(s);
    }
    // and --show-secrets does show them where the command prints them
    const shown = runs.find((x) => x.what.startsWith('get-settings --mulesoft --format json --show-secrets'))!;
    expect(shown.r.stdout).toContain(dotenv.AUTHN_CLIENT_SECRET);
    const dcr = runs.find((x) => x.what.startsWith('get-settings --mulesoft_introspect --format json --show-secrets'))!;
    expect(dcr.r.stdout).toContain(mule.INTROSPECT_CLIENT_SECRET);
  });
});
