/**
 * `GET /oauth2/{authServerId}/.well-known/oauth-authorization-server` and `.../openid-configuration`
 * (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/customas/getwellknownoauthconfigurationcustomas,
 * https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/customas/getwellknownopenidconfigurationcustomas).
 * Only what the local tenant implements is advertised (no `okta_post_message`, no JWT client authentication).
 */
import { OktaHttpError } from '../../errors.js';
import { newErrorId } from '../../ids.js';
import type { Form } from '../client-auth.js';
import { OIDC_SCOPES } from '../policy.js';
import { has, type OAuthProvider, type OAuthResult } from '../provider.js';

export type MetadataKind = 'oauth-authorization-server' | 'openid-configuration';

export function discovery(p: OAuthProvider, serverId: string, kind: MetadataKind, query: Form = {}): OAuthResult {
  const state = p.store.read();
  const server = p.server(state, serverId);
  if (query.client_id !== undefined && has(state.apps, query.client_id) === undefined) {
    // The spec's 400 here is Okta's error object, not an OAuth error.
    throw new OktaHttpError(400, {
      errorCode: 'invalid_client',
      errorSummary: "Invalid value for 'client_id' parameter.",
      errorLink: 'invalid_client',
      errorId: newErrorId(),
      errorCauses: [],
    });
  }
  const iss = p.issuer(server);
  const published = Object.values(server.scopes).filter((s) => s.metadataPublish === 'ALL_CLIENTS').map((s) => s.name);
  const body: Record<string, unknown> = {
    issuer: iss,
    authorization_endpoint: `${iss}/v1/authorize`,
    token_endpoint: `${iss}/v1/token`,
    registration_endpoint: `${p.orgUrl()}/oauth2/v1/clients`,
    jwks_uri: `${iss}/v1/keys`,
    response_types_supported: ['code', 'token', 'id_token', 'code id_token', 'code token', 'id_token token', 'code id_token token'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'password', 'client_credentials'],
    subject_types_supported: ['public'],
    scopes_supported: [...new Set([...OIDC_SCOPES, ...published])],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    claims_supported: ['ver', 'jti', 'iss', 'aud', 'iat', 'exp', 'cid', 'uid', 'scp', 'sub', 'auth_time', 'nonce', 'amr', 'name', 'preferred_username', 'email', 'email_verified', 'at_hash', 'c_hash'],
    code_challenge_methods_supported: ['S256'],
    introspection_endpoint: `${iss}/v1/introspect`,
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint: `${iss}/v1/revoke`,
    end_session_endpoint: `${iss}/v1/logout`,
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    request_parameter_supported: false,
  };
  if (kind === 'openid-configuration') {
    body.userinfo_endpoint = `${iss}/v1/userinfo`;
    body.id_token_signing_alg_values_supported = ['RS256'];
  }
  return { status: 200, headers: {}, body };
}
