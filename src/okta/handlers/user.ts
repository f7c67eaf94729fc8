/**
 * okta:user — /api/v1/users. Natural key: `profile.login` (case-insensitive, as Okta compares logins).
 *
 * - Lookup: `filter=profile.login eq "a" or profile.login eq "b" ...` in URL-sized batches (filter, unlike search,
 *   is not eventually consistent; it also returns DEPROVISIONED users, whose login is still taken).
 * - Create: `POST /api/v1/users?activate=true` with the body as given (profile, credentials, groupIds). Okta takes
 *   up to 20 groupIds on create; the rest are added as memberships. The name "Everyone" in groupIds is dropped:
 *   every user is in the built-in Everyone group.
 * - Update: `POST /api/v1/users/{id}` with the profile only (a partial update). Passwords and recovery answers are
 *   write-only: they are never compared and never re-sent, so a re-run does not reset a user's password.
 * - groupIds are memberships, not a field of the user: `ensure` lists the members of each group named (one paged
 *   listing per group, cached per client, so 300 users in 20 groups cost 20 requests) and adds the missing ones
 *   with `PUT /api/v1/groups/{gid}/users/{uid}`. Memberships are only added, never removed.
 * - Delete: deactivate, then DELETE (Okta deletes only DEPROVISIONED users). 404 counts as done; a 400 on
 *   deactivate (already deprovisioned) does not stop the DELETE.
 */
import { customAttributeProblems, USER_BASE_ATTRIBUTES } from './profile-schema.js';
import { OktaApiError } from '../../core/errors.js';
import type { OktaApi } from '../client.js';
import { diffBody, get, isEveryone, keyOf, orExpressions, str, outcomeOf, unlessGone, keyAt, readAt, send } from './common.js';
import type { FieldDiff, Handler, HandlerContext, Obj } from './types.js';

const BASE = '/api/v1/users';
const MAX_CREATE_GROUPS = 20;
/** Write-only or Okta-managed parts of a user; never differences. */
const IGNORE = ['credentials.password', 'credentials.recovery_question.answer', 'credentials.provider', 'groupIds', 'type', 'activated', 'statusChanged', 'lastLogin', 'passwordChanged', 'transitioningToStatus', 'realmId'];

function loginOf(o: Obj): string | undefined {
  return str(get(o, 'profile.login'));
}

function groupIdsOf(body: Obj): string[] {
  return Array.isArray(body.groupIds) ? body.groupIds.filter((g): g is string => typeof g === 'string' && !isEveryone(g)) : [];
}

/** group id → promise of the set of member user ids, per client. */
const members = new WeakMap<OktaApi, Map<string, Promise<Set<string>>>>();

function membersOf(api: OktaApi, gid: string): Promise<Set<string>> {
  let m = members.get(api);
  if (!m) members.set(api, (m = new Map<string, Promise<Set<string>>>()));
  let p = m.get(gid);
  if (!p) {
    p = api.list<Obj>(`/api/v1/groups/${encodeURIComponent(gid)}/users`, { limit: 200 }).then((us) => new Set(us.map((u) => String(u.id))));
    const map = m;
    p.catch(() => map.delete(gid));
    m.set(gid, p);
  }
  return p;
}

async function addMembership(ctx: HandlerContext, gid: string, uid: string): Promise<void> {
  await ctx.api.request('PUT', `/api/v1/groups/${encodeURIComponent(gid)}/users/${encodeURIComponent(uid)}`);
}

export const userHandler: Handler = {
  objectClass: 'okta:user',
  check: (body) => customAttributeProblems(body, USER_BASE_ATTRIBUTES, 'user'),
  destroyRank: 6,
  naturalKey(body) {
    return keyAt('okta:user', body, 'profile.login');
  },
  parentOf() {
    return {};
  },
  async findExisting(ctx, keys) {
    const logins = keys.map((k) => k['profile.login'] ?? '');
    const found = (await Promise.all(orExpressions('profile.login', logins).map((expr) => ctx.api.list<Obj>(BASE, { filter: expr, limit: 200 })))).flat();
    const out = new Map<string, Obj>();
    for (const k of keys) {
      const want = (k['profile.login'] ?? '').toLowerCase();
      // Prefer a live user over a deprovisioned one with the same login.
      const hits = found.filter((u) => loginOf(u)?.toLowerCase() === want);
      const hit = hits.find((u) => u.status !== 'DEPROVISIONED') ?? hits[0];
      if (hit) out.set(keyOf(k), hit);
    }
    return out;
  },
  createRequest(_ctx, body) {
    const sent: Obj = { ...body };
    if (Array.isArray(body.groupIds)) sent.groupIds = groupIdsOf(body).slice(0, MAX_CREATE_GROUPS);
    return Promise.resolve({ method: 'POST', path: BASE, query: { activate: true }, body: sent });
  },
  async create(ctx, body) {
    const user = await send(ctx, await this.createRequest(ctx, body));
    for (const gid of groupIdsOf(body).slice(MAX_CREATE_GROUPS)) await addMembership(ctx, gid, String(user.id));
    return user;
  },
  async update(ctx, existing, body) {
    if (body.profile === undefined) return existing;
    return (await ctx.api.request<Obj>('POST', `${BASE}/${encodeURIComponent(String(existing.id))}`, { body: { profile: body.profile } })).body;
  },
  async delete(ctx, obj) {
    const path = `${BASE}/${encodeURIComponent(obj.id)}`;
    try {
      await unlessGone(() => ctx.api.request('POST', `${path}/lifecycle/deactivate`, { idempotent: true }));
    } catch (e) {
      if (!(e instanceof OktaApiError && e.details.status === 400)) throw e;
    }
    return outcomeOf(await unlessGone(() => ctx.api.request('DELETE', path)));
  },
  read(ctx, id) {
    return readAt(ctx.api, `${BASE}/${encodeURIComponent(id)}`);
  },
  sameKey(_ctx, recorded, obj) {
    return Promise.resolve(loginOf(obj)?.toLowerCase() === recorded['profile.login']?.toLowerCase());
  },
  diff(existing, body) {
    return diffBody(existing, body, IGNORE);
  },
  idOf(obj) {
    return String(obj.id);
  },
  halfDeleted: (obj) => obj.status === 'DEPROVISIONED',
  async ensure(ctx, obj, body): Promise<FieldDiff[]> {
    const uid = String(obj.id);
    const want = groupIdsOf(body);
    const missing: string[] = [];
    for (const gid of want) if (!(await membersOf(ctx.api, gid)).has(uid)) missing.push(gid);
    for (const gid of missing) {
      await addMembership(ctx, gid, uid);
      (await membersOf(ctx.api, gid)).add(uid);
    }
    return missing.length === 0 ? [] : [{ path: 'groupIds', before: want.filter((g) => !missing.includes(g)), after: want }];
  },
};
