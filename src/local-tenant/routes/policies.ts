/**
 * Access policies and their rules:
 *   /api/v1/authorizationServers/{as}/policies[/{policyId}[/lifecycle/(de)activate]]
 *   /api/v1/authorizationServers/{as}/policies/{policyId}/rules[/{ruleId}[/lifecycle/(de)activate]]
 * Create 201, get/replace 200, delete 204, lifecycle 204. Priorities follow Okta (1..n, insert shifts others, so
 * equal requested priorities end up in the order the writes arrived). Overlapping priority writes in one server or
 * policy answer 500 E0000009 (priority-writes.ts).
 *
 * Validation (400 E0000001, every problem as an errorCause):
 * - policy `conditions.clients.include`: required; "ALL_CLIENTS" or ids of existing apps, else
 *   "conditions.clients.include: Resource not found" (reported from real orgs; not in Okta's docs).
 * - rule `conditions.people.groups.include`: "EVERYONE" or existing group ids; `users.include`: existing user ids
 *   ("...: Resource not found", as for clients). `exclude` is accepted and echoed when sent.
 * - a rule whose grant types include authorization_code, implicit or password must name a user or a group:
 *   the exact §16 error on `conditions.people`.
 * - `conditions.grantTypes.include`: required, each one of RULE_GRANT_TYPES (a hyphenated `client-credentials`
 *   is a 400, §16). `conditions.scopes.include`: required (scope names or "*"); the names are not checked against
 *   the server's scopes, as on Okta (a rule write naming a custom scope is refused only for its other fields:
 *   okta/okta-developer-docs issue #1622).
 * - `actions.token`: accessTokenLifetimeMinutes 5..1440, refreshTokenWindowMinutes 10..2628000 (spec text),
 *   refreshTokenWindowMinutes ≥ accessTokenLifetimeMinutes, and refreshTokenLifetimeMinutes 0 (unlimited) or
 *   ≥ refreshTokenWindowMinutes (Okta's admin console rules; the API docs are silent).
 * Choices where Okta is silent: policy names are unique within a server and rule names within a policy
 * (same reasoning as authorization-server names: the tool finds them by name); `description` is optional.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TenantContext } from '../context.js';
import { MSG, Problems, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import type { AuthServerRecord, IncludeExclude, PolicyRecord, RuleRecord, TenantState } from '../types.js';
import { getAuthServer } from './authorization-servers.js';
import { bodyObject, byPriority, int, isObject, link, oneOf, params, placeByPriority, registerLifecycle, removeByPriority, sameText, shown, str, strArray } from './util.js';
import { byId } from '../store.js';
import { priorityWrite } from './priority-writes.js';

/** Grant types an authorization-server rule accepts (Okta's rule grant types; refresh is governed by actions.token). */
export const RULE_GRANT_TYPES = [
  'authorization_code',
  'client_credentials',
  'implicit',
  'password',
  'interaction_code',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:token-exchange',
  'urn:ietf:params:oauth:grant-type:saml2-bearer',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'urn:openid:params:grant-type:ciba',
  'urn:okta:params:oauth:grant-type:otp',
  'urn:okta:params:oauth:grant-type:oob',
] as const;

const USER_GRANTS = ['authorization_code', 'implicit', 'password'];
export const PEOPLE_REQUIRED =
  "At least one of 'conditions.people.users.include' or 'conditions.people.groups.include' must contain a valid user or group when 'conditions.grantTypes' contains one or more of [authorization_code, implicit, password].";

export function getPolicy(server: AuthServerRecord, id: string): PolicyRecord {
  const p = byId(server.policies, id);
  if (!p) throw notFound(id, 'AuthorizationServerPolicy');
  return p;
}

function getRule(policy: PolicyRecord, id: string): RuleRecord {
  const r = byId(policy.rules, id);
  if (!r) throw notFound(id, 'AuthorizationServerPolicyRule');
  return r;
}

function lifecycleLinks(ctx: TenantContext, base: string, status: string): Record<string, unknown> {
  return status === 'ACTIVE'
    ? { deactivate: link(ctx, `${base}/lifecycle/deactivate`, ['POST']) }
    : { activate: link(ctx, `${base}/lifecycle/activate`, ['POST']) };
}

export function renderPolicy(ctx: TenantContext, serverId: string, p: PolicyRecord): Record<string, unknown> {
  const base = `/api/v1/authorizationServers/${serverId}/policies/${p.id}`;
  return {
    id: p.id,
    type: p.type,
    status: p.status,
    name: p.name,
    ...(p.description !== undefined ? { description: p.description } : {}),
    priority: p.priority,
    system: p.system,
    conditions: { clients: { include: p.conditions.clients.include } },
    created: p.created,
    lastUpdated: p.lastUpdated,
    _links: { self: link(ctx, base, ['GET', 'PUT', 'DELETE']), ...lifecycleLinks(ctx, base, p.status), rules: link(ctx, `${base}/rules`, ['GET']) },
  };
}

function renderPeople(x: IncludeExclude | undefined): Record<string, unknown> | undefined {
  if (!x) return undefined;
  return { include: x.include, ...(x.exclude ? { exclude: x.exclude } : {}) };
}

export function renderRule(ctx: TenantContext, serverId: string, policyId: string, r: RuleRecord): Record<string, unknown> {
  const base = `/api/v1/authorizationServers/${serverId}/policies/${policyId}/rules/${r.id}`;
  const people: Record<string, unknown> = {};
  const users = renderPeople(r.conditions.people.users);
  const groups = renderPeople(r.conditions.people.groups);
  if (users) people.users = users;
  if (groups) people.groups = groups;
  return {
    id: r.id,
    type: r.type,
    status: r.status,
    name: r.name,
    priority: r.priority,
    system: r.system,
    created: r.created,
    lastUpdated: r.lastUpdated,
    conditions: { people, grantTypes: { include: r.conditions.grantTypes.include }, scopes: { include: r.conditions.scopes.include } },
    actions: { token: { ...r.actions.token } },
    _links: { self: link(ctx, base, ['GET', 'PUT', 'DELETE']), ...lifecycleLinks(ctx, base, r.status) },
  };
}

type PolicyFields = Pick<PolicyRecord, 'name' | 'description' | 'status' | 'conditions'> & { priority?: number };

function validatePolicy(state: TenantState, server: AuthServerRecord, body: Record<string, unknown>, selfId?: string): PolicyFields {
  const p = new Problems();
  const name = str(p, body, 'name', 'name', { required: true, max: 100 });
  const description = str(p, body, 'description', 'description', { max: 255 });
  if (body.type !== undefined && body.type !== 'OAUTH_AUTHORIZATION_POLICY') p.add('type', `'${shown(body.type)}' is not a valid value. Valid values: OAUTH_AUTHORIZATION_POLICY`);
  const status = oneOf(p, body, 'status', 'status', ['ACTIVE', 'INACTIVE'] as const, 'ACTIVE');
  const priority = int(p, body, 'priority', 'priority');
  if (priority !== undefined && priority < 1) p.add('priority', 'The priority must be 1 or more');
  const conditions = isObject(body.conditions) ? body.conditions : undefined;
  const clients = conditions && isObject(conditions.clients) ? conditions.clients : undefined;
  const include = strArray(p, clients?.include, 'conditions.clients.include', { required: true });
  if (include?.some((id) => id !== 'ALL_CLIENTS' && !byId(state.apps, id))) p.add('conditions.clients.include', MSG.notFound);
  if (name && Object.values(server.policies).some((x) => x.id !== selfId && sameText(x.name, name))) p.add('name', MSG.duplicate);
  p.throwIfAny();
  return {
    name: name!,
    ...(description !== undefined ? { description } : {}),
    status,
    ...(priority !== undefined ? { priority } : {}),
    conditions: { clients: { include: include! } },
  };
}

type RuleFields = Pick<RuleRecord, 'name' | 'status' | 'conditions' | 'actions'> & { priority?: number };

function peopleList(p: Problems, state: TenantState, v: unknown, field: string, exists: (id: string) => boolean): IncludeExclude | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) {
    p.add(field, 'The field must be an object');
    return undefined;
  }
  const include = strArray(p, v.include, `${field}.include`) ?? [];
  const exclude = strArray(p, v.exclude, `${field}.exclude`);
  if (include.some((id) => !exists(id))) p.add(`${field}.include`, MSG.notFound);
  if (exclude?.some((id) => !exists(id))) p.add(`${field}.exclude`, MSG.notFound);
  void state;
  return { include, ...(exclude ? { exclude } : {}) };
}

function validateRule(state: TenantState, policy: PolicyRecord, body: Record<string, unknown>, selfId?: string): RuleFields {
  const p = new Problems();
  const name = str(p, body, 'name', 'name', { required: true });
  if (body.type === undefined || body.type === null) p.add('type', MSG.blank);
  else if (body.type !== 'RESOURCE_ACCESS') p.add('type', `'${shown(body.type)}' is not a valid value. Valid values: RESOURCE_ACCESS`);
  const status = oneOf(p, body, 'status', 'status', ['ACTIVE', 'INACTIVE'] as const, 'ACTIVE');
  const priority = int(p, body, 'priority', 'priority');
  if (priority !== undefined && priority < 1) p.add('priority', 'The priority must be 1 or more');

  const cond = isObject(body.conditions) ? body.conditions : undefined;
  if (!cond) p.add('conditions', MSG.blank);
  const peopleRaw = cond?.people;
  if (peopleRaw !== undefined && peopleRaw !== null && !isObject(peopleRaw)) p.add('conditions.people', 'The field must be an object');
  const people = isObject(peopleRaw) ? peopleRaw : {};
  const users = peopleList(p, state, people.users, 'conditions.people.users', (id) => byId(state.users, id) !== undefined);
  const groups = peopleList(p, state, people.groups, 'conditions.people.groups', (id) => id === 'EVERYONE' || byId(state.groups, id) !== undefined);

  const grantTypes = cond ? strArray(p, isObject(cond.grantTypes) ? cond.grantTypes.include : undefined, 'conditions.grantTypes.include', { required: true }) : undefined;
  for (const g of grantTypes ?? []) {
    if (!(RULE_GRANT_TYPES as readonly string[]).includes(g)) p.add('conditions.grantTypes.include', `'${g}' is not a valid grant type`);
  }
  const scopes = cond ? strArray(p, isObject(cond.scopes) ? cond.scopes.include : undefined, 'conditions.scopes.include', { required: true }) : undefined;
  if (grantTypes?.some((g) => USER_GRANTS.includes(g)) && !(users?.include.length || groups?.include.length)) {
    p.add('conditions.people', PEOPLE_REQUIRED);
  }

  const actions = isObject(body.actions) ? body.actions : {};
  const token = isObject(actions.token) ? actions.token : {};
  const access = int(p, token, 'accessTokenLifetimeMinutes', 'actions.token.accessTokenLifetimeMinutes') ?? 60;
  const refreshLife = int(p, token, 'refreshTokenLifetimeMinutes', 'actions.token.refreshTokenLifetimeMinutes') ?? 0;
  const window = int(p, token, 'refreshTokenWindowMinutes', 'actions.token.refreshTokenWindowMinutes') ?? 10080;
  if (access < 5 || access > 1440) p.add('actions.token.accessTokenLifetimeMinutes', 'The access token lifetime must be between 5 minutes and 1 day (1440 minutes).');
  if (window < 10 || window > 2628000) p.add('actions.token.refreshTokenWindowMinutes', 'The refresh token window must be between 10 minutes and 5 years (2628000 minutes).');
  else if (window < access) p.add('actions.token.refreshTokenWindowMinutes', 'The refresh token window must be at least as long as the access token lifetime.');
  if (refreshLife !== 0 && (refreshLife < 0 || refreshLife < window)) {
    p.add('actions.token.refreshTokenLifetimeMinutes', 'The refresh token lifetime must be 0 (unlimited) or at least the refresh token window.');
  }
  let inlineHook: { id: string } | undefined;
  if (token.inlineHook !== undefined && token.inlineHook !== null) {
    const id = isObject(token.inlineHook) ? token.inlineHook.id : undefined;
    if (typeof id !== 'string' || !id) p.add('actions.token.inlineHook.id', MSG.blank);
    else inlineHook = { id };
  }
  if (name && Object.values(policy.rules).some((x) => x.id !== selfId && sameText(x.name, name))) p.add('name', MSG.duplicate);
  p.throwIfAny();
  const peopleOut: RuleRecord['conditions']['people'] = {};
  if (users) peopleOut.users = users;
  if (groups) peopleOut.groups = groups;
  return {
    name: name!,
    status,
    ...(priority !== undefined ? { priority } : {}),
    conditions: { people: peopleOut, grantTypes: { include: grantTypes! }, scopes: { include: scopes! } },
    actions: {
      token: {
        accessTokenLifetimeMinutes: access,
        refreshTokenLifetimeMinutes: refreshLife,
        refreshTokenWindowMinutes: window,
        ...(inlineHook ? { inlineHook } : {}),
      },
    },
  };
}

/** The `aus…` id of the server the path names (its id or the default server's alias), or 404: links, priority
 *  locks and rendering then use the real id whichever the client sent. */
function serverIdOf(ctx: TenantContext, req: FastifyRequest): string {
  return getAuthServer(ctx.store.read(), params(req).authServerId ?? '').id;
}

export function registerPolicyRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const policies = '/api/v1/authorizationServers/:authServerId/policies';
  const rules = `${policies}/:policyId/rules`;

  app.get(policies, (req) => {
    const server = getAuthServer(ctx.store.read(), params(req).authServerId ?? '');
    return byPriority(Object.values(server.policies)).map((x) => renderPolicy(ctx, server.id, x));
  });

  app.post(policies, async (req, reply) => {
    const body = bodyObject(req);
    const serverId = serverIdOf(ctx, req);
    const rec = await priorityWrite(ctx, `policies of ${serverId}`, () => ctx.store.mutate((state) => {
      const server = getAuthServer(state, serverId);
      const f = validatePolicy(state, server, body);
      const now = nowIso(ctx.now());
      const policy: PolicyRecord = {
        id: newId('00p'),
        type: 'OAUTH_AUTHORIZATION_POLICY',
        name: f.name,
        ...(f.description !== undefined ? { description: f.description } : {}),
        status: f.status,
        priority: 0,
        system: false,
        conditions: f.conditions,
        rules: {},
        created: now,
        lastUpdated: now,
      };
      placeByPriority(server.policies, policy, f.priority);
      return policy;
    }));
    reply.code(201);
    return renderPolicy(ctx, serverId, rec);
  });

  app.get(`${policies}/:policyId`, (req) => {
    const { policyId } = params(req);
    const authServerId = serverIdOf(ctx, req);
    return renderPolicy(ctx, authServerId, getPolicy(getAuthServer(ctx.store.read(), authServerId), policyId!));
  });

  app.put(`${policies}/:policyId`, async (req) => {
    const body = bodyObject(req);
    const { policyId } = params(req);
    const authServerId = serverIdOf(ctx, req);
    const replace = () => ctx.store.mutate((state) => {
      const server = getAuthServer(state, authServerId);
      const policy = getPolicy(server, policyId!);
      const f = validatePolicy(state, server, body, policy.id);
      policy.name = f.name;
      if (f.description !== undefined) policy.description = f.description;
      else delete policy.description;
      policy.status = f.status;
      policy.conditions = f.conditions;
      policy.lastUpdated = nowIso(ctx.now());
      if (f.priority !== undefined) placeByPriority(server.policies, policy, f.priority);
      return policy;
    });
    const rec = await (body.priority !== undefined && body.priority !== null ? priorityWrite(ctx, `policies of ${authServerId}`, replace) : replace());
    return renderPolicy(ctx, authServerId, rec);
  });

  app.delete(`${policies}/:policyId`, async (req, reply) => {
    const { policyId } = params(req);
    const authServerId = serverIdOf(ctx, req);
    await ctx.store.mutate((state) => {
      const server = getAuthServer(state, authServerId);
      getPolicy(server, policyId!);
      removeByPriority(server.policies, policyId!);
    });
    return reply.code(204).send();
  });

  app.get(rules, (req) => {
    const { policyId } = params(req);
    const authServerId = serverIdOf(ctx, req);
    const policy = getPolicy(getAuthServer(ctx.store.read(), authServerId), policyId!);
    return byPriority(Object.values(policy.rules)).map((r) => renderRule(ctx, authServerId, policy.id, r));
  });

  app.post(rules, async (req, reply) => {
    const body = bodyObject(req);
    const { policyId } = params(req);
    const authServerId = serverIdOf(ctx, req);
    const rec = await priorityWrite(ctx, `rules of ${String(policyId)}`, () => ctx.store.mutate((state) => {
      const policy = getPolicy(getAuthServer(state, authServerId), policyId!);
      const f = validateRule(state, policy, body);
      const now = nowIso(ctx.now());
      const rule: RuleRecord = {
        id: newId('0pr'),
        type: 'RESOURCE_ACCESS',
        name: f.name,
        status: f.status,
        priority: 0,
        system: false,
        conditions: f.conditions,
        actions: f.actions,
        created: now,
        lastUpdated: now,
      };
      placeByPriority(policy.rules, rule, f.priority);
      return rule;
    }));
    reply.code(201);
    return renderRule(ctx, authServerId, policyId!, rec);
  });

  app.get(`${rules}/:ruleId`, (req) => {
    const { policyId, ruleId } = params(req);
    const authServerId = serverIdOf(ctx, req);
    const policy = getPolicy(getAuthServer(ctx.store.read(), authServerId), policyId!);
    return renderRule(ctx, authServerId, policy.id, getRule(policy, ruleId!));
  });

  app.put(`${rules}/:ruleId`, async (req) => {
    const body = bodyObject(req);
    const { policyId, ruleId } = params(req);
    const authServerId = serverIdOf(ctx, req);
    const replace = () => ctx.store.mutate((state) => {
      const policy = getPolicy(getAuthServer(state, authServerId), policyId!);
      const rule = getRule(policy, ruleId!);
      const f = validateRule(state, policy, body, rule.id);
      rule.name = f.name;
      rule.status = f.status;
      rule.conditions = f.conditions;
      rule.actions = f.actions;
      rule.lastUpdated = nowIso(ctx.now());
      if (f.priority !== undefined) placeByPriority(policy.rules, rule, f.priority);
      return rule;
    });
    const rec = await (body.priority !== undefined && body.priority !== null ? priorityWrite(ctx, `rules of ${String(policyId)}`, replace) : replace());
    return renderRule(ctx, authServerId, policyId!, rec);
  });

  app.delete(`${rules}/:ruleId`, async (req, reply) => {
    const { policyId, ruleId } = params(req);
    const authServerId = serverIdOf(ctx, req);
    await ctx.store.mutate((state) => {
      const policy = getPolicy(getAuthServer(state, authServerId), policyId!);
      getRule(policy, ruleId!);
      removeByPriority(policy.rules, ruleId!);
    });
    return reply.code(204).send();
  });

  registerLifecycle(app, ctx, `${policies}/:policyId`, (state, p) => getPolicy(getAuthServer(state, p.authServerId!), p.policyId!), { code: 204 });
  registerLifecycle(app, ctx, `${rules}/:ruleId`, (state, p) => getRule(getPolicy(getAuthServer(state, p.authServerId!), p.policyId!), p.ruleId!), { code: 204 });
}
