/**
 * `grant_type=client_credentials` (https://developer.okta.com/docs/guides/implement-grant-type/clientcreds/main/):
 * an access token for the client itself (`sub` = client id, no user claims), no refresh or ID token.
 */
import { oauthError } from '../../../errors.js';
import { decide } from '../../access.js';
import { clientCredentialsConsent } from '../../consent.js';
import { parseScopeParam } from '../../policy.js';
import { json } from '../../provider.js';
import { issueAccessToken } from '../../tokens/mint.js';
import type { Grant } from './grant.js';

export const clientCredentials: Grant = async (p, { state, server, app, form }) => {
  if (app.tokenEndpointAuthMethod === 'none') throw oauthError(400, 'invalid_client', 'Public clients cannot use the client_credentials grant.');
  const decision = decide(state, server, app, 'client_credentials', undefined, parseScopeParam(form.scope));
  if (!decision.ok) throw oauthError(400, decision.error, decision.error_description);
  // A scope that requires user consent cannot be granted without a user (consent.ts)
  const consent = clientCredentialsConsent(server, decision.grantedScopes);
  if (consent) throw oauthError(400, consent.error, consent.error_description);
  const at = await issueAccessToken(p, server, app, undefined, decision.grantedScopes, decision, undefined);
  return json({ token_type: 'Bearer', expires_in: decision.accessTokenLifetimeMinutes * 60, access_token: at.token, scope: decision.grantedScopes.join(' ') });
};
