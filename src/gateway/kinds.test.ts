import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../test/support/gateway-settings.js';
import { writeKindConfig } from '../../test/support/gateway-kinds.js';
import { generateGatewayConfig } from '../settings/gateways/index.js';
import { loadKindProfile, parseClaimExpression, scopesFrom, JWT_KINDS } from './kinds.js';

const GOLD = 'http://myapp.com/scp/gold';
const SILVER = 'http://myapp.com/scp/silver';

describe('each kind reads its generated file and applies its own scope semantics', () => {
  // "* /admin" needs gold AND silver in the policy map: AND kinds need both, OR kinds (aws, tyk) either one.
  const expectations = { kong: 'all', aws: 'any', tyk: 'any', apigee: 'all', mulesoft_jwt: 'all' } as const;
  it.each(JWT_KINDS)('%s', async (kind) => {
    const p = await loadKindProfile(kind, await writeKindConfig(kind, SETTINGS));
    expect(p.issuer ?? SETTINGS.issuer).toBe(SETTINGS.issuer);
    const claims = (scp: string[]) => ({ iss: SETTINGS.issuer, scp });
    expect(p.authorize(claims([SILVER]), 'GET', '/planets').ok).toBe(true);
    expect(p.authorize(claims([SILVER]), 'GET', '/moons').ok).toBe(false);
    expect(p.authorize(claims([SILVER]), 'GET', '/planets/earth').ok).toBe(true);
    expect(p.authorize(claims([GOLD]), 'POST', '/admin').ok).toBe(expectations[kind] === 'any');
    expect(p.authorize(claims([GOLD, SILVER]), 'POST', '/admin').ok).toBe(true);
  });
});

describe('what the local gateway refuses to read', () => {
  it('a Kong file whose routes use neither bearer nor introspection', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'okb-kinds-'));
    const f = generateGatewayConfig('kong', SETTINGS).files[0];
    await writeFile(join(dir, 'kong.yaml'), (f?.content ?? '').replace(/- bearer\n/g, '- session\n'));
    await expect(loadKindProfile('kong', join(dir, 'kong.yaml'))).rejects.toThrow(/neither auth_methods bearer nor introspection/);
  });

  it('reads a Kong introspection file with its decK environment references', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'okb-kinds-'));
    const f = generateGatewayConfig('kong', SETTINGS, { kongMode: 'introspection' }).files[0];
    await writeFile(join(dir, 'kong.yaml'), f?.content ?? '');
    const p = await loadKindProfile('kong', join(dir, 'kong.yaml'));
    expect(p.introspection).toEqual({ url: `${SETTINGS.issuer}/v1/introspect`, clientId: '${{ env "DECK_OKTA_INTROSPECT_CLIENT_ID" }}', clientSecret: '${{ env "DECK_OKTA_INTROSPECT_CLIENT_SECRET" }}' });
    expect(p.scopeClaim).toBe('scope');
  });

  it('a MuleSoft custom claim expression it cannot evaluate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'okb-kinds-'));
    const text = (generateGatewayConfig('mulesoft_jwt', SETTINGS).files[0]?.content ?? '').replace("#[vars.claimSet.scp contains 'http://myapp.com/scp/silver']", "#[sizeOf(vars.claimSet.scp) > 0]");
    await writeFile(join(dir, 'flex.yaml'), text);
    await expect(loadKindProfile('mulesoft_jwt', join(dir, 'flex.yaml'))).rejects.toThrow(/not one the local gateway evaluates/);
  });

  it('a missing file, with the get-settings command that writes it', async () => {
    await expect(loadKindProfile('aws', '/nonexistent/aws-http-api.yaml')).rejects.toThrow(/Cannot read the aws configuration/);
  });
});

describe('claims', () => {
  it('scp arrays and space-separated scope strings', () => {
    expect(scopesFrom({ scp: ['a', 'b'] }, 'scp')).toEqual(['a', 'b']);
    expect(scopesFrom({ scope: 'a b' }, 'scope')).toEqual(['a', 'b']);
    expect(scopesFrom({}, 'scp')).toEqual([]);
  });
  it('parses the two DataWeave forms get-settings writes', () => {
    expect(parseClaimExpression("#[vars.claimSet.scp contains 'x']")).toMatchObject({ claim: 'scp', op: 'contains', value: 'x' });
    expect(parseClaimExpression("#[vars.claimSet.iss == 'https://a/b']")).toMatchObject({ claim: 'iss', op: '==', value: 'https://a/b' });
    expect(parseClaimExpression('#[true]')).toBeUndefined();
  });
});
