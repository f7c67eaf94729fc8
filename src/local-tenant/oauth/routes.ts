/**
 * Fastify wiring of the OAuth part: the OAuth/OIDC endpoints of every authorization server
 * (`/oauth2/{authServerId}/...`, `default` included). The logic is in actions/, behind service.ts.
 *
 * Parameters come from the query string (GET /authorize) or the form body (everything else; the tenant's body
 * step parses `application/x-www-form-urlencoded`, a repeated key arriving as an array). A repeated parameter is
 * refused with 400 invalid_request, as RFC 6749 (https://www.rfc-editor.org/rfc/rfc6749#section-3.1) requires.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TenantContext } from '../context.js';
import { oauthError } from '../errors.js';
import type { Form } from './client-auth.js';
import type { OAuthResult } from './provider.js';
import { OAuthService } from './service.js';

/** A query or form object → one string per parameter (repeated → 400 invalid_request). */
export function singleValued(raw: unknown): Form {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const out: Form = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (Array.isArray(v)) throw oauthError(400, 'invalid_request', `The '${k}' parameter was provided more than once.`);
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** Sends an endpoint's result. */
export function send(reply: FastifyReply, r: OAuthResult): FastifyReply {
  reply.code(r.status).headers(r.headers);
  return r.body === undefined ? reply.send() : reply.send(r.body);
}

const serverId = (req: FastifyRequest): string => (req.params as { authServerId: string }).authServerId;

/** Registers the routes; returns the service (tests and other parts may use it directly). The clock is
 *  `opts.now`, else the tenant's (`ctx.now`, i.e. the `clock` option). */
export function registerOAuthRoutes(app: FastifyInstance, ctx: TenantContext, opts: { now?: () => number } = {}): OAuthService {
  const svc = new OAuthService({ store: ctx.store, orgUrl: () => ctx.orgUrl, now: opts.now ?? ctx.now });
  const base = '/oauth2/:authServerId';

  for (const kind of ['oauth-authorization-server', 'openid-configuration'] as const) {
    app.get(`${base}/.well-known/${kind}`, async (req, reply) => send(reply, svc.metadata(serverId(req), kind, singleValued(req.query))));
  }
  app.get(`${base}/v1/keys`, async (req, reply) => send(reply, await svc.keys(serverId(req))));
  // /v1/authorize and /v1/logout (cookies, hosted pages) are registered by ../sessions/routes.ts.
  app.post(`${base}/v1/token`, async (req, reply) => send(reply, await svc.token(serverId(req), singleValued(req.body), req.headers.authorization)));
  app.post(`${base}/v1/introspect`, async (req, reply) =>
    send(reply, await svc.introspect(serverId(req), singleValued(req.body), req.headers.authorization, singleValued(req.query))),
  );
  app.post(`${base}/v1/revoke`, async (req, reply) =>
    send(reply, await svc.revoke(serverId(req), singleValued(req.body), req.headers.authorization, singleValued(req.query))),
  );
  app.get(`${base}/v1/userinfo`, async (req, reply) => send(reply, await svc.userinfo(serverId(req), req.headers.authorization)));
  app.post(`${base}/v1/userinfo`, async (req, reply) => send(reply, await svc.userinfo(serverId(req), req.headers.authorization)));
  return svc;
}
