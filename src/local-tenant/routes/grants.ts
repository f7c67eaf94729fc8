/**
 * The user consent grants the tenant records (../oauth/consent.ts), through Okta's User Grants API
 * (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserGrant/):
 *   GET    /api/v1/users/{userId}/grants[/{grantId}]          listUserGrants / getUserGrant
 *   DELETE /api/v1/users/{userId}/grants[/{grantId}]          revokeUserGrants / revokeUserGrant (204)
 *   GET    /api/v1/users/{userId}/clients/{clientId}/grants    listGrantsForUserAndClient
 *   DELETE /api/v1/users/{userId}/clients/{clientId}/grants    revokeGrantsForUserAndClient (204)
 * A revoked grant is gone: the next authorization request that needs it asks for consent again.
 * `scopeId` holds the scope's name, as in the spec's example ("okta.users.read"); `_links` name only routes the
 * tenant serves.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { consentGrants, type ConsentGrantRecord } from '../oauth/consent.js';
import { byId } from '../store.js';
import type { TenantState } from '../types.js';
import { link, params } from './util.js';

function renderGrant(ctx: TenantContext, g: ConsentGrantRecord): Record<string, unknown> {
  return {
    id: g.id,
    status: 'ACTIVE',
    created: g.created,
    createdBy: { id: g.userId, type: 'User' },
    lastUpdated: g.lastUpdated,
    issuer: g.issuer,
    clientId: g.clientId,
    userId: g.userId,
    scopeId: g.scopeName,
    source: 'END_USER',
    _links: {
      self: link(ctx, `/api/v1/users/${g.userId}/grants/${g.id}`, ['GET', 'DELETE']),
      user: link(ctx, `/api/v1/users/${g.userId}`, ['GET']),
      app: link(ctx, `/api/v1/apps/${g.clientId}`, ['GET']),
      scope: link(ctx, `/api/v1/authorizationServers/${g.serverId}/scopes/${g.scopeId}`, ['GET']),
    },
  };
}

/** 404 E0000007 for a user (and a client, when the route names one) that does not exist. */
function userOf(state: TenantState, userId: string, clientId?: string): void {
  if (!byId(state.users, userId)) throw notFound(userId, 'User');
  if (clientId !== undefined && !byId(state.apps, clientId)) throw notFound(clientId, 'Application');
}

const sameUser = (userId: string) => (g: ConsentGrantRecord) => g.userId === userId;

export function registerGrantRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const base = '/api/v1/users/:userId/grants';
  const forClient = '/api/v1/users/:userId/clients/:clientId/grants';

  const list = (state: TenantState, keep: (g: ConsentGrantRecord) => boolean) => Object.values(consentGrants(state.oauth)).filter(keep);
  const revoke = (keep: (p: Record<string, string>) => (g: ConsentGrantRecord) => boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    const p = params(req);
    await ctx.store.mutate((state) => {
      userOf(state, p.userId ?? '', p.clientId);
      const grants = consentGrants(state.oauth);
      for (const g of Object.values(grants).filter(keep(p))) delete grants[g.id];
    });
    return reply.code(204).send();
  };

  app.get(base, (req, reply) => {
    const { userId = '' } = params(req);
    const state = ctx.store.read();
    userOf(state, userId);
    return reply.send(list(state, sameUser(userId)).map((g) => renderGrant(ctx, g)));
  });
  app.get(`${base}/:grantId`, (req, reply) => {
    const { userId = '', grantId = '' } = params(req);
    const state = ctx.store.read();
    userOf(state, userId);
    const g = byId(consentGrants(state.oauth), grantId);
    if (!g || g.userId !== userId) throw notFound(grantId, 'OAuth2ScopeConsentGrant');
    return reply.send(renderGrant(ctx, g));
  });
  app.get(forClient, (req, reply) => {
    const { userId = '', clientId = '' } = params(req);
    const state = ctx.store.read();
    userOf(state, userId, clientId);
    return reply.send(list(state, (g) => g.userId === userId && g.clientId === clientId).map((g) => renderGrant(ctx, g)));
  });
  app.delete(base, revoke((p) => sameUser(p.userId ?? '')));
  app.delete(`${base}/:grantId`, async (req, reply) => {
    const { userId = '', grantId = '' } = params(req);
    await ctx.store.mutate((state) => {
      userOf(state, userId);
      const grants = consentGrants(state.oauth);
      const g = byId(grants, grantId);
      if (!g || g.userId !== userId) throw notFound(grantId, 'OAuth2ScopeConsentGrant');
      delete grants[g.id];
    });
    return reply.code(204).send();
  });
  app.delete(forClient, revoke((p) => (g) => g.userId === (p.userId ?? '') && g.clientId === (p.clientId ?? '')));
}
