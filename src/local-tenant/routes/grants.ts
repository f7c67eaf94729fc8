/**
 * The user consent grants /authorize records (sessions/store.ts: per server, client and user, the scope names
 * allowed), through Okta's User Grants API
 * (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserGrant/):
 *   GET    /api/v1/users/{userId}/grants[/{grantId}]          listUserGrants / getUserGrant
 *   DELETE /api/v1/users/{userId}/grants[/{grantId}]          revokeUserGrants / revokeUserGrant (204)
 *   GET    /api/v1/users/{userId}/clients/{clientId}/grants    listGrantsForUserAndClient
 *   DELETE /api/v1/users/{userId}/clients/{clientId}/grants    revokeGrantsForUserAndClient (204)
 * One grant object per scope, as Okta lists them; its id is derived from server, client, user and scope (`oag…`), so
 * the same grant keeps its id. A revoked scope is no longer allowed: the next request that needs it asks again.
 * `scopeId` holds the scope's name, as in the spec's example ("okta.users.read"); `_links` name only routes the
 * tenant serves.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TenantContext } from '../context.js';
import { notFound } from '../errors.js';
import { derivedId } from '../ids.js';
import { browserData } from '../sessions/store.js';
import { byId } from '../store.js';
import type { TenantState } from '../types.js';
import { link, params } from './util.js';
import { issuerOf } from './authorization-servers.js';

interface Grant {
  id: string;
  key: string;
  serverId: string;
  clientId: string;
  userId: string;
  scope: string;
  lastUpdated: string;
}

const grantId = (key: string, scope: string): string => derivedId('oag', key, scope);

function grantsOf(state: TenantState): Grant[] {
  const out: Grant[] = [];
  for (const [key, g] of Object.entries(browserData({ ...state.oauth }).consentGrants)) {
    const [serverId = '', clientId = '', userId = ''] = key.split('/');
    for (const scope of g.scopes) out.push({ id: grantId(key, scope), key, serverId, clientId, userId, scope, lastUpdated: new Date(g.lastUpdated * 1000).toISOString() });
  }
  return out;
}

function renderGrant(ctx: TenantContext, state: TenantState, g: Grant): Record<string, unknown> {
  const server = byId(state.authorizationServers, g.serverId);
  const scope = Object.values(server?.scopes ?? {}).find((s) => s.name === g.scope);
  return {
    id: g.id,
    status: 'ACTIVE',
    created: g.lastUpdated,
    createdBy: { id: g.userId, type: 'User' },
    lastUpdated: g.lastUpdated,
    issuer: server ? issuerOf(ctx, server) : `${ctx.orgUrl}/oauth2/${g.serverId}`,
    clientId: g.clientId,
    userId: g.userId,
    scopeId: g.scope,
    source: 'END_USER',
    _links: {
      self: link(ctx, `/api/v1/users/${g.userId}/grants/${g.id}`, ['GET', 'DELETE']),
      user: link(ctx, `/api/v1/users/${g.userId}`, ['GET']),
      app: link(ctx, `/api/v1/apps/${g.clientId}`, ['GET']),
      ...(scope ? { scope: link(ctx, `/api/v1/authorizationServers/${g.serverId}/scopes/${scope.id}`, ['GET']) } : {}),
    },
  };
}

/** 404 E0000007 for a user (and a client, when the route names one) that does not exist. */
function userOf(state: TenantState, userId: string, clientId?: string): void {
  if (!byId(state.users, userId)) throw notFound(userId, 'User');
  if (clientId !== undefined && !byId(state.apps, clientId)) throw notFound(clientId, 'Application');
}

export function registerGrantRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const base = '/api/v1/users/:userId/grants';
  const forClient = '/api/v1/users/:userId/clients/:clientId/grants';

  const listed = (keep: (g: Grant, p: Record<string, string>) => boolean) => (req: FastifyRequest, reply: FastifyReply) => {
    const p = params(req);
    const state = ctx.store.read();
    userOf(state, p.userId ?? '', p.clientId);
    return reply.send(grantsOf(state).filter((g) => keep(g, p)).map((g) => renderGrant(ctx, state, g)));
  };
  const revoked = (keep: (g: Grant, p: Record<string, string>) => boolean, one: boolean) => async (req: FastifyRequest, reply: FastifyReply) => {
    const p = params(req);
    await ctx.store.mutate((state) => {
      userOf(state, p.userId ?? '', p.clientId);
      const gone = grantsOf(state).filter((g) => keep(g, p));
      if (one && gone.length === 0) throw notFound(p.grantId ?? '', 'OAuth2ScopeConsentGrant');
      const data = browserData(state.oauth);
      for (const g of gone) {
        const rec = data.consentGrants[g.key];
        if (!rec) continue;
        rec.scopes = rec.scopes.filter((s) => s !== g.scope);
        if (rec.scopes.length === 0) delete data.consentGrants[g.key];
      }
    });
    return reply.code(204).send();
  };
  const mine = (g: Grant, p: Record<string, string>) => g.userId === p.userId;
  const theOne = (g: Grant, p: Record<string, string>) => mine(g, p) && g.id === p.grantId;
  const ofClient = (g: Grant, p: Record<string, string>) => mine(g, p) && g.clientId === p.clientId;

  app.get(base, listed(mine));
  app.get(`${base}/:grantId`, (req, reply) => {
    const p = params(req);
    const state = ctx.store.read();
    userOf(state, p.userId ?? '');
    const g = grantsOf(state).find((x) => theOne(x, p));
    if (!g) throw notFound(p.grantId ?? '', 'OAuth2ScopeConsentGrant');
    return reply.send(renderGrant(ctx, state, g));
  });
  app.get(forClient, listed(ofClient));
  app.delete(base, revoked(mine, false));
  app.delete(`${base}/:grantId`, revoked(theOne, true));
  app.delete(forClient, revoked(ofClient, false));
}
