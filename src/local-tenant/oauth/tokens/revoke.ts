/**
 * Revokes every token of a client or of a user, and drops their unused authorization codes, as an org does when
 * the client app is deactivated (deactivateApplication,
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Application/) or the user is
 * (deactivateUser, https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserLifecycle/):
 * their tokens then introspect as `{"active": false}` ("Revoked tokens are considered inactive at the
 * introspection endpoint", https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/orgas/revoke).
 * The API reference does not spell the revocation out; it is what orgs do. Choice where it is silent: the tokens
 * stay revoked when the client or the user is activated again (revoked, not suspended).
 */
import { oauthData } from '../state.js';
import type { TenantState } from '../../types.js';

export function revokeTokensOf(state: TenantState, who: { clientId: string } | { userId: string }): void {
  const data = oauthData(state.oauth);
  const mine = (r: { clientId: string; userId?: string }) => ('clientId' in who ? r.clientId === who.clientId : r.userId === who.userId);
  for (const t of Object.values(data.accessTokens)) if (mine(t)) t.revoked = true;
  for (const r of Object.values(data.refreshTokens)) if (mine(r)) r.revoked = true;
  for (const [k, c] of Object.entries(data.codes)) if (mine(c)) delete data.codes[k];
}
