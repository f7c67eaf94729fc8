/**
 * The OAuth/OIDC endpoints of every authorization server of the local tenant, and `POST /api/v1/authn`,
 * as framework-free functions over the tenant store. routes.ts wires them to fastify.
 *
 * Successes are returned as `OAuthResult`; errors are thrown as `OktaHttpError` (errors.ts), except the
 * errors /authorize reports by redirecting (those are 302 results, like Okta's).
 *
 * Decisions where the crib and the spec are silent (see also policy.ts and client-auth.ts):
 * - Issuer: `{orgUrl}/oauth2/{id}` (`default` included), computed per request, so a restart on another port
 *   serves the right metadata. Introspection does not check `iss` (a stored token must survive that restart).
 * - Unknown or INACTIVE authorization server: 404 E0000007 on every endpoint.
 * - /authorize has no sign-in page: without a (valid) `sessionToken` it redirects with `login_required`.
 *   The session token is consumed first (one-time), as Okta turns it into a session before evaluating.
 *   `state` is required (the spec marks it so); `nonce` is required when an ID token is returned from
 *   /authorize; response modes `query`, `fragment` and `form_post` are supported (`okta_post_message` is not).
 *   PKCE is required when the client is public (`token_endpoint_auth_method: none`); S256 only.
 * - A user who is not assigned to the client (no group assignment of the app, the Everyone group included,
 *   holds one of the user's groups — crib §16): `access_denied` "User is not assigned to the client
 *   application." (the text Okta shows), at /authorize by redirect, at /token for the password grant.
 * - Refresh tokens: issued only when `offline_access` is granted and the client has the `refresh_token`
 *   grant type. No rotation: a refresh returns the same refresh token (Okta's default for web apps), whose
 *   idle window restarts. A refresh re-evaluates the policy as the original grant type with the user's
 *   current groups and assignment, and may narrow (never widen) the scopes.
 * - Authorization codes: one-time, 300 s, bound to client, server and redirect_uri; a reused code just fails.
 * - Introspection: access and ID tokens of the server are introspected for any authenticated client of the
 *   org (an API gateway introspects tokens minted for other clients); refresh tokens only for their own
 *   client. A token of a user who is no longer ACTIVE, or of a deleted client, is inactive.
 * - Revocation: only the client's own tokens (others are ignored, 200 as for unknown tokens); revoking a
 *   refresh token also revokes the access tokens minted with it.
 * - /userinfo: a missing or inactive token → 401 `WWW-Authenticate: Bearer error="invalid_token"`; an active
 *   token without `openid` → 403 `error="insufficient_scope"` (the spec's 403 response).
 * - /api/v1/authn: the session token lives 5 minutes (`expiresAt`); only ACTIVE users with the right password
 *   succeed, everyone else gets 401 E0000004 (no other `status` values are modelled).
 */
import { createHash } from 'node:crypto';
import { decodeJwt, type JWTPayload } from 'jose';
import { notFound, oauthError, oktaError, OktaHttpError } from '../errors.js';
import { newErrorId } from '../ids.js';
import { verifyUserPassword } from '../password.js';
import type { TenantStore } from '../store.js';
import type { AppRecord, AuthServerRecord, TenantState, UserRecord } from '../types.js';
import { authenticateClient, type Form } from './client-auth.js';
import { generateSigningKey, publicJwkOf, signJwt, verifyJwt, type PublicSigningJwk } from './keys.js';
import { isValidChallenge, verifyPkce } from './pkce.js';
import { evaluatePolicy, OIDC_SCOPES, parseScopeParam, type PolicyDecision, type TokenLifetimes } from './policy.js';
import {
  isRefreshActive,
  oauthData,
  prune,
  randomToken,
  sha256,
  type AccessTokenRecord,
  type CodeRecord,
  type OAuthData,
  type RefreshTokenRecord,
  type SigningKeyEntry,
} from './state.js';

export const CODE_LIFETIME_SEC = 300;
export const ID_TOKEN_LIFETIME_SEC = 3600;
export const SESSION_TOKEN_LIFETIME_SEC = 300;
export const NOT_ASSIGNED = 'User is not assigned to the client application.';
export const INVALID_CODE = 'The authorization code is invalid or has expired.';
export const INVALID_REFRESH = 'The refresh token is invalid or expired.';

export interface OAuthResult {
  status: number;
  headers: Record<string, string>;
  /** JSON body, or a string sent as text/html. Absent: empty body. */
  body?: unknown;
}

export interface OAuthServiceOptions {
  store: TenantStore;
  /** The org URL as clients see it (changes when a restarted tenant gets another port). */
  orgUrl: () => string;
  /** Clock in ms (injectable for expiry tests). */
  now?: () => number;
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): OAuthResult => ({
  status,
  headers: { 'cache-control': 'no-store', pragma: 'no-cache', ...headers },
  body,
});

function has<T>(rec: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;
}

/** OIDC `at_hash` / `c_hash`: base64url of the left half of SHA-256. */
function halfHash(value: string): string {
  const d = createHash('sha256').update(value).digest();
  return d.subarray(0, d.length / 2).toString('base64url');
}

function userGroups(state: TenantState, user: UserRecord): string[] {
  return [...new Set([...user.groupIds, state.everyoneGroupId])];
}

export function isAssigned(state: TenantState, app: AppRecord, user: UserRecord): boolean {
  return userGroups(state, user).some((g) => has(app.groupAssignments, g) !== undefined);
}

function findUserByLogin(state: TenantState, username: string): UserRecord | undefined {
  const u = username.toLowerCase();
  const users = Object.values(state.users);
  const exact = users.find((x) => x.profile.login.toLowerCase() === u);
  if (exact) return exact;
  const short = users.filter((x) => x.profile.login.toLowerCase().split('@')[0] === u);
  return short.length === 1 ? short[0] : undefined;
}

function profileName(user: UserRecord): string {
  return [user.profile.firstName, user.profile.lastName].filter((x) => typeof x === 'string' && x.length > 0).join(' ');
}

export class OAuthService {
  private readonly store: TenantStore;
  private readonly orgUrl: () => string;
  private readonly nowMs: () => number;
  private readonly pendingKeys = new Map<string, Promise<SigningKeyEntry>>();

  constructor(opts: OAuthServiceOptions) {
    this.store = opts.store;
    this.orgUrl = opts.orgUrl;
    this.nowMs = opts.now ?? Date.now;
  }

  private nowSec(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  issuer(serverId: string): string {
    return `${this.orgUrl()}/oauth2/${serverId}`;
  }

  private server(state: TenantState, id: string): AuthServerRecord {
    const s = has(state.authorizationServers, id);
    if (!s || s.status !== 'ACTIVE') throw notFound(id, 'AuthorizationServer');
    return s;
  }

  private data(state: TenantState): OAuthData {
    return oauthData(state.oauth);
  }

  /** Applies a change to the OAuth data (pruning expired entries) and persists it. */
  private mutate<T>(fn: (data: OAuthData, state: TenantState) => T): Promise<T> {
    const now = this.nowSec();
    return this.store.mutate((state) => {
      const data = oauthData(state.oauth);
      const result = fn(data, state);
      prune(data, now);
      for (const [kid, k] of Object.entries(data.keys)) if (!has(state.authorizationServers, k.serverId)) delete data.keys[kid];
      return result;
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // keys
  // ---------------------------------------------------------------------------------------------------------

  /** The server's current signing key (the record's kid), generated and persisted on first use. */
  async signingKey(serverId: string): Promise<SigningKeyEntry> {
    const server = this.server(this.store.read(), serverId);
    const existing = has(this.data(this.store.read()).keys, server.kid);
    if (existing) return existing;
    let pending = this.pendingKeys.get(server.kid);
    if (!pending) {
      const kid = server.kid;
      pending = (async () => {
        const fresh = { ...(await generateSigningKey(kid, new Date(this.nowMs()))), serverId: server.id };
        return this.mutate((data) => (data.keys[kid] ??= fresh));
      })().finally(() => this.pendingKeys.delete(kid));
      this.pendingKeys.set(kid, pending);
    }
    return pending;
  }

  async keys(serverId: string): Promise<OAuthResult> {
    const current = await this.signingKey(serverId);
    const all = Object.values(this.data(this.store.read()).keys).filter((k) => k.serverId === current.serverId);
    const keys: PublicSigningJwk[] = [current, ...all.filter((k) => k.kid !== current.kid)].map(publicJwkOf);
    return { status: 200, headers: { 'cache-control': 'max-age=3832304, must-revalidate' }, body: { keys } };
  }

  // ---------------------------------------------------------------------------------------------------------
  // metadata
  // ---------------------------------------------------------------------------------------------------------

  metadata(serverId: string, kind: 'oauth-authorization-server' | 'openid-configuration', query: Form = {}): OAuthResult {
    const state = this.store.read();
    const server = this.server(state, serverId);
    if (query.client_id !== undefined && has(state.apps, query.client_id) === undefined) {
      throw new OktaHttpError(400, {
        errorCode: 'invalid_client',
        errorSummary: "Invalid value for 'client_id' parameter.",
        errorLink: 'invalid_client',
        errorId: newErrorId(),
        errorCauses: [],
      });
    }
    const iss = this.issuer(server.id);
    const published = Object.values(server.scopes).filter((s) => s.metadataPublish === 'ALL_CLIENTS').map((s) => s.name);
    const body: Record<string, unknown> = {
      issuer: iss,
      authorization_endpoint: `${iss}/v1/authorize`,
      token_endpoint: `${iss}/v1/token`,
      registration_endpoint: `${this.orgUrl()}/oauth2/v1/clients`,
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
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      request_parameter_supported: false,
    };
    if (kind === 'openid-configuration') {
      body.userinfo_endpoint = `${iss}/v1/userinfo`;
      body.id_token_signing_alg_values_supported = ['RS256'];
    }
    return { status: 200, headers: {}, body };
  }

  // ---------------------------------------------------------------------------------------------------------
  // issuing
  // ---------------------------------------------------------------------------------------------------------

  private audience(server: AuthServerRecord, iss: string): string | string[] {
    if (server.audiences.length === 0) return iss;
    return server.audiences.length === 1 ? (server.audiences[0] as string) : server.audiences;
  }

  private async accessToken(
    server: AuthServerRecord,
    app: AppRecord,
    user: UserRecord | undefined,
    scopes: string[],
    lifetimes: TokenLifetimes,
    authTime: number | undefined,
  ): Promise<{ token: string; record: AccessTokenRecord }> {
    const key = await this.signingKey(server.id);
    const iss = this.issuer(server.id);
    const iat = this.nowSec();
    const exp = iat + lifetimes.accessTokenLifetimeMinutes * 60;
    const jti = `AT.${randomToken(32)}`;
    const claims: JWTPayload = {
      ver: 1,
      jti,
      iss,
      aud: this.audience(server, iss),
      iat,
      exp,
      cid: app.id,
      ...(user ? { uid: user.id } : {}),
      scp: scopes,
      ...(user && authTime !== undefined ? { auth_time: authTime } : {}),
      sub: user ? user.profile.login : app.id,
    };
    const token = await signJwt(key, claims);
    const record: AccessTokenRecord = { jti, serverId: server.id, clientId: app.id, ...(user ? { userId: user.id } : {}), scopes, iat, exp };
    return { token, record };
  }

  private async idToken(
    server: AuthServerRecord,
    app: AppRecord,
    user: UserRecord,
    scopes: string[],
    extra: { authTime: number; nonce?: string; accessToken?: string; code?: string },
  ): Promise<string> {
    const key = await this.signingKey(server.id);
    const iat = this.nowSec();
    const claims: JWTPayload = {
      sub: user.id,
      ver: 1,
      iss: this.issuer(server.id),
      aud: app.id,
      iat,
      exp: iat + ID_TOKEN_LIFETIME_SEC,
      jti: `ID.${randomToken(32)}`,
      amr: ['pwd'],
      auth_time: extra.authTime,
      ...(extra.nonce !== undefined ? { nonce: extra.nonce } : {}),
      ...(scopes.includes('profile') ? { name: profileName(user), preferred_username: user.profile.login } : {}),
      ...(scopes.includes('email') ? { email: user.profile.email, email_verified: true } : {}),
      ...(extra.accessToken ? { at_hash: halfHash(extra.accessToken) } : {}),
      ...(extra.code ? { c_hash: halfHash(extra.code) } : {}),
    };
    return signJwt(key, claims);
  }

  private policyFor(state: TenantState, server: AuthServerRecord, app: AppRecord, grantType: string, user: UserRecord | undefined, scopes: string[]): PolicyDecision {
    return evaluatePolicy({
      policies: Object.values(server.policies).map((p) => ({ policy: p, rules: Object.values(p.rules) })),
      scopes: Object.values(server.scopes),
      clientId: app.id,
      grantType,
      ...(user ? { user: { id: user.id, groupIds: userGroups(state, user) } } : {}),
      requestedScopes: scopes,
    });
  }

  /** Mints the /token response for a user grant (access token, ID token with openid, refresh token with offline_access). */
  private async userTokens(
    server: AuthServerRecord,
    app: AppRecord,
    user: UserRecord,
    scopes: string[],
    lifetimes: TokenLifetimes,
    opts: { grantType: string; authTime: number; nonce?: string; refresh?: { token: string; hash: string } },
  ): Promise<OAuthResult> {
    const at = await this.accessToken(server, app, user, scopes, lifetimes, opts.authTime);
    const idToken = scopes.includes('openid')
      ? await this.idToken(server, app, user, scopes, { authTime: opts.authTime, ...(opts.nonce !== undefined ? { nonce: opts.nonce } : {}), accessToken: at.token })
      : undefined;
    let refresh = opts.refresh;
    let newRefresh: RefreshTokenRecord | undefined;
    if (!refresh && scopes.includes('offline_access') && app.grantTypes.includes('refresh_token')) {
      const token = randomToken(32);
      refresh = { token, hash: sha256(token) };
      const now = this.nowSec();
      newRefresh = {
        serverId: server.id,
        clientId: app.id,
        userId: user.id,
        grantType: opts.grantType,
        scopes,
        jti: `RT.${randomToken(16)}`,
        iat: now,
        authTime: opts.authTime,
        expiresAt: lifetimes.refreshTokenLifetimeMinutes > 0 ? now + lifetimes.refreshTokenLifetimeMinutes * 60 : null,
        windowMinutes: lifetimes.refreshTokenWindowMinutes,
        lastUsed: now,
      };
    }
    const refreshHash = refresh?.hash;
    await this.mutate((data) => {
      if (newRefresh && refreshHash) data.refreshTokens[refreshHash] = newRefresh;
      data.accessTokens[at.record.jti] = refreshHash ? { ...at.record, refreshHash } : at.record;
    });
    return json({
      token_type: 'Bearer',
      expires_in: lifetimes.accessTokenLifetimeMinutes * 60,
      access_token: at.token,
      scope: scopes.join(' '),
      ...(refresh ? { refresh_token: refresh.token } : {}),
      ...(idToken ? { id_token: idToken } : {}),
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // /v1/token
  // ---------------------------------------------------------------------------------------------------------

  async token(serverId: string, form: Form, authorization: string | undefined): Promise<OAuthResult> {
    const state = this.store.read();
    const server = this.server(state, serverId);
    const app = authenticateClient(state, authorization, form);
    const grantType = form.grant_type;
    if (!grantType) throw oauthError(400, 'invalid_request', "The 'grant_type' parameter is required.");
    if (!['client_credentials', 'authorization_code', 'refresh_token', 'password'].includes(grantType)) {
      throw oauthError(400, 'unsupported_grant_type', `The authorization grant type is not supported by the authorization server: '${grantType}'.`);
    }
    if (!app.grantTypes.includes(grantType)) {
      throw oauthError(400, 'unauthorized_client', `The client is not authorized to use the provided grant type. Configured grant types: [${app.grantTypes.join(', ')}].`);
    }
    switch (grantType) {
      case 'client_credentials':
        return this.clientCredentials(state, server, app, form);
      case 'authorization_code':
        return this.authorizationCode(server, app, form);
      case 'password':
        return this.passwordGrant(state, server, app, form);
      default:
        return this.refreshGrant(server, app, form);
    }
  }

  private async clientCredentials(state: TenantState, server: AuthServerRecord, app: AppRecord, form: Form): Promise<OAuthResult> {
    if (app.tokenEndpointAuthMethod === 'none') throw oauthError(400, 'invalid_client', 'Public clients cannot use the client_credentials grant.');
    const decision = this.policyFor(state, server, app, 'client_credentials', undefined, parseScopeParam(form.scope));
    if (!decision.ok) throw oauthError(400, decision.error, decision.error_description);
    const at = await this.accessToken(server, app, undefined, decision.grantedScopes, decision, undefined);
    await this.mutate((data) => {
      data.accessTokens[at.record.jti] = at.record;
    });
    return json({ token_type: 'Bearer', expires_in: decision.accessTokenLifetimeMinutes * 60, access_token: at.token, scope: decision.grantedScopes.join(' ') });
  }

  private activeUser(state: TenantState, userId: string): UserRecord | undefined {
    const u = has(state.users, userId);
    return u && u.status === 'ACTIVE' ? u : undefined;
  }

  private async authorizationCode(server: AuthServerRecord, app: AppRecord, form: Form): Promise<OAuthResult> {
    const code = form.code;
    if (!code) throw oauthError(400, 'invalid_request', "The 'code' parameter is required.");
    const now = this.nowSec();
    const hash = sha256(code);
    // Take the code in one atomic step: a code is good for one exchange, whatever happens next.
    const rec = await this.mutate((data) => {
      const r = has(data.codes, hash);
      if (r) delete data.codes[hash];
      return r;
    });
    if (!rec || rec.expiresAt <= now || rec.clientId !== app.id || rec.serverId !== server.id) throw oauthError(400, 'invalid_grant', INVALID_CODE);
    if (form.redirect_uri !== rec.redirectUri) {
      throw oauthError(400, 'invalid_grant', "The 'redirect_uri' does not match the redirection URI used in the authorization request.");
    }
    if (rec.codeChallenge !== undefined) {
      if (!form.code_verifier) throw oauthError(400, 'invalid_grant', 'PKCE verification failed.');
      if (!verifyPkce(rec.codeChallenge, form.code_verifier)) throw oauthError(400, 'invalid_grant', 'PKCE verification failed.');
    } else if (form.code_verifier !== undefined) {
      throw oauthError(400, 'invalid_grant', 'PKCE verification failed.');
    }
    const state = this.store.read();
    const user = this.activeUser(state, rec.userId);
    if (!user) throw oauthError(400, 'invalid_grant', INVALID_CODE);
    return this.userTokens(server, app, user, rec.scopes, rec.lifetimes, {
      grantType: 'authorization_code',
      authTime: rec.authTime,
      ...(rec.nonce !== undefined ? { nonce: rec.nonce } : {}),
    });
  }

  private async passwordGrant(state: TenantState, server: AuthServerRecord, app: AppRecord, form: Form): Promise<OAuthResult> {
    const user = form.username ? findUserByLogin(state, form.username) : undefined;
    const ok = !!user && user.status === 'ACTIVE' && (await verifyUserPassword(user, form.password ?? ''));
    if (!user || !ok) throw oauthError(400, 'invalid_grant', 'The credentials provided were invalid.');
    if (!isAssigned(state, app, user)) throw oauthError(400, 'access_denied', NOT_ASSIGNED);
    const decision = this.policyFor(state, server, app, 'password', user, parseScopeParam(form.scope));
    if (!decision.ok) throw oauthError(400, decision.error, decision.error_description);
    return this.userTokens(server, app, user, decision.grantedScopes, decision, { grantType: 'password', authTime: this.nowSec() });
  }

  private async refreshGrant(server: AuthServerRecord, app: AppRecord, form: Form): Promise<OAuthResult> {
    const token = form.refresh_token;
    if (!token) throw oauthError(400, 'invalid_request', "The 'refresh_token' parameter is required.");
    const hash = sha256(token);
    const state = this.store.read();
    const now = this.nowSec();
    const rec = has(this.data(state).refreshTokens, hash);
    if (!rec || !isRefreshActive(rec, now) || rec.clientId !== app.id || rec.serverId !== server.id) throw oauthError(400, 'invalid_grant', INVALID_REFRESH);
    const user = this.activeUser(state, rec.userId);
    if (!user || !isAssigned(state, app, user)) throw oauthError(400, 'invalid_grant', INVALID_REFRESH);
    const asked = form.scope !== undefined ? parseScopeParam(form.scope) : rec.scopes;
    if (asked.some((s) => !rec.scopes.includes(s))) {
      throw oauthError(400, 'invalid_scope', 'The requested scope is invalid, unknown, or malformed.');
    }
    const decision = this.policyFor(state, server, app, rec.grantType, user, asked);
    if (!decision.ok) throw oauthError(400, decision.error, decision.error_description);
    await this.mutate((data) => {
      const r = has(data.refreshTokens, hash);
      if (r) r.lastUsed = now;
    });
    return this.userTokens(server, app, user, decision.grantedScopes, decision, {
      grantType: rec.grantType,
      authTime: rec.authTime,
      refresh: { token, hash },
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // /v1/authorize
  // ---------------------------------------------------------------------------------------------------------

  async authorize(serverId: string, params: Form): Promise<OAuthResult> {
    const state = this.store.read();
    const server = this.server(state, serverId);
    const clientId = params.client_id;
    const app = clientId ? has(state.apps, clientId) : undefined;
    if (!app || app.status !== 'ACTIVE') throw oauthError(400, 'invalid_client', "Invalid value for 'client_id' parameter.");
    const redirectUri = params.redirect_uri;
    if (!redirectUri || !app.redirectUris.includes(redirectUri)) {
      throw oauthError(400, 'invalid_request', "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings.");
    }
    const types = new Set((params.response_type ?? '').split(' ').filter(Boolean));
    const implicitPart = types.has('token') || types.has('id_token');
    const mode = params.response_mode ?? (implicitPart ? 'fragment' : 'query');
    const st = params.state;
    const fail = (error: string, description: string): OAuthResult =>
      this.redirect(redirectUri, ['query', 'fragment', 'form_post'].includes(mode) && !(mode === 'query' && implicitPart) ? mode : implicitPart ? 'fragment' : 'query', {
        error,
        error_description: description,
        ...(st !== undefined ? { state: st } : {}),
      });

    if (types.size === 0 || [...types].some((t) => !['code', 'token', 'id_token'].includes(t))) {
      return fail('unsupported_response_type', 'The response type is not supported by the authorization server.');
    }
    if (![...types].every((t) => app.responseTypes.includes(t))) {
      return fail('unsupported_response_type', `The response type is not supported by the authorization server. Configured response types: [${app.responseTypes.join(', ')}].`);
    }
    const needGrants = [...(types.has('code') ? ['authorization_code'] : []), ...(implicitPart ? ['implicit'] : [])];
    if (!needGrants.every((g) => app.grantTypes.includes(g))) {
      return fail('unauthorized_client', `The client is not authorized to use the provided grant type. Configured grant types: [${app.grantTypes.join(', ')}].`);
    }
    if (!['query', 'fragment', 'form_post'].includes(mode)) return fail('invalid_request', `The 'response_mode' parameter value '${mode}' is not supported.`);
    if (mode === 'query' && implicitPart) return fail('invalid_request', "The 'response_mode' value 'query' is not allowed when the response type contains 'token' or 'id_token'.");
    if (!st) return fail('invalid_request', "The 'state' parameter is required for authorize requests.");
    const scopes = parseScopeParam(params.scope);
    if (scopes.length === 0) return fail('invalid_scope', 'The authorization request must contain a scope parameter.');
    if (types.has('id_token') && !scopes.includes('openid')) return fail('invalid_scope', "The 'openid' scope must be requested with the 'id_token' response type.");
    if (implicitPart && types.has('id_token') && !params.nonce) {
      return fail('invalid_request', "The 'nonce' parameter is required for authorize requests with either the 'id_token' or 'token' response types.");
    }
    const challenge = params.code_challenge;
    if (params.code_challenge_method !== undefined && challenge === undefined) return fail('invalid_request', "The 'code_challenge' parameter is required with 'code_challenge_method'.");
    if (challenge !== undefined) {
      if ((params.code_challenge_method ?? 'plain') !== 'S256') return fail('invalid_request', "The 'code_challenge_method' parameter must be 'S256'.");
      if (!isValidChallenge(challenge)) return fail('invalid_request', "The 'code_challenge' parameter is invalid.");
    } else if (types.has('code') && app.tokenEndpointAuthMethod === 'none') {
      return fail('invalid_request', "PKCE code challenge is required when the token endpoint authentication method is 'NONE'.");
    }

    // The sign-in: a one-time session token, consumed now.
    const sessionToken = params.sessionToken;
    if (!sessionToken) return fail('login_required', 'The local tenant has no sign-in page: pass a sessionToken from POST /api/v1/authn.');
    const now = this.nowSec();
    const session = await this.mutate((data) => {
      const h = sha256(sessionToken);
      const s = has(data.sessionTokens, h);
      if (s) delete data.sessionTokens[h];
      return s;
    });
    if (!session || session.expiresAt <= now) return fail('login_required', 'The session token is invalid or has expired.');
    const fresh = this.store.read();
    const user = this.activeUser(fresh, session.userId);
    if (!user) return fail('login_required', 'The session token is invalid or has expired.');
    if (!isAssigned(fresh, app, user)) return fail('access_denied', NOT_ASSIGNED);
    const decision = this.policyFor(fresh, server, app, types.has('code') ? 'authorization_code' : 'implicit', user, scopes);
    if (!decision.ok) return fail(decision.error, decision.error_description);
    const granted = decision.grantedScopes;
    if (types.has('id_token') && !granted.includes('openid')) return fail('access_denied', 'Policy evaluation failed for this request, please check the policy configurations.');

    const out: Record<string, string> = {};
    if (types.has('code')) {
      const code = randomToken(32);
      const rec: CodeRecord = {
        serverId: server.id,
        clientId: app.id,
        userId: user.id,
        redirectUri,
        scopes: granted,
        ...(params.nonce !== undefined ? { nonce: params.nonce } : {}),
        ...(challenge !== undefined ? { codeChallenge: challenge } : {}),
        authTime: now,
        expiresAt: now + CODE_LIFETIME_SEC,
        lifetimes: decision,
      };
      await this.mutate((data) => {
        data.codes[sha256(code)] = rec;
      });
      out.code = code;
    }
    if (types.has('token')) {
      const at = await this.accessToken(server, app, user, granted, decision, now);
      await this.mutate((data) => {
        data.accessTokens[at.record.jti] = at.record;
      });
      Object.assign(out, { access_token: at.token, token_type: 'Bearer', expires_in: String(decision.accessTokenLifetimeMinutes * 60), scope: granted.join(' ') });
    }
    if (types.has('id_token')) {
      out.id_token = await this.idToken(server, app, user, granted, {
        authTime: now,
        ...(params.nonce !== undefined ? { nonce: params.nonce } : {}),
        ...(out.access_token ? { accessToken: out.access_token } : {}),
        ...(out.code ? { code: out.code } : {}),
      });
    }
    out.state = st;
    return this.redirect(redirectUri, mode, out);
  }

  private redirect(redirectUri: string, mode: string, params: Record<string, string>): OAuthResult {
    if (mode === 'form_post') {
      const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      const inputs = Object.entries(params)
        .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}"/>`)
        .join('');
      const html = `<!DOCTYPE html><html><head><title>Submit</title></head><body onload="document.forms[0].submit()"><form method="post" action="${esc(redirectUri)}">${inputs}</form></body></html>`;
      return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body: html };
    }
    const url = new URL(redirectUri);
    const qs = new URLSearchParams(params);
    if (mode === 'fragment') url.hash = qs.toString();
    else for (const [k, v] of qs) url.searchParams.append(k, v);
    return { status: 302, headers: { location: url.toString(), 'cache-control': 'no-store' } };
  }

  // ---------------------------------------------------------------------------------------------------------
  // introspection, revocation, userinfo
  // ---------------------------------------------------------------------------------------------------------

  /** Finds an active token of this server: an access token (with its record), an ID token, or a refresh token. */
  private async lookup(
    state: TenantState,
    server: AuthServerRecord,
    token: string,
  ): Promise<
    | { kind: 'access'; payload: JWTPayload; record: AccessTokenRecord }
    | { kind: 'id'; payload: JWTPayload }
    | { kind: 'refresh'; hash: string; record: RefreshTokenRecord }
    | null
  > {
    const data = this.data(state);
    const now = this.nowSec();
    if (token.split('.').length === 3) {
      let jti: unknown;
      try {
        jti = decodeJwt(token).jti;
      } catch {
        return null;
      }
      if (typeof jti !== 'string') return null;
      const keys = Object.values(data.keys).filter((k) => k.serverId === server.id);
      let payload: JWTPayload | null = null;
      for (const k of keys) {
        payload = await verifyJwt(k, token, { nowSec: now });
        if (payload) break;
      }
      if (!payload) return null;
      if (jti.startsWith('AT.')) {
        const record = has(data.accessTokens, jti);
        if (!record || record.revoked || record.serverId !== server.id || now >= record.exp || !has(state.apps, record.clientId)) return null;
        if (record.userId && !this.activeUser(state, record.userId)) return null;
        return { kind: 'access', payload, record };
      }
      if (jti.startsWith('ID.') && typeof payload.sub === 'string' && this.activeUser(state, payload.sub)) return { kind: 'id', payload };
      return null;
    }
    const hash = sha256(token);
    const record = has(data.refreshTokens, hash);
    if (!record || record.serverId !== server.id || !isRefreshActive(record, now) || !has(state.apps, record.clientId)) return null;
    if (!this.activeUser(state, record.userId)) return null;
    return { kind: 'refresh', hash, record };
  }

  /** The common start of /introspect and /revoke: the server, the authenticated client and the `token` parameter. */
  private tokenRequest(serverId: string, form: Form, authorization: string | undefined, query: Form) {
    const state = this.store.read();
    const server = this.server(state, serverId);
    const app = authenticateClient(state, authorization, form, query);
    const token = form.token;
    if (!token) throw oauthError(400, 'invalid_request', 'The `token` parameter is required.');
    return { state, server, app, token };
  }

  async introspect(serverId: string, form: Form, authorization: string | undefined, query: Form = {}): Promise<OAuthResult> {
    const { state, server, app, token } = this.tokenRequest(serverId, form, authorization, query);
    const found = await this.lookup(state, server, token);
    if (!found) return json({ active: false });
    const iss = this.issuer(server.id);
    if (found.kind === 'refresh') {
      const r = found.record;
      if (r.clientId !== app.id) return json({ active: false });
      const user = has(state.users, r.userId);
      return json({
        active: true,
        token_type: 'Bearer',
        scope: r.scopes.join(' '),
        client_id: r.clientId,
        ...(user ? { username: user.profile.login, sub: user.profile.login } : {}),
        iat: r.iat,
        ...(r.expiresAt !== null ? { exp: r.expiresAt } : {}),
        aud: server.audiences[0] ?? iss,
        iss,
        jti: r.jti,
        uid: r.userId,
      });
    }
    const p = found.payload;
    if (found.kind === 'id') {
      return json({ active: true, token_type: 'Bearer', client_id: String(p.aud), sub: String(p.sub), iat: p.iat, exp: p.exp, aud: String(p.aud), iss: p.iss, jti: p.jti });
    }
    const r = found.record;
    const user = r.userId ? has(state.users, r.userId) : undefined;
    return json({
      active: true,
      token_type: 'Bearer',
      scope: r.scopes.join(' '),
      client_id: r.clientId,
      ...(user ? { username: user.profile.login } : {}),
      exp: r.exp,
      iat: r.iat,
      sub: String(p.sub),
      aud: Array.isArray(p.aud) ? (p.aud[0] ?? '') : String(p.aud),
      iss: p.iss,
      jti: r.jti,
      ...(r.userId ? { uid: r.userId } : {}),
    });
  }

  async revoke(serverId: string, form: Form, authorization: string | undefined, query: Form = {}): Promise<OAuthResult> {
    const { state, server, app, token } = this.tokenRequest(serverId, form, authorization, query);
    const found = await this.lookup(state, server, token);
    if (found?.kind === 'access' && found.record.clientId === app.id) {
      const jti = found.record.jti;
      await this.mutate((data) => {
        const r = has(data.accessTokens, jti);
        if (r) r.revoked = true;
      });
    } else if (found?.kind === 'refresh' && found.record.clientId === app.id) {
      const hash = found.hash;
      await this.mutate((data) => {
        const r = has(data.refreshTokens, hash);
        if (r) r.revoked = true;
        for (const t of Object.values(data.accessTokens)) if (t.refreshHash === hash) t.revoked = true;
      });
    }
    return { status: 200, headers: { 'cache-control': 'no-store' } };
  }

  async userinfo(serverId: string, authorization: string | undefined): Promise<OAuthResult> {
    const state = this.store.read();
    const server = this.server(state, serverId);
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    const found = m?.[1] ? await this.lookup(state, server, m[1]) : null;
    if (!found || found.kind !== 'access' || !found.record.userId) {
      return { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token", error_description="The access token is invalid"' } };
    }
    const scopes = found.record.scopes;
    if (!scopes.includes('openid')) {
      return {
        status: 403,
        headers: { 'www-authenticate': 'Bearer error="insufficient_scope", error_description="The access token must provide access to at least one of these scopes - profile, email, address or phone"' },
      };
    }
    const user = has(state.users, found.record.userId);
    if (!user) return { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token", error_description="The access token is invalid"' } };
    const p = user.profile;
    const body: Record<string, unknown> = { sub: user.id };
    if (scopes.includes('profile')) {
      Object.assign(body, {
        name: profileName(user),
        preferred_username: p.login,
        ...(typeof p.firstName === 'string' ? { given_name: p.firstName } : {}),
        ...(typeof p.lastName === 'string' ? { family_name: p.lastName } : {}),
        locale: typeof p.locale === 'string' ? p.locale : 'en_US',
        zoneinfo: typeof p.timezone === 'string' ? p.timezone : 'America/Los_Angeles',
        updated_at: Math.floor(Date.parse(user.lastUpdated) / 1000),
      });
    }
    if (scopes.includes('email')) Object.assign(body, { email: p.email, email_verified: true });
    if (scopes.includes('phone') && typeof p.mobilePhone === 'string') body.phone_number = p.mobilePhone;
    return json(body);
  }

  // ---------------------------------------------------------------------------------------------------------
  // POST /api/v1/authn
  // ---------------------------------------------------------------------------------------------------------

  async authn(body: unknown): Promise<OAuthResult> {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const username = typeof b.username === 'string' ? b.username : '';
    const password = typeof b.password === 'string' ? b.password : '';
    const state = this.store.read();
    const user = username ? findUserByLogin(state, username) : undefined;
    const ok = !!user && user.status === 'ACTIVE' && (await verifyUserPassword(user, password));
    if (!user || !ok) throw oktaError(401, 'E0000004', 'Authentication failed');
    const sessionToken = `20111${randomToken(30)}`;
    const expiresAt = this.nowSec() + SESSION_TOKEN_LIFETIME_SEC;
    const userId = user.id;
    await this.mutate((data) => {
      data.sessionTokens[sha256(sessionToken)] = { userId, expiresAt };
    });
    const p = user.profile;
    return json({
      expiresAt: new Date(expiresAt * 1000).toISOString(),
      status: 'SUCCESS',
      sessionToken,
      _embedded: {
        user: {
          id: user.id,
          passwordChanged: user.passwordChanged,
          profile: {
            login: p.login,
            firstName: p.firstName ?? null,
            lastName: p.lastName ?? null,
            locale: typeof p.locale === 'string' ? p.locale : 'en_US',
            timeZone: typeof p.timezone === 'string' ? p.timezone : 'America/Los_Angeles',
          },
        },
      },
    });
  }
}
