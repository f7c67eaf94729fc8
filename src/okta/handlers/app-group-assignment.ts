/**
 * okta:app_group_assignment — /api/v1/apps/{appId}/groups/{groupId}. Body: `{appId, groupId, priority?, profile?}`
 * (appId may come from the entry's oktaEndpoint `/api/v1/apps/{appId}/groups/{groupId}` instead). `groupId` may be
 * the name "Everyone": the built-in group, whose id differs per org, is looked up (once per client).
 * Natural key: {groupId} within the parent app; the assignment's Okta `id` is the group id.
 * Lookup: one listing of the app's assignments covers every key of that app. Create and update are the same
 * idempotent PUT; delete is DELETE (404 = already gone).
 */
import { UsageError } from '../../core/errors.js';
import type { OktaApi } from '../client.js';
import { diffBody, keyOf, need, parentFromEndpoint, pick, readAt, resolveGroupId, str, outcomeOf, unlessGone } from './common.js';
import type { CreateRequest, FieldDiff, Handler, HandlerContext, Obj } from './types.js';

const EXAMPLE = '/api/v1/apps/{{CLIENT.client_id}}/groups/{{GROUP.id}}';

function groupRef(body: Obj): string {
  const g = str(body.groupId) ?? str(body.id);
  if (!g) throw new UsageError('okta:app_group_assignment needs "groupId" in its body', { object: 'okta:app_group_assignment', suggestion: 'Give {"appId": ..., "groupId": ...}; groupId may be "Everyone".' });
  return g;
}

/** The assignments of one app, keyed by group id. */
export async function appAssignments(api: OktaApi, appId: string): Promise<Map<string, Obj>> {
  const list = await api.list<Obj>(`/api/v1/apps/${encodeURIComponent(appId)}/groups`, { limit: 200 });
  return new Map(list.map((a) => [String(a.id), a]));
}

/** PUT /api/v1/apps/{appId}/groups/{groupId}: assigns (or re-assigns) a group; idempotent. */
async function assignRequest(api: OktaApi, appId: string, groupRefOrId: string, body?: Obj): Promise<{ req: CreateRequest; gid: string }> {
  const gid = await resolveGroupId(api, groupRefOrId);
  const path = `/api/v1/apps/${encodeURIComponent(appId)}/groups/${encodeURIComponent(gid)}`;
  return { gid, req: { method: 'PUT', path, ...(body && Object.keys(body).length > 0 ? { body } : {}) } };
}

export async function assignGroup(api: OktaApi, appId: string, groupRefOrId: string, body?: Obj): Promise<Obj> {
  const { req, gid } = await assignRequest(api, appId, groupRefOrId, body);
  const res = await api.request<Obj>(req.method, req.path, req.body ? { body: req.body } : {});
  return res.body ?? { id: gid };
}

/** Assigns the groups an app lacks, after one listing of its assignments. Returns the change, if any. */
export async function ensureAppGroups(api: OktaApi, appId: string, groupRefs: string[]): Promise<FieldDiff[]> {
  if (groupRefs.length === 0) return [];
  const [want, have] = await Promise.all([Promise.all(groupRefs.map((g) => resolveGroupId(api, g))), appAssignments(api, appId)]);
  const missing = want.filter((g) => !have.has(g));
  for (const gid of missing) await assignGroup(api, appId, gid);
  return missing.length === 0 ? [] : [{ path: 'groups', before: want.filter((g) => have.has(g)), after: want }];
}

function appIdOf(ctx: HandlerContext): string {
  return decodeURIComponent(need(ctx.parent, 'appId', 'okta:app_group_assignment', EXAMPLE));
}

export const appGroupAssignmentHandler: Handler = {
  objectClass: 'okta:app_group_assignment',
  destroyRank: 4,
  naturalKey(body) {
    return { groupId: groupRef(body) };
  },
  parentOf(body, endpoint): Record<string, string> {
    const fromEndpoint = parentFromEndpoint(endpoint);
    const appId = str(body.appId) ?? fromEndpoint.appId;
    return appId ? { appId } : {};
  },
  async findExisting(ctx, keys) {
    // The app's assignments and the Everyone group's id (when asked by name) are read side by side.
    const [have, gids] = await Promise.all([appAssignments(ctx.api, appIdOf(ctx)), Promise.all(keys.map((k) => resolveGroupId(ctx.api, k.groupId ?? '')))]);
    const out = new Map<string, Obj>();
    keys.forEach((k, i) => {
      const gid = gids[i];
      const hit = gid === undefined ? undefined : have.get(gid);
      if (hit) out.set(keyOf(k), hit);
    });
    return out;
  },
  async createRequest(ctx, body) {
    return (await assignRequest(ctx.api, appIdOf(ctx), groupRef(body), pick(body, ['priority', 'profile']))).req;
  },
  async create(ctx, body) {
    return assignGroup(ctx.api, appIdOf(ctx), groupRef(body), pick(body, ['priority', 'profile']));
  },
  async update(ctx, existing, body) {
    return assignGroup(ctx.api, appIdOf(ctx), String(existing.id), pick(body, ['priority', 'profile']));
  },
  async delete(ctx, obj) {
    return outcomeOf(await unlessGone(() => ctx.api.request('DELETE', `/api/v1/apps/${encodeURIComponent(appIdOf(ctx))}/groups/${encodeURIComponent(obj.id)}`)));
  },
  read(ctx, id) {
    return readAt(ctx.api, `/api/v1/apps/${encodeURIComponent(appIdOf(ctx))}/groups/${encodeURIComponent(id)}`);
  },
  async sameKey(ctx, recorded, obj) {
    // recorded as the name "Everyone" (its id differs per org) or as a group id; the assignment's id is the group's
    return recorded.groupId !== undefined && (await resolveGroupId(ctx.api, recorded.groupId)) === obj.id;
  },
  diff(existing, body) {
    return diffBody(existing, pick(body, ['priority', 'profile']));
  },
  idOf(obj) {
    return String(obj.id);
  },
  // An app has one assignment per group (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationGroups/):
  // two inputs that assign the same app to Everyone use one assignment; priority and profile count.
  shareable: { ignoredFields: [] },
};
