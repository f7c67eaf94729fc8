import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { checkRequestShape } from './shape.js';

const KNOWN = '(known after apply)';
const builtin = (name: string) => JSON.parse(readFileSync(new URL(`../../inputs/${name}.json`, import.meta.url), 'utf8')) as Record<string, { default?: unknown }>;

describe('checkRequestShape: the bodies the tool sends, against the spec fixture', () => {
  it('refuses audiences as a string, with the field and the expected type', () => {
    const p = checkRequestShape('POST', '/api/v1/authorizationServers', { name: 'x', audiences: 'api://x' });
    expect(p).toEqual([{ path: 'audiences', message: 'is a string ("api://x"); Okta expects an array', operationId: 'createAuthorizationServer' }]);
  });

  it("refuses a user's groupIds as a string, also when it is a value not known yet (an id is a string)", () => {
    const body = { profile: { login: 'a@b.c', email: 'a@b.c', firstName: 'A', lastName: 'B' }, groupIds: KNOWN };
    expect(checkRequestShape('POST', '/api/v1/users', body, { unknown: KNOWN }).map((x) => `${x.path}: ${x.message}`)).toEqual([
      `groupIds: is a string (${JSON.stringify(KNOWN)}); Okta expects an array`,
    ]);
    expect(checkRequestShape('POST', '/api/v1/users', { ...body, groupIds: [KNOWN] }, { unknown: KNOWN })).toEqual([]);
  });

  it('enums: a wrong value is refused, a value not known yet is not held to the enum', () => {
    const origin = (type: string) => ({ name: 'o', origin: 'http://localhost:8080', scopes: [{ type }] });
    expect(checkRequestShape('POST', '/api/v1/trustedOrigins', origin('CORS'))).toEqual([]);
    expect(checkRequestShape('POST', '/api/v1/trustedOrigins', origin('CROS')).map((x) => x.path)).toEqual(['scopes.0.type']);
    expect(checkRequestShape('POST', '/api/v1/trustedOrigins', origin(KNOWN), { unknown: KNOWN })).toEqual([]);
  });

  it('required fields: refused on a create, not on an update (the org object fills them)', () => {
    const p = checkRequestShape('POST', '/api/v1/users', { credentials: {} });
    expect(p.map((x) => x.path)).toContain('profile');
    expect(checkRequestShape('PUT', '/api/v1/users/00u1', { credentials: {} }, { partial: true })).toEqual([]);
  });

  it('post_logout_redirect_uris: the spec types it a string, Okta takes an array (corrected)', () => {
    const client = { client_name: 'c', redirect_uris: ['http://localhost:8080'], post_logout_redirect_uris: ['http://localhost:8080'] };
    expect(checkRequestShape('POST', '/oauth2/v1/clients', client)).toEqual([]);
    expect(checkRequestShape('POST', '/oauth2/v1/clients', { ...client, post_logout_redirect_uris: 'http://localhost:8080' }).map((x) => x.path)).toEqual(['post_logout_redirect_uris']);
  });

  it('an operation the fixture does not have is not checked', () => {
    expect(checkRequestShape('POST', '/api/v1/nothing', { a: 1 })).toEqual([]);
  });

  it("the built-in inputs' object bodies fit (no false positive)", () => {
    const mulesoft = builtin('mulesoft');
    const server = mulesoft.OKTA_AZ_SERVER?.default;
    expect(checkRequestShape('POST', '/api/v1/authorizationServers', server)).toEqual([]);
    const policy = builtin('mulesoft_policy');
    expect(checkRequestShape('POST', `/api/v1/authorizationServers/${encodeURIComponent(KNOWN)}/policies`, policy.ACCESS_POLICY?.default, { unknown: KNOWN })).toEqual([]);
    expect(checkRequestShape('POST', '/api/v1/authorizationServers/aus1/policies/p1/rules', policy.GOLD_RULE?.default, { unknown: KNOWN })).toEqual([]);
    expect(checkRequestShape('POST', '/api/v1/trustedOrigins', policy.APP_TRUSTED_ORIGIN?.default)).toEqual([]);
    expect(checkRequestShape('POST', '/oauth2/v1/clients', mulesoft.INTROSPECT_CLIENT?.default)).toEqual([]);
    expect(checkRequestShape('POST', '/api/v1/users', mulesoft.GOLD_USER?.default)).toEqual([]);
    expect(checkRequestShape('POST', '/api/v1/groups', mulesoft.GOLD_GROUP?.default)).toEqual([]);
  });
});
