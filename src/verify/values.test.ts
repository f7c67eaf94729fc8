import { describe, expect, it } from 'vitest';
import type { SettingsSources } from '../settings/profiles.js';
import { valuesFromSources } from './values.js';

const ORG = 'https://dev-1.okta.com';
function sources(over: Partial<SettingsSources> = {}): SettingsSources {
  return {
    env: {},
    dotenv: {},
    dotenvName: '.env',
    outputDir: 'out',
    outputs: {
      mulesoft: {
        values: {
          OKTA_TENANT: ORG,
          OKTA_AZ_SERVER: { id: 'aus1', issuer: `${ORG}/oauth2/aus1`, audiences: ['api://solar'] },
          OKTA_AZ_SERVER_ID: 'aus1',
          OKTA_AZ_SERVER_ISSUER: `${ORG}/oauth2/aus1`,
          TOKEN_INTROSPECTION_URL: `${ORG}/oauth2/aus1/v1/introspect`,
          INTROSPECT_CLIENT: { client_id: '0oaI', client_secret: 'from-output' },
          SILVER_GROUP: { id: '00gS', profile: { name: 'planets' } },
          GOLD_GROUP_ID: '00gG',
          SILVER_USER: { id: '00uS', profile: { login: 'ann@x.com' }, credentials: { password: { value: 'pw1' } } },
          SILVER_SCOPE_NAME: 'scp:silver',
          GOLD_SCOPE: { name: 'scp:gold' },
        },
        meta: {
          version: 1, input: 'mulesoft', orgUrl: ORG, status: 'complete', startedAt: '', dataSources: [],
          objects: { GOLD_USER: { objectClass: 'okta:user', state: 'done', id: '00uG', naturalKey: {}, at: '' } },
        },
      },
      mulesoft_policy: {
        values: { ACCESS_POLICY: { id: '00p1', conditions: { clients: { include: ['0oaA'] } } }, SILVER_RULE: { id: '0prS', name: 'silver access rule' } },
      },
    },
    ...over,
  };
}

describe('verify values', () => {
  it('reads ids from values, object fields and the journal, and keeps where each came from', () => {
    const v = valuesFromSources(sources());
    expect(v.serverId).toEqual({ value: 'aus1', source: 'out/mulesoft.json' });
    expect(v.silver.groupId).toEqual({ value: '00gS', source: 'out/mulesoft.json' });
    expect(v.silver.groupName).toBe('planets');
    expect(v.gold.groupId?.value).toBe('00gG');
    expect(v.gold.userId).toEqual({ value: '00uG', source: 'journal of out/mulesoft.json' });
    expect(v.silver.scope.value).toBe('scp:silver');
    expect(v.gold.scope).toEqual({ value: 'scp:gold', source: 'out/mulesoft.json' });
    expect(v.policyId?.value).toBe('00p1');
    expect(v.silver.ruleId?.value).toBe('0prS');
    expect(v.gold.ruleName).toBe('gold access rule');
    expect(v.authnClientId).toEqual({ value: '0oaA', source: 'out/mulesoft_policy.json' });
    expect(v.audiences).toEqual(['api://solar']);
    expect(v.gatewayPolicies).toEqual({ 'GET /planets': ['scp:silver'], 'GET /moons': ['scp:gold'] });
    expect(v.outputsRead).toEqual(['out/mulesoft_policy.json', 'out/mulesoft.json']);
  });

  it('the environment wins over .env, which wins over the output files', () => {
    const v = valuesFromSources(sources({ env: { INTROSPECT_CLIENT_SECRET: 'from-env' }, dotenv: { INTROSPECT_CLIENT_SECRET: 'from-dotenv', AUTHN_CLIENT_ID: '0oaD' } }));
    expect(v.introspectClientSecret).toEqual({ value: 'from-env', source: 'environment' });
    expect(v.authnClientId).toEqual({ value: '0oaD', source: '.env' });
    expect(valuesFromSources(sources()).introspectClientSecret?.value).toBe('from-output');
  });

  it('PROXY_URI only when someone set it; the server id derives from the issuer when nothing else names it', () => {
    expect(valuesFromSources(sources()).proxyUri).toBeUndefined();
    expect(valuesFromSources(sources({ dotenv: { PROXY_URI: 'https://proxy.example' } })).proxyUri).toEqual({ value: 'https://proxy.example', source: '.env' });
    const bare = valuesFromSources(sources({ outputs: {}, env: { OKTA_AZ_SERVER_ISSUER: `${ORG}/oauth2/ausX` } }));
    expect(bare.serverId?.value).toBe('ausX');
    expect(bare.silver.scope).toEqual({ value: 'http://myapp.com/scp/silver', source: 'default' });
    expect(bare.outputsRead).toEqual([]);
  });
});

describe('valuesFromOutput (verify --input with the MuleSoft shape)', () => {
  it('reads the input\'s own output and names that file as the source', async () => {
    const { valuesFromOutput } = await import('./values.js');
    const output = sources().outputs.mulesoft;
    if (!output) throw new Error('fixture without an output');
    const v = await valuesFromOutput({ output, name: 'my-mule', outputDir: 'out', envFile: '/nonexistent/.env', env: {} });
    expect(v.serverId).toEqual({ value: 'aus1', source: 'out/my-mule.json' });
    expect(v.introspectClientSecret?.value).toBe('from-output');
    expect(v.outputsRead).toEqual(['out/my-mule.json']);
    expect(JSON.stringify(v)).not.toContain('out/mulesoft.json');
  });
});
