import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEMA_DIR, FIXTURE_DIR, deriveGatewayFixturesFromDir } from '../../../scripts/derive-gateway-fixtures.mjs';

const committed = () => readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.json')).sort();

// Needs only the committed fixtures: runs everywhere, a clean clone included.
describe('committed gateway schema fixtures', () => {
  it('compile under Ajv (draft-07, strict: false) and stay compact', () => {
    const files = committed().filter((f) => f.endsWith('.schema.json'));
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const f of files) {
      const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
      const schema = JSON.parse(readFileSync(join(FIXTURE_DIR, f), 'utf8')) as object;
      expect(() => ajv.compile(schema), f).not.toThrow();
      expect(readFileSync(join(FIXTURE_DIR, f)).length, f).toBeLessThan(200_000);
    }
  });

  it('make a misspelt key fail where the derivation added additionalProperties: false', () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const oidc = ajv.compile(JSON.parse(readFileSync(join(FIXTURE_DIR, 'kong-openid-connect.config.schema.json'), 'utf8')) as object);
    expect(oidc({ issuer: 'https://example.okta.com/oauth2/default', scopes_claim: ['scp'] })).toBe(true);
    expect(oidc({ issuer: 'https://example.okta.com/oauth2/default', scope_claim: ['scp'] })).toBe(false);
    const policy = ajv.compile(JSON.parse(readFileSync(join(FIXTURE_DIR, 'tyk-policy.schema.json'), 'utf8')) as object);
    expect(policy({ name: 'p', access_rights: {} })).toBe(true);
    expect(policy({ name: 'p', acces_rights: {} })).toBe(false);
  });

  it('drop read-only CloudFormation properties, so writing one fails', () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const authz = ajv.compile(JSON.parse(readFileSync(join(FIXTURE_DIR, 'aws-apigatewayv2-authorizer.schema.json'), 'utf8')) as object);
    const ok = { ApiId: 'a', AuthorizerType: 'JWT', Name: 'n', IdentitySource: ['$request.header.Authorization'] };
    expect(authz(ok)).toBe(true);
    expect(authz({ ...ok, AuthorizerId: 'x' })).toBe(false);
  });
});

// Runs only where the gateways' schemas sit beside the repository (../shared/gateway-schemas): a clone without them
// relies on the committed fixtures, which the tests above check.
describe.runIf(existsSync(DEFAULT_SCHEMA_DIR))('gateway schema fixtures are current', () => {
  it('re-derive byte for byte from ../shared/gateway-schemas (run `npm run gateway:fixtures` if this fails)', () => {
    const derived = deriveGatewayFixturesFromDir(DEFAULT_SCHEMA_DIR);
    expect(Object.keys(derived).sort()).toEqual(committed());
    for (const [name, text] of Object.entries(derived)) {
      expect(text === readFileSync(join(FIXTURE_DIR, name), 'utf8'), name).toBe(true);
    }
  });
});
