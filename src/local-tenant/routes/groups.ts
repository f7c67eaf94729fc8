/**
 * /api/v1/groups: list (q, search, filter, paging, expand=stats), create (200), get, replace, delete (204);
 * members: GET /api/v1/groups/{id}/users, PUT/DELETE /api/v1/groups/{id}/users/{userId} (204).
 *
 * - Group names are unique, case-insensitively (reported from real orgs; not in Okta's docs): 400 E0000001
 *   "profile.name: An object with this field already exists in the current organization".
 * - The built-in Everyone group (type BUILT_IN) holds every user; it cannot be changed, deleted, or have
 *   members added or removed: 403 E0000006 (the spec lists 403 for these operations).
 * - `q` matches the start of the name, is not pageable ("You can't page a query") and defaults to 300 results.
 */
import { GROUP_BASE_PROFILE, refuseUndefinedProperties } from '../profile-schema.js';
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';
import { MSG, Problems, forbidden, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { paginate, predicate, queryString, type Op } from '../query.js';
import type { GroupRecord, TenantState, UserRecord } from '../types.js';
import { bodyObject, isObject, link, params, sameText, str } from './util.js';
import { getUser, renderUser } from './users.js';
import { byId } from '../store.js';

export function getGroup(state: TenantState, id: string): GroupRecord {
  const g = byId(state.groups, id);
  if (!g) throw notFound(id, 'UserGroup');
  return g;
}

export function isMember(state: TenantState, group: GroupRecord, user: UserRecord): boolean {
  return group.id === state.everyoneGroupId || user.groupIds.includes(group.id);
}

export function membersOf(state: TenantState, group: GroupRecord): UserRecord[] {
  return Object.values(state.users).filter((u) => isMember(state, group, u));
}

export function renderGroup(ctx: TenantContext, g: GroupRecord, state?: TenantState, expandStats = false): Record<string, unknown> {
  const base = `/api/v1/groups/${g.id}`;
  const out: Record<string, unknown> = {
    id: g.id,
    created: g.created,
    lastUpdated: g.lastUpdated,
    lastMembershipUpdated: g.lastMembershipUpdated,
    objectClass: ['okta:user_group'],
    type: g.type,
    profile: { name: g.profile.name, ...(g.profile.description !== undefined ? { description: g.profile.description } : {}) },
    // Okta also links the group's logos and apps: the tenant serves neither, and links only routes it serves.
    _links: {
      users: link(ctx, `${base}/users`),
    },
  };
  if (expandStats && state) {
    const apps = Object.values(state.apps).filter((a) => byId(a.groupAssignments, g.id)).length;
    out._embedded = { stats: { usersCount: membersOf(state, g).length, appsCount: apps, groupPushMappingsCount: 0, hasAdminPrivlege: false /* sic: the spec's spelling */ } };
  }
  return out;
}

const DATE_OPS: Op[] = ['eq', 'gt', 'ge', 'lt', 'le'];
const SEARCH_RULES = {
  attrs: {
    id: ['eq', 'sw'] as Op[],
    type: ['eq', 'sw'] as Op[],
    created: DATE_OPS,
    lastUpdated: DATE_OPS,
    lastMembershipUpdated: DATE_OPS,
    'source.id': ['eq'] as Op[],
    'profile.name': ['eq', 'sw', 'co'] as Op[],
    'profile.description': ['eq', 'sw', 'co'] as Op[],
    'profile.*': ['eq', 'sw'] as Op[],
  },
};
const FILTER_RULES = { attrs: { id: ['eq'] as Op[], type: ['eq'] as Op[], lastUpdated: DATE_OPS, lastMembershipUpdated: DATE_OPS } };

function validateGroup(state: TenantState, body: Record<string, unknown>, selfId?: string): GroupRecord['profile'] {
  const p = new Problems();
  const profile = isObject(body.profile) ? body.profile : undefined;
  if (!profile) {
    p.add('profile', MSG.blank);
    p.throwIfAny();
  }
  refuseUndefinedProperties(profile!, GROUP_BASE_PROFILE, selfId === undefined ? 'newGroup' : 'group');
  const name = str(p, profile!, 'name', 'profile.name', { required: true, max: 255 });
  const description = str(p, profile!, 'description', 'profile.description', { max: 1024 });
  if (name && Object.values(state.groups).some((g) => g.id !== selfId && sameText(g.profile.name, name))) p.add('profile.name', MSG.duplicate);
  p.throwIfAny();
  return { name: name!, ...(description !== undefined ? { description } : {}) };
}

export function registerGroupRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const base = '/api/v1/groups';

  app.get(base, async (req, reply) => {
    const state = ctx.store.read();
    const q = queryString(req, 'q');
    const search = predicate(queryString(req, 'search'), SEARCH_RULES);
    const filter = predicate(queryString(req, 'filter'), FILTER_RULES);
    const stats = queryString(req, 'expand') === 'stats';
    let items = Object.values(state.groups);
    if (search || filter) {
      const views = items.map((g) => ({ g, view: renderGroup(ctx, g) }));
      items = views.filter(({ view }) => (!search || search(view)) && (!filter || filter(view))).map(({ g }) => g);
    }
    let page: GroupRecord[];
    if (q !== undefined) {
      const ql = q.toLowerCase();
      items = items.filter((g) => g.profile.name.toLowerCase().startsWith(ql));
      page = paginate(req, reply, ctx.orgUrl, items, (g) => g.id, { defaultLimit: 300, maxLimit: 10000, pageable: false });
    } else {
      page = paginate(req, reply, ctx.orgUrl, items, (g) => g.id, { defaultLimit: 10000, maxLimit: 10000 });
    }
    return page.map((g) => renderGroup(ctx, g, state, stats));
  });

  app.post(base, async (req) => {
    const body = bodyObject(req);
    const rec = await ctx.store.mutate((state) => {
      const profile = validateGroup(state, body);
      const now = nowIso(ctx.now());
      const g: GroupRecord = { id: newId('00g'), type: 'OKTA_GROUP', profile, created: now, lastUpdated: now, lastMembershipUpdated: now };
      state.groups[g.id] = g;
      return g;
    });
    return renderGroup(ctx, rec);
  });

  app.get(`${base}/:groupId`, (req) => {
    const state = ctx.store.read();
    return renderGroup(ctx, getGroup(state, params(req).groupId!), state, queryString(req, 'expand') === 'stats');
  });

  app.put(`${base}/:groupId`, async (req) => {
    const body = bodyObject(req);
    const id = params(req).groupId!;
    const rec = await ctx.store.mutate((state) => {
      const g = getGroup(state, id);
      if (g.type !== 'OKTA_GROUP') throw forbidden();
      g.profile = validateGroup(state, body, id);
      g.lastUpdated = nowIso(ctx.now());
      return g;
    });
    return renderGroup(ctx, rec);
  });

  app.delete(`${base}/:groupId`, async (req, reply) => {
    const id = params(req).groupId!;
    await ctx.store.mutate((state) => {
      const g = getGroup(state, id);
      if (g.type === 'BUILT_IN') throw forbidden();
      delete state.groups[id];
      for (const u of Object.values(state.users)) {
        if (u.groupIds.includes(id)) u.groupIds = u.groupIds.filter((x) => x !== id);
      }
      for (const a of Object.values(state.apps)) delete a.groupAssignments[id];
    });
    return reply.code(204).send();
  });

  app.get(`${base}/:groupId/users`, async (req, reply) => {
    const state = ctx.store.read();
    const g = getGroup(state, params(req).groupId!);
    const page = paginate(req, reply, ctx.orgUrl, membersOf(state, g), (u) => u.id, { defaultLimit: 1000, maxLimit: 10000 });
    return page.map((u) => renderUser(ctx, state, u, { list: true }));
  });

  for (const method of ['PUT', 'DELETE'] as const) {
    app.route({
      method,
      url: `${base}/:groupId/users/:userId`,
      handler: async (req, reply) => {
        const { groupId, userId } = params(req);
        await ctx.store.mutate((state) => {
          const g = getGroup(state, groupId!);
          const u = getUser(state, userId!);
          if (g.type !== 'OKTA_GROUP') throw forbidden();
          const has = u.groupIds.includes(g.id);
          if (method === 'PUT' && !has) u.groupIds = [...u.groupIds, g.id];
          else if (method === 'DELETE' && has) u.groupIds = u.groupIds.filter((x) => x !== g.id);
          else return;
          g.lastMembershipUpdated = nowIso(ctx.now());
        });
        return reply.code(204).send();
      },
    });
  }
}
