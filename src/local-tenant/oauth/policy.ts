/**
 * Okta's access-policy evaluation for a custom authorization server, as a pure function over plain data
 * shaped like Okta's JSON (https://developer.okta.com/docs/guides/customize-authz-server/main/#create-access-policies,
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServerPolicies/).
 *
 * Order of checks (and the error each gives):
 * 1. Requested scopes: none requested → the server's `default: true` scopes that the first matching rule permits
 *    (a rule matches then when it permits at least one of them). Okta's scope setting "Set as a default scope"
 *    is for requests that omit `scope` (https://developer.okta.com/docs/guides/customize-authz-server/main/#create-scopes);
 *    which of them a partly matching rule grants the docs do not say: the choice is those the rule permits. No
 *    default scope at all → `invalid_scope`.
 *    A requested scope that is neither defined on the server nor an OIDC reserved scope → `invalid_scope`
 *    "One or more scopes are not configured for the authorization server resource.".
 *    `client_credentials` asking for an OIDC scope → `invalid_scope` (Okta refuses OIDC scopes without a user).
 * 2. Policies: ACTIVE, whose `conditions.clients.include` holds the client id or `ALL_CLIENTS`, by ascending
 *    `priority` (ties: the given order). Within each, rules: ACTIVE, by ascending `priority`.
 * 3. The first rule that matches wins:
 *    - `conditions.grantTypes.include` holds the grant type;
 *    - for user grants: the user is in `people.users.include`, or one of their groups (or `EVERYONE`) is in
 *      `people.groups.include`, and neither the user nor a group is excluded; for `client_credentials`
 *      people are ignored (there is no user);
 *    - every requested scope is allowed by `conditions.scopes.include` (`*` = any). A rule that allows only
 *      some of them does not match: evaluation goes on to the next rule, then the next policy
 *      (https://developer.okta.com/docs/guides/customize-authz-server/main/#create-rules-for-each-access-policy:
 *      "once a matching rule is found no other rules are evaluated. If no matching rule is found, then the
 *      authorization request fails"; Okta support article "Tokens not issued with lifetime configured in access
 *      rule for custom authorization server"). The token carries all the requested scopes.
 * 4. No rule of any applicable policy matches → `access_denied` "Policy evaluation failed for this request,
 *    please check the policy configurations.". (No applicable policy at all gives the same error.)
 */

export const OIDC_SCOPES = ['openid', 'profile', 'email', 'address', 'phone', 'offline_access'] as const;
const OIDC_SCOPE_SET: ReadonlySet<string> = new Set(OIDC_SCOPES);

/** Grants that act for an end user (they need people in the rule and an assigned user). */
export const USER_GRANTS: ReadonlySet<string> = new Set(['authorization_code', 'implicit', 'password']);

export const POLICY_FAILED = 'Policy evaluation failed for this request, please check the policy configurations.';
export const SCOPES_NOT_CONFIGURED = 'One or more scopes are not configured for the authorization server resource.';
export const NO_DEFAULT_SCOPES =
  "The authorization server resource does not have any configured default scopes, 'scope' must be provided.";
export const CC_OIDC_SCOPES = 'Client Credentials requests cannot contain OpenID scopes.';

interface IncludeExclude {
  include?: string[];
  exclude?: string[];
}

export interface PolicyLike {
  id: string;
  status?: string;
  priority?: number;
  conditions?: { clients?: { include?: string[] } };
}

export interface RuleLike {
  id: string;
  status?: string;
  priority?: number;
  conditions?: {
    people?: { users?: IncludeExclude; groups?: IncludeExclude };
    grantTypes?: { include?: string[] };
    scopes?: { include?: string[] };
  };
  actions?: {
    token?: { accessTokenLifetimeMinutes?: number; refreshTokenLifetimeMinutes?: number; refreshTokenWindowMinutes?: number };
  };
}

export interface ScopeLike {
  name: string;
  default?: boolean;
}

export interface PolicyRequest {
  /** Policies of the authorization server, each with its rules. */
  policies: { policy: PolicyLike; rules: RuleLike[] }[];
  /** Scopes defined on the server. */
  scopes: ScopeLike[];
  clientId: string;
  grantType: string;
  /** The end user, for user grants: id and the ids of their groups. */
  user?: { id: string; groupIds: string[] };
  /** Requested scopes, in request order (duplicates ignored). */
  requestedScopes: string[];
}

export interface TokenLifetimes {
  /** Minutes; Okta's default rule uses 60. */
  accessTokenLifetimeMinutes: number;
  /** Minutes; 0 = unlimited. */
  refreshTokenLifetimeMinutes: number;
  /** Minutes a refresh token may stay unused. */
  refreshTokenWindowMinutes: number;
}

export type PolicyDecision =
  | ({ ok: true; policyId: string; ruleId: string; grantedScopes: string[] } & TokenLifetimes)
  | { ok: false; error: 'access_denied' | 'invalid_scope'; error_description: string };

/** Space-delimited scope parameter → list, duplicates and empties removed, order kept. */
export function parseScopeParam(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(' ').filter((s) => s.length > 0))];
}

function byPriority<T extends { priority?: number }>(items: T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => (a.item.priority ?? Number.MAX_SAFE_INTEGER) - (b.item.priority ?? Number.MAX_SAFE_INTEGER) || a.index - b.index)
    .map((x) => x.item);
}

function peopleMatch(rule: RuleLike, user: { id: string; groupIds: string[] }): boolean {
  const people = rule.conditions?.people;
  const groups = new Set([...user.groupIds, 'EVERYONE']);
  if (people?.users?.exclude?.includes(user.id)) return false;
  if (people?.groups?.exclude?.some((g) => groups.has(g))) return false;
  if (people?.users?.include?.includes(user.id)) return true;
  return people?.groups?.include?.some((g) => groups.has(g)) ?? false;
}

function lifetimes(rule: RuleLike): TokenLifetimes {
  const t = rule.actions?.token;
  return {
    accessTokenLifetimeMinutes: t?.accessTokenLifetimeMinutes ?? 60,
    refreshTokenLifetimeMinutes: t?.refreshTokenLifetimeMinutes ?? 0,
    refreshTokenWindowMinutes: t?.refreshTokenWindowMinutes ?? 10080,
  };
}

export function evaluatePolicy(req: PolicyRequest): PolicyDecision {
  let requested = [...new Set(req.requestedScopes)];
  const defaults = requested.length === 0;
  if (defaults) {
    requested = req.scopes.filter((s) => s.default === true).map((s) => s.name);
    if (requested.length === 0) return { ok: false, error: 'invalid_scope', error_description: NO_DEFAULT_SCOPES };
  }
  const known = new Set(req.scopes.map((s) => s.name));
  if (requested.some((s) => !known.has(s) && !OIDC_SCOPE_SET.has(s))) {
    return { ok: false, error: 'invalid_scope', error_description: SCOPES_NOT_CONFIGURED };
  }
  if (req.grantType === 'client_credentials' && requested.some((s) => OIDC_SCOPE_SET.has(s))) {
    return { ok: false, error: 'invalid_scope', error_description: CC_OIDC_SCOPES };
  }
  const userGrant = USER_GRANTS.has(req.grantType);
  if (userGrant && !req.user) return { ok: false, error: 'access_denied', error_description: POLICY_FAILED };

  const applicable = byPriority(
    req.policies.filter(
      (p) => p.policy.status === 'ACTIVE' && (p.policy.conditions?.clients?.include ?? []).some((c) => c === 'ALL_CLIENTS' || c === req.clientId),
    ).map((p) => ({ ...p, priority: p.policy.priority })),
  );
  for (const { policy, rules } of applicable) {
    for (const rule of byPriority(rules.filter((r) => r.status === 'ACTIVE'))) {
      if (!(rule.conditions?.grantTypes?.include ?? []).includes(req.grantType)) continue;
      if (userGrant && req.user && !peopleMatch(rule, req.user)) continue;
      const allowed = rule.conditions?.scopes?.include ?? [];
      const granted = allowed.includes('*') ? requested : requested.filter((s) => allowed.includes(s));
      if (defaults ? granted.length === 0 : granted.length < requested.length) continue;
      return { ok: true, policyId: policy.id, ruleId: rule.id, grantedScopes: granted, ...lifetimes(rule) };
    }
  }
  return { ok: false, error: 'access_denied', error_description: POLICY_FAILED };
}
