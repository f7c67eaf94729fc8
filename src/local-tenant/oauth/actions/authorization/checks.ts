/**
 * The checks of `/authorize`
 * (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/#tag/CustomAS/operation/authorizeCustomAS),
 * in the order they run. Each is a small named function that returns the refusal Okta sends (`error` and
 * `error_description`, redirected to the client) or nothing. The first refusal wins.
 *
 * Two checks come first and are not redirected, because the redirect URI is not trusted yet: an unknown or
 * INACTIVE client, and a redirect URI that is not one of the client's (400 with the OAuth error body).
 *
 * Choices where Okta's docs are silent:
 * - `state` is required (the spec marks it so); `nonce` is required when an ID token is returned from /authorize.
 * - Response modes `query`, `fragment` and `form_post` are supported (`okta_post_message` is not).
 * - PKCE is required when the client is public (`token_endpoint_auth_method: none`); S256 only
 *   (https://developer.okta.com/docs/guides/implement-grant-type/authcodepkce/main/).
 * - Who signs in is settled between the request checks and the sign-in checks (session.ts): a one-time
 *   `sessionToken` from `POST /api/v1/authn`, else the Okta session cookie, else the hosted sign-in page.
 * - `prompt`: `none`, `login`, `consent` and `login consent` (either order) are supported; `none` cannot be combined;
 *   `enroll_authenticator` is not supported (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/#tag/CustomAS/operation/authorizeCustomAS).
 *   `max_age` must be a non-negative integer of seconds.
 * - A user who is not assigned to the client gets `access_denied` "User is not assigned to the client application."
 */
import { oauthError } from '../../../errors.js';
import type { AppRecord, AuthServerRecord, TenantState, UserRecord } from '../../../types.js';
import { isAssigned, NOT_ASSIGNED } from '../../access.js';
import type { Form } from '../../client-auth.js';
import { isValidChallenge, pkceRequired } from '../../pkce.js';
import { parseScopeParam, POLICY_FAILED, type PolicyDecision } from '../../policy.js';
import { has } from '../../provider.js';
import { RESPONSE_MODES } from './respond.js';

/** A refusal of /authorize, sent to the client's redirect URI. */
export interface Refusal {
  error: string;
  description: string;
}

export const refuse = (error: string, description: string): Refusal => ({ error, description });

const RESPONSE_TYPES: readonly string[] = ['code', 'token', 'id_token'];
const PROMPTS: readonly string[] = ['none', 'login', 'consent'];

// -------------------------------------------------------------------------------------------------------------
// Before the redirect URI is trusted: thrown, not redirected.
// -------------------------------------------------------------------------------------------------------------

/** The ACTIVE client named by `client_id`, or 400 invalid_client. */
export function clientOf(state: TenantState, params: Form): AppRecord {
  const clientId = params.client_id;
  const app = clientId ? has(state.apps, clientId) : undefined;
  if (!app || app.status !== 'ACTIVE') throw oauthError(400, 'invalid_client', "Invalid value for 'client_id' parameter.");
  return app;
}

/** `redirect_uri` when it is one of the client's, or 400 invalid_request. */
export function registeredRedirectUri(app: AppRecord, params: Form): string {
  const redirectUri = params.redirect_uri;
  if (!redirectUri || !app.redirectUris.includes(redirectUri)) {
    throw oauthError(400, 'invalid_request', "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.");
  }
  return redirectUri;
}

// -------------------------------------------------------------------------------------------------------------
// The request: checked before anything is consumed.
// -------------------------------------------------------------------------------------------------------------

/** The request as the checks read it, for a known client and a registered redirect URI. */
export interface AuthorizeRequest {
  readonly server: AuthServerRecord;
  readonly app: AppRecord;
  readonly params: Form;
  readonly redirectUri: string;
  /** The words of `response_type`. */
  readonly types: ReadonlySet<string>;
  /** A token or an ID token is returned from /authorize (implicit or hybrid flow). */
  readonly implicit: boolean;
  /** `response_mode`, defaulting to fragment (implicit) or query. */
  readonly mode: string;
  readonly scopes: readonly string[];
  /** The words of `prompt`. */
  readonly prompts: ReadonlySet<string>;
}

export type RequestCheck = (req: AuthorizeRequest) => Refusal | undefined;

/** Reads the request's parameters for the checks. */
export function authorizeRequest(server: AuthServerRecord, app: AppRecord, redirectUri: string, params: Form): AuthorizeRequest {
  const types = new Set((params.response_type ?? '').split(' ').filter(Boolean));
  const implicit = types.has('token') || types.has('id_token');
  const mode = params.response_mode ?? (implicit ? 'fragment' : 'query');
  const prompts = new Set((params.prompt ?? '').split(' ').filter(Boolean));
  return { server, app, params, redirectUri, types, implicit, mode, scopes: parseScopeParam(params.scope), prompts };
}

export function responseTypeIsKnown({ types }: AuthorizeRequest): Refusal | undefined {
  if (types.size > 0 && [...types].every((t) => RESPONSE_TYPES.includes(t))) return undefined;
  return refuse('unsupported_response_type', 'The response type is not supported by the authorization server.');
}

export function responseTypeIsConfigured({ types, app }: AuthorizeRequest): Refusal | undefined {
  if ([...types].every((t) => app.responseTypes.includes(t))) return undefined;
  return refuse('unsupported_response_type', `The response type is not supported by the authorization server. Configured response types: [${app.responseTypes.join(', ')}].`);
}

export function grantTypeIsConfigured({ types, implicit, app }: AuthorizeRequest): Refusal | undefined {
  const needed = [...(types.has('code') ? ['authorization_code'] : []), ...(implicit ? ['implicit'] : [])];
  if (needed.every((g) => app.grantTypes.includes(g))) return undefined;
  return refuse('unauthorized_client', `The client is not authorized to use the provided grant type. Configured grant types: [${app.grantTypes.join(', ')}].`);
}

export function responseModeIsSupported({ mode }: AuthorizeRequest): Refusal | undefined {
  return RESPONSE_MODES.includes(mode) ? undefined : refuse('invalid_request', `The 'response_mode' parameter value '${mode}' is not supported.`);
}

export function queryModeHasNoTokens({ mode, implicit }: AuthorizeRequest): Refusal | undefined {
  if (!(mode === 'query' && implicit)) return undefined;
  return refuse('invalid_request', "The 'response_mode' value 'query' is not allowed when the response type contains 'token' or 'id_token'.");
}

export function stateIsGiven({ params }: AuthorizeRequest): Refusal | undefined {
  return params.state ? undefined : refuse('invalid_request', "The 'state' parameter is required for authorize requests.");
}

export function idTokenAsksOpenid({ types, scopes }: AuthorizeRequest): Refusal | undefined {
  if (!types.has('id_token') || scopes.includes('openid')) return undefined;
  return refuse('invalid_scope', "The 'openid' scope must be requested with the 'id_token' response type.");
}

export function idTokenHasNonce({ types, params }: AuthorizeRequest): Refusal | undefined {
  if (!types.has('id_token') || params.nonce) return undefined;
  return refuse('invalid_request', "The 'nonce' parameter is required for authorize requests with either the 'id_token' or 'token' response types.");
}

export function challengeMethodHasChallenge({ params }: AuthorizeRequest): Refusal | undefined {
  if (params.code_challenge_method === undefined || params.code_challenge !== undefined) return undefined;
  return refuse('invalid_request', "The 'code_challenge' parameter is required with 'code_challenge_method'.");
}

export function challengeMethodIsS256({ params }: AuthorizeRequest): Refusal | undefined {
  if (params.code_challenge === undefined || (params.code_challenge_method ?? 'plain') === 'S256') return undefined;
  return refuse('invalid_request', "The 'code_challenge_method' parameter must be 'S256'.");
}

export function challengeIsWellFormed({ params }: AuthorizeRequest): Refusal | undefined {
  if (params.code_challenge === undefined || isValidChallenge(params.code_challenge)) return undefined;
  return refuse('invalid_request', "The 'code_challenge' parameter is invalid.");
}

export function publicClientUsesPkce({ params, types, app }: AuthorizeRequest): Refusal | undefined {
  // pkce_required (true for browser and native apps and public clients, pkce.ts) is enforced here
  if (params.code_challenge !== undefined || !types.has('code') || !pkceRequired(app)) return undefined;
  if (app.tokenEndpointAuthMethod !== 'none') return refuse('invalid_request', 'PKCE code challenge is required by the client.');
  return refuse('invalid_request', "PKCE code challenge is required when the token endpoint authentication method is 'NONE'.");
}

export function promptIsSupported({ prompts }: AuthorizeRequest): Refusal | undefined {
  const words = [...prompts];
  if (words.every((w) => PROMPTS.includes(w)) && !(prompts.has('none') && prompts.size > 1)) return undefined;
  return refuse('invalid_request', `The 'prompt' parameter value '${words.join(' ')}' is not supported.`);
}

export function maxAgeIsValid({ params }: AuthorizeRequest): Refusal | undefined {
  if (params.max_age === undefined || /^\d{1,10}$/.test(params.max_age)) return undefined;
  return refuse('invalid_request', "The 'max_age' parameter must be a non-negative integer.");
}

export const REQUEST_CHECKS: readonly RequestCheck[] = [
  responseTypeIsKnown,
  responseTypeIsConfigured,
  grantTypeIsConfigured,
  responseModeIsSupported,
  queryModeHasNoTokens,
  stateIsGiven,
  // (no scope is no refusal: the policy grants the server's default scopes a rule permits, policy.ts)
  idTokenAsksOpenid,
  idTokenHasNonce,
  challengeMethodHasChallenge,
  challengeMethodIsS256,
  challengeIsWellFormed,
  publicClientUsesPkce,
  promptIsSupported,
  maxAgeIsValid,
];

// -------------------------------------------------------------------------------------------------------------
// The sign-in: checked once the user is known (session token, session cookie or the sign-in page).
// -------------------------------------------------------------------------------------------------------------

/** What the sign-in checks read: the request, the tenant state, the signed-in user (ACTIVE), and the policy
 *  decision for that user. */
export interface SignIn {
  readonly req: AuthorizeRequest;
  readonly state: TenantState;
  /** epoch seconds */
  readonly now: number;
  readonly user: UserRecord;
  readonly decision: PolicyDecision;
}

export type SignInCheck = (s: SignIn) => Refusal | undefined;

export function userIsAssigned({ user, state, req }: SignIn): Refusal | undefined {
  return isAssigned(state, req.app, user) ? undefined : refuse('access_denied', NOT_ASSIGNED);
}

export function policyAllows({ decision }: SignIn): Refusal | undefined {
  return decision.ok ? undefined : refuse(decision.error, decision.error_description);
}

export function idTokenIsGrantedOpenid({ req, decision }: SignIn): Refusal | undefined {
  if (!req.types.has('id_token') || (decision.ok && decision.grantedScopes.includes('openid'))) return undefined;
  return refuse('access_denied', POLICY_FAILED);
}

export const SIGN_IN_CHECKS: readonly SignInCheck[] = [userIsAssigned, policyAllows, idTokenIsGrantedOpenid];

/** The first refusal of `checks` for `input`, if any. */
export function firstRefusal<T>(checks: readonly ((input: T) => Refusal | undefined)[], input: T): Refusal | undefined {
  for (const check of checks) {
    const refusal = check(input);
    if (refusal) return refusal;
  }
  return undefined;
}
