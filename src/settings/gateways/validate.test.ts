/**
 * Every generated gateway file, validated against the gateway's own published schema (the compact fixtures in
 * ./schemas, derived by scripts/derive-gateway-fixtures.mjs), and each oracle shown to fail on a broken file.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { SETTINGS } from '../../../test/support/gateway-settings.js';
import type { GatewayConfig } from './common.js';
import { GATEWAY_KINDS, generateGatewayConfig } from './index.js';
import { KONG_CLIENT_SECRET_ENV } from './kong.js';
import { FlexApiInstance, FlexJwtValidationConfig, FlexPolicyBinding } from './mulesoft-jwt.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const SCHEMAS = new URL('./schemas/', import.meta.url);

function schema(name: string): object {
  return JSON.parse(readFileSync(new URL(name, SCHEMAS), 'utf8')) as object;
}

function compile(name: string): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema(name));
}

function errorsOf(v: ValidateFunction): string {
  return JSON.stringify(v.errors?.slice(0, 5) ?? []);
}


function file(cfg: GatewayConfig, path: string): string {
  const f = cfg.files.find((x) => x.path === path);
  if (!f) throw new Error(`${cfg.kind}: no ${path} among ${cfg.files.map((x) => x.path).join(', ')}`);
  return f.content;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

describe('every profile', () => {
  it.each(GATEWAY_KINDS)('%s: carries the input and TAG, and states its scope semantics', (kind) => {
    const cfg = generateGatewayConfig(kind, SETTINGS);
    expect(cfg.files.length).toBeGreaterThan(0);
    for (const f of cfg.files) expect(f.content, f.path).toContain("from input 'standard', TAG 'test-tag'");
    expect(cfg.semantics).toMatch(/\b(ALL|ANY)\b/);
  });
});

describe('kong (decK file + openid-connect plugin schema, Gateway 3.15)', () => {
  const deck = compile('kong-deck.schema.json');
  const oidc = compile('kong-openid-connect.config.schema.json');

  it.each(['bearer', 'introspection'] as const)('%s: kong.yaml validates, every plugin config validates', (mode) => {
    const text = file(generateGatewayConfig('kong', SETTINGS, { kongMode: mode }), 'kong.yaml');
    const doc: unknown = parse(text);
    expect(deck(doc), errorsOf(deck)).toBe(true);
    if (!isObj(doc) || !Array.isArray(doc.services)) throw new Error('no services');
    const configs = (doc.services as { routes: { plugins: { name: string; config: Record<string, unknown> }[] }[] }[])
      .flatMap((s) => s.routes)
      .flatMap((r) => r.plugins);
    expect(configs).toHaveLength(3);
    for (const p of configs) {
      expect(p.name).toBe('openid-connect');
      expect(oidc(p.config), errorsOf(oidc)).toBe(true);
      expect(p.config.scopes_claim).toEqual([mode === 'bearer' ? 'scp' : 'scope']);
      expect(p.config.issuer).toBe(SETTINGS.issuer);
    }
    expect(doc._format_version).toBe('3.0');
    if (mode === 'introspection') expect(text).toContain(`\${{ env "${KONG_CLIENT_SECRET_ENV}" }}`);
    // AND: one scopes_required entry with every scope of the resource.
    expect(configs[2]?.config.scopes_required).toEqual(['http://myapp.com/scp/gold http://myapp.com/scp/silver']);
  });

  it('the oracles fail on a misspelt key', () => {
    const doc = parse(file(generateGatewayConfig('kong', SETTINGS), 'kong.yaml')) as { services: { rotues?: unknown; routes?: unknown }[] };
    const plugin = { issuer: SETTINGS.issuer, scope_claim: ['scp'] };
    expect(oidc(plugin)).toBe(false);
    const svc = doc.services[0];
    if (!svc) throw new Error('no service');
    svc.rotues = svc.routes;
    delete svc.routes;
    expect(deck(doc)).toBe(false);
  });
});

/** CloudFormation intrinsics become strings, as the README of the schemas advises before validating Properties. */
function resolveIntrinsics(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(resolveIntrinsics);
  if (isObj(v)) {
    const keys = Object.keys(v);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0]?.startsWith('Fn::'))) return `resolved-${keys[0]}`;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveIntrinsics(x)]));
  }
  return v;
}

const AWS_SCHEMA: Record<string, string> = {
  'AWS::ApiGatewayV2::Api': 'aws-apigatewayv2-api.schema.json',
  'AWS::ApiGatewayV2::Authorizer': 'aws-apigatewayv2-authorizer.schema.json',
  'AWS::ApiGatewayV2::Route': 'aws-apigatewayv2-route.schema.json',
  'AWS::ApiGatewayV2::Integration': 'aws-apigatewayv2-integration.schema.json',
  'AWS::ApiGatewayV2::Stage': 'aws-apigatewayv2-stage.schema.json',
};

describe('aws (CloudFormation registry schemas of ApiGatewayV2)', () => {
  const validators = Object.fromEntries(Object.entries(AWS_SCHEMA).map(([t, f]) => [t, compile(f)]));
  const template = () => parse(file(generateGatewayConfig('aws', SETTINGS), 'aws-http-api.yaml')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };

  it('every resource\'s Properties validate against its type\'s schema', () => {
    const t = template();
    const types = Object.values(t.Resources).map((r) => r.Type);
    expect(new Set(types)).toEqual(new Set(Object.keys(AWS_SCHEMA)));
    for (const [name, r] of Object.entries(t.Resources)) {
      const v = validators[r.Type];
      if (!v) throw new Error(`${name}: no schema for ${r.Type}`);
      expect(v(resolveIntrinsics(r.Properties)), `${name}: ${errorsOf(v)}`).toBe(true);
    }
    const authz = Object.values(t.Resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Authorizer');
    expect(authz?.Properties.JwtConfiguration).toEqual({ Issuer: SETTINGS.issuer, Audience: [SETTINGS.audience] });
    expect(authz?.Properties.IdentitySource).toEqual(['$request.header.Authorization']);
    const routes = Object.values(t.Resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
    expect(routes.map((r) => r.Properties.RouteKey)).toContain('GET /planets');
    expect(routes.find((r) => r.Properties.RouteKey === 'GET /planets')?.Properties.AuthorizationScopes).toEqual(['http://myapp.com/scp/silver']);
  });

  it('the oracle fails on a misspelt or read-only property', () => {
    const t = template();
    const authz = Object.values(t.Resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Authorizer');
    if (!authz) throw new Error('no authorizer');
    const v = validators['AWS::ApiGatewayV2::Authorizer'];
    if (!v) throw new Error('no validator');
    expect(v(resolveIntrinsics({ ...authz.Properties, IdentitySources: ['x'] }))).toBe(false);
    expect(v(resolveIntrinsics({ ...authz.Properties, AuthorizerId: 'x' }))).toBe(false);
  });
});

describe("tyk (OAS 3.0 + strict x-tyk-api-gateway merged as Tyk's validator does; Gateway API Policy)", () => {
  const oas = compile('tyk-oas.schema.json');
  const policy = compile('tyk-policy.schema.json');
  const cfg = () => generateGatewayConfig('tyk', SETTINGS);

  it('tyk-api.json and every policy of tyk-policies.json validate', () => {
    const api: unknown = JSON.parse(file(cfg(), 'tyk-api.json'));
    expect(oas(api), errorsOf(oas)).toBe(true);
    const policies = JSON.parse(file(cfg(), 'tyk-policies.json')) as Record<string, unknown>;
    expect(Object.keys(policies)).toHaveLength(3);
    for (const [id, p] of Object.entries(policies)) expect(policy(p), `${id}: ${errorsOf(policy)}`).toBe(true);
    const jwt = (api as { 'x-tyk-api-gateway': { server: { authentication: { securitySchemes: { okta: Record<string, unknown> } } } } })['x-tyk-api-gateway'].server.authentication.securitySchemes.okta;
    expect(jwt.scopes).toMatchObject({ claimName: 'scp' });
    expect(jwt.jwksURIs).toEqual([{ url: `${SETTINGS.issuer}/v1/keys` }]);
  });

  it('the oracle fails on a misspelt x-tyk key', () => {
    const api = JSON.parse(file(cfg(), 'tyk-api.json')) as { 'x-tyk-api-gateway': { server: { authentication: { securitySchemes: { okta: Record<string, unknown> } } } } };
    api['x-tyk-api-gateway'].server.authentication.securitySchemes.okta.scope = { claimName: 'scp' };
    expect(oas(api)).toBe(false);
  });
});

/** The direct child element names of the root element (the generated XML is indented two spaces per level). */
function rootChildren(xml: string): string[] {
  return [...xml.matchAll(/^ {2}<([A-Za-z]+)[\s/>]/gm)].map((m) => m[1] ?? '');
}

describe('apigee (VerifyJWT elements from jwt.xsd)', () => {
  const allowed = JSON.parse(readFileSync(new URL('apigee-verify-jwt.json', SCHEMAS), 'utf8')) as { elements: string[]; attributes: string[] };
  const cfg = () => generateGatewayConfig('apigee', SETTINGS);

  it('VerifyJWT uses only elements and attributes jwt.xsd defines, and reads the JWKS', () => {
    const xml = file(cfg(), 'apiproxy/policies/VerifyJWT-Okta.xml');
    const children = rootChildren(xml);
    expect(children).toEqual(expect.arrayContaining(['Algorithm', 'PublicKey', 'Issuer', 'Audience']));
    for (const c of children) expect(allowed.elements, c).toContain(c);
    const attrs = [...(/<VerifyJWT([^>]*)>/.exec(xml)?.[1] ?? '').matchAll(/(\w+)="/g)].map((m) => m[1] ?? '');
    for (const a of attrs) expect(allowed.attributes, a).toContain(a);
    expect(xml).toContain(`<JWKS uri="${SETTINGS.issuer}/v1/keys"/>`);
  });

  it('the check fails on a misspelt element', () => {
    expect(allowed.elements).not.toContain('Issuers');
  });

  it('every policy the proxy references has a file, and every file is referenced', () => {
    const c = cfg();
    const proxy = file(c, 'apiproxy/proxies/default.xml');
    const steps = new Set([...proxy.matchAll(/<Name>([^<]+)<\/Name>/g)].map((m) => m[1]));
    const files = new Set(c.files.filter((f) => f.path.startsWith('apiproxy/policies/')).map((f) => f.path.replace(/^apiproxy\/policies\/|\.xml$/g, '')));
    expect(steps).toEqual(files);
  });
});

describe('mulesoft_jwt (Flex Local Mode parameter tables, turned into zod schemas)', () => {
  const table = JSON.parse(readFileSync(new URL('mulesoft-flex.json', SCHEMAS), 'utf8')) as Record<string, { name: string; required: boolean }[]>;

  it('the zod schema of jwt-validation-flex has exactly the documented parameters and required flags', () => {
    const rows = table['jwt-validation-flex'] ?? [];
    const shape = FlexJwtValidationConfig.shape;
    expect(Object.keys(shape).sort()).toEqual(rows.map((r) => r.name).sort());
    for (const r of rows) {
      const field = shape[r.name as keyof typeof shape];
      expect(field.safeParse(undefined).success, r.name).toBe(!r.required);
    }
  });

  it('the zod PolicyBinding schema has the documented fields', () => {
    const rows = (table.PolicyBinding ?? []).map((r) => r.name.split('[')[0] ?? '').filter((n) => n.split('.').length <= 3);
    const spec = FlexPolicyBinding.shape.spec.shape;
    for (const n of rows) {
      const [top, second, third] = n.split('.');
      if (top === 'metadata') expect(Object.keys(FlexPolicyBinding.shape.metadata.shape)).toContain(second);
      else if (third === undefined) expect(Object.keys(spec)).toContain(second);
      else expect(Object.keys((spec[second as 'targetRef' | 'policyRef']).shape)).toContain(third);
    }
  });

  it('flex-jwt-validation.yaml validates: one ApiInstance, an API-wide binding, one binding per scoped resource', () => {
    const text = file(generateGatewayConfig('mulesoft_jwt', SETTINGS), 'flex-jwt-validation.yaml');
    const docs = parseAllDocuments(text).map((d) => d.toJS() as unknown);
    expect(docs).toHaveLength(5);
    expect(FlexApiInstance.safeParse(docs[0]).success).toBe(true);
    for (const d of docs.slice(1)) {
      const r = FlexPolicyBinding.safeParse(d);
      expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
    }
    expect(text).toContain("#[vars.claimSet.scp contains 'http://myapp.com/scp/silver']");
    expect(text).not.toMatch(/scp == \[/);
  });

  it('the schema fails on a misspelt parameter', () => {
    expect(FlexJwtValidationConfig.safeParse({ skipClientIdValidation: true, jwksUri: 'https://x' }).success).toBe(false);
    expect(FlexJwtValidationConfig.safeParse({ skipClientIdValidation: false }).success).toBe(false);
  });

  it('the Terraform file sets jwks_url, validate_aud_claim and supported_audiences', () => {
    const tf = file(generateGatewayConfig('mulesoft_jwt', SETTINGS), 'anypoint-jwt-validation.tf');
    expect(tf).toContain('resource "anypoint_api_policy_jwt_validation" "okta"');
    expect(tf).toContain(`jwks_url                        = "${SETTINGS.issuer}/v1/keys"`);
    expect(tf).toContain('validate_aud_claim              = true');
    expect(tf).toContain(`supported_audiences             = "${SETTINGS.audience}"`);
  });
});

describe('swag and raml', () => {
  it('swag: the alias JSON has the endpoints and no secret', () => {
    const alias = JSON.parse(file(generateGatewayConfig('swag', SETTINGS), 'webmethods-okta-alias.json')) as Record<string, unknown>;
    expect(alias).toMatchObject({ issuer: SETTINGS.issuer, jwksURI: `${SETTINGS.issuer}/v1/keys` });
    expect(alias.remoteIntrospectionConfig).toMatchObject({ introspectionURL: `${SETTINGS.issuer}/v1/introspect`, clientId: '0oaintrospect' });
  });

  it('raml: starts with the RAML 1.0 header and fills authorizationUri and accessTokenUri', () => {
    const text = file(generateGatewayConfig('raml', SETTINGS), 'solar-system-api.raml');
    expect(text.startsWith('#%RAML 1.0\n')).toBe(true);
    const doc = parse(text) as { securitySchemes: { oauth_2_0: { settings: Record<string, unknown> } } };
    expect(doc.securitySchemes.oauth_2_0.settings).toMatchObject({ authorizationUri: `${SETTINGS.issuer}/v1/authorize`, accessTokenUri: `${SETTINGS.issuer}/v1/token` });
  });
});
