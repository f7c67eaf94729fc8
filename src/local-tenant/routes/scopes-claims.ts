/**
 * Scopes and claims of an authorization server:
 *   /api/v1/authorizationServers/{authServerId}/scopes[/{scopeId}]  (list q/filter/paging, create 201, get, replace, delete 204)
 *   /api/v1/authorizationServers/{authServerId}/claims[/{claimId}]  (list, create 201, get, replace, delete 204)
 *
 * Choices where Okta is silent:
 * - Scope names are unique within a server (400 E0000001 "name: An object with this field already exists in the
 *   current organization", the text Okta uses for unique fields). The system scopes (openid, profile, email,
 *   address, phone, offline_access, device_sso; see ../system-scopes.ts) exist from the server's creation and are
 *   listed with `system: true`, as on Okta; a custom scope cannot take their names.
 * - A system scope or claim cannot be deleted: 403 E0000006 (the spec declares 403 for both). A system claim
 *   cannot be replaced (403). A system scope can: Okta's "Request user consent" guide edits the `phone` system
 *   scope to require consent (https://developer.okta.com/docs/guides/request-user-consent/main/), and the Admin
 *   Console edits a system scope's consent, default, metadata and description but not its name. So a replace of
 *   a system scope takes every field but `name`, which must stay the same (400 E0000001 otherwise; the cause text
 *   is this tenant's choice, Okta's docs do not give one).
 * - A scope name must be an RFC 6749 scope-token (no spaces, double quotes or backslashes).
 * - Claim names are unique per claimType within a server; reserved JWT claim names are refused.
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';
import { MSG, Problems, forbidden, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { paginate, predicate, queryString } from '../query.js';
import type { AuthServerRecord, ClaimRecord, ScopeRecord } from '../types.js';
import { SYSTEM_SCOPES } from '../system-scopes.js';
import { getAuthServer } from './authorization-servers.js';
import { bodyObject, bool, isObject, link, oneOf, params, str, strArray } from './util.js';
import { byId } from '../store.js';

const RESERVED_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti', 'cid', 'uid', 'scp', 'ver', 'auth_time', 'nonce', 'amr', 'idp', 'at_hash', 'c_hash', 'acr']);

function getScope(s: AuthServerRecord, id: string): ScopeRecord {
  const scope = byId(s.scopes, id);
  if (!scope) throw notFound(id, 'OAuth2Scope');
  return scope;
}

function getClaim(s: AuthServerRecord, id: string): ClaimRecord {
  const claim = byId(s.claims, id);
  if (!claim) throw notFound(id, 'OAuth2Claim');
  return claim;
}

export function renderScope(ctx: TenantContext, serverId: string, x: ScopeRecord): Record<string, unknown> {
  return {
    id: x.id,
    name: x.name,
    ...(x.description !== undefined ? { description: x.description } : {}),
    ...(x.displayName !== undefined ? { displayName: x.displayName } : {}),
    system: x.system,
    default: x.default,
    consent: x.consent,
    optional: x.optional,
    metadataPublish: x.metadataPublish,
    _links: { self: link(ctx, `/api/v1/authorizationServers/${serverId}/scopes/${x.id}`, ['GET', 'PUT', 'DELETE']) },
  };
}

export function renderClaim(ctx: TenantContext, serverId: string, c: ClaimRecord): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    claimType: c.claimType,
    valueType: c.valueType,
    value: c.value,
    ...(c.group_filter_type ? { group_filter_type: c.group_filter_type } : {}),
    alwaysIncludeInToken: c.alwaysIncludeInToken,
    conditions: { scopes: c.conditions.scopes },
    system: c.system,
    _links: { self: link(ctx, `/api/v1/authorizationServers/${serverId}/claims/${c.id}`, ['GET', 'PUT', 'DELETE']) },
  };
}

type ScopeFields = Omit<ScopeRecord, 'id' | 'created' | 'lastUpdated' | 'system'>;

function validateScope(server: AuthServerRecord, body: Record<string, unknown>, selfId?: string): ScopeFields {
  const p = new Problems();
  const name = str(p, body, 'name', 'name', { required: true });
  const self = selfId !== undefined ? server.scopes[selfId] : undefined;
  if (self?.system) {
    if (name !== undefined && name !== self.name) p.add('name', `The name of the system scope '${self.name}' cannot be changed`);
  } else {
    if (name !== undefined && !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(name)) p.add('name', 'A scope name cannot contain spaces, double quotes or backslashes');
    if (name !== undefined && ((SYSTEM_SCOPES as readonly string[]).includes(name) || Object.values(server.scopes).some((s) => s.id !== selfId && s.name === name))) {
      p.add('name', MSG.duplicate);
    }
  }
  const f: ScopeFields = {
    name: name ?? '',
    consent: oneOf(p, body, 'consent', 'consent', ['FLEXIBLE', 'IMPLICIT', 'REQUIRED'] as const, 'IMPLICIT'),
    default: bool(p, body, 'default', 'default', false),
    optional: bool(p, body, 'optional', 'optional', false),
    metadataPublish: oneOf(p, body, 'metadataPublish', 'metadataPublish', ['ALL_CLIENTS', 'NO_CLIENTS'] as const, 'NO_CLIENTS'),
  };
  const description = str(p, body, 'description', 'description');
  const displayName = str(p, body, 'displayName', 'displayName');
  if (description !== undefined) f.description = description;
  if (displayName !== undefined) f.displayName = displayName;
  p.throwIfAny();
  return f;
}

type ClaimFields = Omit<ClaimRecord, 'id' | 'created' | 'lastUpdated' | 'system'>;

function validateClaim(server: AuthServerRecord, body: Record<string, unknown>, selfId?: string): ClaimFields {
  const p = new Problems();
  const name = str(p, body, 'name', 'name', { required: true });
  const claimType = oneOf(p, body, 'claimType', 'claimType', ['IDENTITY', 'RESOURCE'] as const);
  if (body.claimType === undefined || body.claimType === null) p.add('claimType', MSG.blank);
  const valueType = oneOf(p, body, 'valueType', 'valueType', ['EXPRESSION', 'GROUPS', 'SYSTEM'] as const, 'EXPRESSION');
  const value = str(p, body, 'value', 'value', { required: true });
  const gft = oneOf(p, body, 'group_filter_type', 'group_filter_type', ['CONTAINS', 'EQUALS', 'REGEX', 'STARTS_WITH'] as const);
  if (valueType === 'GROUPS' && !gft) p.add('group_filter_type', MSG.blank);
  if (valueType !== 'GROUPS' && gft) p.add('group_filter_type', 'group_filter_type is only allowed when valueType is GROUPS');
  if (name && RESERVED_CLAIMS.has(name)) p.add('name', `The claim name '${name}' is reserved`);
  if (name && claimType && Object.values(server.claims).some((c) => c.id !== selfId && c.name === name && c.claimType === claimType)) p.add('name', MSG.duplicate);
  const conditions = isObject(body.conditions) ? body.conditions : {};
  const scopes = strArray(p, conditions.scopes, 'conditions.scopes') ?? [];
  const status = oneOf(p, body, 'status', 'status', ['ACTIVE', 'INACTIVE'] as const, 'ACTIVE');
  const always = bool(p, body, 'alwaysIncludeInToken', 'alwaysIncludeInToken', true);
  p.throwIfAny();
  return {
    name: name!,
    claimType: claimType!,
    valueType,
    value: value!,
    ...(gft ? { group_filter_type: gft } : {}),
    status,
    alwaysIncludeInToken: always,
    conditions: { scopes },
  };
}

interface ChildRecord {
  id: string;
  system: boolean;
  created: string;
  lastUpdated: string;
}

/**
 * Create (201) / get / replace / delete (204) of one kind of record kept in a map on the authorization server
 * (scopes, claims). `fields` validates a body against the server (and the record being replaced).
 */
function registerServerChildren<R extends ChildRecord, F extends object>(
  app: FastifyInstance,
  ctx: TenantContext,
  spec: {
    url: string;
    param: string;
    prefix: 'scp' | 'ocl';
    map: (server: AuthServerRecord) => Record<string, R>;
    get: (server: AuthServerRecord, id: string) => R;
    fields: (server: AuthServerRecord, body: Record<string, unknown>, selfId?: string) => F;
    render: (ctx: TenantContext, serverId: string, r: R) => Record<string, unknown>;
    /** A system record may be replaced (system scopes; system claims may not). */
    systemReplaceable: boolean;
  },
): void {
  const one = `${spec.url}/:${spec.param}`;
  const save = (server: AuthServerRecord, f: F, old?: R): R => {
    const now = nowIso(ctx.now());
    const rec = { ...f, id: old?.id ?? newId(spec.prefix), system: old?.system ?? false, created: old?.created ?? now, lastUpdated: now } as unknown as R;
    spec.map(server)[rec.id] = rec;
    return rec;
  };

  app.post(spec.url, async (req, reply) => {
    const body = bodyObject(req);
    const serverId = params(req).authServerId!;
    const [sid, rec] = await ctx.store.mutate((state) => {
      const server = getAuthServer(state, serverId);
      return [server.id, save(server, spec.fields(server, body))] as const;
    });
    reply.code(201);
    return spec.render(ctx, sid, rec);
  });

  app.get(one, (req) => {
    const p = params(req);
    const server = getAuthServer(ctx.store.read(), p.authServerId!);
    return spec.render(ctx, server.id, spec.get(server, p[spec.param]!));
  });

  app.put(one, async (req) => {
    const body = bodyObject(req);
    const p = params(req);
    const [sid, rec] = await ctx.store.mutate((state) => {
      const server = getAuthServer(state, p.authServerId!);
      const old = spec.get(server, p[spec.param]!);
      if (old.system && !spec.systemReplaceable) throw forbidden(); // Okta manages system claims
      return [server.id, save(server, spec.fields(server, body, old.id), old)] as const;
    });
    return spec.render(ctx, sid, rec);
  });

  app.delete(one, async (req, reply) => {
    const p = params(req);
    await ctx.store.mutate((state) => {
      const server = getAuthServer(state, p.authServerId!);
      const rec = spec.get(server, p[spec.param]!);
      if (rec.system) throw forbidden(); // "You can't delete system scopes/claims"
      delete spec.map(server)[rec.id];
    });
    return reply.code(204).send();
  });
}

export function registerScopeAndClaimRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const scopes = '/api/v1/authorizationServers/:authServerId/scopes';
  const claims = '/api/v1/authorizationServers/:authServerId/claims';

  app.get(scopes, async (req, reply) => {
    const server = getAuthServer(ctx.store.read(), params(req).authServerId!);
    const q = queryString(req, 'q')?.toLowerCase();
    const filter = predicate(queryString(req, 'filter'), { attrs: { name: ['eq', 'sw'], id: ['eq'], consent: ['eq'], default: ['eq'], optional: ['eq'] } });
    let items = Object.values(server.scopes);
    if (q) items = items.filter((s) => s.name.toLowerCase().includes(q));
    if (filter) items = items.filter(filter);
    const page = paginate(req, reply, ctx.orgUrl, items, (s) => s.id, { maxLimit: 200 });
    return page.map((s) => renderScope(ctx, server.id, s));
  });
  registerServerChildren<ScopeRecord, ScopeFields>(app, ctx, {
    url: scopes,
    param: 'scopeId',
    prefix: 'scp',
    map: (server) => server.scopes,
    get: getScope,
    fields: validateScope,
    render: renderScope,
    systemReplaceable: true,
  });

  app.get(claims, (req) => {
    const server = getAuthServer(ctx.store.read(), params(req).authServerId!);
    return Object.values(server.claims).map((c) => renderClaim(ctx, server.id, c));
  });
  registerServerChildren<ClaimRecord, ClaimFields>(app, ctx, {
    url: claims,
    param: 'claimId',
    prefix: 'ocl',
    map: (server) => server.claims,
    get: getClaim,
    fields: validateClaim,
    render: renderClaim,
    systemReplaceable: false,
  });
}
