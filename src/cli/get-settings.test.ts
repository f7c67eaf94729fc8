/**
 * Runs the BUILT get-settings (bin/get-settings.js → dist/) against output files made here with fake values.
 * runCli fails any run that prints OKTA_API_TOKEN from its environment.
 */
import { mkdtemp, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/cli.js';
import { obj, parseObject } from '../../test/support/json.js';

const TOKEN = 'fake-api-token-0123456789';
const INTRO_SECRET = 'fake-introspect-secret-abc';
const SILVER_PW = "fake-silver-pw#1'x";

const mulesoftOut = {
  TAG: 'autogen20240101-0000',
  OKTA_TENANT: 'https://dev-1.example.okta.com',
  CLIENT_REGISTRATION_URL: 'https://dev-1.example.okta.com/oauth2/v1/clients',
  PORT: '8080',
  REDIRECT_URI: 'http://localhost:8080',
  INTROSPECT_CLIENT_ID: '0oaINTRO',
  INTROSPECT_CLIENT_SECRET: INTRO_SECRET,
  OKTA_AZ_SERVER_ID: 'aus1',
  OKTA_AZ_SERVER_ISSUER: 'https://dev-1.example.okta.com/oauth2/aus1',
  AUTHORIZE_URL: 'https://dev-1.example.okta.com/oauth2/aus1/v1/authorize',
  TOKEN_URL: 'https://dev-1.example.okta.com/oauth2/aus1/v1/token',
  TOKEN_INTROSPECTION_URL: 'https://dev-1.example.okta.com/oauth2/aus1/v1/introspect',
  SILVER_PASSWORD: SILVER_PW,
  GOLD_PASSWORD: 'fake-gold-pw',
  SILVER_USER: { profile: { login: 'silver@example.com' } },
  GOLD_USER: { profile: { login: 'gold@example.com' } },
  SILVER_SCOPE_NAME: 'http://myapp.com/scp/silver',
  GOLD_SCOPE_NAME: 'http://myapp.com/scp/gold',
  '$okta-bootstrap': { version: 1, input: 'mulesoft', status: 'complete', objects: {} },
};

let dir: string;
let out: string;
let envFile: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'okb-getsettings-'));
  out = join(dir, 'output');
  envFile = join(dir, '.env');
  await mkdir(out);
  await writeFile(join(out, 'mulesoft.json'), JSON.stringify(mulesoftOut, null, 2));
  await writeFile(envFile, '# app settings\nAUTHN_CLIENT_ID=0oaAPP\nAUTHN_CLIENT_SECRET=fake-app-secret\n');
});

const gs = (args: string[], env: Record<string, string> = {}) =>
  runCli('get-settings', [...args, '--output-dir', out, '--env-file', envFile], { cwd: dir, env: { OKTA_API_TOKEN: TOKEN, ...env } });

describe('get-settings --mulesoft_introspect', () => {
  it('prints the Anypoint form values as text, masking the secret and the token', async () => {
    const r = await gs(['--mulesoft_introspect']);
    expect(r.code, r.stderr).toBe(0);
    for (const label of ['Client Registration URL', 'Authorization Header', 'Token Introspection Client ID', 'Token Introspection Client Secret', 'Authorize URL', 'Token URL', 'Token Introspection URL']) {
      expect(r.stdout).toContain(label);
    }
    expect(r.stdout).toMatch(/Authorization Header\s+SSWS \*{8}/);
    expect(r.stdout).toMatch(/Token Introspection Client Secret\s+\*{8}/);
    expect(r.stdout).not.toContain(INTRO_SECRET);
    expect(r.stdout).toContain('https://dev-1.example.okta.com/oauth2/aus1/v1/introspect');
    expect(r.stdout + r.stderr).not.toContain('\u001b['); // NO_COLOR (runCli sets it) and not a TTY
  });

  it('--show-secrets reveals the client secret but never the token, which is named by where it comes from', async () => {
    const r = await gs(['--mulesoft_introspect', '--format', 'env', '--show-secrets']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`INTROSPECT_CLIENT_SECRET=${INTRO_SECRET}`);
    // the token is left out of env (a file), with a note: no placeholder where a value belongs
    expect(r.stdout).toContain('# AUTHORIZATION_HEADER: "SSWS " followed by your API token: get-settings never prints it');
    expect(r.stdout).not.toContain('********');
    // a token from .env (runCli guards only the environment's token) is not printed either, in any format
    await writeFile(envFile, 'OKTA_API_TOKEN=dotenv-token-fake-987\n');
    for (const format of ['text', 'env', 'json']) {
      const t = await runCli('get-settings', ['--mulesoft_introspect', '--show-secrets', '--format', format, '--output-dir', out, '--env-file', envFile], { cwd: dir });
      expect(t.code, t.stderr).toBe(0);
      expect(t.stdout + t.stderr).not.toContain('dotenv-token-fake-987');
      if (format === 'text') expect(t.stderr).toContain(`"SSWS " followed by your API token (OKTA_API_TOKEN in ${envFile})`);
    }
    const old = await runCli('get-settings', ['--mulesoft_introspect', '--show-token', '--output-dir', out, '--env-file', envFile], { cwd: dir });
    expect(old.code).toBe(2);
  });

  it('names a missing token with where to get it, prints the rest, and exits 1', async () => {
    const r = await runCli('get-settings', ['--mulesoft_introspect', '--output-dir', out, '--env-file', envFile], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/AUTHORIZATION_HEADER: not found — set OKTA_API_TOKEN/);
    expect(r.stdout).toContain('0oaINTRO');
  });

  it('--local takes the org URL and token from the local tenant state file', async () => {
    await writeFile(join(dir, 'tenant.json'), JSON.stringify({ version: 1, apiToken: 'local-token-fake-555', orgUrl: 'http://127.0.0.1:7777' }));
    await writeFile(join(out, 'mulesoft.json'), JSON.stringify({ INTROSPECT_CLIENT_ID: '0oaL', INTROSPECT_CLIENT_SECRET: 'x-secret', OKTA_AZ_SERVER_ID: 'ausL' }));
    const r = await gs(['--mulesoft_introspect', '--local', '--local-state', join(dir, 'tenant.json'), '--format', 'json', '--show-secrets']);
    expect(r.code, r.stderr).toBe(0);
    const j = parseObject(r.stdout);
    expect(obj(j.values).AUTHORIZATION_HEADER).toBeUndefined();
    expect(String(obj(j.withheld).AUTHORIZATION_HEADER)).toMatch(/never prints it/);
    expect(r.stdout).not.toContain('local-token-fake-555');
    expect(obj(j.values).CLIENT_REGISTRATION_URL).toBe('http://127.0.0.1:7777/oauth2/v1/clients');
    expect(obj(j.values).TOKEN_URL).toBe('http://127.0.0.1:7777/oauth2/ausL/v1/token');
    expect(obj(j.sources).AUTHORIZATION_HEADER).toBe('local tenant');
  });
});

describe('get-settings --mulesoft', () => {
  it('prints the app .env values as json with the gateway policies; env overrides the output file', async () => {
    const r = await gs(['--mulesoft', '--format', 'json', '--show-secrets'], { PORT: '9999' });
    expect(r.code, r.stderr).toBe(0);
    const j = parseObject(r.stdout);
    expect(j.values).toEqual({
      OKTA_TENANT: 'https://dev-1.example.okta.com',
      AUTHN_CLIENT_ID: '0oaAPP',
      AUTHN_CLIENT_SECRET: 'fake-app-secret',
      OKTA_AZ_SERVER_ISSUER: 'https://dev-1.example.okta.com/oauth2/aus1',
      PROXY_URI: 'http://localhost:8081',
      PORT: '9999',
      REDIRECT_URI: 'http://localhost:8080',
      SILVER_USERNAME: 'silver@example.com',
      SILVER_PASSWORD: SILVER_PW,
      GOLD_USERNAME: 'gold@example.com',
      GOLD_PASSWORD: 'fake-gold-pw',
      GATEWAY: 'mulesoft',
    });
    expect(obj(j.sources).PORT).toBe('environment');
    expect(j.gatewayPolicies).toEqual({ 'GET /planets': ['http://myapp.com/scp/silver'], 'GET /moons': ['http://myapp.com/scp/gold'] });
    expect(j.missing).toEqual([]);
  });

  it('env or json into a pipe never holds ******** in place of a secret: exit 2 unless --show-secrets', async () => {
    for (const format of ['env', 'json']) {
      const r = await gs(['--input', 'mulesoft', '--format', format]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('Secrets are masked: add --show-secrets, or use --write-env');
      expect(r.stderr).toMatch(/AUTHN_CLIENT_SECRET.*SILVER_PASSWORD|SILVER_PASSWORD.*AUTHN_CLIENT_SECRET/);
      expect(r.stderr).not.toContain('fake-app-secret');
    }
    const shown = await gs(['--input', 'mulesoft', '--format', 'env', '--show-secrets']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('AUTHN_CLIENT_SECRET=fake-app-secret');
    expect(shown.stdout).toContain('SILVER_USERNAME=silver@example.com');
    expect(shown.stdout).not.toContain('********');
    // text is for a person: masked, exit 0
    const text = await gs(['--input', 'mulesoft']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/SILVER_PASSWORD\s+\*{8}/);
  });

  it('a missing client secret is named with the register-client hint and exit 1; found values still print', async () => {
    await writeFile(envFile, 'AUTHN_CLIENT_ID=0oaAPP\n');
    const r = await gs(['--mulesoft']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('AUTHN_CLIENT_SECRET: not found — run `okta-bootstrap register-client');
    expect(r.stdout).toMatch(/AUTHN_CLIENT_ID\s+0oaAPP/);
    expect(r.stdout).toMatch(/AUTHN_CLIENT_SECRET\s+\(not found\)/);
    expect(r.stdout).toContain('GET /planets');
  });

  it('--write-env merges real values into .env, keeps other lines, mode 0600, never the token', async () => {
    const target = join(dir, 'app.env');
    await writeFile(target, '# my app\nPORT=3000 # old\nEXTRA=keep\n', { mode: 0o644 });
    const r = await gs(['--mulesoft', '--write-env', target]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Wrote .*app\.env \(mode 0600, real values/);
    const text = await readFile(target, 'utf8');
    expect(text.startsWith('# my app\nPORT=8080\nEXTRA=keep\n')).toBe(true);
    expect(text).toContain('AUTHN_CLIENT_SECRET=fake-app-secret\n');
    expect(text).toContain(`SILVER_PASSWORD=\`${SILVER_PW}\`\n`); // it holds ' and #: backtick-quoted
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('********');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    // without a file name it merges into --env-file
    const r2 = await gs(['--mulesoft', '--write-env', '--quiet']);
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stderr).toBe('');
    const env = await readFile(envFile, 'utf8');
    expect(env.startsWith('# app settings\nAUTHN_CLIENT_ID=0oaAPP\nAUTHN_CLIENT_SECRET=fake-app-secret\n')).toBe(true);
    expect(env).toContain('GATEWAY=mulesoft\n');
  });
});

describe('get-settings --input FILE: any input, a generic profile', () => {
  const input = {
    $comment: 'a custom gateway setup',
    GW_NAME: { objType: 'string', default: 'gw-{{TAG}}', saveToOutput: true },
    HIDDEN: { objType: 'string', default: 'not saved', saveToOutput: false },
    GW_CLIENT: {
      objType: 'json',
      objectClass: 'okta:client',
      saveToOutput: true,
      default: { client_name: 'gw', redirect_uris: ['http://localhost:1'], grant_types: ['client_credentials'], response_types: ['token'], application_type: 'service' },
    },
    GW_PASSWORD: { objType: 'string', default: 'x', saveToOutput: true },
    GW_PORT: { objType: 'string', default: '9000', saveToOutput: true },
  };
  const output = {
    GW_NAME: 'gw-t1',
    GW_CLIENT: { client_id: '0oaGW', client_name: 'gw', client_secret: 'gw-client-secret-fake' },
    GW_PASSWORD: 'gw-password-fake',
    '$okta-bootstrap': { version: 1, input: 'my-gateway', status: 'complete', objects: {} },
  };

  it('prints every saveToOutput value in the input\'s order, secrets masked (objects field by field), missing ones named', async () => {
    const file = join(dir, 'my-gateway.json');
    await writeFile(file, JSON.stringify(input));
    await writeFile(join(out, 'my-gateway.json'), JSON.stringify(output));
    const r = await gs(['--input', file]);
    expect(r.code, r.stderr).toBe(1); // GW_PORT is in no source
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toContain('my-gateway');
    expect(lines.slice(1).map((l) => l.trim().split(/\s+/)[0])).toEqual(['GW_NAME', 'GW_CLIENT', 'GW_PASSWORD', 'GW_PORT']);
    expect(r.stdout).toMatch(/GW_NAME\s+gw-t1/);
    expect(r.stdout).toContain('"client_id":"0oaGW"');
    expect(r.stdout).toContain('"client_secret":"********"');
    expect(r.stdout).toMatch(/GW_PASSWORD\s+\*{8}/);
    expect(r.stdout).not.toMatch(/gw-client-secret-fake|gw-password-fake|HIDDEN/);
    expect(r.stderr).toMatch(/GW_PORT: not found — run `okta-bootstrap --input .*my-gateway\.json`/);
    // the environment wins over the output file, as for the built-in profiles
    const j = await gs(['--input', file, '--format', 'json', '--show-secrets'], { GW_PORT: '9191' });
    expect(j.code, j.stderr).toBe(0);
    const parsed = JSON.parse(j.stdout) as { values: Record<string, string>; sources: Record<string, string> };
    expect(parsed.values).toEqual({ GW_NAME: 'gw-t1', GW_CLIENT: JSON.stringify(output.GW_CLIENT), GW_PASSWORD: 'gw-password-fake', GW_PORT: '9191' });
    expect(parsed.sources.GW_PORT).toBe('environment');
    // into a pipe without --show-secrets: refused, nothing printed
    const refused = await gs(['--input', file, '--format', 'env'], { GW_PORT: '9191' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/GW_CLIENT, GW_PASSWORD would be written as \*{8}/);
  });

  it('a built-in input without a profile of its own (mulesoft_policy) gets the generic profile', async () => {
    await writeFile(join(out, 'mulesoft_policy.json'), JSON.stringify({ ACCESS_POLICY: { id: '00pP', name: 'p' }, '$okta-bootstrap': { version: 1, input: 'mulesoft_policy', status: 'complete', objects: {} } }));
    const r = await gs(['--input', 'mulesoft_policy', '--format', 'json']);
    expect([0, 1], r.stderr).toContain(r.code);
    expect((JSON.parse(r.stdout) as { values: Record<string, string> }).values.ACCESS_POLICY).toBe('{"id":"00pP","name":"p"}');
  });
});

describe('get-settings usage', () => {
  it.each([
    [[], /Choose what to print/],
    [['--mulesoft', '--mulesoft_introspect'], /Choose one profile/],
    [['--input', 'nope'], /"nope" is neither a settings profile nor an input file/],
    [['--mulesoft', '--format', 'yaml'], /Allowed choices are text, env, json/],
  ])('%j exits 2', async (args, message) => {
    const r = await gs(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('--help shows examples and --version the version', async () => {
    const h = await gs(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('Examples:');
    const v = await gs(['--version']);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('a broken output file is a clear error, exit 2, and --debug adds the stack', async () => {
    await writeFile(join(out, 'mulesoft.json'), '{ "PORT": ');
    const r = await gs(['--mulesoft']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('mulesoft.json');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const d = await gs(['--mulesoft', '--debug']);
    expect(d.stderr).toMatch(/\n\s+at /);
  });
});
