/**
 * Groups 1–3 of verify: the authorization server, the introspection credentials, and the audit of the
 * configuration the runs created. The org is read once (snapshot.ts); each check is a pure function of that
 * snapshot and the values (checks/), registered below with its id, group, title and the checks it needs.
 * A check whose prerequisite did not pass is skipped with the reason given here.
 */
import type { JSONWebKeySet } from 'jose';
import { authServerActive, authServerKeys, authServerMetadata } from './checks/authserver.js';
import { policyApplies, ruleFits, ruleOrder, scopeExists, userInGroup } from './checks/audit.js';
import { clientAssigned, clientRedirectUri, trustedOrigin } from './checks/client.js';
import { introspectionCredentials } from './checks/introspection.js';
import type { VerifyContext } from './context.js';
import { readOrg, type OrgSnapshot } from './snapshot.js';
import type { CheckResult, GroupNumber, Verdict } from './types.js';
import { LEVELS, requestedScopes as scopesOf, type Level, type VerifyValues } from './values.js';

export interface Need {
  /** A check registered earlier in the table. */
  readonly id: string;
  /** The skip detail when it did not pass. */
  readonly because: string;
}

export interface OrgCheck {
  readonly id: string;
  readonly group: GroupNumber;
  readonly title: string;
  readonly needs: readonly Need[];
  readonly run: (snapshot: OrgSnapshot, values: VerifyValues) => Verdict;
}

const SERVER: Need = { id: 'authserver.active', because: 'the authorization server is missing or not ACTIVE (authserver.active)' };
const POLICY: Need = { id: 'audit.policy', because: 'no ACTIVE access policy that includes AUTHN_CLIENT_ID to read rules from (audit.policy)' };

const perLevel = (make: (lv: Level) => OrgCheck): OrgCheck[] => LEVELS.map(make);

/** Every org check, in the order they are reported. */
export const ORG_CHECKS: readonly OrgCheck[] = [
  { id: 'authserver.active', group: 1, title: 'the authorization server exists and is ACTIVE', needs: [], run: authServerActive },
  { id: 'authserver.metadata', group: 1, title: 'metadata is served and its issuer is OKTA_AZ_SERVER_ISSUER', needs: [SERVER], run: authServerMetadata },
  { id: 'authserver.keys', group: 1, title: '/v1/keys serves usable signing keys', needs: [SERVER], run: authServerKeys },
  { id: 'introspection.credentials', group: 2, title: 'the introspection client works at TOKEN_INTROSPECTION_URL (dummy token → 200 {"active":false})', needs: [], run: introspectionCredentials },
  ...perLevel((lv) => ({ id: `audit.scope.${lv}`, group: 3, title: `the ${lv} scope exists`, needs: [SERVER], run: scopeExists(lv) })),
  ...perLevel((lv) => ({ id: `audit.user.${lv}`, group: 3, title: `the ${lv} user is ACTIVE and in the ${lv} group`, needs: [], run: userInGroup(lv) })),
  { id: 'audit.policy', group: 3, title: 'the access policy is ACTIVE and includes AUTHN_CLIENT_ID', needs: [SERVER], run: policyApplies },
  ...perLevel((lv) => ({ id: `audit.rule.${lv}`, group: 3, title: `the ${lv} rule is ACTIVE with the ${lv} group, authorization_code and its scopes`, needs: [POLICY], run: ruleFits(lv) })),
  { id: 'audit.rule.order', group: 3, title: "Okta's policy evaluation gives each user a rule that allows all their scopes", needs: [POLICY], run: ruleOrder },
  { id: 'audit.assignment', group: 3, title: "the AUTHN client is assigned to the users' groups (or Everyone)", needs: [], run: clientAssigned },
  { id: 'audit.redirect_uri', group: 3, title: "REDIRECT_URI is among the AUTHN client's redirect URIs", needs: [], run: clientRedirectUri },
  { id: 'audit.trusted_origin', group: 3, title: "REDIRECT_URI's origin is a trusted origin", needs: [], run: trustedOrigin },
];

/** Runs the table in order on one snapshot. */
export function runOrgChecks(snapshot: OrgSnapshot, values: VerifyValues, table: readonly OrgCheck[] = ORG_CHECKS): CheckResult[] {
  const done = new Map<string, CheckResult>();
  for (const c of table) {
    const unmet = c.needs.find((n) => done.get(n.id)?.status !== 'pass');
    const verdict: Verdict = unmet ? { status: 'skip', detail: unmet.because } : c.run(snapshot, values);
    done.set(c.id, { id: c.id, group: c.group, title: c.title, ...verdict });
  }
  return [...done.values()];
}

/** Reads the org, runs the org checks, and leaves in the context what the live checks use. */
export async function orgChecks(ctx: VerifyContext): Promise<CheckResult[]> {
  const snapshot = await readOrg({ api: ctx.api, fetch: ctx.fetch, orgUrl: ctx.orgUrl, values: ctx.values });
  const results = runOrgChecks(snapshot, ctx.values);
  const passed = (id: string) => results.some((r) => r.id === id && r.status === 'pass');
  if (snapshot.server) {
    const { audiences, ...server } = snapshot.server;
    ctx.server = { ...server, ...(audiences ? { audiences: [...audiences] } : {}) };
  }
  if (snapshot.metadata?.document) ctx.metadata = snapshot.metadata.document;
  if (passed('authserver.keys') && snapshot.keys?.keys) {
    const jwks: JSONWebKeySet = { keys: snapshot.keys.keys.map((k) => ({ ...k.jwk })) };
    ctx.jwks = jwks;
  }
  return results;
}

/** The scopes a level's user asks for (the live checks ask for the same). */
export function requestedScopes(ctx: Pick<VerifyContext, 'values'>, level: Level): string[] {
  return scopesOf(ctx.values, level);
}
