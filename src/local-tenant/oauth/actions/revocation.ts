/**
 * `POST /oauth2/{authServerId}/v1/revoke`
 * (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/#tag/CustomAS/operation/revokeCustomAS,
 * https://developer.okta.com/docs/guides/revoke-tokens/main/): always 200 with no body.
 *
 * Choices where Okta's docs are silent: only the client's own tokens are revoked (others are ignored, as unknown
 * tokens are); revoking a refresh token also revokes the access tokens minted with it.
 */
import type { Form } from '../client-auth.js';
import { has, type OAuthProvider, type OAuthResult } from '../provider.js';
import { lookupToken } from '../tokens/lookup.js';
import { presentedToken } from './presented-token.js';

export async function revocation(p: OAuthProvider, serverId: string, form: Form, authorization: string | undefined, query: Form = {}): Promise<OAuthResult> {
  const { state, server, app, token } = presentedToken(p, serverId, form, authorization, query);
  const found = await lookupToken(p, state, server, token);
  if (found?.kind === 'access' && found.record.clientId === app.id) {
    const jti = found.record.jti;
    await p.mutate((data) => {
      const r = has(data.accessTokens, jti);
      if (r) r.revoked = true;
    });
  } else if (found?.kind === 'refresh' && found.record.clientId === app.id) {
    const hash = found.hash;
    await p.mutate((data) => {
      const r = has(data.refreshTokens, hash);
      if (r) r.revoked = true;
      for (const t of Object.values(data.accessTokens)) if (t.refreshHash === hash) t.revoked = true;
    });
  }
  return { status: 200, headers: { 'cache-control': 'no-store' } };
}
