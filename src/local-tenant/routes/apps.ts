/**
 * /api/v1/apps (the parts okta-bootstrap uses): list (q, filter, paging), get, group assignments
 * (PUT 200, GET one, GET list, DELETE 204), lifecycle activate/deactivate (200, `{}`), delete (204).
 * Every app here is an OIDC app (`name: oidc_client`, signOnMode OPENID_CONNECT), made by dynamic client
 * registration (clients.ts) with the same id as its client_id.
 *
 * Deleting an ACTIVE app: the spec says deleteApplication "Deletes an inactive application" and lists only
 * 403/404/429, no 400; Okta's error-code list has E0000056 "Delete application forbidden." (403), which is what
 * this tenant answers. Deactivate first, then delete (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Application/).
 */
import { pkceRequired } from '../oauth/pkce.js';
import { revokeTokensOf } from '../oauth/tokens/revoke.js';
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';
import { Problems, notFound, oktaError } from '../errors.js';
import { nowIso } from '../ids.js';
import { paginate, predicate, queryString, type Op } from '../query.js';
import type { AppGroupAssignmentRecord, AppRecord, JsonObject, TenantState } from '../types.js';
import { getGroup } from './groups.js';
import { int, isObject, jsonCopy, link, optionalBodyObject, params, registerLifecycle } from './util.js';
import { byId } from '../store.js';

export function getApp(state: TenantState, id: string): AppRecord {
  const a = byId(state.apps, id);
  if (!a) throw notFound(id, 'Application');
  return a;
}

export function renderApp(ctx: TenantContext, a: AppRecord): Record<string, unknown> {
  const base = `/api/v1/apps/${a.id}`;
  const metadata = a.metadata;
  const settingsClient: Record<string, unknown> = {
    ...(typeof metadata.client_uri === 'string' ? { client_uri: metadata.client_uri } : {}),
    ...(typeof metadata.logo_uri === 'string' ? { logo_uri: metadata.logo_uri } : {}),
    redirect_uris: a.redirectUris,
    ...(Array.isArray(a.postLogoutRedirectUris) ? { post_logout_redirect_uris: a.postLogoutRedirectUris } : {}),
    response_types: a.responseTypes,
    grant_types: a.grantTypes,
    application_type: a.applicationType,
    consent_method: 'REQUIRED',
    issuer_mode: 'ORG_URL',
  };
  for (const k of ['initiate_login_uri', 'policy_uri', 'tos_uri', 'jwks_uri'] as const) {
    if (typeof metadata[k] === 'string') settingsClient[k] = metadata[k];
  }
  return {
    id: a.id,
    name: 'oidc_client',
    label: a.label,
    status: a.status,
    created: a.created,
    lastUpdated: a.lastUpdated,
    accessibility: { selfService: false },
    visibility: { autoSubmitToolbar: false, hide: { iOS: true, web: true }, appLinks: { oidc_client_link: true } },
    features: [],
    signOnMode: 'OPENID_CONNECT',
    credentials: {
      userNameTemplate: { template: '${source.login}', type: 'BUILT_IN' },
      oauthClient: { autoKeyRotation: true, client_id: a.id, token_endpoint_auth_method: a.tokenEndpointAuthMethod, pkce_required: pkceRequired(a) },
    },
    settings: { oauthClient: settingsClient },
    // Okta also links the app's sign-in link, logo and users: the tenant serves none of them, and links only
    // routes it serves.
    _links: {
      groups: link(ctx, `${base}/groups`),
      self: link(ctx, base, ['GET', 'DELETE']),
      ...(a.status === 'ACTIVE'
        ? { deactivate: link(ctx, `${base}/lifecycle/deactivate`, ['POST']) }
        : { activate: link(ctx, `${base}/lifecycle/activate`, ['POST']) }),
    },
  };
}

export function renderAssignment(ctx: TenantContext, appId: string, x: AppGroupAssignmentRecord): Record<string, unknown> {
  return {
    id: x.groupId,
    lastUpdated: x.lastUpdated,
    priority: x.priority,
    profile: x.profile,
    _links: {
      app: link(ctx, `/api/v1/apps/${appId}`),
      self: link(ctx, `/api/v1/apps/${appId}/groups/${x.groupId}`),
      group: link(ctx, `/api/v1/groups/${x.groupId}`),
    },
  };
}

const FILTER_RULES = { attrs: { id: ['eq'] as Op[], status: ['eq'] as Op[], name: ['eq'] as Op[], 'credentials.signing.kid': ['eq'] as Op[], 'settings.slo.enabled': ['eq'] as Op[] } };

export function registerAppRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const base = '/api/v1/apps';

  app.get(base, async (req, reply) => {
    const q = queryString(req, 'q')?.toLowerCase();
    const filter = predicate(queryString(req, 'filter'), FILTER_RULES);
    let items = Object.values(ctx.store.read().apps).map((a) => renderApp(ctx, a));
    if (q) items = items.filter((a) => String(a.name).toLowerCase().startsWith(q) || String(a.label).toLowerCase().startsWith(q));
    if (filter) items = items.filter(filter);
    return paginate(req, reply, ctx.orgUrl, items, (a) => String(a.id), { maxLimit: 200 });
  });

  app.get(`${base}/:appId`, (req) => renderApp(ctx, getApp(ctx.store.read(), params(req).appId!)));

  app.delete(`${base}/:appId`, async (req, reply) => {
    const id = params(req).appId!;
    await ctx.store.mutate((state) => {
      const a = getApp(state, id);
      if (a.status === 'ACTIVE') throw oktaError(403, 'E0000056', 'Delete application forbidden.', [`${id}: Deactivate the application before deleting it`]);
      delete state.apps[id];
    });
    return reply.code(204).send();
  });

  // 200 with no body: the spec declares no body for these (Okta itself sends `{}`).
  // Deactivating an app revokes its tokens (oauth/tokens/revoke.ts).
  registerLifecycle(app, ctx, `${base}/:appId`, (state, p) => getApp(state, p.appId!), { code: 200 }, (a, state) => {
    if (a.status === 'INACTIVE') revokeTokensOf(state, { clientId: a.id });
  });

  app.get(`${base}/:appId/groups`, async (req, reply) => {
    const state = ctx.store.read();
    const a = getApp(state, params(req).appId!);
    const q = queryString(req, 'q')?.toLowerCase();
    let items = Object.values(a.groupAssignments).sort((x, y) => x.priority - y.priority);
    if (q) items = items.filter((x) => byId(state.groups, x.groupId)?.profile.name.toLowerCase().startsWith(q));
    const page = paginate(req, reply, ctx.orgUrl, items, (x) => x.groupId, { defaultLimit: 20, maxLimit: 200 });
    return page.map((x) => renderAssignment(ctx, a.id, x));
  });

  app.get(`${base}/:appId/groups/:groupId`, (req) => {
    const { appId, groupId } = params(req);
    const a = getApp(ctx.store.read(), appId!);
    const x = byId(a.groupAssignments, groupId!);
    if (!x) throw notFound(groupId!, 'ApplicationGroupAssignment');
    return renderAssignment(ctx, a.id, x);
  });

  app.put(`${base}/:appId/groups/:groupId`, async (req) => {
    const body = optionalBodyObject(req);
    const { appId, groupId } = params(req);
    const rec = await ctx.store.mutate((state) => {
      const a = getApp(state, appId!);
      getGroup(state, groupId!);
      const p = new Problems();
      const priority = int(p, body, 'priority', 'priority');
      if (priority !== undefined && priority < 0) p.add('priority', 'The priority must be 0 or more');
      if (body.profile !== undefined && body.profile !== null && !isObject(body.profile)) p.add('profile', 'The field must be an object');
      p.throwIfAny();
      const existing = byId(a.groupAssignments, groupId!);
      const x: AppGroupAssignmentRecord = {
        groupId: groupId!,
        priority: priority ?? existing?.priority ?? Object.keys(a.groupAssignments).length,
        profile: isObject(body.profile) ? jsonCopy(body.profile as JsonObject) : existing?.profile ?? {},
        lastUpdated: nowIso(ctx.now()),
      };
      a.groupAssignments[groupId!] = x;
      return x;
    });
    return renderAssignment(ctx, appId!, rec);
  });

  app.delete(`${base}/:appId/groups/:groupId`, async (req, reply) => {
    const { appId, groupId } = params(req);
    await ctx.store.mutate((state) => {
      const a = getApp(state, appId!);
      if (!byId(a.groupAssignments, groupId!)) throw notFound(groupId!, 'ApplicationGroupAssignment');
      delete a.groupAssignments[groupId!];
    });
    return reply.code(204).send();
  });
}
