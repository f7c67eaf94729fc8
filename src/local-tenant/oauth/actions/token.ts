/**
 * `POST /oauth2/{authServerId}/v1/token`
 * (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/#tag/CustomAS/operation/tokenCustomAS):
 * authenticates the client (https://developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth/), checks
 * the grant type, and hands the request to the grant's module (grants/index.ts).
 */
import { oauthError } from '../../errors.js';
import { authenticateClient, type Form } from '../client-auth.js';
import type { OAuthProvider, OAuthResult } from '../provider.js';
import { grantFor } from './grants/index.js';

export async function token(p: OAuthProvider, serverId: string, form: Form, authorization: string | undefined): Promise<OAuthResult> {
  const state = p.store.read();
  const server = p.server(state, serverId);
  const app = authenticateClient(state, authorization, form);
  const grantType = form.grant_type;
  if (!grantType) throw oauthError(400, 'invalid_request', "The 'grant_type' parameter is required.");
  const grant = grantFor(grantType);
  if (!grant) {
    throw oauthError(400, 'unsupported_grant_type', `The authorization grant type is not supported by the authorization server: '${grantType}'.`);
  }
  if (!app.grantTypes.includes(grantType)) {
    throw oauthError(400, 'unauthorized_client', `The client is not authorized to use the provided grant type. Configured grant types: [${app.grantTypes.join(', ')}].`);
  }
  return grant(p, { state, server, app, form });
}
