/**
 * /api/v1/authorizationServers: list (q), create (201), get, replace, delete, activate, deactivate (204).
 *
 * Duplicate names: Okta's spec and docs are silent (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServer/). This tenant REJECTS a second server with the
 * same name (case-insensitive) with 400 E0000001 "name: An object with this field already exists in the
 * current organization". Why: okta-bootstrap finds servers by name, so it never needs duplicates; if Okta
 * allows them, a tool that passes here also passes there, while the opposite choice could let the tool pass
 * here and fail on a real org. The built-in server's name "default" is taken from the start.
 *
 * Other choices where Okta is silent: `audiences` is required and holds exactly one value (the spec: "Okta
 * currently supports only one audience"); `issuerMode` CUSTOM_URL is refused (this org has no custom domain);
 * a created server is ACTIVE whatever `status` says (as the spec example shows).
 *
 * The default server. Okta's reference: "Okta provides a pre-configured Custom Authorization Server with the name
 * `default` ... It allows you to specify `default` instead of the `authorizationServerId` in requests to it"
 * (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/AuthorizationServer/). So `default`
 * is an alias in paths, not an id: GET /api/v1/authorizationServers/default answers the server whose `id` is its
 * real `aus…` id (the spec's AuthorizationServer.id, "The ID of the custom authorization server", readOnly; Okta's
 * own Terraform provider reads /authorizationServers/default and then uses the `id` it answers for every later
 * call), the same object the listing shows. Its `issuer` is `{org}/oauth2/default`
 * (https://developer.okta.com/docs/concepts/auth-servers/#default-custom-authorization-server); the alias works in
 * every path that takes an authServerId, here and under /oauth2 (store.ts findAuthServer).
 */
import type { FastifyInstance } from 'fastify';
import type { TenantContext } from '../context.js';
import { MSG, Problems, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { findAuthServer, issuerPath, newAuthServerRecord } from '../store.js';
import { paginate, queryString } from '../query.js';
import type { AuthServerRecord, TenantState } from '../types.js';
import { bodyObject, link, params, registerLifecycle, sameText, shown, str, strArray } from './util.js';

/** The server a path's `authServerId` names: its `aus…` id, or `default` for the default server (store.ts). */
export function getAuthServer(state: TenantState, idOrAlias: string): AuthServerRecord {
  const s = findAuthServer(state, idOrAlias);
  if (!s) throw notFound(idOrAlias, 'AuthorizationServer');
  return s;
}

export function issuerOf(ctx: TenantContext, s: AuthServerRecord): string {
  return `${ctx.orgUrl}${issuerPath(s)}`;
}

export function renderAuthServer(ctx: TenantContext, s: AuthServerRecord): Record<string, unknown> {
  const base = `/api/v1/authorizationServers/${s.id}`;
  const next = new Date(Date.parse(s.lastRotated) + 90 * 24 * 3600 * 1000).toISOString();
  const links: Record<string, unknown> = {
    scopes: link(ctx, `${base}/scopes`, ['GET']),
    claims: link(ctx, `${base}/claims`, ['GET']),
    policies: link(ctx, `${base}/policies`, ['GET']),
    self: link(ctx, base, ['GET', 'DELETE', 'PUT']),
    metadata: [
      link(ctx, `${issuerPath(s)}/.well-known/oauth-authorization-server`, ['GET'], { name: 'oauth-authorization-server' }),
      link(ctx, `${issuerPath(s)}/.well-known/openid-configuration`, ['GET'], { name: 'openid-configuration' }),
    ],
    // (Okta also links credentials/lifecycle/keyRotate, which the tenant does not serve.)
  };
  // The spec's AuthServerLinks declares `deactivate` but no `activate`: an inactive server carries neither.
  if (s.status === 'ACTIVE') links.deactivate = link(ctx, `${base}/lifecycle/deactivate`, ['POST'], { name: 'deactivate' });
  return {
    id: s.id,
    name: s.name,
    ...(s.description !== undefined ? { description: s.description } : {}),
    audiences: s.audiences,
    issuer: issuerOf(ctx, s),
    issuerMode: s.issuerMode,
    status: s.status,
    created: s.created,
    lastUpdated: s.lastUpdated,
    credentials: { signing: { rotationMode: 'AUTO', lastRotated: s.lastRotated, nextRotation: next, kid: s.kid, use: 'sig' } },
    _links: links,
  };
}

interface AuthServerFields {
  name: string;
  description?: string;
  audiences: string[];
  issuerMode: 'ORG_URL' | 'DYNAMIC';
}

function validate(state: TenantState, body: Record<string, unknown>, selfId?: string): AuthServerFields {
  const p = new Problems();
  const name = str(p, body, 'name', 'name', { required: true });
  const description = str(p, body, 'description', 'description');
  const audiences = strArray(p, body.audiences, 'audiences', { required: true });
  if (audiences && audiences.length > 1) p.add('audiences', 'Okta currently supports only one audience');
  if (audiences?.some((a) => a.trim() === '')) p.add('audiences', MSG.blank);
  let issuerMode: 'ORG_URL' | 'DYNAMIC' = 'ORG_URL';
  if (body.issuerMode !== undefined && body.issuerMode !== null) {
    if (body.issuerMode === 'ORG_URL' || body.issuerMode === 'DYNAMIC') issuerMode = body.issuerMode;
    else if (body.issuerMode === 'CUSTOM_URL') p.add('issuerMode', 'The issuer mode CUSTOM_URL needs a custom URL domain, and this org has none');
    else p.add('issuerMode', `'${shown(body.issuerMode)}' is not a valid value. Valid values: ORG_URL, CUSTOM_URL, DYNAMIC`);
  }
  if (name && Object.values(state.authorizationServers).some((s) => s.id !== selfId && sameText(s.name, name))) p.add('name', MSG.duplicate);
  p.throwIfAny();
  return { name: name!, ...(description !== undefined ? { description } : {}), audiences: audiences!, issuerMode };
}

export function registerAuthServerRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const base = '/api/v1/authorizationServers';

  app.get(base, async (req, reply) => {
    const q = queryString(req, 'q')?.toLowerCase();
    let items = Object.values(ctx.store.read().authorizationServers);
    if (q) items = items.filter((s) => s.name.toLowerCase().startsWith(q) || s.audiences.some((a) => a.toLowerCase().startsWith(q)));
    const page = paginate(req, reply, ctx.orgUrl, items, (s) => s.id, { defaultLimit: 200, maxLimit: 200 });
    return page.map((s) => renderAuthServer(ctx, s));
  });

  app.post(base, async (req, reply) => {
    const body = bodyObject(req);
    const created = await ctx.store.mutate((state) => {
      const f = validate(state, body);
      const rec = newAuthServerRecord(newId('aus'), f, nowIso(ctx.now()));
      state.authorizationServers[rec.id] = rec;
      return rec;
    });
    reply.code(201);
    return renderAuthServer(ctx, created);
  });

  app.get(`${base}/:authServerId`, (req) => renderAuthServer(ctx, getAuthServer(ctx.store.read(), params(req).authServerId!)));

  app.put(`${base}/:authServerId`, async (req) => {
    const body = bodyObject(req);
    const id = params(req).authServerId!;
    const updated = await ctx.store.mutate((state) => {
      const s = getAuthServer(state, id);
      const f = validate(state, body, s.id);
      // Renaming the default server ends its alias: "If the default custom authorization server is renamed or
      // deleted, it is not possible to restore or re-create it with "default" as ${authorizationServerId}"
      // (https://support.okta.com/help/s/article/renaming-authorization-servers-impact). What its issuer becomes
      // then is not documented; here {org}/oauth2/{id}, like any other server's.
      if (s.name !== f.name) delete s.alias;
      s.name = f.name;
      if (f.description !== undefined) s.description = f.description;
      else delete s.description;
      s.audiences = f.audiences;
      s.issuerMode = f.issuerMode;
      s.lastUpdated = nowIso(ctx.now());
      return s;
    });
    return renderAuthServer(ctx, updated);
  });

  app.delete(`${base}/:authServerId`, async (req, reply) => {
    const id = params(req).authServerId!;
    await ctx.store.mutate((state) => {
      delete state.authorizationServers[getAuthServer(state, id).id];
    });
    return reply.code(204).send();
  });

  registerLifecycle(app, ctx, `${base}/:authServerId`, (state, p) => getAuthServer(state, p.authServerId!), { code: 204 });
}
