/**
 * `grant_type=authorization_code` (https://developer.okta.com/docs/guides/implement-grant-type/authcodepkce/main/):
 * exchanges a code from /authorize, checking its client, server, redirect URI and PKCE verifier.
 *
 * Choice where Okta's docs are silent: the code is taken (deleted) before anything is checked, so a code is good for
 * one exchange whatever happens next; a reused code just fails.
 */
import { oauthError } from '../../../errors.js';
import { activeUser } from '../../access.js';
import { verifyPkce } from '../../pkce.js';
import { has } from '../../provider.js';
import { sha256 } from '../../state.js';
import { userTokens } from '../../tokens/mint.js';
import type { Grant } from './grant.js';

export const INVALID_CODE = 'The authorization code is invalid or has expired.';
const PKCE_FAILED = 'PKCE verification failed.';

export const authorizationCode: Grant = async (p, { server, app, form }) => {
  const code = form.code;
  if (!code) throw oauthError(400, 'invalid_request', "The 'code' parameter is required.");
  const now = p.nowSec();
  const hash = sha256(code);
  const rec = await p.mutate((data) => {
    const r = has(data.codes, hash);
    if (r) delete data.codes[hash];
    return r;
  });
  if (!rec || rec.expiresAt <= now || rec.clientId !== app.id || rec.serverId !== server.id) throw oauthError(400, 'invalid_grant', INVALID_CODE);
  if (form.redirect_uri !== rec.redirectUri) {
    throw oauthError(400, 'invalid_grant', "The 'redirect_uri' does not match the redirection URI used in the authorization request.");
  }
  const verifier = form.code_verifier;
  const pkceOk = rec.codeChallenge !== undefined ? !!verifier && verifyPkce(rec.codeChallenge, verifier) : verifier === undefined;
  if (!pkceOk) throw oauthError(400, 'invalid_grant', PKCE_FAILED);
  const user = activeUser(p.store.read(), rec.userId);
  if (!user) throw oauthError(400, 'invalid_grant', INVALID_CODE);
  return userTokens(p, server, app, user, rec.scopes, rec.lifetimes, {
    grantType: 'authorization_code',
    authTime: rec.authTime,
    ...(rec.nonce !== undefined ? { nonce: rec.nonce } : {}),
  });
};
