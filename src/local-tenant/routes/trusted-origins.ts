/**
 * /api/v1/trustedOrigins: list (q, filter, paging), create (200), get, replace, delete (204),
 * lifecycle activate/deactivate (200 with the origin).
 * `name` and `origin` are required and unique ("Unique name", "Unique origin URL" in the spec; compared
 * case-insensitively); `origin` is scheme://host[:port] with no path (http, https, ftp, ionic, capacitor);
 * `scopes` is required: 1 to 3 distinct types out of CORS, REDIRECT, IFRAME_EMBED.
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';
import { MSG, Problems, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { paginate, predicate, queryString, type Op } from '../query.js';
import type { TenantState, TrustedOriginRecord } from '../types.js';
import { bodyObject, isObject, isStringArray, link, params, registerLifecycle, sameText, str } from './util.js';
import { byId } from '../store.js';

const SCOPE_TYPES = ['CORS', 'REDIRECT', 'IFRAME_EMBED'] as const;
const SCHEMES = new Set(['http:', 'https:', 'ftp:', 'ionic:', 'capacitor:']);

function getOrigin(state: TenantState, id: string): TrustedOriginRecord {
  const o = byId(state.trustedOrigins, id);
  if (!o) throw notFound(id, 'TrustedOrigin');
  return o;
}

export function renderOrigin(ctx: TenantContext, o: TrustedOriginRecord): Record<string, unknown> {
  const base = `/api/v1/trustedOrigins/${o.id}`;
  return {
    id: o.id,
    name: o.name,
    origin: o.origin,
    scopes: o.scopes,
    status: o.status,
    created: o.created,
    createdBy: o.createdBy,
    lastUpdated: o.lastUpdated,
    lastUpdatedBy: o.lastUpdatedBy,
    _links: {
      self: link(ctx, base, ['GET', 'PUT', 'DELETE']),
      ...(o.status === 'ACTIVE'
        ? { deactivate: link(ctx, `${base}/lifecycle/deactivate`, ['POST']) }
        : { activate: link(ctx, `${base}/lifecycle/activate`, ['POST']) }),
    },
  };
}

function validOrigin(v: string): boolean {
  try {
    const u = new URL(v);
    if (!SCHEMES.has(u.protocol) || !u.host) return false;
    return v.replace(/\/$/, '').toLowerCase() === `${u.protocol}//${u.host}`.toLowerCase();
  } catch {
    return false;
  }
}

function validate(state: TenantState, body: Record<string, unknown>, selfId?: string): Pick<TrustedOriginRecord, 'name' | 'origin' | 'scopes'> {
  const p = new Problems();
  const name = str(p, body, 'name', 'name', { required: true, max: 255 });
  const origin = str(p, body, 'origin', 'origin', { required: true, max: 255 });
  if (origin && !validOrigin(origin)) p.add('origin', 'The origin must be scheme://host[:port] (http, https, ftp, ionic or capacitor) with no path');
  const scopes: TrustedOriginRecord['scopes'] = [];
  if (!Array.isArray(body.scopes) || body.scopes.length === 0) p.add('scopes', MSG.blank);
  else {
    if (body.scopes.length > 3) p.add('scopes', 'At most 3 scopes');
    for (const s of body.scopes) {
      const type = isObject(s) ? s.type : undefined;
      if (typeof type !== 'string' || !(SCOPE_TYPES as readonly string[]).includes(type)) {
        p.add('scopes', `'${String(type)}' is not a valid scope type. Valid values: ${SCOPE_TYPES.join(', ')}`);
        continue;
      }
      if (scopes.some((x) => x.type === type)) p.add('scopes', `The scope ${type} is given twice`);
      const apps = isObject(s) ? s.allowedOktaApps : undefined;
      if (apps !== undefined && (!isStringArray(apps) || apps.some((a) => a !== 'OKTA_ENDUSER') || type !== 'IFRAME_EMBED')) {
        p.add('scopes', 'allowedOktaApps is only for IFRAME_EMBED and may only hold OKTA_ENDUSER');
      }
      scopes.push({ type: type as TrustedOriginRecord['scopes'][number]['type'], ...(isStringArray(apps) ? { allowedOktaApps: apps } : {}) });
    }
  }
  const others = Object.values(state.trustedOrigins).filter((o) => o.id !== selfId);
  if (name && others.some((o) => sameText(o.name, name))) p.add('name', MSG.duplicate);
  if (origin && others.some((o) => sameText(o.origin.replace(/\/$/, ''), origin.replace(/\/$/, '')))) p.add('origin', MSG.duplicate);
  p.throwIfAny();
  return { name: name!, origin: origin!, scopes };
}

const FILTER_RULES = { attrs: { name: ['eq', 'sw'] as Op[], origin: ['eq', 'sw'] as Op[], status: ['eq'] as Op[], type: ['eq'] as Op[] } };

export function registerTrustedOriginRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const base = '/api/v1/trustedOrigins';

  app.get(base, async (req, reply) => {
    const q = queryString(req, 'q')?.toLowerCase();
    const filter = predicate(queryString(req, 'filter'), FILTER_RULES);
    let items = Object.values(ctx.store.read().trustedOrigins);
    if (q) items = items.filter((o) => o.name.toLowerCase().startsWith(q) || o.origin.toLowerCase().startsWith(q));
    if (filter) items = items.filter((o) => filter({ ...o, type: o.scopes.map((s) => s.type) }));
    const page = paginate(req, reply, ctx.orgUrl, items, (o) => o.id, { defaultLimit: 20, maxLimit: 200 });
    return page.map((o) => renderOrigin(ctx, o));
  });

  app.post(base, async (req) => {
    const body = bodyObject(req);
    const rec = await ctx.store.mutate((state) => {
      const f = validate(state, body);
      const now = nowIso(ctx.now());
      const o: TrustedOriginRecord = { id: newId('tos'), ...f, status: 'ACTIVE', created: now, createdBy: state.adminUserId, lastUpdated: now, lastUpdatedBy: state.adminUserId };
      state.trustedOrigins[o.id] = o;
      return o;
    });
    return renderOrigin(ctx, rec);
  });

  app.get(`${base}/:trustedOriginId`, (req) => renderOrigin(ctx, getOrigin(ctx.store.read(), params(req).trustedOriginId!)));

  app.put(`${base}/:trustedOriginId`, async (req) => {
    const body = bodyObject(req);
    const id = params(req).trustedOriginId!;
    const rec = await ctx.store.mutate((state) => {
      const o = getOrigin(state, id);
      Object.assign(o, validate(state, body, id), { lastUpdated: nowIso(ctx.now()), lastUpdatedBy: state.adminUserId });
      return o;
    });
    return renderOrigin(ctx, rec);
  });

  app.delete(`${base}/:trustedOriginId`, async (req, reply) => {
    const id = params(req).trustedOriginId!;
    await ctx.store.mutate((state) => {
      getOrigin(state, id);
      delete state.trustedOrigins[id];
    });
    return reply.code(204).send();
  });

  registerLifecycle(app, ctx, `${base}/:trustedOriginId`, (state, p) => getOrigin(state, p.trustedOriginId!), { code: 200, render: (o) => renderOrigin(ctx, o) }, (o, state) => {
    o.lastUpdatedBy = state.adminUserId;
  });
}
