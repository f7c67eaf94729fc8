/**
 * The tool's one model of how Okta picks the access policy and the rule of a custom authorization server for a
 * token request. Every check that reasons about "which rule answers for this user and these scopes" uses it;
 * nothing else in the tool matches policies or rules. (The local tenant has its own, separate implementation on
 * purpose: the tool must not share code with the emulator that judges it.)
 *
 * Okta's documentation (https://developer.okta.com/docs/guides/configure-access-policy/main/ and
 * https://help.okta.com/en-us/Content/Topics/security/api-config-access-policies.htm): "Okta evaluates these
 * policies and the rules within the policy in the given priority order. After the first policy and rule match,
 * Okta applies the client request and no further rule or policy processing occurs." A policy applies to the
 * clients it lists, or to every client with `ALL_CLIENTS`. A rule matches on its grant types, its people
 * (users and groups, `EVERYONE` for all) and its scopes (`*` for any).
 *
 * A rule's scope condition matches only when it allows every requested scope; otherwise evaluation goes on to
 * the next rule, then the next policy, and when nothing matches Okta answers `access_denied` "Policy evaluation
 * failed for this request, please check the policy configurations."
 * (https://developer.okta.com/docs/guides/customize-authz-server/main/#create-rules-for-each-access-policy:
 * "once a matching rule is found no other rules are evaluated. If no matching rule is found, then the
 * authorization request fails"; Okta support, "Tokens not issued with lifetime configured in access rule for
 * custom authorization server").
 *
 * Where the docs are silent, the choices are:
 * - a rule's people condition matches when the user is included (by id or through a group) and not excluded;
 *   exclusion wins;
 * - equal priorities keep the order Okta listed them in; a missing priority sorts last (Okta itself stores
 *   contiguous priorities, so ties only come from hand-built data).
 */

export const ALL_CLIENTS = 'ALL_CLIENTS';
export const EVERYONE = 'EVERYONE';
export const ANY_SCOPE = '*';

interface Include {
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
}

export interface AccessPolicy {
  readonly id: string;
  readonly name?: string;
  readonly status?: string;
  readonly priority?: number;
  readonly conditions?: { readonly clients?: { readonly include?: readonly string[] } };
}

export interface AccessRule {
  readonly id: string;
  readonly name?: string;
  readonly status?: string;
  readonly priority?: number;
  readonly conditions?: {
    readonly people?: { readonly groups?: Include; readonly users?: Include };
    readonly grantTypes?: { readonly include?: readonly string[] };
    readonly scopes?: { readonly include?: readonly string[] };
  };
}

/** Who asks: a user and the ids of the groups they are in. */
export interface Subject {
  readonly userId: string;
  readonly groupIds: readonly string[];
}

/** What is asked: a grant type and the scopes of the request. */
export interface TokenRequest {
  readonly grantType: string;
  readonly scopes: readonly string[];
}

/** Lowest priority number first; equal or missing priorities keep their listed order. */
export function byPriority<T extends { readonly priority?: number }>(xs: readonly T[]): T[] {
  return xs
    .map((x, i) => ({ x, i }))
    .sort((a, b) => (a.x.priority ?? Number.MAX_SAFE_INTEGER) - (b.x.priority ?? Number.MAX_SAFE_INTEGER) || a.i - b.i)
    .map((p) => p.x);
}

export const policyClients = (p: AccessPolicy): readonly string[] => p.conditions?.clients?.include ?? [];

/** The policy applies to this client: it lists the client, or ALL_CLIENTS. */
export function policyIncludesClient(p: AccessPolicy, clientId: string): boolean {
  const include = policyClients(p);
  return include.includes(clientId) || include.includes(ALL_CLIENTS);
}

/** The policy the runs created: the recorded id first, else the policy that names the client. */
export function findPolicy<P extends AccessPolicy>(policies: readonly P[], ref: { id?: string; clientId?: string }): P | undefined {
  const { id, clientId } = ref;
  return (id !== undefined ? policies.find((p) => p.id === id) : undefined) ?? (clientId !== undefined ? policies.find((p) => policyClients(p).includes(clientId)) : undefined);
}

export const ruleGroups = (r: AccessRule): readonly string[] => r.conditions?.people?.groups?.include ?? [];
export const ruleGrantTypes = (r: AccessRule): readonly string[] => r.conditions?.grantTypes?.include ?? [];
export const ruleScopes = (r: AccessRule): readonly string[] => r.conditions?.scopes?.include ?? [];

/** The rule's people condition names this group, or EVERYONE. */
export function ruleIncludesGroup(r: AccessRule, groupId: string): boolean {
  const groups = ruleGroups(r);
  return groups.includes(groupId) || groups.includes(EVERYONE);
}

/** The requested scopes the rule does not allow. */
export function scopesNotAllowed(r: AccessRule, requested: readonly string[]): string[] {
  const allowed = ruleScopes(r);
  return allowed.includes(ANY_SCOPE) ? [] : requested.filter((s) => !allowed.includes(s));
}

function peopleMatch(r: AccessRule, who: Subject): boolean {
  const people = r.conditions?.people;
  const groups = new Set([...who.groupIds, EVERYONE]);
  if (people?.users?.exclude?.includes(who.userId) || people?.groups?.exclude?.some((g) => groups.has(g))) return false;
  return Boolean(people?.users?.include?.includes(who.userId) || people?.groups?.include?.some((g) => groups.has(g)));
}

/** The rule's conditions (grant type, people, every requested scope) match the request; its status is not looked at. */
export function ruleMatches(r: AccessRule, who: Subject, req: TokenRequest): boolean {
  if (!ruleGrantTypes(r).includes(req.grantType)) return false;
  if (!peopleMatch(r, who)) return false;
  return scopesNotAllowed(r, req.scopes).length === 0;
}

/** The rule Okta applies within a policy: the first ACTIVE rule, by priority, whose conditions match. */
export function applicableRule<R extends AccessRule>(rules: readonly R[], who: Subject, req: TokenRequest): R | undefined {
  return byPriority(rules.filter((r) => r.status === 'ACTIVE')).find((r) => ruleMatches(r, who, req));
}

/** What Okta decides for one token request: the policy and rule that answer, or none (`access_denied`). */
export interface Decision<P extends AccessPolicy, R extends AccessRule> {
  readonly policy: P;
  readonly rule: R;
}

/**
 * Okta's evaluation over every policy of the server: the ACTIVE policies that apply to the client, by priority,
 * and in each the first ACTIVE rule that matches; a policy with no matching rule passes on to the next one.
 */
export function decide<P extends AccessPolicy, R extends AccessRule>(
  reads: readonly { readonly policy: P; readonly rules: readonly R[] }[],
  clientId: string,
  who: Subject,
  req: TokenRequest,
): Decision<P, R> | undefined {
  const applicable = reads.filter((r) => r.policy.status === 'ACTIVE' && policyIncludesClient(r.policy, clientId));
  for (const read of byPriority(applicable.map((r) => ({ ...r, priority: r.policy.priority })))) {
    const rule = applicableRule(read.rules, who, req);
    if (rule) return { policy: read.policy, rule };
  }
  return undefined;
}
