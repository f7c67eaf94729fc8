/**
 * Client authentication at /token, /introspect and /revoke
 * (https://developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth/): `client_secret_basic` (HTTP Basic,
 * with the form-encoding of https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1 inside) and `client_secret_post` (body `client_id` + `client_secret`), plus
 * public clients (`token_endpoint_auth_method: none`) that send only `client_id`.
 *
 * Choices:
 * - A confidential client may use either secret method, whatever its registered `token_endpoint_auth_method`
 *   (`client_secret_basic` or `client_secret_post`): tools differ in what they send, and both must work.
 * - `client_assertion` (client_secret_jwt / private_key_jwt) is not supported: 401 invalid_client.
 * - Unknown or INACTIVE client: 401 invalid_client "Invalid value for 'client_id' parameter." (Okta's text).
 */
import { timingSafeEqual } from 'node:crypto';
import { oauthError } from '../errors.js';
import type { AppRecord, TenantState } from '../types.js';

export const NO_CREDENTIALS = 'No client credentials found';
export const MULTIPLE_CREDENTIALS =
  "Cannot supply multiple client credentials. Use one of the following: credentials in the Authorization header, credentials in the post body, or a client_assertion in the post body.";
export const BAD_CLIENT_ID = "Invalid value for 'client_id' parameter.";
export const BAD_SECRET = 'The client secret supplied for a confidential client is invalid.';
export const AUTH_FAILED = 'Client authentication failed. Either the client or the client credentials are invalid.';

export type Form = Record<string, string | undefined>;

function formDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}

/** Parses `Authorization: Basic base64(id:secret)`; undefined when absent or not Basic; null when malformed. */
export function parseBasic(header: string | undefined): { id: string; secret: string } | null | undefined {
  if (!header || !/^basic /i.test(header)) return undefined;
  const raw = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = raw.indexOf(':');
  if (colon < 0) return null;
  try {
    return { id: formDecode(raw.slice(0, colon)), secret: formDecode(raw.slice(colon + 1)) };
  } catch {
    return null;
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Returns the authenticated client or throws the OAuth error Okta answers with. */
export function authenticateClient(state: TenantState, authorization: string | undefined, form: Form, query: Form = {}): AppRecord {
  const basic = parseBasic(authorization);
  const post = form.client_secret !== undefined;
  const assertion = form.client_assertion !== undefined;
  const kinds = [basic !== undefined, post, assertion].filter(Boolean).length;
  if (kinds > 1) throw oauthError(400, 'invalid_request', MULTIPLE_CREDENTIALS);
  if (assertion) throw oauthError(401, 'invalid_client', 'client_assertion authentication is not supported by the local tenant.');

  const lookup = (id: string): AppRecord => {
    const app = Object.prototype.hasOwnProperty.call(state.apps, id) ? state.apps[id] : undefined;
    if (!app || app.status !== 'ACTIVE') throw oauthError(401, 'invalid_client', BAD_CLIENT_ID);
    return app;
  };
  const checkSecret = (app: AppRecord, secret: string): AppRecord => {
    if (app.tokenEndpointAuthMethod === 'none' || !app.clientSecret) throw oauthError(401, 'invalid_client', AUTH_FAILED);
    if (!sameSecret(app.clientSecret, secret)) throw oauthError(401, 'invalid_client', BAD_SECRET);
    return app;
  };

  if (basic === null) throw oauthError(401, 'invalid_client', AUTH_FAILED);
  if (basic) {
    if (form.client_id !== undefined && form.client_id !== basic.id) throw oauthError(401, 'invalid_client', AUTH_FAILED);
    return checkSecret(lookup(basic.id), basic.secret);
  }
  const clientId = form.client_id ?? query.client_id;
  if (clientId === undefined || clientId === '') throw oauthError(401, 'invalid_client', NO_CREDENTIALS);
  const app = lookup(clientId);
  if (post) return checkSecret(app, form.client_secret ?? '');
  if (app.tokenEndpointAuthMethod !== 'none') throw oauthError(401, 'invalid_client', AUTH_FAILED);
  return app;
}
