/** Fastify wiring of `POST /api/v1/authn` (authn.ts). It needs no API token: it is how a user signs in. */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';
import { OAuthProvider } from '../oauth/provider.js';
import { send } from '../oauth/routes.js';
import { authn } from './authn.js';

export function registerAuthnRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const provider = new OAuthProvider({ store: ctx.store, orgUrl: () => ctx.orgUrl, now: ctx.now });
  app.post('/api/v1/authn', { config: { sswsAuth: false } }, async (req, reply) => send(reply, await authn(provider, req.body)));
}
