/**
 * Finding a presented token again: a JWT (access or ID token) of the server, verified against the server's keys,
 * or an opaque refresh token by its hash. Used by /introspect, /revoke and /userinfo.
 *
 * Choices where Okta's docs are silent: the issuer is not checked (a stored token must survive a restart of the
 * tenant on another port); a token of a user who is no longer ACTIVE, or of a deleted client, is not found.
 */
import { decodeJwt, type JWTPayload } from 'jose';
import type { AuthServerRecord, TenantState } from '../../types.js';
import { activeUser } from '../access.js';
import { verifyJwt } from '../keys.js';
import { has, type OAuthProvider } from '../provider.js';
import { isRefreshActive, sha256, type AccessTokenRecord, type RefreshTokenRecord } from '../state.js';

export type FoundToken =
  | { kind: 'access'; payload: JWTPayload; record: AccessTokenRecord }
  | { kind: 'id'; payload: JWTPayload }
  | { kind: 'refresh'; hash: string; record: RefreshTokenRecord };

/** An active token of this server, or null. */
export async function lookupToken(p: OAuthProvider, state: TenantState, server: AuthServerRecord, token: string): Promise<FoundToken | null> {
  const data = p.data(state);
  const now = p.nowSec();
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
      if (record.userId && !activeUser(state, record.userId)) return null;
      return { kind: 'access', payload, record };
    }
    if (jti.startsWith('ID.') && typeof payload.sub === 'string' && activeUser(state, payload.sub)) return { kind: 'id', payload };
    return null;
  }
  const hash = sha256(token);
  const record = has(data.refreshTokens, hash);
  if (!record || record.serverId !== server.id || !isRefreshActive(record, now) || !has(state.apps, record.clientId)) return null;
  if (!activeUser(state, record.userId)) return null;
  return { kind: 'refresh', hash, record };
}
