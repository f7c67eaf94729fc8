/**
 * Pieces every handler shares: natural-key map keys, the desired-driven diff, parent ids from endpoints,
 * search expressions in URL-sized batches, "already gone" handling, and the template for the many classes
 * that live in one listing under a parent (scopes, claims, policies, rules, trusted origins).
 */
import { OktaApiError, UsageError } from '../../core/errors.js';
import type { OktaApi } from '../client.js';
import type { CreateRequest, FieldDiff, Handler, HandlerContext, Obj, ObjectClass } from './types.js';
import { isRecord } from '../../core/json.js';

/** Map key for a natural key, the one the engine's loader uses too (sorted [name, value] pairs as JSON). */
export function keyOf(nk: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(nk)
      .sort()
      .map((k) => [k, nk[k]]),
  );
}


export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function get(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const k of path.split('.')) {
    if (!isRecord(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** Fields Okta fills in or never returns; they never count as differences, whatever the input says. */
export const ALWAYS_IGNORED = ['id', 'created', 'lastUpdated', 'lastMembershipUpdated', '_links', '_embedded', 'createdBy', 'lastUpdatedBy'];

/** Does `want` (from the input) match `have` (from Okta)? Objects match on the fields `want` sets; arrays as multisets. */
export function matches(have: unknown, want: unknown): boolean {
  if (want === null || want === undefined) return have === null || have === undefined;
  if (Array.isArray(want)) {
    if (!Array.isArray(have) || have.length !== want.length) return false;
    const rest: unknown[] = have.slice();
    for (const w of want) {
      const i = rest.findIndex((h) => matches(h, w));
      if (i < 0) return false;
      rest.splice(i, 1);
    }
    return true;
  }
  if (isRecord(want)) {
    if (!isRecord(have)) return false;
    return Object.entries(want).every(([k, v]) => matches(have[k], v));
  }
  return have === want;
}

/**
 * Desired-driven diff: every field the input sets is compared with the org's; fields only Okta has never
 * count; `ignore` lists dotted paths (or prefixes) that never count either (write-only secrets, server-chosen
 * values). null in the input matches an absent field. Arrays compare as multisets (Okta reorders
 * grant_types, audiences...), their object elements on the fields the input sets.
 */
export function diffBody(existing: unknown, body: unknown, ignore: readonly string[] = [], path = ''): FieldDiff[] {
  if (path !== '' && [...ALWAYS_IGNORED, ...ignore].some((p) => path === p || path.startsWith(`${p}.`))) return [];
  if (isRecord(body)) {
    if (!isRecord(existing)) {
      const sub = Object.entries(body).flatMap(([k, v]) => diffBody(undefined, v, ignore, path === '' ? k : `${path}.${k}`));
      return sub.length === 0 ? [] : [{ path, before: existing, after: body }];
    }
    return Object.entries(body).flatMap(([k, v]) => diffBody(existing[k], v, ignore, path === '' ? k : `${path}.${k}`));
  }
  if (body === undefined) return [];
  return matches(existing, body) ? [] : [{ path, before: existing, after: body }];
}

/** Copies the named top-level fields that exist on `obj`. */
export function pick(obj: Obj, fields: readonly string[]): Obj {
  const out: Obj = {};
  for (const f of fields) if (obj[f] !== undefined) out[f] = obj[f];
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Parents
// ---------------------------------------------------------------------------------------------------------------

const PARENT_PATTERNS: [RegExp, string][] = [
  [/\/api\/v1\/authorizationServers\/([^/?#]+)/, 'authServerId'],
  [/\/authorizationServers\/[^/?#]+\/policies\/([^/?#]+)/, 'policyId'],
  [/\/api\/v1\/apps\/([^/?#]+)/, 'appId'],
  [/\/api\/v1\/apps\/[^/?#]+\/groups\/([^/?#]+)/, 'groupId'],
];

/** Parent ids named in a rendered endpoint, e.g. `/api/v1/authorizationServers/aus1/policies/00p2/rules` → {authServerId, policyId}. */
export function parentFromEndpoint(endpoint: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!endpoint) return out;
  let path = endpoint;
  try {
    path = new URL(endpoint, 'http://x').pathname;
  } catch {
    // keep the raw string: a template value may not form a URL yet
  }
  for (const [re, name] of PARENT_PATTERNS) {
    const m = re.exec(path);
    if (m?.[1]) out[name] = decodeURIComponent(m[1]);
  }
  return out;
}

/** The parent id a class needs, or a usage error that says how to give it. */
export function need(parent: Record<string, string>, name: string, objectClass: string, example: string): string {
  const v = parent[name];
  if (!v) {
    throw new UsageError(`${objectClass} needs its parent's ${name}`, {
      object: objectClass,
      suggestion: `Give the entry an oktaEndpoint naming it, e.g. "${example}".`,
    });
  }
  return encodeURIComponent(v);
}

// ---------------------------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------------------------

/**
 * Okta's "no such object": HTTP 404, or errorCode E0000007 ("Not found: Resource not found"), which Okta also uses
 * in bodies of other statuses (https://developer.okta.com/docs/reference/error-codes/#E0000007). The one copy
 * for the tool.
 */
export function isNotFound(e: unknown): boolean {
  return e instanceof OktaApiError && (e.details.status === 404 || e.details.errorCode === 'E0000007');
}

/** Runs a request where 404 means "already gone": true when it was carried out, false when there was nothing. */
export async function unlessGone(fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (e) {
    if (!isNotFound(e)) throw e;
    return false;
  }
}

/** GET of one object by its path: undefined when Okta has no such object (404), the handlers' `read`. */
export async function readAt(api: OktaApi, path: string): Promise<Obj | undefined> {
  try {
    const body = (await api.request<Obj>('GET', path)).body;
    return isRecord(body) ? body : undefined;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** A handler's delete outcome from its final DELETE (see unlessGone). */
export function outcomeOf(done: boolean): 'deleted' | 'gone' {
  return done ? 'deleted' : 'gone';
}

/** A search/filter string value, quoted for Okta's expression language. */
export function quote(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Splits `attr eq "v1" or attr eq "v2" ...` into expressions whose URL-encoded length stays under `maxChars`,
 * so a lookup of hundreds of keys is a handful of requests. 6,000 characters (measured with %20 for spaces; the
 * client sends `+`, shorter) keeps the request line below the 8 KB limit common to web servers and proxies
 * (Okta documents no limit of its own).
 */
export function orExpressions(attr: string, values: string[], maxChars = 6000): string[] {
  const out: string[] = [];
  let cur: string[] = [];
  let len = 0;
  for (const v of new Set(values)) {
    const term = `${attr} eq ${quote(v)}`;
    const tlen = encodeURIComponent(term).length + 8;
    if (cur.length > 0 && len + tlen > maxChars) {
      out.push(cur.join(' or '));
      cur = [];
      len = 0;
    }
    cur.push(term);
    len += tlen;
  }
  if (cur.length > 0) out.push(cur.join(' or '));
  return out;
}

/** The org's BUILT_IN groups (Everyone), listed once per client. */
const builtInCache = new WeakMap<OktaApi, Promise<Obj[]>>();

export function builtInGroups(api: OktaApi): Promise<Obj[]> {
  let p = builtInCache.get(api);
  if (!p) {
    // https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Group/#tag/Group/operation/listGroups
    p = api.list<Obj>('/api/v1/groups', { search: 'type eq "BUILT_IN"' });
    p.catch(() => builtInCache.delete(api));
    builtInCache.set(api, p);
  }
  return p;
}

export function isEveryone(groupRef: string): boolean {
  return /^everyone$/i.test(groupRef);
}

/** The built-in Everyone group's id (it differs per org). */
export async function everyoneGroupId(api: OktaApi): Promise<string> {
  const groups = await builtInGroups(api);
  const g = groups.find((x) => get(x, 'profile.name') === 'Everyone') ?? groups[0];
  const id = g ? str(g.id) : undefined;
  if (!id) throw new OktaApiError('the org has no built-in Everyone group', { request: 'GET /api/v1/groups', status: 200 });
  return id;
}

/** A group reference from an input: an id, or the name "Everyone" (the built-in group, whose id differs per org). */
export async function resolveGroupId(api: OktaApi, ref: string): Promise<string> {
  return isEveryone(ref) ? everyoneGroupId(api) : ref;
}

/** Sends a create request as it is, once: retrying a create is the engine's job (src/apply/create.ts). */
export async function send(ctx: HandlerContext, req: CreateRequest): Promise<Obj> {
  const res = await ctx.api.request<Obj>(req.method, req.path, { ...(req.query ? { query: req.query } : {}), ...(req.body ? { body: req.body } : {}) });
  return isRecord(res.body) ? res.body : {};
}

// ---------------------------------------------------------------------------------------------------------------
// Classes that live in one listing under a parent
// ---------------------------------------------------------------------------------------------------------------

export interface ListedClass {
  objectClass: ObjectClass;
  destroyRank: number;
  /** The natural-key field (top level), e.g. "name" or "origin". */
  keyField: string;
  /** The collection path for the parent ids, e.g. /api/v1/authorizationServers/{as}/scopes. */
  collection(parent: Record<string, string>): string;
  /** Fields kept from the existing object when replacing it with PUT (the body's fields win). */
  writable: readonly string[];
  /** Extra paths that never count as differences. */
  ignore?: readonly string[];
  /** Query for the listing (e.g. {limit: 200} where the endpoint pages). */
  listQuery?: Record<string, string | number>;
  /** Okta fields a create body must not carry (e.g. our own parent hints). */
  strip?: readonly string[];
}

function stripped(body: Obj, fields: readonly string[] | undefined): Obj {
  if (!fields || fields.length === 0) return body;
  const out = { ...body };
  for (const f of fields) delete out[f];
  return out;
}

/**
 * The natural key `{[path]: value}` of a body: the string at a dotted path. A missing one is a UsageError that names
 * the field and shows where it goes, e.g. okta:user_group needs {"profile": {"name": ...}}.
 */
export function keyAt(objectClass: string, body: Obj, path: string): Record<string, string> {
  const v = str(get(body, path));
  if (v === undefined) {
    const example = path.split('.').reduceRight((inner, k) => `{"${k}": ${inner}}`, '...');
    throw new UsageError(`${objectClass} needs a "${path}" in its body`, { object: objectClass, suggestion: `Add ${example} to the entry's default.` });
  }
  return { [path]: v };
}

/** A handler for a class found in one listing of its parent's collection, replaced with PUT, removed with DELETE. */
export function listedHandler(c: ListedClass): Handler {
  const h: Handler = {
    objectClass: c.objectClass,
    destroyRank: c.destroyRank,
    naturalKey(body) {
      return keyAt(c.objectClass, body, c.keyField);
    },
    parentOf(body, endpoint) {
      return parentFromEndpoint(endpoint);
    },
    async findExisting(ctx, keys) {
      const all = await ctx.api.list<Obj>(c.collection(ctx.parent), c.listQuery);
      const out = new Map<string, Obj>();
      for (const k of keys) {
        const hit = all.find((o) => o[c.keyField] === k[c.keyField]);
        if (hit) out.set(keyOf(k), hit);
      }
      return out;
    },
    createRequest(ctx, body) {
      return Promise.resolve({ method: 'POST', path: c.collection(ctx.parent), body: stripped(body, c.strip) });
    },
    async create(ctx, body) {
      return send(ctx, await h.createRequest(ctx, body));
    },
    async update(ctx, existing, body) {
      const full = { ...pick(existing, c.writable), ...stripped(body, c.strip) };
      return (await ctx.api.request<Obj>('PUT', `${c.collection(ctx.parent)}/${encodeURIComponent(String(existing.id))}`, { body: full })).body;
    },
    async delete(ctx, obj) {
      return outcomeOf(await unlessGone(() => ctx.api.request('DELETE', `${c.collection(ctx.parent)}/${encodeURIComponent(obj.id)}`)));
    },
    read(ctx, id) {
      return readAt(ctx.api, `${c.collection(ctx.parent)}/${encodeURIComponent(id)}`);
    },
    diff(existing, body) {
      return diffBody(existing, stripped(body, c.strip), c.ignore ?? []);
    },
    idOf(obj) {
      return String(obj.id);
    },
    // `system: true` marks what Okta made: "Indicates if Okta created the Scope", "When true, indicates that Okta
    // created the Claim", "Specifies whether Okta created the policy"; system rules "You can't delete"
    // (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServerScopes/ and the
    // Claims, Policies and Rules tags). Trusted origins have no such field.
    isProtected(_ctx, obj) {
      return Promise.resolve(obj.system === true);
    },
  };
  return h;
}
