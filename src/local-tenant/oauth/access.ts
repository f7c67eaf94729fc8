/**
 * Who may get what: finding a user by login, the user's groups, whether the user is assigned to the client,
 * and the access-policy decision (policy.ts) for one request of one client.
 *
 * Assignment: a user is assigned when one of the app's group assignments holds one of the user's groups, the
 * Everyone group included (https://developer.okta.com/docs/guides/customize-authz-server/main/#create-access-policies
 * and https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationGroups/). Individual
 * user assignments are not modelled by the local tenant.
 */
import type { AppRecord, AuthServerRecord, TenantState, UserRecord } from '../types.js';
import { evaluatePolicy, type PolicyDecision } from './policy.js';
import { has } from './provider.js';

/** The text Okta shows when the user is not assigned to the client. */
export const NOT_ASSIGNED = 'User is not assigned to the client application.';

export function userGroups(state: TenantState, user: UserRecord): string[] {
  return [...new Set([...user.groupIds, state.everyoneGroupId])];
}

export function isAssigned(state: TenantState, app: AppRecord, user: UserRecord): boolean {
  return userGroups(state, user).some((g) => has(app.groupAssignments, g) !== undefined);
}

/** The user `userId` when ACTIVE. */
export function activeUser(state: TenantState, userId: string): UserRecord | undefined {
  const u = has(state.users, userId);
  return u && u.status === 'ACTIVE' ? u : undefined;
}

/** The user signing in as `username` (https://developer.okta.com/docs/reference/api/authn/#primary-authentication):
 *  by full login, case-insensitive. Choice where Okta's docs are silent: the part before `@` is accepted too when
 *  exactly one user has it (Okta orgs can allow short names at sign-in; ambiguity signs nobody in). */
export function findUserByLogin(state: TenantState, username: string): UserRecord | undefined {
  const u = username.toLowerCase();
  const users = Object.values(state.users);
  const exact = users.find((x) => x.profile.login.toLowerCase() === u);
  if (exact) return exact;
  const short = users.filter((x) => x.profile.login.toLowerCase().split('@')[0] === u);
  return short.length === 1 ? short[0] : undefined;
}

export function profileName(user: UserRecord): string {
  return [user.profile.firstName, user.profile.lastName].filter((x) => typeof x === 'string' && x.length > 0).join(' ');
}

/** The server's access-policy decision for `app` asking `scopes` with `grantType`, for `user` on user grants. */
export function decide(state: TenantState, server: AuthServerRecord, app: AppRecord, grantType: string, user: UserRecord | undefined, scopes: string[]): PolicyDecision {
  return evaluatePolicy({
    policies: Object.values(server.policies).map((p) => ({ policy: p, rules: Object.values(p.rules) })),
    scopes: Object.values(server.scopes),
    clientId: app.id,
    grantType,
    ...(user ? { user: { id: user.id, groupIds: userGroups(state, user) } } : {}),
    requestedScopes: scopes,
  });
}
