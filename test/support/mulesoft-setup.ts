/**
 * A complete MuleSoft setup against a fresh local tenant, made the way a person makes it, with the BUILT CLI:
 *   okta-bootstrap --mulesoft --yes → register-client (Anypoint's DCR) --write-env → okta-bootstrap --mulesoft_policy --yes
 * With `client: 'anypoint'` the app's client is registered as Anypoint registers it (test/support/anypoint.ts: no
 * post_logout_redirect_uris), its id and secret written to .env by hand, as the README's step 3 says.
 * in a temporary folder (output/ and .env inside it). Returns everything a test needs to go on: the tenant,
 * the folder, the env to run the CLI with, the flat output values, and a helper to get tokens through the dance.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalTenant } from '../../src/local-tenant/index.js';
import { readEnvFile } from '../../src/core/config.js';
import { runDance, type DanceResult } from '../../src/verify/dance.js';
import { anypointDcrBody } from './anypoint.js';
import { runCli, type CliResult } from './cli.js';

export type Tenant = Awaited<ReturnType<typeof startLocalTenant>>;

export interface MulesoftSetup {
  tenant: Tenant;
  dir: string;
  outputDir: string;
  envFile: string;
  /** OKTA_TENANT + OKTA_API_TOKEN, for runCli. */
  env: Record<string, string>;
  /** output/mulesoft.json values (flat). */
  mulesoft: Record<string, unknown>;
  /** output/mulesoft_policy.json values (flat). */
  policy: Record<string, unknown>;
  /** The app's client (register-client, or Anypoint's registration): id and secret, as written to .env. */
  authnClientId: string;
  authnClientSecret: string;
  /** Runs the built CLI in the setup's folder with its output dir and .env. */
  cli(args: string[], extraEnv?: Record<string, string | undefined>): Promise<CliResult>;
  /** The dance for the silver or gold user (gold asks for silver + gold), or for any user/scopes/client. */
  dance(level: 'silver' | 'gold', overrides?: Partial<Parameters<typeof runDance>[0]>): Promise<DanceResult>;
  close(): Promise<void>;
}

export const SILVER_SCOPE = 'http://myapp.com/scp/silver';
export const GOLD_SCOPE = 'http://myapp.com/scp/gold';

/** `env`: extra values for every CLI run of the setup, e.g. PORT (the app's port, in REDIRECT_URI). */
export async function setUpMulesoft(opts: { specCheck?: boolean; statePath?: string; env?: Record<string, string>; client?: 'register-client' | 'anypoint' } = {}): Promise<MulesoftSetup> {
  const tenant = await startLocalTenant({ port: 0, rateLimits: 'none', specCheck: opts.specCheck ?? false, statePath: opts.statePath });
  const dir = await mkdtemp(join(tmpdir(), 'okb-mule-'));
  const outputDir = join(dir, 'output');
  const envFile = join(dir, '.env');
  // Node 20 itself exits 9 when an --env-file argument (even one meant for the script) names a missing file.
  await writeFile(envFile, '', { mode: 0o600 });
  const env = { ...opts.env, OKTA_TENANT: tenant.orgUrl, OKTA_API_TOKEN: tenant.apiToken };
  const cli = (args: string[], extraEnv: Record<string, string | undefined> = {}) =>
    runCli('okta-bootstrap', [...args, '--output-dir', outputDir, '--env-file', envFile], { env: { ...env, ...extraEnv }, cwd: dir });
  const must = (r: CliResult, what: string) => {
    if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  };
  must(await cli(['--mulesoft', '--yes']), 'okta-bootstrap --mulesoft');
  const mulesoft = JSON.parse(await readFile(join(outputDir, 'mulesoft.json'), 'utf8')) as Record<string, unknown>;
  if (opts.client === 'anypoint') {
    const res = await fetch(`${tenant.orgUrl}/oauth2/v1/clients`, {
      method: 'POST',
      headers: { Authorization: `SSWS ${tenant.apiToken}`, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(anypointDcrBody('Solar System Auth', String(mulesoft.REDIRECT_URI))),
    });
    if (res.status !== 201) throw new Error(`Anypoint's DCR failed: ${res.status} ${await res.text()}`);
    const c = (await res.json()) as { client_id: string; client_secret: string };
    await writeFile(envFile, `AUTHN_CLIENT_ID=${c.client_id}\nAUTHN_CLIENT_SECRET=${c.client_secret}\n`, { mode: 0o600 });
  } else {
    const reg = await runCli(
      'okta-bootstrap',
      ['register-client', '--name', 'Solar System Auth', '--redirect-uri', String(mulesoft.REDIRECT_URI), '--grant-type', 'authorization_code', '--grant-type', 'implicit', '--write-env', envFile, '--output-dir', outputDir, '--env-file', envFile],
      { env, cwd: dir },
    );
    must(reg, 'register-client');
  }
  must(await cli(['--mulesoft_policy', '--yes']), 'okta-bootstrap --mulesoft_policy');
  const policy = JSON.parse(await readFile(join(outputDir, 'mulesoft_policy.json'), 'utf8')) as Record<string, unknown>;
  const dotenv = readEnvFile(envFile);
  const authnClientId = dotenv.AUTHN_CLIENT_ID ?? '';
  const authnClientSecret = dotenv.AUTHN_CLIENT_SECRET ?? '';
  if (!authnClientId || !authnClientSecret) throw new Error(`register-client did not write AUTHN_CLIENT_ID/SECRET to ${envFile}`);

  const user = (level: 'silver' | 'gold') => mulesoft[`${level.toUpperCase()}_USER`] as { profile: { login: string } };
  return {
    tenant,
    dir,
    outputDir,
    envFile,
    env,
    mulesoft,
    policy,
    authnClientId,
    authnClientSecret,
    cli,
    dance: (level, overrides = {}) =>
      runDance({
        orgUrl: tenant.orgUrl,
        issuer: String(mulesoft.OKTA_AZ_SERVER_ISSUER),
        clientId: authnClientId,
        clientSecret: authnClientSecret,
        redirectUri: String(mulesoft.REDIRECT_URI),
        username: user(level).profile.login,
        password: String(mulesoft[`${level.toUpperCase()}_PASSWORD`]),
        scopes: level === 'silver' ? ['openid', SILVER_SCOPE] : ['openid', SILVER_SCOPE, GOLD_SCOPE],
        ...overrides,
      }),
    close: () => tenant.close(),
  };
}

/** The access token of a dance that must succeed. */
export function tokenOf(r: DanceResult): string {
  if (!r.ok) throw new Error(`the dance failed at ${r.step}: ${r.message}`);
  return r.tokens.accessToken;
}
