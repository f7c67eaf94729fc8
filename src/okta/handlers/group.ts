/**
 * okta:user_group — /api/v1/groups. Natural key: `profile.name` (Okta keeps group names unique, ignoring case,
 * so the match ignores case too; a difference in case then shows as an update of profile.name).
 *
 * Lookup: one or two keys → `q=<name>` each (not eventually consistent, unlike `search`, so a lookup right after
 * an ambiguous create sees the group); more → `search=profile.name eq "a" or profile.name eq "b" ...` in
 * URL-sized batches: 20 groups cost one request, not 20.
 *
 * Protected: Okta's BUILT_IN groups (Everyone), by the type of the group read by id; Okta does not allow deleting them either
 * (https://developer.okta.com/docs/concepts/universal-directory/#groups).
 */
import { customAttributeProblems, GROUP_BASE_ATTRIBUTES } from './profile-schema.js';
import { diffBody, get, keyOf, orExpressions, str, outcomeOf, unlessGone, keyAt, readAt, send } from './common.js';
import type { Handler, Obj } from './types.js';
import { isRecord } from '../../core/json.js';

const BASE = '/api/v1/groups';

function nameOf(o: Obj): string | undefined {
  return str(get(o, 'profile.name'));
}

export const groupHandler: Handler = {
  objectClass: 'okta:user_group',
  check: (body) => customAttributeProblems(body, GROUP_BASE_ATTRIBUTES, 'group'),
  destroyRank: 7,
  naturalKey(body) {
    return keyAt('okta:user_group', body, 'profile.name');
  },
  parentOf() {
    return {};
  },
  async findExisting(ctx, keys) {
    const names = keys.map((k) => k['profile.name'] ?? '');
    // The listings run side by side; the governor keeps them within the rate limits.
    const queries = names.length <= 2 ? names.map((n) => ({ q: n, limit: 10000 })) : orExpressions('profile.name', names).map((e) => ({ search: e, limit: 10000 }));
    const found = (await Promise.all(queries.map((q) => ctx.api.list<Obj>(BASE, q)))).flat();
    const out = new Map<string, Obj>();
    for (const k of keys) {
      const want = (k['profile.name'] ?? '').toLowerCase();
      const hit = found.find((g) => nameOf(g)?.toLowerCase() === want);
      if (hit) out.set(keyOf(k), hit);
    }
    return out;
  },
  createRequest(_ctx, body) {
    return Promise.resolve({ method: 'POST', path: BASE, body });
  },
  async create(ctx, body) {
    return send(ctx, await this.createRequest(ctx, body));
  },
  async update(ctx, existing, body) {
    const profile = { ...(isRecord(existing.profile) ? existing.profile : {}), ...(isRecord(body.profile) ? body.profile : {}) };
    return (await ctx.api.request<Obj>('PUT', `${BASE}/${encodeURIComponent(String(existing.id))}`, { body: { profile } })).body;
  },
  async delete(ctx, obj) {
    return outcomeOf(await unlessGone(() => ctx.api.request('DELETE', `${BASE}/${encodeURIComponent(obj.id)}`)));
  },
  diff(existing, body) {
    return diffBody(existing, body, ['type', 'objectClass']);
  },
  idOf(obj) {
    return String(obj.id);
  },
  read(ctx, id) {
    return readAt(ctx.api, `${BASE}/${encodeURIComponent(id)}`);
  },
  sameKey(_ctx, recorded, obj) {
    return Promise.resolve(nameOf(obj)?.toLowerCase() === recorded['profile.name']?.toLowerCase());
  },
  isProtected(_ctx, obj) {
    // GroupType BUILT_IN: "Group profile and memberships are managed by Okta and can't be modified" (Everyone), from
    // the group as read, whatever its name or id (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Group/)
    return Promise.resolve(obj.type === 'BUILT_IN');
  },
};
