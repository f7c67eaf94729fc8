/**
 * Tyk Gateway: a Tyk OAS API definition (`x-tyk-api-gateway`) with a JWT security scheme, and the security
 * policies its scope → policy mapping points at.
 *
 * - https://tyk.io/docs/basic-config-and-security/security/authentication-authorization/json-web-tokens/
 *   (jwksURIs, signingMethod, identityBaseField, allowedIssuers/allowedAudiences, validation skews)
 * - https://tyk.io/docs/api-management/authentication/jwt-authorization/ (policy resolution: the policies mapped
 *   from the token's scopes, else the default policies)
 * - https://tyk.io/docs/api-management/policies/ (access_rights, allowed_urls)
 * - https://tyk.io/docs/tyk-gateway-api/ (POST /tyk/apis/oas, POST /tyk/policies)
 *
 * Okta traps this avoids:
 * - Tyk reads scopes from `scope` by default; Okta puts them in `scp`, so `scopes.claimName: scp`.
 * - The JWKS URI (not a static key), so Okta's key rotation is followed.
 * - A token whose scopes map to no policy gets the default policy, which grants nothing on this API (Tyk treats an
 *   empty allowed_urls as "every path", so the default policy has no access right to the API at all).
 *
 * Scope semantics: Tyk applies every policy a token's scopes map to, and grants a path if ANY applied policy allows
 * it. A resource with several scopes is granted with any one of them (a warning says so).
 */
import type { PolicyRule } from '../../gateway/policies.js';
import { allScopes, json, oktaEndpoints, pathRegex, provenance, stripSlash, type GatewayConfig, type GatewaySettings } from './common.js';

const OAS_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

export interface TykIds {
  apiId: string;
  defaultPolicyId: string;
  policyIdFor(scope: string): string;
}

export function tykIds(s: GatewaySettings): TykIds {
  const slug = (v: string) => v.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase();
  return {
    apiId: `solar-system-${slug(s.tag)}`,
    defaultPolicyId: `okta-${slug(s.tag)}-default`,
    policyIdFor: (scope) => `okta-${slug(s.tag)}-${slug(scope)}`,
  };
}

function allowedUrl(rule: PolicyRule) {
  const methods = rule.method === '*' ? OAS_METHODS.map((m) => m.toUpperCase()) : [rule.method];
  return { url: `^${pathRegex(rule)}$`, methods };
}

function policy(s: GatewaySettings, ids: TykIds, id: string, name: string, rules: PolicyRule[]) {
  const access_rights =
    rules.length === 0
      ? {}
      : { [ids.apiId]: { api_id: ids.apiId, api_name: 'Solar system API', versions: ['Default'], allowed_urls: rules.map(allowedUrl) } };
  return {
    id,
    name,
    active: true,
    access_rights,
    tags: ['okta-bootstrap', `okta-bootstrap-${s.tag}`],
    meta_data: { generated_by: provenance(s, '--tyk') },
    rate: 1000,
    per: 60,
    quota_max: -1,
  };
}

export function tykConfig(s: GatewaySettings): GatewayConfig {
  const ids = tykIds(s);
  const ep = oktaEndpoints(s.issuer);
  const open = s.policies.filter((r) => r.scopes.length === 0);
  const scopes = allScopes(s.policies);
  const policies: Record<string, unknown> = {
    [ids.defaultPolicyId]: policy(s, ids, ids.defaultPolicyId, `Okta ${s.tag}: no mapped scope`, open),
  };
  for (const scope of scopes) {
    const rules = s.policies.filter((r) => r.scopes.includes(scope) || r.scopes.length === 0);
    policies[ids.policyIdFor(scope)] = policy(s, ids, ids.policyIdFor(scope), `Okta ${s.tag}: ${scope}`, rules);
  }
  const paths: Record<string, Record<string, unknown>> = {};
  for (const rule of s.policies) {
    const item = (paths[rule.path] ??= {});
    const methods = rule.method === '*' ? OAS_METHODS : OAS_METHODS.filter((m) => m.toUpperCase() === rule.method);
    for (const m of methods) {
      item[m] = {
        summary: `${rule.key}: needs ${rule.scopes.join(', ') || 'no scope'}`,
        responses: { '200': { description: 'OK' }, '401': { description: 'No or invalid token' }, '403': { description: 'Scope not granted' } },
      };
    }
  }
  const api = {
    openapi: '3.0.3',
    info: { title: 'Solar system API', version: '1.0.0', description: provenance(s, '--tyk') },
    servers: [{ url: '/' }],
    security: [{ okta: [] }],
    paths,
    components: { securitySchemes: { okta: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    'x-tyk-api-gateway': {
      info: { id: ids.apiId, name: `solar-system-api-${s.tag}`, state: { active: true } },
      upstream: { url: stripSlash(s.upstreamUrl) },
      server: {
        listenPath: { value: '/', strip: false },
        authentication: {
          enabled: true,
          securitySchemes: {
            okta: {
              enabled: true,
              header: { enabled: true, name: 'Authorization' },
              jwksURIs: [{ url: ep.jwks }],
              signingMethod: 'rsa',
              // Okta's `sub` is the user's login, or the client id for client credentials tokens.
              identityBaseField: 'sub',
              allowedIssuers: [s.issuer],
              allowedAudiences: [s.audience],
              scopes: {
                claimName: 'scp',
                scopeToPolicyMapping: scopes.map((scope) => ({ scope, policyId: ids.policyIdFor(scope) })),
              },
              defaultPolicies: [ids.defaultPolicyId],
              expiresAtValidationSkew: 0,
              notBeforeValidationSkew: 0,
              issuedAtValidationSkew: 0,
            },
          },
        },
      },
    },
  };
  return {
    kind: 'tyk',
    title: 'Tyk Gateway (Tyk OAS API definition, JWT)',
    files: [
      { path: 'tyk-api.json', content: json(api) },
      { path: 'tyk-policies.json', content: json(policies) },
    ],
    values: [
      ['JWKS URI', ep.jwks],
      ['Issuer', s.issuer],
      ['Audience', s.audience],
      ['Signing method', 'rsa'],
      ['Identity claim', 'sub'],
      ['Scope claim', 'scp'],
      ...scopes.map((sc): [string, string] => [`Scope ${sc}`, `policy ${ids.policyIdFor(sc)}`]),
      ['Default policy', `${ids.defaultPolicyId} (no access to this API)`],
    ],
    semantics: 'Tyk grants a path if ANY policy mapped from the token\'s scopes allows it (scopes are OR\'ed).',
    warnings: s.policies.some((r) => r.scopes.length > 1)
      ? ['A resource lists several scopes: Tyk grants it with ANY one of them (scope → policy mapping cannot require all).']
      : [],
    applyWith:
      'curl -X POST -H "x-tyk-authorization: $TYK_SECRET" --data @tyk-api.json $TYK_URL/tyk/apis/oas; policies: one POST $TYK_URL/tyk/policies per entry of tyk-policies.json (or policies.policy_path); then GET $TYK_URL/tyk/reload',
  };
}
