/**
 * ssws-auth: `Authorization: SSWS <token>` on the management API (/api/v1/**) and on dynamic client
 * registration (/oauth2/v1/clients**), as Okta requires. A missing, malformed or wrong token → 401 E0000011.
 * Not on the OAuth endpoints (/oauth2/{as}/v1/token, keys, ...), and not on routes registered with
 * `config: { sswsAuth: false }` (e.g. /api/v1/authn, which the OAuth part adds).
 * The token is read from the store on every request, so `local reset --new-token` takes effect at once.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { StepFactory } from './types.js';
import { invalidToken } from '../errors.js';

/** Paths under /api/v1 that never need the API token. */
export const PUBLIC_API_PATHS = new Set(['/api/v1/authn']);

export function requiresSsws(req: FastifyRequest): boolean {
  if (req.routeOptions.config?.sswsAuth === false) return false;
  const path = req.url.split('?')[0]!;
  if (path.startsWith('/api/v1/') || path === '/api/v1') return !PUBLIC_API_PATHS.has(path);
  return path === '/oauth2/v1/clients' || path.startsWith('/oauth2/v1/clients/');
}

export function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const m = /^SSWS\s+(\S+)\s*$/i.exec(header);
  if (!m) return false;
  const given = Buffer.from(m[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const sswsAuthStep: StepFactory = (ctx) => ({
  name: 'ssws-auth',
  onRequest(req) {
    if (!requiresSsws(req)) return;
    if (!tokenMatches(req.headers.authorization, ctx.store.read().apiToken)) throw invalidToken();
  },
});
