/**
 * The local gateway's kinds other than `mulesoft` (introspection, server.ts): each reads the configuration file
 * get-settings generated for that gateway and enforces that gateway's documented behaviour, so what is tested is
 * what a person applies.
 *
 * A kind's file gives: where the keys come from (JWKS URI, or the issuer's discovery document), the issuer and
 * audiences compared exactly, the clock skew, the scope claim, and the authorization step per request. Its
 * `respond` turns a failure into that gateway's status code and error body.
 *
 * Documentation, per kind (also in the generators under src/settings/gateways/):
 * - kong: https://developer.konghq.com/plugins/openid-connect/reference/ — authentication failures are
 *   401 {"message":"Unauthorized"}, failed authorization (scopes_required, audience_required) 403
 *   {"message":"Forbidden"}; a request no route matches is 404 {"message":"no Route matched with those values"}
 *   (https://developer.konghq.com/gateway/routing/).
 * - aws: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html — 401
 *   {"message":"Unauthorized"} for a missing or invalid token (signature, iss, aud, exp, nbf), 403
 *   {"message":"Forbidden"} when the token has none of the route's scopes; no route: 404 {"message":"Not Found"}.
 * - tyk: https://tyk.io/docs/basic-config-and-security/security/authentication-authorization/json-web-tokens/ and
 *   gateway/mw_jwt.go, mw_granular_access.go in github.com/TykTechnologies/tyk — 400 {"error":"Authorization field
 *   missing"}, 401 {"error":"Key not authorized: token has expired"}, 403 {"error":"Key not authorized"} for any
 *   other invalid token, 403 {"error":"Access to this resource has been disallowed"} for a path no applied policy
 *   allows, 403 {"error":"Access to this API has been disallowed"} when no applied policy grants the API.
 * - apigee: https://cloud.google.com/apigee/docs/api-platform/reference/policies/verify-jwt-policy#runtime-errors —
 *   VerifyJWT faults are 401 {"fault":{"faultstring":…,"detail":{"errorcode":"steps.jwt.…"}}}; the missing-token
 *   and missing-scope answers are the bundle's own RaiseFault policies, read from the bundle.
 * - mulesoft_jwt: https://docs.mulesoft.com/gateway/latest/policies-included-jwt-validation — 400 when no token is
 *   provided, 401 when the signature is not valid or a required claim (the scope checks included) fails. MuleSoft
 *   does not document the body: we send {"error":…,"description":…} as the introspection gateway does.
 *
 * Choices where the docs are silent:
 * - Unknown `kid`: every kind refetches the JWKS at once (Kong throttles refetches with rediscovery_lifetime, 30 s
 *   by default; a local gateway should not make a test wait for it).
 * - Clock skew: the value in the file (Kong leeway, Tyk *ValidationSkew, Apigee TimeAllowance); AWS and MuleSoft
 *   document none, so 0.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ConfigError } from '../core/errors.js';

export type JwtKind = 'kong' | 'aws' | 'tyk' | 'apigee' | 'mulesoft_jwt';
export const JWT_KINDS: readonly JwtKind[] = ['kong', 'aws', 'tyk', 'apigee', 'mulesoft_jwt'];

/** The file each kind reads by default, relative to get-settings' --out folder. */
export const KIND_FILES: Record<JwtKind, string> = {
  kong: 'kong.yaml',
  aws: 'aws-http-api.yaml',
  tyk: 'tyk-api.json',
  apigee: 'apiproxy',
  mulesoft_jwt: 'flex-jwt-validation.yaml',
};

export type Failure =
  | 'missing_token'
  | 'malformed'
  | 'bad_signature'
  | 'unknown_key'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_issuer'
  | 'bad_audience'
  | 'insufficient_scope'
  | 'no_route'
  | 'api_denied';

export interface KindResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type Authorization = { ok: true; resource?: string } | { ok: false; failure: Failure; resource?: string; detail: string };

export interface KindProfile {
  kind: JwtKind;
  /** The file it was read from. */
  source: string;
  /** JWKS URI, or the discovery document whose jwks_uri (and issuer) the gateway uses. */
  keys: { jwksUri: string } | { discovery: string };
  /** Compared exactly with `iss` (undefined: the kind checks it in `authorize`, as MuleSoft's custom claim does). */
  issuer?: string;
  /** `aud` must contain one of these. */
  audiences: string[];
  clockSkewSec: number;
  scopeClaim: string;
  /**
   * Kong --mode introspection: the token is sent to Okta's introspection endpoint instead of being validated against
   * the JWKS. The client id and secret are decK environment references (`${{ env "DECK_…" }}`), resolved from the
   * gateway's environment as decK resolves them.
   */
  introspection?: { url: string; clientId: string; clientSecret: string };
  /** "ALL of a resource's scopes" or "ANY", in the gateway's words. */
  semantics: string;
  /** After the token is valid: the gateway's authorization step. */
  authorize(claims: Record<string, unknown>, method: string, path: string): Authorization;
  respond(failure: Failure, detail: string): KindResponse;
}

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

function bad(file: string, what: string): ConfigError {
  return new ConfigError(`${file} is not a ${what} okta-bootstrap can enforce.`, {
    suggestion: 'Regenerate it with get-settings (e.g. `get-settings --kong --out <dir>`), and point --config at it.',
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The token's scopes: `scp` is an array in Okta's access tokens; a `scope` claim is a space-separated string. */
export function scopesFrom(claims: Record<string, unknown>, claim: string): string[] {
  const v = claims[claim];
  if (Array.isArray(v)) return strings(v);
  if (typeof v === 'string') return v.split(/\s+/).filter((x) => x !== '');
  return [];
}

function anchored(re: string): RegExp {
  return new RegExp(`^(?:${re})$`);
}

interface Route {
  resource: string;
  method?: string;
  path: RegExp;
  /** Disjunction of conjunctions: the route is granted if the token has every scope of one entry. Empty: no scope. */
  anyOf: string[][];
}

function grants(route: Route, scopes: string[]): boolean {
  return route.anyOf.length === 0 || route.anyOf.some((all) => all.every((s) => scopes.includes(s)));
}

function describeNeed(route: Route): string {
  return route.anyOf.map((all) => all.join(' and ')).join(' or ');
}

function routeAuthorize(routes: Route[], unmatched: 'allow' | 'no_route', scopeClaim: string) {
  return (claims: Record<string, unknown>, method: string, path: string): Authorization => {
    const route = routes.find((r) => (r.method === undefined || r.method === method.toUpperCase()) && r.path.test(path));
    if (!route) return unmatched === 'allow' ? { ok: true } : { ok: false, failure: 'no_route', detail: `no route matches ${method} ${path}` };
    const scopes = scopesFrom(claims, scopeClaim);
    if (grants(route, scopes)) return { ok: true, resource: route.resource };
    return { ok: false, failure: 'insufficient_scope', resource: route.resource, detail: `${route.resource} needs ${describeNeed(route)} (the token has ${scopes.join(' ') || 'no scopes'})` };
  };
}

// ---------- kong ----------

function kongProfile(text: string, file: string): KindProfile {
  const doc: unknown = parse(text);
  if (!isRecord(doc) || !Array.isArray(doc.services)) throw bad(file, 'decK file');
  const routes: Route[] = [];
  let issuer: string | undefined;
  let audiences: string[] = [];
  let scopeClaim = 'scope';
  let leeway = 0;
  let introspection: KindProfile['introspection'];
  for (const svc of doc.services) {
    if (!isRecord(svc) || !Array.isArray(svc.routes)) continue;
    for (const r of svc.routes) {
      if (!isRecord(r)) continue;
      const plugin: unknown = Array.isArray(r.plugins) ? (r.plugins as unknown[]).find((p) => isRecord(p) && p.name === 'openid-connect') : undefined;
      if (!isRecord(plugin) || !isRecord(plugin.config)) throw bad(file, 'decK file with the openid-connect plugin on every route');
      const c = plugin.config;
      const methodsUsed = strings(c.auth_methods);
      if (methodsUsed.includes('introspection')) {
        const url = str(c.introspection_endpoint);
        const id = strings(c.client_id)[0];
        const secret = strings(c.client_secret)[0];
        if (!url || !id || !secret) throw bad(file, 'decK file whose introspection routes name the endpoint, client_id and client_secret');
        introspection = { url, clientId: id, clientSecret: secret };
      } else if (!methodsUsed.includes('bearer')) {
        throw new ConfigError(`${file}: route ${String(r.name)} uses neither auth_methods bearer nor introspection.`, {
          suggestion: 'Generate it with `get-settings --kong` (bearer) or `get-settings --kong --mode introspection`.',
        });
      }
      const routeIssuer = str(c.issuer);
      if (!routeIssuer || (issuer !== undefined && issuer !== routeIssuer)) throw bad(file, 'decK file with one issuer');
      issuer = routeIssuer;
      audiences = strings(c.audience_required);
      scopeClaim = strings(c.scopes_claim)[0] ?? 'scope';
      leeway = typeof c.leeway === 'number' ? c.leeway : 0;
      const methods = strings(r.methods);
      for (const p of strings(r.paths)) {
        // A path starting with "~" is a regex anchored at the start; others are prefixes (Kong 3.x routing).
        const path = p.startsWith('~') ? new RegExp(`^${p.slice(1)}`) : new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
        const anyOf = strings(c.scopes_required).map((entry) => entry.split(/\s+/).filter((x) => x !== ''));
        const resource = `${String(r.name)} (${methods.join(',') || 'any'} ${p})`;
        if (methods.length === 0) routes.push({ resource, path, anyOf });
        for (const m of methods) routes.push({ resource, method: m.toUpperCase(), path, anyOf });
      }
    }
  }
  if (!issuer) throw bad(file, 'decK file with routes');
  const message = (status: number, message: string): KindResponse => ({
    status,
    headers: { ...JSON_TYPE, ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}) },
    body: { message },
  });
  return {
    kind: 'kong',
    source: file,
    keys: { discovery: `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration` },
    issuer,
    audiences,
    clockSkewSec: leeway,
    scopeClaim,
    introspection,
    semantics: 'Kong grants a route if the token has ALL the scopes of one scopes_required entry.',
    authorize: routeAuthorize(routes, 'no_route', scopeClaim),
    respond(failure) {
      if (failure === 'no_route') return message(404, 'no Route matched with those values');
      if (failure === 'insufficient_scope' || failure === 'bad_audience') return message(403, 'Forbidden');
      return message(401, 'Unauthorized');
    },
  };
}

// ---------- aws ----------

function awsRouteRegex(path: string): RegExp {
  const re = path
    .split('/')
    .map((seg) => (seg === '{proxy+}' ? '.+' : /^\{[^}]+\+\}$/.test(seg) ? '.+' : /^\{[^}]+\}$/.test(seg) ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return anchored(re);
}

function awsProfile(text: string, file: string): KindProfile {
  const doc: unknown = parse(text);
  if (!isRecord(doc) || !isRecord(doc.Resources)) throw bad(file, 'CloudFormation template');
  const resources = Object.values(doc.Resources).filter(isRecord);
  const authz = resources.find((r) => r.Type === 'AWS::ApiGatewayV2::Authorizer' && isRecord(r.Properties) && r.Properties.AuthorizerType === 'JWT');
  const jwt = isRecord(authz?.Properties) && isRecord(authz.Properties.JwtConfiguration) ? authz.Properties.JwtConfiguration : undefined;
  const issuer = str(jwt?.Issuer);
  if (!jwt || !issuer) throw bad(file, 'CloudFormation template with a JWT authorizer');
  const routes: Route[] = [];
  for (const r of resources) {
    if (r.Type !== 'AWS::ApiGatewayV2::Route' || !isRecord(r.Properties)) continue;
    const key = str(r.Properties.RouteKey);
    const m = key ? /^(\S+) (\/\S*)$/.exec(key) : null;
    if (!key || !m?.[1] || !m[2]) continue;
    const method = m[1] === 'ANY' ? undefined : m[1];
    routes.push({ resource: key, method, path: awsRouteRegex(m[2]), anyOf: strings(r.Properties.AuthorizationScopes).map((s) => [s]) });
  }
  // API Gateway picks the most specific route: exact paths before greedy ones, longer before shorter.
  routes.sort((a, b) => Number(a.path.source.includes('.+')) - Number(b.path.source.includes('.+')) || b.path.source.length - a.path.source.length);
  const message = (status: number, message: string): KindResponse => ({ status, headers: JSON_TYPE, body: { message } });
  return {
    kind: 'aws',
    source: file,
    keys: { discovery: `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration` },
    issuer,
    audiences: strings(jwt.Audience),
    clockSkewSec: 0,
    // "API Gateway validates the scope or scp claim": Okta's access tokens carry scp.
    scopeClaim: 'scp',
    semantics: 'AWS grants a route if the token has ANY of its AuthorizationScopes.',
    authorize: routeAuthorize(routes, 'no_route', 'scp'),
    respond(failure) {
      if (failure === 'no_route') return message(404, 'Not Found');
      if (failure === 'insufficient_scope') return message(403, 'Forbidden');
      return message(401, 'Unauthorized');
    },
  };
}

// ---------- tyk ----------

interface TykAccess {
  url: RegExp;
  methods: string[];
}

async function tykProfile(text: string, file: string): Promise<KindProfile> {
  const api: unknown = JSON.parse(text);
  const x = isRecord(api) ? api['x-tyk-api-gateway'] : undefined;
  const info = isRecord(x) && isRecord(x.info) ? x.info : undefined;
  const auth = isRecord(x) && isRecord(x.server) && isRecord(x.server.authentication) ? x.server.authentication : undefined;
  const schemes = isRecord(auth?.securitySchemes) ? Object.values(auth.securitySchemes).filter(isRecord) : [];
  const jwt = schemes.find((s) => s.enabled === true && (Array.isArray(s.jwksURIs) || s.signingMethod !== undefined));
  const apiId = str(info?.id);
  const jwksUri = jwt && Array.isArray(jwt.jwksURIs) && isRecord(jwt.jwksURIs[0]) ? str(jwt.jwksURIs[0].url) : undefined;
  if (!jwt || !apiId || !jwksUri) throw bad(file, 'Tyk OAS API definition with a JWT security scheme');
  const policiesFile = join(dirname(file), 'tyk-policies.json');
  let policiesDoc: unknown;
  try {
    policiesDoc = JSON.parse(await readFile(policiesFile, 'utf8'));
  } catch (e) {
    throw new ConfigError(`Cannot read the Tyk policies ${policiesFile}: ${(e as Error).message}`, { suggestion: 'get-settings --tyk --out writes it next to tyk-api.json.' });
  }
  if (!isRecord(policiesDoc)) throw bad(policiesFile, 'Tyk policies file');
  /** Per policy id: undefined = no access right to the API; [] = every path (Tyk's empty allowed_urls). */
  const access = new Map<string, TykAccess[] | undefined>();
  for (const [id, p] of Object.entries(policiesDoc)) {
    const right = isRecord(p) && isRecord(p.access_rights) ? p.access_rights[apiId] : undefined;
    access.set(
      id,
      isRecord(right)
        ? (Array.isArray(right.allowed_urls) ? right.allowed_urls : []).filter(isRecord).map((u) => ({ url: new RegExp(String(u.url)), methods: strings(u.methods) }))
        : undefined,
    );
  }
  const scopesCfg = isRecord(jwt.scopes) ? jwt.scopes : {};
  const claimName = str(scopesCfg.claimName) ?? 'scope';
  const mapping = (Array.isArray(scopesCfg.scopeToPolicyMapping) ? scopesCfg.scopeToPolicyMapping : []).filter(isRecord);
  const defaults = strings(jwt.defaultPolicies);
  const skew = (v: unknown) => (typeof v === 'number' ? v : 0);
  const error = (status: number, error: string): KindResponse => ({ status, headers: JSON_TYPE, body: { error } });
  return {
    kind: 'tyk',
    source: file,
    keys: { jwksUri },
    issuer: strings(jwt.allowedIssuers)[0],
    audiences: strings(jwt.allowedAudiences),
    clockSkewSec: Math.max(skew(jwt.expiresAtValidationSkew), skew(jwt.notBeforeValidationSkew)),
    scopeClaim: claimName,
    semantics: "Tyk grants a path if ANY policy mapped from the token's scopes allows it.",
    authorize(claims, method, path) {
      const scopes = scopesFrom(claims, claimName);
      const mapped = mapping.filter((m) => typeof m.scope === 'string' && scopes.includes(m.scope)).map((m) => String(m.policyId));
      const applied = mapped.length > 0 ? mapped : defaults;
      const rights = applied.map((id) => access.get(id)).filter((r): r is TykAccess[] => r !== undefined);
      if (rights.length === 0) return { ok: false, failure: 'api_denied', detail: `no applied policy (${applied.join(', ') || 'none'}) grants API ${apiId}` };
      const allowed = rights.some((urls) => urls.length === 0 || urls.some((u) => u.url.test(path) && (u.methods.length === 0 || u.methods.includes(method.toUpperCase()))));
      return allowed
        ? { ok: true, resource: `policies ${applied.join(', ')}` }
        : { ok: false, failure: 'insufficient_scope', resource: `policies ${applied.join(', ')}`, detail: `${method} ${path} is in no allowed_urls of the applied policies ${applied.join(', ')} (token scopes: ${scopes.join(' ') || 'none'})` };
    },
    respond(failure) {
      switch (failure) {
        case 'missing_token':
          return error(400, 'Authorization field missing');
        case 'expired':
          return error(401, 'Key not authorized: token has expired');
        case 'insufficient_scope':
          return error(403, 'Access to this resource has been disallowed');
        case 'api_denied':
          return error(403, 'Access to this API has been disallowed');
        default:
          return error(403, 'Key not authorized');
      }
    },
  };
}

// ---------- apigee ----------

function unescapeXml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m?.[1] === undefined ? undefined : unescapeXml(m[1].trim());
}

interface RaiseFault {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

function parseRaiseFault(xml: string, file: string): RaiseFault {
  const status = Number(xmlText(xml, 'StatusCode'));
  const payload = xmlText(xml, 'Payload');
  if (!Number.isInteger(status) || payload === undefined) throw bad(file, 'RaiseFault policy');
  const headers: Record<string, string> = { ...JSON_TYPE };
  for (const m of xml.matchAll(/<Header name="([^"]+)">([^<]*)<\/Header>/g)) if (m[1] && m[2] !== undefined) headers[m[1].toLowerCase()] = unescapeXml(m[2]);
  let body: unknown = payload;
  try {
    body = JSON.parse(payload);
  } catch {
    // a non-JSON payload is sent as text
  }
  return { status, headers, body };
}

async function apigeeProfile(dir: string): Promise<KindProfile> {
  const root = dir.endsWith('apiproxy') ? dir : join(dir, 'apiproxy');
  const read = async (rel: string) => {
    try {
      return await readFile(join(root, rel), 'utf8');
    } catch (e) {
      throw new ConfigError(`Cannot read ${join(root, rel)}: ${(e as Error).message}`, { suggestion: 'Point --config at the apiproxy/ folder get-settings --apigee --out wrote.' });
    }
  };
  const proxy = await read('proxies/default.xml');
  const preflow = /<PreFlow[\s\S]*?<\/PreFlow>/.exec(proxy)?.[0] ?? '';
  let verifyName: string | undefined;
  let vj = '';
  for (const m of preflow.matchAll(/<Name>([^<]+)<\/Name>/g)) {
    const text = await read(`policies/${m[1] ?? ''}.xml`);
    if (/<VerifyJWT[\s>]/.test(text)) {
      verifyName = m[1];
      vj = text;
      break;
    }
  }
  if (!verifyName) throw bad(join(root, 'proxies/default.xml'), 'Apigee proxy with a VerifyJWT step in its PreFlow');
  const jwksUri = /<JWKS uri="([^"]+)"/.exec(vj)?.[1];
  const issuer = xmlText(vj, 'Issuer');
  const audience = xmlText(vj, 'Audience');
  const allowance = /^(\d+)s$/.exec(xmlText(vj, 'TimeAllowance') ?? '0s')?.[1];
  if (!jwksUri || !issuer || !audience) throw bad(join(root, `policies/${verifyName}.xml`), 'VerifyJWT policy with JWKS, Issuer and Audience');

  const missingName = /<Step>\s*<Name>(RF-[^<]+)<\/Name>/.exec(preflow)?.[1];
  const missingFault = missingName ? parseRaiseFault(await read(`policies/${missingName}.xml`), missingName) : undefined;

  interface Flow {
    name: string;
    method?: string;
    path: RegExp;
    scopeRegexes: RegExp[];
    fault: RaiseFault;
  }
  const flows: Flow[] = [];
  for (const m of proxy.matchAll(/<Flow name="([^"]+)">([\s\S]*?)<\/Flow>/g)) {
    const name = m[1] ?? '';
    const body = m[2] ?? '';
    const conditions = [...body.matchAll(/<Condition>([^<]*)<\/Condition>/g)].map((c) => unescapeXml(c[1] ?? ''));
    const flowCond = conditions[conditions.length - 1] ?? '';
    const stepCond = conditions[0] ?? '';
    const fc = /^\(proxy\.pathsuffix ~~ "(.*?)"\)(?: and \(request\.verb = "([A-Z]+)"\))?$/.exec(flowCond);
    const step = /<Step>\s*<Name>([^<]+)<\/Name>/.exec(body)?.[1];
    if (!fc?.[1] || !step) throw bad(join(root, 'proxies/default.xml'), `proxy whose flow ${name} okta-bootstrap generated`);
    const scopeRegexes = [...stepCond.matchAll(/!\(jwt\.[\w-]+\.claim\.scp ~~ "(.*?)"\)/g)].map((s) => anchored(s[1] ?? ''));
    flows.push({ name, method: fc[2], path: anchored(fc[1]), scopeRegexes, fault: parseRaiseFault(await read(`policies/${step}.xml`), step) });
  }
  const fault = (status: number, code: string, faultstring: string): KindResponse => ({
    status,
    headers: JSON_TYPE,
    body: { fault: { faultstring, detail: { errorcode: `steps.jwt.${code}` } } },
  });
  return {
    kind: 'apigee',
    source: root,
    keys: { jwksUri },
    issuer,
    audiences: [audience],
    clockSkewSec: Number(allowance ?? 0),
    scopeClaim: 'scp',
    semantics: 'Apigee (this bundle) grants a flow if the token has ALL of its scopes.',
    authorize(claims, method, path) {
      const flow = flows.find((f) => (f.method === undefined || f.method === method.toUpperCase()) && f.path.test(path));
      if (!flow) return { ok: true };
      // How the claim renders in jwt.{policy}.claim.scp is not documented; the bundle's regexes accept a comma list.
      const value = scopesFrom(claims, 'scp').join(',');
      const missing = flow.scopeRegexes.filter((re) => !re.test(value));
      return missing.length === 0
        ? { ok: true, resource: flow.name }
        : { ok: false, failure: 'insufficient_scope', resource: flow.name, detail: `flow ${flow.name}: jwt.${verifyName}.claim.scp "${value}" fails ${missing.length} scope condition(s)` };
    },
    respond(failure, detail) {
      switch (failure) {
        case 'missing_token':
          return missingFault ?? fault(401, 'FailedToDecode', 'Failed to Decode Token: policy(' + verifyName + ')');
        case 'insufficient_scope': {
          const f = flows.find((x) => detail.startsWith(`flow ${x.name}:`));
          return f ? f.fault : { status: 403, headers: JSON_TYPE, body: { error: 'insufficient_scope' } };
        }
        case 'expired':
          return fault(401, 'TokenExpired', 'The Token has expired');
        case 'not_yet_valid':
          return fault(401, 'TokenNotYetValid', 'The Token is not yet valid');
        case 'bad_issuer':
          return fault(401, 'InvalidClaim', `Invalid Claim: policy(${verifyName}) claim(iss)`);
        case 'bad_audience':
          return fault(401, 'InvalidClaim', `Invalid Claim: policy(${verifyName}) claim(aud)`);
        case 'unknown_key':
          return fault(401, 'NoMatchingPublicKey', `No matching public key for kid: policy(${verifyName})`);
        case 'malformed':
          return fault(401, 'FailedToDecode', `Failed to Decode Token: policy(${verifyName})`);
        default:
          return fault(401, 'InvalidSignature', `Signature could not be verified: policy(${verifyName})`);
      }
    },
  };
}

// ---------- mulesoft_jwt ----------

interface ClaimCheck {
  claim: string;
  op: '==' | 'contains';
  value: string;
  expression: string;
}

/** The DataWeave expressions get-settings --mulesoft_jwt writes: `#[vars.claimSet.X == 'v']` and `… contains 'v'`. */
export function parseClaimExpression(expr: string): ClaimCheck | undefined {
  const m = /^#\[vars\.claimSet\.(\w+) (==|contains) '((?:[^'\\]|\\.)*)'\]$/.exec(expr.trim());
  if (!m?.[1] || !m[2] || m[3] === undefined) return undefined;
  return { claim: m[1], op: m[2] === '==' ? '==' : 'contains', value: m[3].replace(/\\'/g, "'"), expression: expr };
}

function checkClaim(c: ClaimCheck, claims: Record<string, unknown>): boolean {
  const v = claims[c.claim];
  if (c.op === '==') return v === c.value;
  return Array.isArray(v) ? v.includes(c.value) : typeof v === 'string' && v.includes(c.value);
}

function mulesoftJwtProfile(text: string, file: string): KindProfile {
  const docs = parseAllDocuments(text).map((d) => d.toJS() as unknown).filter(isRecord);
  interface Binding {
    name: string;
    rules?: { path?: RegExp; methods?: RegExp }[];
    checks: ClaimCheck[];
  }
  const bindings: Binding[] = [];
  let jwksUri: string | undefined;
  let audiences: string[] = [];
  for (const d of docs) {
    if (d.kind !== 'PolicyBinding' || !isRecord(d.spec) || !isRecord(d.spec.policyRef) || d.spec.policyRef.name !== 'jwt-validation-flex') continue;
    const c = isRecord(d.spec.config) ? d.spec.config : {};
    const name = isRecord(d.metadata) ? String(d.metadata.name) : '?';
    jwksUri ??= str(c.jwksUrl);
    if (c.validateAudClaim === true) audiences = (str(c.supportedAudiences) ?? '').split(',').map((a) => a.trim()).filter((a) => a !== '');
    const checks: ClaimCheck[] = [];
    for (const cc of Array.isArray(c.mandatoryCustomClaims) ? c.mandatoryCustomClaims.filter(isRecord) : []) {
      const parsed = parseClaimExpression(String(cc.value));
      if (!parsed) throw new ConfigError(`${file}: binding ${name}: the custom claim expression ${String(cc.value)} is not one the local gateway evaluates.`, { suggestion: "Use #[vars.claimSet.<claim> contains '<value>'] or == '<value>' (get-settings --mulesoft_jwt writes these)." });
      checks.push(parsed);
    }
    const rules = Array.isArray(d.spec.rules)
      ? d.spec.rules.filter(isRecord).map((r) => ({ path: str(r.path) ? anchored(String(r.path)) : undefined, methods: str(r.methods) ? anchored(String(r.methods)) : undefined }))
      : undefined;
    bindings.push({ name, rules, checks });
  }
  if (!jwksUri || bindings.length === 0) throw bad(file, 'Flex Local Mode file with jwt-validation-flex bindings');
  const error = (status: number, error: string, description: string): KindResponse => ({ status, headers: JSON_TYPE, body: { error, description } });
  return {
    kind: 'mulesoft_jwt',
    source: file,
    keys: { jwksUri },
    audiences,
    clockSkewSec: 0,
    scopeClaim: 'scp',
    semantics: 'MuleSoft JWT Validation grants a resource if the token has ALL its scopes (every mandatory custom claim holds).',
    authorize(claims, method, path) {
      const applying = bindings.filter((b) => !b.rules || b.rules.some((r) => (!r.path || r.path.test(path)) && (!r.methods || r.methods.test(method.toUpperCase()))));
      for (const b of applying) {
        const failed = b.checks.filter((c) => !checkClaim(c, claims));
        if (failed.length > 0) {
          const scope = failed.every((f) => f.claim === 'scp');
          return { ok: false, failure: scope ? 'insufficient_scope' : 'bad_issuer', resource: b.name, detail: `binding ${b.name}: ${failed.map((f) => f.expression).join(', ')} is false` };
        }
      }
      return { ok: true, resource: applying.map((b) => b.name).join(', ') };
    },
    respond(failure, detail) {
      if (failure === 'missing_token') return error(400, 'invalid_request', 'Token was not provided in the request.');
      if (failure === 'insufficient_scope' || failure === 'bad_issuer') return error(401, 'invalid_token', `Some of the required claims are not present or their validation failed: ${detail}`);
      return error(401, 'invalid_token', `Signature was not validated, or is invalid, or the token failed to parse: ${detail}`);
    },
  };
}

/** Reads the generated file of `kind` (a file, or for apigee the bundle folder). */
export async function loadKindProfile(kind: JwtKind, path: string): Promise<KindProfile> {
  if (kind === 'apigee') return apigeeProfile(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`Cannot read the ${kind} configuration ${path}: ${(e as Error).message}`, {
      suggestion: `Generate it with \`get-settings --${kind} --out <dir>\` and pass --config <dir>/${KIND_FILES[kind]}.`,
    });
  }
  try {
    switch (kind) {
      case 'kong':
        return kongProfile(text, path);
      case 'aws':
        return awsProfile(text, path);
      case 'tyk':
        return await tykProfile(text, path);
      case 'mulesoft_jwt':
        return mulesoftJwtProfile(text, path);
    }
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`Cannot read the ${kind} configuration ${path}: ${(e as Error).message}`, {
      suggestion: `Regenerate it with \`get-settings --${kind} --out <dir>\`.`,
    });
  }
}
