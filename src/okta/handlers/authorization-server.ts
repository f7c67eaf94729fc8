/**
 * okta:authz_server — /api/v1/authorizationServers. Natural key: `name`.
 * Found with one listing (`q=<name>` for one key, the whole paged list for several) and an exact name match:
 * `q` is a prefix search over name and audiences, so the match is checked here.
 * Update is a PUT of the whole object (name, description, audiences, issuerMode, then the input's fields).
 * Delete deactivates first (a tidy teardown; the spec allows deleting an active server), then DELETE.
 * Protected: the org's default custom authorization server, which Okta provides and the tool never deletes
 * (https://developer.okta.com/docs/concepts/auth-servers/#default-custom-authorization-server). Its id is a real
 * `aus…` id like any other; `default` is only an alias Okta accepts in paths. So the tool asks the org which server
 * the alias names (GET /api/v1/authorizationServers/default) and compares ids, never an id with the word.
 */
import { diffBody, keyOf, pick, outcomeOf, unlessGone, keyAt, readAt, send } from './common.js';
import type { Handler, Obj } from './types.js';

const BASE = '/api/v1/authorizationServers';
const WRITABLE = ['name', 'description', 'audiences', 'issuerMode'] as const;
/** Okta sets these: the issuer URL and the signing-key credentials. */
const IGNORE = ['issuer', 'credentials.signing'];

export const authorizationServerHandler: Handler = {
  objectClass: 'okta:authz_server',
  destroyRank: 3,
  naturalKey(body) {
    return keyAt('okta:authz_server', body, 'name');
  },
  parentOf() {
    return {};
  },
  async findExisting(ctx, keys) {
    const names = keys.map((k) => k.name ?? '');
    const query: Record<string, string | number> = { limit: 200 };
    if (names.length === 1 && names[0]) query.q = names[0];
    const all = await ctx.api.list<Obj>(BASE, query);
    const out = new Map<string, Obj>();
    for (const k of keys) {
      const hit = all.find((s) => s.name === k.name);
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
    const full = { ...pick(existing, WRITABLE), ...body };
    return (await ctx.api.request<Obj>('PUT', `${BASE}/${encodeURIComponent(String(existing.id))}`, { body: full })).body;
  },
  async delete(ctx, obj) {
    const path = `${BASE}/${encodeURIComponent(obj.id)}`;
    await unlessGone(() => ctx.api.request('POST', `${path}/lifecycle/deactivate`, { idempotent: true }));
    return outcomeOf(await unlessGone(() => ctx.api.request('DELETE', path)));
  },
  diff(existing, body) {
    return diffBody(existing, body, IGNORE);
  },
  idOf(obj) {
    return String(obj.id);
  },
  read(ctx, id) {
    return readAt(ctx.api, `${BASE}/${encodeURIComponent(id)}`);
  },
  async isProtected(ctx, obj) {
    const dflt = await readAt(ctx.api, `${BASE}/default`);
    // an org without a default server protects none; a server read by the alias itself is the default
    return dflt !== undefined && dflt.id !== undefined && dflt.id === obj.id;
  },
};
