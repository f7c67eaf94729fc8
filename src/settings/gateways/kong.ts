/**
 * Kong Gateway: a decK file (`kong.yaml`) with a service for the upstream, one route per resource of the policy
 * map, and Kong Enterprise's `openid-connect` plugin on each route.
 *
 * - https://developer.konghq.com/deck/file/ (the `_format_version: "3.0"` declarative file)
 * - https://developer.konghq.com/plugins/openid-connect/reference/ (config.issuer, auth_methods, scopes_claim,
 *   scopes_required, audience_required, issuers_allowed, leeway)
 * - https://developer.konghq.com/deck/gateway/sync/ (`deck gateway sync kong.yaml`)
 * - https://developer.konghq.com/deck/file/manipulation/environment-variables/ (`${{ env "DECK_…" }}`: decK reads
 *   only variables prefixed DECK_)
 *
 * Okta traps this avoids:
 * - Kong reads scopes from `scope` by default; Okta's access tokens carry them in `scp`
 *   (https://developer.okta.com/docs/api/openapi/okta-oauth/guides/overview/#access-token-payload), so
 *   `scopes_claim: [scp]`. Okta's introspection response carries them in `scope` (a space-separated string,
 *   https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/OrgAS/#tag/OrgAS/operation/introspect), so
 *   `--mode introspection` keeps `scopes_claim: [scope]`.
 * - `scopes_required` entries are OR'ed and the space-separated scopes inside one entry are AND'ed: one entry per
 *   route with all its scopes keeps the policy map's "needs every scope".
 * - The introspection client's secret is a decK environment reference, never inline.
 *
 * `--kong-oss` is refused (see KONG_OSS_REFUSAL): the open-source `jwt` plugin takes a static `rsa_public_key` per
 * consumer credential (https://developer.konghq.com/plugins/jwt/), which breaks at Okta's next key rotation
 * (https://developer.okta.com/docs/concepts/key-rotation/).
 */
import type { PolicyRule } from '../../gateway/policies.js';
import { oktaEndpoints, pathRegex, provenance, ruleSlug, stripSlash, yamlWithComment, type GatewayConfig, type GatewaySettings } from './common.js';

export type KongMode = 'bearer' | 'introspection';

export const KONG_CLIENT_ID_ENV = 'DECK_OKTA_INTROSPECT_CLIENT_ID';
export const KONG_CLIENT_SECRET_ENV = 'DECK_OKTA_INTROSPECT_CLIENT_SECRET';

export const KONG_OSS_REFUSAL =
  "Kong OSS's jwt plugin validates RS256 tokens only against a static PEM (rsa_public_key) stored on a consumer " +
  "credential; it cannot fetch Okta's JWKS, so every token is refused after Okta's next signing key rotation " +
  '(Okta rotates the keys of a custom authorization server automatically, about every 90 days). okta-bootstrap does not emit it.';

export const KONG_OSS_SUGGESTION =
  'Use --kong (Kong Enterprise openid-connect plugin, which follows the JWKS), or run the okta-bootstrap local gateway, or a gateway that reads a JWKS URI (--aws, --tyk, --apigee, --mulesoft_jwt).';

function envRef(name: string): string {
  return `\${{ env "${name}" }}`;
}

function pluginConfig(s: GatewaySettings, rule: PolicyRule, mode: KongMode): Record<string, unknown> {
  const ep = oktaEndpoints(s.issuer);
  const config: Record<string, unknown> = {
    issuer: s.issuer,
    issuers_allowed: [s.issuer],
    auth_methods: [mode],
    bearer_token_param_type: ['header'],
    audience_claim: ['aud'],
    audience_required: [s.audience],
    scopes_claim: [mode === 'bearer' ? 'scp' : 'scope'],
    leeway: 0,
    display_errors: false,
  };
  if (rule.scopes.length > 0) config.scopes_required = [rule.scopes.join(' ')];
  if (mode === 'introspection') {
    config.introspection_endpoint = ep.introspect;
    config.introspection_endpoint_auth_method = 'client_secret_basic';
    config.client_id = [envRef(KONG_CLIENT_ID_ENV)];
    config.client_secret = [envRef(KONG_CLIENT_SECRET_ENV)];
    config.client_auth = ['client_secret_basic'];
  }
  return config;
}

export function kongConfig(s: GatewaySettings, mode: KongMode = 'bearer'): GatewayConfig {
  const profile = mode === 'bearer' ? '--kong' : '--kong --mode introspection';
  const tags = ['okta-bootstrap', `okta-bootstrap-${s.tag}`];
  const routes = s.policies.map((rule) => ({
    name: ruleSlug(rule),
    // A `~` path is a regex (Kong 3.x); anchored at the start by Kong, so `$` anchors the end.
    paths: [`~${pathRegex(rule)}$`],
    ...(rule.method === '*' ? {} : { methods: [rule.method] }),
    strip_path: false,
    tags,
    plugins: [{ name: 'openid-connect', tags, config: pluginConfig(s, rule, mode) }],
  }));
  const deck = {
    _format_version: '3.0',
    services: [{ name: 'solar-system-api', url: stripSlash(s.upstreamUrl), tags, routes }],
  };
  const comment = [
    provenance(s, profile),
    'Apply with: deck gateway sync kong.yaml (Kong Enterprise: the openid-connect plugin is an Enterprise plugin).',
    mode === 'introspection'
      ? `Set ${KONG_CLIENT_ID_ENV} and ${KONG_CLIENT_SECRET_ENV} in decK's environment first (the introspection client).`
      : 'Tokens are validated locally against the JWKS Kong discovers from the issuer, so Okta key rotation is followed.',
    'Scopes: a route needs ALL the scopes of its scopes_required entry (space-separated).',
  ];
  const values: [string, string][] = [
    ['Issuer', s.issuer],
    ['Audience', s.audience],
    ['Auth method', mode],
    ['Scopes claim', mode === 'bearer' ? 'scp' : 'scope'],
    ...s.policies.map((r): [string, string] => [`Route ${r.key}`, r.scopes.join(' ') || '(no scope)']),
  ];
  if (mode === 'introspection') {
    values.push(['Introspection endpoint', oktaEndpoints(s.issuer).introspect]);
    values.push(['Introspection client id', `${envRef(KONG_CLIENT_ID_ENV)}${s.introspectClientId ? ` (${s.introspectClientId})` : ''}`]);
  }
  return {
    kind: 'kong',
    title: `Kong Gateway (decK, openid-connect, ${mode})`,
    files: [{ path: 'kong.yaml', content: yamlWithComment(deck, comment) }],
    values,
    semantics: 'Kong grants a route if the token has ALL the scopes of the route (one space-separated scopes_required entry).',
    warnings: [],
    applyWith: 'deck gateway sync kong.yaml',
  };
}
