import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSpecValidator, createSpecValidator, FIXTURE_URL, type SpecFixture, type Violation } from './validator.js';
import { parseObject } from '../../test/support/json.js';

const v = createSpecValidator();
const kinds = (vs: Violation[]) => vs.map((x) => x.kind);

const group = {
  id: '00g1abcdEFGH',
  created: '2024-01-01T00:00:00.000Z',
  lastUpdated: '2024-01-01T00:00:00.000Z',
  lastMembershipUpdated: '2024-01-01T00:00:00.000Z',
  objectClass: ['okta:user_group'],
  type: 'OKTA_GROUP',
  profile: { name: 'silver subscribers', description: 'silver' },
  _links: { self: { href: 'http://127.0.0.1/api/v1/groups/00g1abcdEFGH' } },
};

const dcrClient = {
  client_id: '0oa1abcdEFGH',
  client_id_issued_at: 1700000000,
  client_name: 'mulesoft introspection',
  client_secret: 'not-a-real-secret',
  client_secret_expires_at: 0,
  grant_types: ['client_credentials'],
  response_types: ['token'],
  application_type: 'service',
  token_endpoint_auth_method: 'client_secret_basic',
  redirect_uris: [],
};

describe('matchOperation', () => {
  it('matches concrete paths against templates and extracts parameters', () => {
    const m = v.matchOperation('POST', '/api/v1/authorizationServers/aus123/scopes');
    expect(m?.operationId).toBe('createOAuth2Scope');
    expect(m?.params).toEqual({ authServerId: 'aus123' });
    expect(m?.server).toBe('management');
    expect(v.matchOperation('get', '/api/v1/authorizationServers/aus1/policies/00p1/rules/0pr1?limit=20')?.operationId).toBe(
      'getAuthorizationServerPolicyRule',
    );
  });

  it('accepts `default` as an authorization server id, and prefers literal paths', () => {
    const m = v.matchOperation('GET', '/oauth2/default/.well-known/openid-configuration');
    expect(m?.operationId).toBe('getWellKnownOpenIDConfigurationCustomAS');
    expect(m?.params).toEqual({ authorizationServerId: 'default' });
    expect(v.matchOperation('POST', '/oauth2/default/v1/token')?.operationId).toBe('tokenCustomAS');
    expect(v.matchOperation('GET', '/api/v1/authorizationServers/default')?.operationId).toBe('getAuthorizationServer');
    // The org authorization server's endpoints are literal paths; /oauth2/v1/keys is not "AS v1, path keys".
    expect(v.matchOperation('GET', '/oauth2/v1/keys')?.operationId).toBe('oauthKeys');
    expect(v.matchOperation('GET', '/oauth2/v1/clients/0oa1')?.operationId).toBe('getClient');
    expect(v.matchOperation('POST', '/oauth2/v1/clients/0oa1/lifecycle/newSecret')?.operationId).toBe('generateNewClientSecret');
  });

  it('returns undefined for paths and methods the fixture does not hold', () => {
    expect(v.matchOperation('GET', '/api/v1/nope')).toBeUndefined();
    expect(v.matchOperation('PATCH', '/api/v1/groups/00g1')).toBeUndefined();
    expect(kinds(v.checkRequest('POST', '/api/v1/nope', {}))).toEqual(['unknown-operation']);
  });
});

describe('checkRequest', () => {
  it('passes a valid group create body', () => {
    expect(v.checkRequest('POST', '/api/v1/groups', { profile: { name: 'silver subscribers', description: 'x' } })).toEqual([]);
  });

  it('fails a scope create request without `name`', () => {
    const out = v.checkRequest('POST', '/api/v1/authorizationServers/default/scopes', { description: 'read planets' });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'schema', direction: 'request', operationId: 'createOAuth2Scope', pointer: '' });
    expect(out[0]?.message).toContain("'name'");
  });

  it('fails an invalid enum value and points at it', () => {
    const out = v.checkRequest('POST', '/api/v1/authorizationServers/default/scopes', { name: 's', consent: 'SOMETIMES' });
    expect(out.map((x) => x.pointer)).toContain('/consent');
    expect(out.find((x) => x.pointer === '/consent')?.message).toContain('REQUIRED');
  });

  it('validates DCR bodies (oauth spec) and form-encoded token requests', () => {
    const { client_id: _a, client_id_issued_at: _b, client_secret: _c, client_secret_expires_at: _d, ...req } = dcrClient;
    expect(v.checkRequest('POST', '/oauth2/v1/clients', req, 'application/json')).toEqual([]);
    expect(v.checkRequest('POST', '/oauth2/v1/clients', { ...req, application_type: 'toaster' })[0]?.pointer).toBe(
      '/application_type',
    );
    const form = 'application/x-www-form-urlencoded';
    expect(v.checkRequest('POST', '/oauth2/default/v1/token', 'grant_type=client_credentials&scope=a', form)).toEqual([]);
    // client_credentials maps (discriminator) to a schema that requires scope
    expect(v.checkRequest('POST', '/oauth2/default/v1/token', 'grant_type=client_credentials', form).length).toBeGreaterThan(0);
    expect(v.checkRequest('POST', '/oauth2/default/v1/token', { grant_type: 'client_credentials' }, 'application/json')[0]?.message).toContain(
      'content type application/json is not declared',
    );
  });

  it('accepts no body where none is declared and flags a missing required body', () => {
    expect(v.checkRequest('POST', '/api/v1/groups/00g1/lifecycle/activate', undefined)).toHaveLength(1); // not an operation
    expect(v.checkRequest('POST', '/api/v1/authorizationServers/aus1/lifecycle/activate', undefined)).toEqual([]);
    expect(v.checkRequest('POST', '/api/v1/authorizationServers/aus1/lifecycle/activate', { x: 1 })[0]?.kind).toBe('schema');
    expect(v.checkRequest('POST', '/api/v1/groups', undefined)[0]?.message).toContain('requires a request body');
  });
});

describe('checkResponse', () => {
  it('passes a conforming group and flags a field the spec does not declare', () => {
    expect(v.checkResponse('GET', '/api/v1/groups/00g1abcdEFGH', 200, group)).toEqual([]);
    const out = v.checkResponse('GET', '/api/v1/groups/00g1abcdEFGH', 200, { ...group, extraThing: { x: 1 }, sparkle: true });
    expect(out.filter((x) => x.kind === 'undeclared').map((x) => x.pointer).sort()).toEqual(['/extraThing', '/sparkle']);
  });

  it('flags undeclared fields nested in arrays', () => {
    const out = v.checkResponse('GET', '/api/v1/groups', 200, [group, { ...group, profile: { ...group.profile, extra: 1 } }]);
    expect(out).toEqual([expect.objectContaining({ kind: 'undeclared', pointer: '/1/profile/extra', operationId: 'listGroups' })]);
  });

  it('passes a DCR Client response', () => {
    expect(v.checkResponse('POST', '/oauth2/v1/clients', 201, dcrClient)).toEqual([]);
    expect(v.checkResponse('GET', '/oauth2/v1/clients/0oa1abcdEFGH', 200, dcrClient)).toEqual([]);
  });

  it('follows the discriminator of an app to its sign-on mode subtype', () => {
    const app = {
      id: '0oa1abcdEFGH',
      name: 'oidc_client',
      label: 'mulesoft introspection',
      signOnMode: 'OPENID_CONNECT',
      status: 'ACTIVE',
      credentials: { oauthClient: { client_id: '0oa1abcdEFGH', token_endpoint_auth_method: 'client_secret_basic' } },
      settings: { oauthClient: { grant_types: ['client_credentials'], response_types: ['token'], application_type: 'service' } },
    };
    expect(v.checkResponse('GET', '/api/v1/apps/0oa1abcdEFGH', 200, app)).toEqual([]);
    // `settings.oauthClient` is declared only by OpenIdConnectApplication; a bookmark app does not declare it.
    const asBookmark = v.checkResponse('GET', '/api/v1/apps/0oa1abcdEFGH', 200, { ...app, signOnMode: 'BOOKMARK', name: 'bookmark' });
    expect(asBookmark.some((x) => x.pointer.startsWith('/settings'))).toBe(true);
    // the OIDC subtype requires `settings`
    const { settings: _s, ...noSettings } = app;
    expect(v.checkResponse('GET', '/api/v1/apps/0oa1abcdEFGH', 200, noSettings).some((x) => x.message.includes("'settings'"))).toBe(true);
  });

  it('knows error bodies, empty 204s and undeclared statuses', () => {
    const err = { errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: x (UserGroup)', errorLink: 'E0000007', errorId: 'oae1', errorCauses: [] };
    expect(v.checkResponse('GET', '/api/v1/groups/x', 404, err)).toEqual([]);
    expect(v.checkResponse('DELETE', '/api/v1/groups/x', 204, undefined)).toEqual([]);
    expect(kinds(v.checkResponse('DELETE', '/api/v1/groups/x', 204, { id: 'x' }))).toEqual(['schema']);
    expect(kinds(v.checkResponse('DELETE', '/api/v1/groups/x', 418, undefined))).toEqual(['unknown-status']);
    expect(kinds(v.checkResponse('GET', '/api/v1/groups/x', 200, undefined))).toEqual(['schema']);
  });

  it('allows anything under free-form objects (additionalProperties)', () => {
    const md = {
      issuer: 'http://127.0.0.1/oauth2/default',
      jwks_uri: 'http://127.0.0.1/oauth2/default/v1/keys',
      token_endpoint: 'http://127.0.0.1/oauth2/default/v1/token',
    };
    expect(v.checkResponse('GET', '/oauth2/default/.well-known/oauth-authorization-server', 200, md)).toEqual([]);
    const out = v.checkResponse('GET', '/oauth2/default/.well-known/oauth-authorization-server', 200, { ...md, made_up: 1 });
    expect(out.map((x) => `${x.kind} ${x.pointer}`)).toEqual(['undeclared /made_up']);
  });
});

describe('OpenAPI semantics on a small fixture', () => {
  const small: SpecFixture = {
    $meta: { generatedBy: 'test', sources: {} as SpecFixture['$meta']['sources'] },
    operations: [
      {
        operationId: 'putPet',
        method: 'PUT',
        path: '/pets/{petId}',
        server: 'management',
        requestBody: { required: true, content: { 'application/json': { $ref: '#/schemas/management/Pet' } } },
        responses: { '200': { content: { 'application/json': { $ref: '#/schemas/management/Pet' } } } },
      },
    ],
    schemas: {
      management: {
        Pet: {
          type: 'object',
          required: ['id', 'kind', 'secret', 'nick'],
          properties: {
            id: { type: 'string', readOnly: true },
            secret: { type: 'string', writeOnly: true },
            nick: { type: 'string', nullable: true },
            kind: { type: 'string' },
            meta: { type: 'object', additionalProperties: true },
          },
          discriminator: { propertyName: 'kind', mapping: { cat: '#/schemas/management/Cat' } },
        },
        Cat: { allOf: [{ $ref: '#/schemas/management/Pet' }, { type: 'object', properties: { purrs: { type: 'boolean' } } }] },
      },
      oauth: {},
    },
  };
  const sv = buildSpecValidator(small);

  it('readOnly is not required in requests, writeOnly is not required in responses; nullable admits null', () => {
    expect(sv.checkRequest('PUT', '/pets/1', { kind: 'dog', secret: 's', nick: null })).toEqual([]);
    expect(sv.checkRequest('PUT', '/pets/1', { kind: 'dog', nick: null })[0]?.message).toContain("'secret'");
    expect(sv.checkResponse('PUT', '/pets/1', 200, { id: '1', kind: 'dog', nick: null })).toEqual([]);
    expect(sv.checkResponse('PUT', '/pets/1', 200, { kind: 'dog', nick: 'rex' })[0]?.message).toContain("'id'");
  });

  it('dispatches on the discriminator without looping through allOf, for schema and undeclared checks', () => {
    const cat = { id: '1', kind: 'cat', nick: null, purrs: true, meta: { anything: { goes: 1 } } };
    expect(sv.checkResponse('PUT', '/pets/1', 200, cat)).toEqual([]);
    expect(sv.checkResponse('PUT', '/pets/1', 200, { ...cat, purrs: 'loud' }).map((x) => x.pointer)).toEqual(['/purrs']);
    expect(sv.checkResponse('PUT', '/pets/1', 200, { ...cat, kind: 'dog' }).map((x) => `${x.kind} ${x.pointer}`)).toEqual([
      'undeclared /purrs',
    ]);
  });
});

describe('the fixture', () => {
  it('holds no descriptions, examples or x- extensions', () => {
    const text = readFileSync(FIXTURE_URL, 'utf8');
    const keys = new Set<string>();
    const walk = (x: unknown, inProps: boolean): void => {
      if (Array.isArray(x)) x.forEach((y) => walk(y, false));
      else if (x && typeof x === 'object') {
        for (const [k, val] of Object.entries(x)) {
          if (!inProps) keys.add(k);
          walk(val, k === 'properties' || k === 'mapping' || k === 'content' || k === 'responses');
        }
      }
    };
    walk(parseObject(text).schemas, false);
    expect([...keys].filter((k) => k === 'description' || k === 'example' || k === 'examples' || k.startsWith('x-'))).toEqual([]);
    expect(v.fixture.$meta.sources.management.version).toMatch(/^\d{4}\.\d{2}\.\d+$/);
    expect(v.fixture.$meta.sources.oauth.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('known defects of the spec itself', () => {
  const rsaKey = { kty: 'RSA', alg: 'RS256', kid: 'k1', use: 'sig', e: 'AQAB', n: 'sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw' };
  it('an RSA key in /v1/keys: e and n are not flagged (JsonWebKey discriminator), but are with strict', () => {
    const tolerated: { defect: string; violation: Violation }[] = [];
    expect(v.checkResponse('GET', '/oauth2/default/v1/keys', 200, { keys: [rsaKey] }, undefined, { tolerated })).toEqual([]);
    expect(tolerated.map((t) => `${t.defect} ${t.violation.pointer}`).sort()).toEqual(['jwk-discriminator /keys/0/e', 'jwk-discriminator /keys/0/n']);
    expect(v.checkResponse('GET', '/oauth2/default/v1/keys', 200, { keys: [rsaKey] }, undefined, { strict: true }).map((x) => x.pointer).sort()).toEqual(['/keys/0/e', '/keys/0/n']);
    // narrow: another undeclared field of the same key is still reported
    expect(v.checkResponse('GET', '/oauth2/default/v1/keys', 200, { keys: [{ ...rsaKey, bogus: 1 }] }).map((x) => x.pointer)).toEqual(['/keys/0/bogus']);
  });
  it('the authorize 302 is not flagged; another undeclared status is', () => {
    expect(v.checkResponse('GET', '/oauth2/aus1/v1/authorize', 302, undefined)).toEqual([]);
    expect(v.checkResponse('GET', '/oauth2/aus1/v1/authorize', 302, undefined, undefined, { strict: true }).map((x) => x.kind)).toEqual(['unknown-status']);
    expect(kinds(v.checkResponse('GET', '/oauth2/aus1/v1/authorize', 418, undefined))).toEqual(['unknown-status']);
  });
  it('POST /api/v1/authn is not flagged as unknown; another unknown operation is', () => {
    expect(v.checkRequest('POST', '/api/v1/authn', { username: 'a', password: 'b' })).toEqual([]);
    expect(v.checkResponse('POST', '/api/v1/authn', 200, { status: 'SUCCESS' })).toEqual([]);
    expect(kinds(v.checkRequest('POST', '/api/v1/authnx', {}))).toEqual(['unknown-operation']);
  });
});
