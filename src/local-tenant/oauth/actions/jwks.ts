/**
 * `GET /oauth2/{authServerId}/v1/keys`
 * (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/#tag/CustomAS/operation/oauthKeysCustomAS):
 * the current signing key first, then the server's older keys (tokens they signed still verify).
 * The `cache-control` value is the one Okta sends.
 */
import { publicJwkOf, type PublicSigningJwk } from '../keys.js';
import type { OAuthProvider, OAuthResult } from '../provider.js';

export async function jwks(p: OAuthProvider, serverId: string): Promise<OAuthResult> {
  const current = await p.signingKey(serverId);
  const all = Object.values(p.data(p.store.read()).keys).filter((k) => k.serverId === current.serverId);
  const keys: PublicSigningJwk[] = [current, ...all.filter((k) => k.kid !== current.kid)].map(publicJwkOf);
  return { status: 200, headers: { 'cache-control': 'max-age=3832304, must-revalidate' }, body: { keys } };
}
