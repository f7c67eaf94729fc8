/**
 * The RAML 1.0 API specification the original MuleSoft guide had a person paste into Design Center, with the
 * OAuth 2.0 security scheme's authorizationUri and accessTokenUri filled in from the authorization server,
 * and one resource per entry of the policy map, each securedBy the scheme with its scopes.
 *
 * - https://github.com/raml-org/raml-spec/blob/master/versions/raml-10/raml-10.md#security-schemes
 *   (type "OAuth 2.0", settings.authorizationUri/accessTokenUri/authorizationGrants/scopes, securedBy with scopes)
 * - https://docs.mulesoft.com/design-center/design-create-publish-api-specs
 */
import { stringify } from 'yaml';
import { allScopes, oktaEndpoints, provenance, type GatewayConfig, type GatewaySettings } from './common.js';

const RAML_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export function ramlConfig(s: GatewaySettings): GatewayConfig {
  const ep = oktaEndpoints(s.issuer);
  const prov = provenance(s, '--mulesoft --raml');
  const doc: Record<string, unknown> = {
    title: 'Solar System API',
    version: 'v1',
    description: prov,
    mediaType: 'application/json',
    securitySchemes: {
      oauth_2_0: {
        description: 'Okta access tokens from the custom authorization server.',
        type: 'OAuth 2.0',
        describedBy: {
          headers: { Authorization: { description: 'Bearer <access token>', type: 'string' } },
          responses: {
            '401': { description: 'No token, or an invalid or expired token.' },
            '403': { description: 'The token lacks a scope the resource needs.' },
          },
        },
        settings: {
          authorizationUri: ep.authorize,
          accessTokenUri: ep.token,
          authorizationGrants: ['authorization_code', 'client_credentials'],
          scopes: allScopes(s.policies),
        },
      },
    },
  };
  for (const rule of s.policies) {
    const methods = rule.method === '*' ? RAML_METHODS : RAML_METHODS.filter((m) => m.toUpperCase() === rule.method);
    const resource: Record<string, unknown> = { displayName: rule.path };
    for (const m of methods) {
      resource[m] = {
        description: `Needs ${rule.scopes.join(' and ') || 'no scope'}.`,
        securedBy: [{ oauth_2_0: { scopes: rule.scopes } }],
        responses: { '200': { body: { 'application/json': { type: 'any' } } } },
      };
    }
    doc[rule.path === '/' ? '/' : rule.path] = resource;
  }
  const text = `#%RAML 1.0\n# ${prov}\n${stringify(doc, { lineWidth: 0 })}`;
  return {
    kind: 'raml',
    title: 'MuleSoft Design Center (RAML 1.0 with the Okta OAuth 2.0 security scheme)',
    files: [{ path: 'solar-system-api.raml', content: text }],
    values: [
      ['authorizationUri', ep.authorize],
      ['accessTokenUri', ep.token],
      ['Scopes', allScopes(s.policies).join(', ')],
    ],
    semantics: 'RAML only documents the scopes; the Anypoint policy that enforces them needs ALL of a resource\'s scopes by default.',
    warnings: [],
    applyWith: 'Design Center: create an API specification and paste solar-system-api.raml (or `anypoint-cli-v4 designcenter project upload`)',
  };
}
