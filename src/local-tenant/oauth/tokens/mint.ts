/**
 * Minting of the tokens a custom authorization server issues: JWT access tokens with Okta's claims
 * (https://developer.okta.com/docs/api/openapi/okta-oauth/guides/overview/), ID tokens
 * (https://developer.okta.com/docs/guides/validate-id-tokens/main/), refresh tokens, and the /token response
 * of a user grant (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/#tag/CustomAS/operation/tokenCustomAS).
 *
 * Choices where Okta's docs are silent:
 * - Refresh tokens are issued only when `offline_access` is granted and the client has the `refresh_token` grant
 *   (https://developer.okta.com/docs/guides/refresh-tokens/main/). No rotation: a refresh returns the same refresh
 *   token (Okta's default for web apps), whose idle window restarts.
 * - Access-token records keep the hash of the refresh token they came with, so revoking it revokes them too.
 */
import { createHash } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type { AppRecord, AuthServerRecord, UserRecord } from '../../types.js';
import { profileName } from '../access.js';
import { signJwt } from '../keys.js';
import type { TokenLifetimes } from '../policy.js';
import { json, type OAuthProvider, type OAuthResult } from '../provider.js';
import { randomToken, sha256, type AccessTokenRecord, type RefreshTokenRecord } from '../state.js';

export const ID_TOKEN_LIFETIME_SEC = 3600;

/** OIDC `at_hash` / `c_hash`: base64url of the left half of SHA-256. */
function halfHash(value: string): string {
  const d = createHash('sha256').update(value).digest();
  return d.subarray(0, d.length / 2).toString('base64url');
}

function audience(server: AuthServerRecord, iss: string): string | string[] {
  const [only, ...more] = server.audiences;
  if (only === undefined) return iss;
  return more.length === 0 ? only : server.audiences;
}

export interface MintedAccessToken {
  token: string;
  record: AccessTokenRecord;
}

/** Signs an access token; the caller stores its record (`issueAccessToken` does both). */
export async function mintAccessToken(
  p: OAuthProvider,
  server: AuthServerRecord,
  app: AppRecord,
  user: UserRecord | undefined,
  scopes: string[],
  lifetimes: TokenLifetimes,
  authTime: number | undefined,
): Promise<MintedAccessToken> {
  const key = await p.signingKey(server.id);
  const iss = p.issuer(server);
  const iat = p.nowSec();
  const exp = iat + lifetimes.accessTokenLifetimeMinutes * 60;
  const jti = `AT.${randomToken(32)}`;
  const claims: JWTPayload = {
    ver: 1,
    jti,
    iss,
    aud: audience(server, iss),
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

/** Signs an access token and stores its record (one without a refresh token). */
export async function issueAccessToken(...args: Parameters<typeof mintAccessToken>): Promise<MintedAccessToken> {
  const [p] = args;
  const at = await mintAccessToken(...args);
  await p.mutate((data) => {
    data.accessTokens[at.record.jti] = at.record;
  });
  return at;
}

export interface IdTokenExtras {
  authTime: number;
  nonce?: string;
  /** The access token issued alongside (→ `at_hash`). */
  accessToken?: string;
  /** The code issued alongside (→ `c_hash`). */
  code?: string;
}

export async function mintIdToken(p: OAuthProvider, server: AuthServerRecord, app: AppRecord, user: UserRecord, scopes: string[], extra: IdTokenExtras): Promise<string> {
  const key = await p.signingKey(server.id);
  const iat = p.nowSec();
  const claims: JWTPayload = {
    sub: user.id,
    ver: 1,
    iss: p.issuer(server),
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

export interface UserTokenOptions {
  /** The grant that starts the chain (a refresh is later evaluated as it). */
  grantType: string;
  authTime: number;
  nonce?: string;
  /** The refresh token presented (refresh_token grant): returned as is, not a new one. */
  refresh?: { token: string; hash: string };
}

/** The /token response of a user grant: an access token, an ID token with `openid`, a refresh token with
 *  `offline_access` (when the client has the refresh_token grant). */
export async function userTokens(
  p: OAuthProvider,
  server: AuthServerRecord,
  app: AppRecord,
  user: UserRecord,
  scopes: string[],
  lifetimes: TokenLifetimes,
  opts: UserTokenOptions,
): Promise<OAuthResult> {
  const at = await mintAccessToken(p, server, app, user, scopes, lifetimes, opts.authTime);
  const idToken = scopes.includes('openid')
    ? await mintIdToken(p, server, app, user, scopes, { authTime: opts.authTime, ...(opts.nonce !== undefined ? { nonce: opts.nonce } : {}), accessToken: at.token })
    : undefined;
  let refresh = opts.refresh;
  let newRefresh: RefreshTokenRecord | undefined;
  if (!refresh && scopes.includes('offline_access') && app.grantTypes.includes('refresh_token')) {
    const token = randomToken(32);
    refresh = { token, hash: sha256(token) };
    const now = p.nowSec();
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
  await p.mutate((data) => {
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
