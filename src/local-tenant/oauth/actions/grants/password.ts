/**
 * `grant_type=password` (https://developer.okta.com/docs/guides/implement-grant-type/ropassword/main/): the user's
 * login and password at /token. An unassigned user gets `access_denied` "User is not assigned to the client
 * application." (the text Okta shows).
 */
import { oauthError } from '../../../errors.js';
import { verifyUserPassword } from '../../../password.js';
import { decide, findUserByLogin, isAssigned, NOT_ASSIGNED } from '../../access.js';
import { parseScopeParam } from '../../policy.js';
import { userTokens } from '../../tokens/mint.js';
import type { Grant } from './grant.js';

export const password: Grant = async (p, { state, server, app, form }) => {
  const user = form.username ? findUserByLogin(state, form.username) : undefined;
  const ok = !!user && user.status === 'ACTIVE' && (await verifyUserPassword(user, form.password ?? ''));
  if (!user || !ok) throw oauthError(400, 'invalid_grant', 'The credentials provided were invalid.');
  if (!isAssigned(state, app, user)) throw oauthError(400, 'access_denied', NOT_ASSIGNED);
  const decision = decide(state, server, app, 'password', user, parseScopeParam(form.scope));
  if (!decision.ok) throw oauthError(400, decision.error, decision.error_description);
  return userTokens(p, server, app, user, decision.grantedScopes, decision, { grantType: 'password', authTime: p.nowSec() });
};
