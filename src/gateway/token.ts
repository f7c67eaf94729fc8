/**
 * Where the access token comes from, by the rules MuleSoft documents for its Mule 4 OAuth token-enforcement
 * policies ("OAuth 2 Policy Implementation", possible responses): the token is sent in the `Authorization`
 * header with the `Bearer` prefix, or in the `access_token` query parameter; 400 Bad Request when no token is
 * sent, when it is sent both ways, or when the header lacks the `Bearer` prefix.
 *
 * The scheme name is compared case-insensitively (RFC 7235 §2.1: auth schemes are case-insensitive).
 */

export type TokenExtraction =
  | { ok: true; token: string; from: 'header' | 'query' }
  | { ok: false; reason: string };

export interface TokenSource {
  /** The Authorization header(s) as node gives them. */
  authorization?: string | string[];
  /** The access_token query parameter(s). */
  accessToken?: string | string[];
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export function extractToken(src: TokenSource): TokenExtraction {
  const headers = src.authorization === undefined ? [] : Array.isArray(src.authorization) ? src.authorization : [src.authorization];
  const params = src.accessToken === undefined ? [] : Array.isArray(src.accessToken) ? src.accessToken : [src.accessToken];
  if (headers.length > 1) return { ok: false, reason: 'more than one Authorization header was sent' };
  if (params.length > 1) return { ok: false, reason: 'more than one access_token query parameter was sent' };
  const header = headers[0];
  const param = params[0];
  if (header !== undefined && param !== undefined) {
    return { ok: false, reason: 'the token was sent both in the Authorization header and in the access_token query parameter; send it one way' };
  }
  if (header !== undefined) {
    const token = BEARER.exec(header.trim())?.[1];
    if (!token) {
      const scheme = header.trim().split(/\s+/)[0] || '(empty)';
      if (!/^bearer$/i.test(scheme)) return { ok: false, reason: `the Authorization header must be "Bearer <access token>", not "${scheme} …"` };
      return header.trim().split(/\s+/).length === 1
        ? { ok: false, reason: 'the Authorization header has the Bearer prefix but no token' }
        : { ok: false, reason: 'the Authorization header must be "Bearer <access token>" with one token, not several words' };
    }
    return { ok: true, token, from: 'header' };
  }
  if (param !== undefined) {
    if (param.trim() === '') return { ok: false, reason: 'the access_token query parameter is empty' };
    return { ok: true, token: param.trim(), from: 'query' };
  }
  return { ok: false, reason: 'no access token: send "Authorization: Bearer <access token>" or the access_token query parameter' };
}
