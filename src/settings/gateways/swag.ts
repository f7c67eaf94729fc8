/**
 * Software AG webMethods API Gateway: the values of an external authorization server alias ("Okta" as an OAuth2
 * authorization server), as text and as JSON. There is no published schema we may copy (SoftwareAG's
 * APIGatewayAlias.json has no licence), so the JSON's field names follow the alias fields of
 * https://documentation.softwareag.com/webmethods/api_gateway/ (Administration → Security → JWT/OAuth/OpenID:
 * "Configuring an External Authorization Server"): discovery URL, issuer, JWKS URI, remote introspection endpoint
 * with its client, and the scopes.
 *
 * The introspection client's secret is never written: the JSON names where it comes from.
 */
import { allScopes, json, oktaEndpoints, provenance, type GatewayConfig, type GatewaySettings } from './common.js';

export function swagConfig(s: GatewaySettings): GatewayConfig {
  const ep = oktaEndpoints(s.issuer);
  const prov = provenance(s, '--swag');
  const alias = {
    name: `okta-${s.tag}`,
    description: prov,
    type: 'authServerAlias',
    discoveryURL: ep.oauthMetadata,
    issuer: s.issuer,
    jwksURI: ep.jwks,
    audience: s.audience,
    remoteIntrospectionConfig: {
      introspectionURL: ep.introspect,
      clientId: s.introspectClientId ?? 'INTROSPECT_CLIENT_ID (run okta-bootstrap --standard)',
      clientSecret: 'INTROSPECT_CLIENT_SECRET from get-settings --show-secrets (never written here)',
    },
    scopes: allScopes(s.policies).map((name) => ({
      name,
      description: `Grants ${s.policies.filter((r) => r.scopes.includes(name)).map((r) => r.key).join(', ')}`,
    })),
    resources: s.policies.map((r) => ({ resource: r.key, scopes: r.scopes })),
  };
  return {
    kind: 'swag',
    title: 'webMethods API Gateway (external authorization server alias)',
    files: [{ path: 'webmethods-okta-alias.json', content: json(alias) }],
    values: [
      ['Alias name', alias.name],
      ['Discovery URL', ep.oauthMetadata],
      ['Issuer', s.issuer],
      ['JWKS URI', ep.jwks],
      ['Audience', s.audience],
      ['Introspection endpoint', ep.introspect],
      ['Introspection client id', alias.remoteIntrospectionConfig.clientId],
      ['Scopes', allScopes(s.policies).join(', ')],
      ...s.policies.map((r): [string, string] => [`Resource ${r.key}`, r.scopes.join(', ') || '(no scope)']),
    ],
    semantics: 'webMethods grants a resource if the token has ANY scope mapped to it in the alias (scope → resource mapping).',
    warnings: [],
    applyWith: 'API Gateway UI: Administration → Security → JWT/OAuth/OpenID → Add authorization server (values above), or its REST API POST /rest/apigateway/alias',
  };
}
