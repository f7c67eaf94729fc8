/**
 * `grant_type=refresh_token` (https://developer.okta.com/docs/guides/refresh-tokens/main/): `scope`, when given,
 * must be a subset of the original grant's.
 *
 * Choice where Okta's docs are silent: a refresh re-evaluates the policy as the original grant type, with the
 * user's current groups and assignment, and may narrow (never widen) the scopes.
 */
import { oauthError } from '../../../errors.js';
import { activeUser, decide, isAssigned } from '../../access.js';
import { parseScopeParam } from '../../policy.js';
import { has } from '../../provider.js';
import { isRefreshActive, sha256 } from '../../state.js';
import { userTokens } from '../../tokens/mint.js';
import type { Grant } from './grant.js';

export const INVALID_REFRESH = 'The refresh token is invalid or expired.';

export const refreshToken: Grant = async (p, { server, app, form }) => {
  const token = form.refresh_token;
  if (!token) throw oauthError(400, 'invalid_request', "The 'refresh_token' parameter is required.");
  const hash = sha256(token);
  const state = p.store.read();
  const now = p.nowSec();
  const rec = has(p.data(state).refreshTokens, hash);
  if (!rec || !isRefreshActive(rec, now) || rec.clientId !== app.id || rec.serverId !== server.id) throw oauthError(400, 'invalid_grant', INVALID_REFRESH);
  const user = activeUser(state, rec.userId);
  if (!user || !isAssigned(state, app, user)) throw oauthError(400, 'invalid_grant', INVALID_REFRESH);
  const asked = form.scope !== undefined ? parseScopeParam(form.scope) : rec.scopes;
  if (asked.some((s) => !rec.scopes.includes(s))) {
    throw oauthError(400, 'invalid_scope', 'The requested scope is invalid, unknown, or malformed.');
  }
  const decision = decide(state, server, app, rec.grantType, user, asked);
  if (!decision.ok) throw oauthError(400, decision.error, decision.error_description);
  await p.mutate((data) => {
    const r = has(data.refreshTokens, hash);
    if (r) r.lastUsed = now;
  });
  return userTokens(p, server, app, user, decision.grantedScopes, decision, {
    grantType: rec.grantType,
    authTime: rec.authTime,
    refresh: { token, hash },
  });
};
