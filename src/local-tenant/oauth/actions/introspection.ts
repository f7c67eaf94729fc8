/**
 * `POST /oauth2/{authServerId}/v1/introspect`
 * (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/#tag/CustomAS/operation/introspectCustomAS).
 * An unknown, expired or revoked token answers 200 `{"active": false}`.
 *
 * Choice where Okta's docs are silent: access and ID tokens of the server are introspected for any authenticated
 * client of the org (an API gateway introspects tokens minted for other clients); refresh tokens only for their
 * own client.
 */
import type { Form } from '../client-auth.js';
import { has, json, type OAuthProvider, type OAuthResult } from '../provider.js';
import { lookupToken } from '../tokens/lookup.js';
import { presentedToken } from './presented-token.js';

export async function introspection(p: OAuthProvider, serverId: string, form: Form, authorization: string | undefined, query: Form = {}): Promise<OAuthResult> {
  const { state, server, app, token } = presentedToken(p, serverId, form, authorization, query);
  const found = await lookupToken(p, state, server, token);
  if (!found) return json({ active: false });
  const iss = p.issuer(server);
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
  const pl = found.payload;
  if (found.kind === 'id') {
    return json({ active: true, token_type: 'Bearer', client_id: String(pl.aud), sub: String(pl.sub), iat: pl.iat, exp: pl.exp, aud: String(pl.aud), iss: pl.iss, jti: pl.jti });
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
    sub: String(pl.sub),
    aud: Array.isArray(pl.aud) ? (pl.aud[0] ?? '') : String(pl.aud),
    iss: pl.iss,
    jti: r.jti,
    ...(r.userId ? { uid: r.userId } : {}),
  });
}
