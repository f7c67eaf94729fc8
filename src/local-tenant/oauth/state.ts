/**
 * The OAuth part's slice of the tenant state (`TenantState.oauth`), persisted with everything else:
 * signing keys, authorization codes, issued access tokens, refresh tokens and authn session tokens.
 *
 * Codes, refresh tokens and session tokens are stored under the SHA-256 of their value, never in clear
 * (they are bearer secrets; the state file is 0600 anyway). Access tokens are JWTs: their record is keyed by
 * `jti` and keeps what introspection and revocation need. Expired entries are pruned on every write.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { StoredSigningKey } from './keys.js';
import type { TokenLifetimes } from './policy.js';

export interface SigningKeyEntry extends StoredSigningKey {
  serverId: string;
}

export interface CodeRecord {
  serverId: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  scopes: string[];
  nonce?: string;
  codeChallenge?: string;
  /** epoch seconds */
  authTime: number;
  expiresAt: number;
  lifetimes: TokenLifetimes;
}

export interface AccessTokenRecord {
  jti: string;
  serverId: string;
  clientId: string;
  userId?: string;
  scopes: string[];
  iat: number;
  exp: number;
  revoked?: boolean;
  /** Hash of the refresh token it was minted with or alongside. */
  refreshHash?: string;
}

export interface RefreshTokenRecord {
  serverId: string;
  clientId: string;
  userId: string;
  /** The grant that started the chain (authorization_code or password); refreshes are evaluated as it. */
  grantType: string;
  scopes: string[];
  jti: string;
  iat: number;
  authTime: number;
  /** epoch seconds; null = no lifetime limit (rule's refreshTokenLifetimeMinutes 0) */
  expiresAt: number | null;
  windowMinutes: number;
  lastUsed: number;
  revoked?: boolean;
}

export interface SessionTokenRecord {
  userId: string;
  expiresAt: number;
}

export interface OAuthData {
  keys: Record<string, SigningKeyEntry>;
  codes: Record<string, CodeRecord>;
  accessTokens: Record<string, AccessTokenRecord>;
  refreshTokens: Record<string, RefreshTokenRecord>;
  sessionTokens: Record<string, SessionTokenRecord>;
}

/** Narrows the opaque `TenantState.oauth`, filling missing maps in place (a fresh org has `{}`). */
export function oauthData(raw: Record<string, unknown>): OAuthData {
  raw.keys ??= {};
  raw.codes ??= {};
  raw.accessTokens ??= {};
  raw.refreshTokens ??= {};
  raw.sessionTokens ??= {};
  return raw as unknown as OAuthData;
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** An opaque random token, base64url. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

function refreshExpired(r: RefreshTokenRecord, nowSec: number): boolean {
  return (r.expiresAt !== null && nowSec >= r.expiresAt) || nowSec >= r.lastUsed + r.windowMinutes * 60;
}

export function isRefreshActive(r: RefreshTokenRecord, nowSec: number): boolean {
  return !r.revoked && !refreshExpired(r, nowSec);
}

/** Removes expired codes, session tokens, access tokens and refresh tokens (revoked ones go once expired). */
export function prune(data: OAuthData, nowSec: number): void {
  for (const [k, c] of Object.entries(data.codes)) if (nowSec >= c.expiresAt) delete data.codes[k];
  for (const [k, s] of Object.entries(data.sessionTokens)) if (nowSec >= s.expiresAt) delete data.sessionTokens[k];
  for (const [k, t] of Object.entries(data.accessTokens)) if (nowSec >= t.exp) delete data.accessTokens[k];
  for (const [k, r] of Object.entries(data.refreshTokens)) if (refreshExpired(r, nowSec)) delete data.refreshTokens[k];
}
