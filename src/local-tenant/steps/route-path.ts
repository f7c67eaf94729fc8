/**
 * What the router matched, for every step that decides by path (ssws-auth, rateLimit, faults, specCheck, the
 * content-type rules). Steps must never look at the raw `req.url`: the router percent-decodes it before matching,
 * so `/%61pi/v1/groups` reaches the `/api/v1/groups` route while its raw text starts with `/%61pi`. Deciding on
 * the route the router chose (its pattern and decoded parameters) leaves no spelling of a path that reaches a
 * route without the checks of that route.
 */
import type { FastifyRequest } from 'fastify';

/** The pattern of the matched route (`/api/v1/groups/:groupId`), or undefined when no route matched (404). */
export function routePattern(req: FastifyRequest): string | undefined {
  return req.routeOptions.url;
}

/**
 * The canonical path of the request: the matched pattern with each parameter replaced by its value,
 * percent-encoded again (so a decoded `/` in an id cannot add a segment). Without a matched route, the raw path
 * without the query string (such a request is answered 404 and reaches no route).
 */
export function routePath(req: FastifyRequest): string {
  const pattern = routePattern(req);
  if (pattern === undefined) return req.url.split('?')[0] ?? req.url;
  const values = (req.params ?? {}) as Record<string, unknown>;
  return pattern.replace(/:([A-Za-z0-9_]+)/g, (whole: string, name: string) => {
    const v = Object.hasOwn(values, name) ? values[name] : undefined;
    return typeof v === 'string' ? encodeURIComponent(v) : whole;
  });
}

/** The prefix of the OAuth/OIDC endpoints of custom authorization servers (`/oauth2/{authServerId}/...`). */
export const OAUTH_ENDPOINT_PREFIX = '/oauth2/:authServerId/';

/** A route of an authorization server's OAuth/OIDC endpoints (discovery, keys, authorize, token, ...). */
export function isOAuthEndpoint(pattern: string): boolean {
  return pattern.startsWith(OAUTH_ENDPOINT_PREFIX);
}

/**
 * POST endpoints that take only `application/x-www-form-urlencoded` bodies: token, introspect, revoke (and
 * authorize, userinfo), as https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/ declares and
 * RFC 6749 §4.1.3 / RFC 7662 §2.1 / RFC 7009 §2.1 require; and the forms of the hosted pages (`/login/...`, HTML forms).
 */
export function isFormEndpoint(method: string, pattern: string | undefined): boolean {
  return method === 'POST' && pattern !== undefined && (pattern.startsWith(`${OAUTH_ENDPOINT_PREFIX}v1/`) || pattern.startsWith('/login/'));
}
