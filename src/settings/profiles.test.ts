import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { META_KEY } from '../core/output-format.js';
import { renderSettings } from './format.js';
import {
  DEFAULT_GATEWAY,
  DEFAULT_PROXY_URI,
  resolveSettings,
  type SettingsSources,
} from './profiles.js';

// Fake values only.
const mulesoftOut = {
  OKTA_TENANT: 'https://dev-1.example.okta.com',
  CLIENT_REGISTRATION_URL: 'https://dev-1.example.okta.com/oauth2/v1/clients',
  PORT: 8080,
  REDIRECT_URI: 'http://localhost:8080',
  INTROSPECT_CLIENT: { client_id: '0oaINTRO', client_secret: 'intro-secret-fake' },
  OKTA_AZ_SERVER: { id: 'aus1', issuer: 'https://dev-1.example.okta.com/oauth2/aus1' },
  SILVER_USER: { profile: { login: 'silver@example.com' }, credentials: { password: { value: 'silver-pw-fake' } } },
  GOLD_USER: { profile: { login: 'gold@example.com' } },
  GOLD_PASSWORD: 'gold-pw-fake',
  SILVER_SCOPE_NAME: 'http://example.com/scp/silver',
  [META_KEY]: { version: 1 },
};

function sources(over: Partial<SettingsSources> = {}): SettingsSources {
  return {
    env: {},
    dotenv: {},
    dotenvName: '.env',
    outputDir: 'output',
    outputs: { mulesoft: { values: { ...mulesoftOut } } },
    ...over,
  };
}

const valueOf = (r: ReturnType<typeof resolveSettings>, key: string) => r.values.find((v) => v.key === key);

describe('mulesoft_introspect', () => {
  it('derives the Anypoint form values from the output (nested objects included) and the token from the environment', () => {
    const r = resolveSettings('mulesoft_introspect', sources({ env: { OKTA_API_TOKEN: 'tok-fake-123456' } }));
    expect(r.missing).toEqual([]);
    expect(Object.fromEntries(r.values.map((v) => [v.label, v.value]))).toEqual({
      Issuer: 'https://dev-1.example.okta.com/oauth2/aus1',
      'Client Registration URL': 'https://dev-1.example.okta.com/oauth2/v1/clients',
      'Authorization Header': 'SSWS tok-fake-123456',
      'Token Introspection Client ID': '0oaINTRO',
      'Token Introspection Client Secret': 'intro-secret-fake',
      'Authorize URL': 'https://dev-1.example.okta.com/oauth2/aus1/v1/authorize',
      'Token URL': 'https://dev-1.example.okta.com/oauth2/aus1/v1/token',
      'Token Introspection URL': 'https://dev-1.example.okta.com/oauth2/aus1/v1/introspect',
    });
    expect(valueOf(r, 'AUTHORIZATION_HEADER')).toMatchObject({ token: true, secret: true, source: 'environment' });
    expect(valueOf(r, 'INTROSPECT_CLIENT_SECRET')).toMatchObject({ secret: true, token: false });
  });

  it('never takes the API token from an output file, and names it when missing', () => {
    const out = { mulesoft: { values: { ...mulesoftOut, OKTA_API_TOKEN: 'leaked-into-output' } } };
    const r = resolveSettings('mulesoft_introspect', sources({ outputs: out }));
    expect(valueOf(r, 'AUTHORIZATION_HEADER')).toBeUndefined();
    expect(r.missing.map((m) => m.key)).toEqual(['AUTHORIZATION_HEADER']);
    expect(r.missing[0]?.hint).toContain('OKTA_API_TOKEN');
    const fromDotenv = resolveSettings('mulesoft_introspect', sources({ dotenv: { OKTA_CLIENT_TOKEN: 'sdk-token-fake' } }));
    expect(valueOf(fromDotenv, 'AUTHORIZATION_HEADER')?.value).toBe('SSWS sdk-token-fake');
  });

  it('uses the local tenant org URL and token over the environment', () => {
    const r = resolveSettings(
      'mulesoft_introspect',
      sources({
        env: { OKTA_API_TOKEN: 'env-token' },
        outputs: {},
        local: { file: 'x', orgUrl: 'http://127.0.0.1:7777', apiToken: 'local-token' },
      }),
    );
    expect(valueOf(r, 'AUTHORIZATION_HEADER')?.value).toBe('SSWS local-token');
    expect(valueOf(r, 'CLIENT_REGISTRATION_URL')).toMatchObject({ value: 'http://127.0.0.1:7777/oauth2/v1/clients', source: 'derived' });
    // nothing else is known without the output file
    expect(r.missing.map((m) => m.key)).toContain('INTROSPECT_CLIENT_ID');
  });
});

describe('mulesoft', () => {
  it('an environment value wins over .env, which wins over the output file', () => {
    const r = resolveSettings(
      'mulesoft',
      sources({ env: { PORT: '9090' }, dotenv: { PORT: '7070', REDIRECT_URI: 'http://localhost:7070' }, dotenvName: 'app.env' }),
    );
    expect(valueOf(r, 'PORT')).toMatchObject({ value: '9090', source: 'environment' });
    expect(valueOf(r, 'REDIRECT_URI')).toMatchObject({ value: 'http://localhost:7070', source: 'app.env' });
    expect(valueOf(r, 'OKTA_TENANT')).toMatchObject({ value: 'https://dev-1.example.okta.com', source: join('output', 'mulesoft.json') });
  });

  it('reads usernames and passwords from the user objects, the client from .env or the policy output', () => {
    const policy = { values: { ACCESS_POLICY: { conditions: { clients: { include: ['0oaAPP'] } } } } };
    const r = resolveSettings('mulesoft', sources({ outputs: { mulesoft: { values: mulesoftOut }, mulesoft_policy: policy } }));
    expect(valueOf(r, 'SILVER_USERNAME')?.value).toBe('silver@example.com');
    expect(valueOf(r, 'SILVER_PASSWORD')?.value).toBe('silver-pw-fake');
    expect(valueOf(r, 'GOLD_PASSWORD')?.value).toBe('gold-pw-fake');
    expect(valueOf(r, 'AUTHN_CLIENT_ID')).toMatchObject({ value: '0oaAPP', source: join('output', 'mulesoft_policy.json') });
    expect(valueOf(r, 'GATEWAY')).toMatchObject({ value: DEFAULT_GATEWAY, source: 'default' });
    expect(valueOf(r, 'PROXY_URI')).toMatchObject({ value: DEFAULT_PROXY_URI, source: 'default' });
    expect(r.missing.map((m) => m.key)).toEqual(['AUTHN_CLIENT_SECRET']);
    expect(r.missing[0]?.hint).toContain('register-client');
    expect(r.missing[0]?.hint).toContain('--redirect-uri http://localhost:8080');
    const withEnv = resolveSettings('mulesoft', sources({ dotenv: { AUTHN_CLIENT_ID: '0oaENV', AUTHN_CLIENT_SECRET: 'app-secret-fake' } }));
    expect(withEnv.missing).toEqual([]);
    expect(valueOf(withEnv, 'AUTHN_CLIENT_ID')?.value).toBe('0oaENV');
  });

  it('builds the gateway policy map from the scope names, defaulting what is absent', () => {
    const r = resolveSettings('mulesoft', sources());
    expect(r.gatewayPolicies).toEqual({ 'GET /planets': ['http://example.com/scp/silver'], 'GET /moons': ['http://myapp.com/scp/gold'] });
    const d = resolveSettings('mulesoft', sources({ outputs: {} }));
    expect(d.gatewayPolicies).toEqual({ 'GET /planets': ['http://myapp.com/scp/silver'], 'GET /moons': ['http://myapp.com/scp/gold'] });
    expect(d.gatewayPoliciesSource).toBe('default');
  });
});

describe('rendering', () => {
  const r = resolveSettings('mulesoft_introspect', sources({ env: { OKTA_API_TOKEN: 'tok-fake-123456' } }));
  it('masks secrets unless showSecrets, and the token always', () => {
    const masked = renderSettings(r, 'env', { showSecrets: false });
    expect(masked).not.toContain('intro-secret-fake');
    expect(masked).not.toContain('tok-fake-123456');
    // env and json leave the token out, with a note; text (for a person) shows it masked
    expect(masked).toContain('# AUTHORIZATION_HEADER: "SSWS " followed by your API token: get-settings never prints it');
    expect((JSON.parse(renderSettings(r, 'json', { showSecrets: true })) as { values: Record<string, string> }).values.AUTHORIZATION_HEADER).toBeUndefined();
    expect(renderSettings(r, 'text', { showSecrets: true })).toMatch(/Authorization Header\s+SSWS \*{8}/);
    for (const format of ['json', 'env', 'text'] as const) {
      const shown = renderSettings(r, format, { showSecrets: true });
      expect(shown).toContain('intro-secret-fake');
      expect(shown).not.toContain('tok-fake-123456');
    }
  });
});

describe('values read from objects: the output file first, a stale environment or .env value reported', () => {
  const newIssuer = 'https://dev-1.example.okta.com/oauth2/aus1';
  const oldIssuer = 'https://dev-1.example.okta.com/oauth2/ausOLD';
  const fromObjects = new Set(['OKTA_AZ_SERVER_ISSUER', 'INTROSPECT_CLIENT_ID', 'SILVER_USERNAME']);

  it('the issuer the output holds wins over .env, and .env is reported with its source and the value used', () => {
    const r = resolveSettings('mulesoft_introspect', sources({ dotenv: { OKTA_AZ_SERVER_ISSUER: oldIssuer, INTROSPECT_CLIENT_ID: '0oaOLD' }, fromObjects }));
    expect(valueOf(r, 'OKTA_AZ_SERVER_ISSUER')).toMatchObject({ value: newIssuer, source: join('output', 'mulesoft.json') });
    expect(valueOf(r, 'TOKEN_URL')?.value).toBe(`${newIssuer}/v1/token`);
    expect(valueOf(r, 'INTROSPECT_CLIENT_ID')?.value).toBe('0oaINTRO');
    expect(r.ignored).toEqual([
      { key: 'OKTA_AZ_SERVER_ISSUER', source: '.env', value: oldIssuer, used: newIssuer, usedSource: join('output', 'mulesoft.json') },
      { key: 'INTROSPECT_CLIENT_ID', source: '.env', value: '0oaOLD', used: '0oaINTRO', usedSource: join('output', 'mulesoft.json') },
    ]);
  });

  it('the same value in the environment is not reported; a key not read from an object keeps env first', () => {
    const r = resolveSettings('mulesoft', sources({ env: { OKTA_AZ_SERVER_ISSUER: newIssuer, REDIRECT_URI: 'http://localhost:9999' }, fromObjects }));
    expect(r.ignored).toEqual([]);
    expect(valueOf(r, 'REDIRECT_URI')).toMatchObject({ value: 'http://localhost:9999', source: 'environment' });
  });

  it('without an output value, the environment or .env still gives it; without fromObjects, the old order holds', () => {
    const none = resolveSettings('mulesoft_introspect', sources({ outputs: {}, dotenv: { OKTA_AZ_SERVER_ISSUER: oldIssuer }, fromObjects }));
    expect(valueOf(none, 'OKTA_AZ_SERVER_ISSUER')).toMatchObject({ value: oldIssuer, source: '.env' });
    const old = resolveSettings('mulesoft_introspect', sources({ dotenv: { OKTA_AZ_SERVER_ISSUER: oldIssuer } }));
    expect(valueOf(old, 'OKTA_AZ_SERVER_ISSUER')).toMatchObject({ value: oldIssuer, source: '.env' });
    expect(old.ignored).toEqual([]);
  });
});
