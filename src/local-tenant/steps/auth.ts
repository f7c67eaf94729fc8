/**
 * ssws-auth: `Authorization: SSWS <token>` on every route except the public ones; a missing, malformed or wrong
 * token → 401 E0000011. Public are the OAuth/OIDC endpoints of authorization servers (`/oauth2/{as}/...`:
 * discovery, keys, authorize, token, introspect, revoke, userinfo; they authenticate clients and bearer tokens
 * themselves, https://developer.okta.com/docs/api/openapi/okta-oauth/guides/overview/) and routes registered with
 * `config: { sswsAuth: false }` (e.g. /api/v1/authn). Everything else, the management API and dynamic client
 * registration (/oauth2/v1/clients, https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/Client/),
 * needs the token: a new route is protected unless it is made public on purpose.
 *
 * The decision is taken on the route the router matched (steps/route-path.ts), never on the raw URL, so no
 * percent-encoding, case or suffix reaches a route without it. A request that matches no route gets no check: it
 * is answered 404 and reaches nothing.
 * The token is read from the store on every request, so `local reset --new-token` takes effect at once.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { StepFactory } from './types.js';
import { invalidToken } from '../errors.js';
import { isOAuthEndpoint, routePattern } from './route-path.js';

/** Does a route (its pattern and config) need the API token? */
export function routeRequiresSsws(pattern: string, config: { sswsAuth?: boolean } | undefined): boolean {
  if (config?.sswsAuth === false) return false;
  return !isOAuthEndpoint(pattern);
}

export function requiresSsws(req: FastifyRequest): boolean {
  const pattern = routePattern(req);
  if (pattern === undefined) return false;
  return routeRequiresSsws(pattern, req.routeOptions.config);
}

export function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const m = /^SSWS\s+(\S+)\s*$/i.exec(header);
  const given = m?.[1];
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const sswsAuthStep: StepFactory = (ctx) => ({
  name: 'ssws-auth',
  onRequest(req) {
    if (!requiresSsws(req)) return;
    if (!tokenMatches(req.headers.authorization, ctx.store.read().apiToken)) throw invalidToken();
  },
});
