/**
 * The common start of /introspect and /revoke: the server, the authenticated client
 * (https://developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth/) and the required `token` parameter.
 */
import type { AppRecord, AuthServerRecord, TenantState } from '../../types.js';
import { oauthError } from '../../errors.js';
import { authenticateClient, type Form } from '../client-auth.js';
import type { OAuthProvider } from '../provider.js';

export interface PresentedToken {
  state: TenantState;
  server: AuthServerRecord;
  app: AppRecord;
  token: string;
}

export function presentedToken(p: OAuthProvider, serverId: string, form: Form, authorization: string | undefined, query: Form): PresentedToken {
  const state = p.store.read();
  const server = p.server(state, serverId);
  const app = authenticateClient(state, authorization, form, query);
  const token = form.token;
  if (!token) throw oauthError(400, 'invalid_request', 'The `token` parameter is required.');
  return { state, server, app, token };
}
