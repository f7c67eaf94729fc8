/**
 * `GET|POST /oauth2/{authServerId}/v1/userinfo`
 * (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/#tag/CustomAS/operation/userinfoCustomAS):
 * a missing or inactive token → 401 `WWW-Authenticate: Bearer error="invalid_token"`; an active token without
 * `openid` → 403 `error="insufficient_scope"` (the spec's 403 response). Claims by granted scope.
 */
import type { UserRecord } from '../../types.js';
import { profileName } from '../access.js';
import { has, json, type OAuthProvider, type OAuthResult } from '../provider.js';
import { lookupToken } from '../tokens/lookup.js';

const invalidToken = (): OAuthResult => ({
  status: 401,
  headers: { 'www-authenticate': 'Bearer error="invalid_token", error_description="The access token is invalid"' },
});

function claims(user: UserRecord, scopes: string[]): Record<string, unknown> {
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
  return body;
}

export async function userinfo(p: OAuthProvider, serverId: string, authorization: string | undefined): Promise<OAuthResult> {
  const state = p.store.read();
  const server = p.server(state, serverId);
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  const found = m?.[1] ? await lookupToken(p, state, server, m[1]) : null;
  if (!found || found.kind !== 'access' || !found.record.userId) return invalidToken();
  const scopes = found.record.scopes;
  if (!scopes.includes('openid')) {
    return {
      status: 403,
      headers: { 'www-authenticate': 'Bearer error="insufficient_scope", error_description="The access token must provide access to at least one of these scopes - profile, email, address or phone"' },
    };
  }
  const user = has(state.users, found.record.userId);
  if (!user) return invalidToken();
  return json(claims(user, scopes));
}
