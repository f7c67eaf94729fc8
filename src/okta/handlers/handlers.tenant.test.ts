/**
 * Every handler against the local tenant with specCheck on: create, batched lookup, no diff after create, update,
 * ensure, delete (twice: already gone is done). The request log must hold no spec violation, and lookups must be
 * batched (one listing or a few searches per class, never one GET per object).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalTenant, type LocalTenant } from '../../local-tenant/index.js';
import { createSpecValidator } from '../../spec/validator.js';
import { createOktaClient, type OktaApi } from '../client.js';
import { keyOf } from './common.js';
import { handlerFor } from './index.js';
import { anypointDcrBody } from '../../../test/support/anypoint.js';
import type { HandlerContext, Obj } from './types.js';

let tenant: LocalTenant;
let api: OktaApi;
const sent: { method: string; path: string; body: unknown }[] = [];

beforeAll(async () => {
  tenant = await startLocalTenant({ port: 0, rateLimits: 'none', specCheck: true });
  api = createOktaClient({ orgUrl: tenant.orgUrl, token: tenant.apiToken });
  // Record what the handlers send, to check bodies against the spec validator directly as well.
  const request = api.request.bind(api);
  api.request = (async (method, path, opts) => {
    sent.push({ method, path: new URL(path, tenant.orgUrl).pathname, body: opts?.body });
    return request(method, path, opts);
  });
});

afterAll(async () => {
  await tenant?.close();
});

function ctx(parent: Record<string, string> = {}, extra: Partial<HandlerContext> = {}): HandlerContext {
  return { api, parent, ...extra };
}

function since(n: number) {
  return tenant.requestLog.slice(n);
}

describe('handlers against the local tenant', () => {
  const ids: Record<string, string> = {};

  it('authorization server, scopes, claims, policy, rules', async () => {
    const as = handlerFor('okta:authz_server');
    const body = { name: 'hs-test server', description: 'd', audiences: ['api://hs'] };
    const server = await as.create(ctx(), body);
    ids.as = as.idOf(server);
    expect(as.diff(server, body)).toEqual([]);

    let mark = tenant.requestLog.length;
    const found = await as.findExisting(ctx(), [as.naturalKey(body), { name: 'no such server' }]);
    expect(since(mark)).toHaveLength(1);
    expect(found.get(keyOf({ name: 'hs-test server' }))?.id).toBe(ids.as);
    expect(found.has(keyOf({ name: 'no such server' }))).toBe(false);

    const updated = await as.update!(ctx(), server, { ...body, description: 'changed' });
    expect(updated.description).toBe('changed');
    expect(updated.audiences).toEqual(['api://hs']);
    expect(as.diff(updated, { ...body, description: 'changed' })).toEqual([]);
    expect(as.diff(updated, body)).toEqual([{ path: 'description', before: 'changed', after: 'd' }]);

    const parent = as.parentOf(body);
    expect(parent).toEqual({});
    const scope = handlerFor('okta:scope');
    const endpoint = `/api/v1/authorizationServers/${ids.as}/scopes`;
    const sctx = ctx(scope.parentOf({ name: 'x' }, endpoint));
    const names = ['hs:read', 'hs:write', 'hs:admin'];
    for (const n of names) await scope.create(sctx, { name: n, description: `${n} access` });
    mark = tenant.requestLog.length;
    const scopes = await scope.findExisting(sctx, names.map((n) => ({ name: n })));
    expect(since(mark)).toHaveLength(1);
    expect(scopes.size).toBe(3);
    const read = scopes.get(keyOf({ name: 'hs:read' }))!;
    expect(scope.diff(read, { name: 'hs:read', description: 'hs:read access' })).toEqual([]);
    const read2 = await scope.update!(sctx, read, { name: 'hs:read', description: 'new', consent: 'IMPLICIT' });
    expect(read2.description).toBe('new');

    const claim = handlerFor('okta:claim');
    const cctx = ctx(claim.parentOf({}, `/api/v1/authorizationServers/${ids.as}/claims`));
    const claimBody = { name: 'groups', status: 'ACTIVE', claimType: 'RESOURCE', valueType: 'GROUPS', value: 'solar', group_filter_type: 'STARTS_WITH', alwaysIncludeInToken: true, conditions: { scopes: [] } };
    const c = await claim.create(cctx, claimBody);
    expect(claim.diff(c, claimBody)).toEqual([]);
    expect((await claim.findExisting(cctx, [{ name: 'groups' }])).size).toBe(1);

    const policy = handlerFor('okta:oauth_policy');
    const pctx = ctx(policy.parentOf({}, `/api/v1/authorizationServers/${ids.as}/policies`));
    const policyBody = { type: 'OAUTH_AUTHORIZATION_POLICY', status: 'ACTIVE', name: 'hs policy', description: 'hs policy', priority: 1, conditions: { clients: { include: ['ALL_CLIENTS'] } } };
    const p = await policy.create(pctx, policyBody);
    ids.policy = policy.idOf(p);
    expect(policy.diff(p, policyBody)).toEqual([]);

    const rule = handlerFor('okta:rule');
    const rctx = ctx(rule.parentOf({}, `/api/v1/authorizationServers/${ids.as}/policies/${ids.policy}/rules`));
    expect(rctx.parent).toEqual({ authServerId: ids.as, policyId: ids.policy });
    const ruleBody = (name: string) => ({
      type: 'RESOURCE_ACCESS',
      status: 'ACTIVE',
      name,
      priority: 1,
      conditions: { people: { groups: { include: ['EVERYONE'] } }, grantTypes: { include: ['client_credentials', 'authorization_code'] }, scopes: { include: ['hs:read', 'openid'] } },
      actions: { token: { accessTokenLifetimeMinutes: 60, refreshTokenLifetimeMinutes: 0, refreshTokenWindowMinutes: 10080 } },
    });
    const r1 = await rule.create(rctx, ruleBody('silver'));
    await rule.create(rctx, ruleBody('gold'));
    mark = tenant.requestLog.length;
    const rules = await rule.findExisting(rctx, [{ name: 'silver' }, { name: 'gold' }]);
    expect(since(mark)).toHaveLength(1);
    // both asked for priority 1: Okta renumbers, and that is not a difference
    for (const [k, r] of rules) expect(rule.diff(r, ruleBody(k.includes('silver') ? 'silver' : 'gold'))).toEqual([]);
    const r1b = await rule.update!(rctx, r1, { ...ruleBody('silver'), actions: { token: { accessTokenLifetimeMinutes: 30, refreshTokenLifetimeMinutes: 0, refreshTokenWindowMinutes: 10080 } } });
    expect((r1b.actions as { token: { accessTokenLifetimeMinutes: number } }).token.accessTokenLifetimeMinutes).toBe(30);

    await rule.delete(rctx, { id: String(r1.id) });
    await rule.delete(rctx, { id: String(r1.id) });
    await scope.delete(sctx, { id: String(read.id) });
    expect((await scope.findExisting(sctx, [{ name: 'hs:read' }])).size).toBe(0);
    await claim.delete(cctx, { id: String(c.id) });
    await policy.delete(pctx, { id: ids.policy });
  });

  it('groups and users: batched lookups, memberships, update, delete', async () => {
    const group = handlerFor('okta:user_group');
    const gnames = Array.from({ length: 5 }, (_, i) => `hs group ${i}`);
    const groups: Obj[] = [];
    for (const n of gnames) groups.push(await group.create(ctx(), { profile: { name: n, description: `about ${n}` } }));
    let mark = tenant.requestLog.length;
    const foundG = await group.findExisting(ctx(), gnames.map((n) => ({ 'profile.name': n.toUpperCase() })));
    expect(since(mark)).toHaveLength(1); // one search for five names
    expect(foundG.size).toBe(5);
    // the case differs from the input: that is an update of the name, not a new group
    expect(group.diff(groups[0]!, { profile: { name: 'HS GROUP 0' } })).toEqual([{ path: 'profile.name', before: 'hs group 0', after: 'HS GROUP 0' }]);
    const g0 = await group.update!(ctx(), groups[0]!, { profile: { description: 'changed' } });
    expect(g0.profile).toEqual({ name: 'hs group 0', description: 'changed' });
    expect((await group.findExisting(ctx(), [{ 'profile.name': 'hs group 1' }])).size).toBe(1);

    const user = handlerFor('okta:user');
    const userBody = (i: number, gids: string[]) => ({
      profile: { firstName: `First${i}`, lastName: `Last${i}`, email: `hs.user${i}@example.com`, login: `hs.user${i}@example.com` },
      credentials: { password: { value: `Tr0ub4dor&3-${i}x` }, recovery_question: { question: 'Favourite planet?', answer: 'Saturn' } },
      groupIds: gids,
    });
    const users: Obj[] = [];
    const gid = (i: number) => String(groups[i]!.id);
    for (let i = 0; i < 6; i++) users.push(await user.create(ctx(), userBody(i, [gid(i % 5), 'Everyone'])));
    expect(users[0]!.status).toBe('ACTIVE');
    expect(user.diff(users[0]!, userBody(0, [gid(0)]))).toEqual([]);

    mark = tenant.requestLog.length;
    const logins = users.map((u) => ({ 'profile.login': String((u.profile as Obj).login).toUpperCase() }));
    const foundU = await user.findExisting(ctx(), [...logins, { 'profile.login': 'nobody@example.com' }]);
    expect(since(mark)).toHaveLength(1);
    expect(foundU.size).toBe(6);

    // ensure: user 0 should also be in groups 1 and 2; group listings are shared between users
    mark = tenant.requestLog.length;
    const changes = await user.ensure!(ctx(), users[0]!, userBody(0, [gid(0), gid(1), gid(2)]));
    expect(changes).toEqual([{ path: 'groupIds', before: [gid(0)], after: [gid(0), gid(1), gid(2)] }]);
    const again = await user.ensure!(ctx(), users[0]!, userBody(0, [gid(0), gid(1), gid(2)]));
    expect(again).toEqual([]);
    const puts = since(mark).filter((e) => e.method === 'PUT');
    expect(puts.map((e) => e.path).sort()).toEqual([`/api/v1/groups/${gid(1)}/users/${String(users[0]!.id)}`, `/api/v1/groups/${gid(2)}/users/${String(users[0]!.id)}`].sort());
    expect(since(mark).filter((e) => e.method === 'GET')).toHaveLength(3);

    const u1 = await user.update!(ctx(), users[1]!, { profile: { ...userBody(1, []).profile, lastName: 'Changed' } });
    expect((u1.profile as Obj).lastName).toBe('Changed');

    expect(await user.delete(ctx(), { id: String(users[1]!.id) })).toBe('deleted');
    expect(await user.delete(ctx(), { id: String(users[1]!.id) })).toBe('gone');
    const gone = await user.findExisting(ctx(), [{ 'profile.login': 'hs.user1@example.com' }]);
    expect(gone.size).toBe(0);
    expect(await group.delete(ctx(), { id: gid(4) })).toBe('deleted');
    expect(await group.delete(ctx(), { id: gid(4) })).toBe('gone');
    ids.group0 = gid(0);
  });

  it('DCR client with groups, found by name and by client_id, app group assignments, trusted origin', async () => {
    const client = handlerFor('okta:client');
    const body = anypointDcrBody('hs mulesoft introspect client');
    const c = await client.create(ctx({}, { groups: [ids.group0!, 'Everyone'] }), body);
    const cid = client.idOf(c);
    expect(typeof c.client_secret).toBe('string');
    expect(client.diff(c, body)).toEqual([]);
    const byName = await client.findExisting(ctx(), [client.naturalKey(body)]);
    expect(client.idOf(byName.get(keyOf({ client_name: body.client_name }))!)).toBe(cid);
    const byId = await client.findExisting(ctx(), [{ client_id: cid }, { client_id: '0oaNoSuchClient00000' }]);
    expect(byId.size).toBe(1);
    // many ids: one listing, not a GET each
    const mark = tenant.requestLog.length;
    const many = await client.findExisting(ctx(), [{ client_id: cid }, { client_id: '0oaNoSuchClient00001' }, { client_id: '0oaNoSuchClient00002' }]);
    expect(since(mark)).toHaveLength(1);
    expect([...many.values()].map((c) => c.client_id)).toEqual([cid]);

    const assignment = handlerFor('okta:app_group_assignment');
    const actx = ctx(assignment.parentOf({ appId: cid, groupId: 'Everyone' }));
    const found = await assignment.findExisting(actx, [{ groupId: 'Everyone' }, { groupId: ids.group0! }]);
    expect(found.size).toBe(2);
    // ensure: nothing missing; then remove one and ensure puts it back
    expect(await client.ensure!(ctx({}, { groups: [ids.group0!, 'Everyone'] }), c, body)).toEqual([]);
    await assignment.delete(actx, { id: ids.group0! });
    await assignment.delete(actx, { id: ids.group0! });
    const fixed = await client.ensure!(ctx({}, { groups: [ids.group0!] }), c, body);
    expect(fixed).toHaveLength(1);
    const a = await assignment.create(actx, { appId: cid, groupId: ids.group0!, priority: 0 });
    expect(a.id).toBe(ids.group0);

    const updated = await client.update!(ctx(), byId.get(keyOf({ client_id: cid }))!, { ...body, redirect_uris: ['http://localhost:9090'] });
    expect(updated.redirect_uris).toEqual(['http://localhost:9090']);

    expect(await client.delete(ctx(), { id: cid })).toBe('deleted');
    expect(await client.delete(ctx(), { id: cid })).toBe('gone');
    expect((await client.findExisting(ctx(), [client.naturalKey(body)])).size).toBe(0);

    const origin = handlerFor('okta:trusted_origin');
    const obody = { name: 'hs gateway', origin: 'http://localhost:8081', scopes: [{ type: 'CORS' }, { type: 'REDIRECT' }] };
    const o = await origin.create(ctx(), obody);
    expect(origin.diff(o, { ...obody, scopes: [{ type: 'REDIRECT' }, { type: 'CORS' }] })).toEqual([]);
    expect((await origin.findExisting(ctx(), [{ origin: 'http://localhost:8081' }])).size).toBe(1);
    const o2 = await origin.update!(ctx(), o, { ...obody, scopes: [{ type: 'CORS' }] });
    expect(o2.scopes).toEqual([{ type: 'CORS' }]);
    await origin.delete(ctx(), { id: String(o.id) });
  });

  it('client logout URI: added to a client Anypoint registered by a full replace, found, removed alone; a missing client is named', async () => {
    const h = handlerFor('okta:client_logout_uri');
    const reg = (await api.request<Obj>('POST', '/oauth2/v1/clients', { body: anypointDcrBody('hs anypoint app', 'http://localhost:8080') })).body;
    const clientId = String(reg.client_id);
    const body = { client_id: clientId, uri: 'http://localhost:8080' };
    const other = { client_id: clientId, uri: 'http://localhost:8080/bye' };
    const c = ctx(h.parentOf(body));
    expect(c.parent).toEqual({ clientId });
    expect((await h.findExisting(c, [h.naturalKey(body)])).size).toBe(0);

    const req = await h.createRequest(c, body);
    expect(req).toMatchObject({ method: 'PUT', path: `/oauth2/v1/clients/${clientId}`, body: { client_id: clientId, client_name: 'hs anypoint app', post_logout_redirect_uris: ['http://localhost:8080'] } });
    expect(req.body).not.toHaveProperty('client_secret');
    // two entries on one client at once: neither full replace drops the other's URI
    const [a, b] = await Promise.all([h.create(c, body), h.create(c, other)]);
    expect([h.idOf(a), h.idOf(b)]).toEqual(['http://localhost:8080', 'http://localhost:8080/bye']);
    const client = (await api.request<Obj>('GET', `/oauth2/v1/clients/${clientId}`)).body;
    expect(client).toMatchObject({ client_name: 'hs anypoint app', redirect_uris: ['http://localhost:8080'], grant_types: ['authorization_code', 'implicit'] });
    expect([...(client.post_logout_redirect_uris as string[])].sort()).toEqual(['http://localhost:8080', 'http://localhost:8080/bye']);
    // the secret Anypoint holds still works: the replace left it out, which keeps it
    const basic = Buffer.from(`${clientId}:${String(reg.client_secret)}`).toString('base64');
    const intro = await fetch(`${tenant.orgUrl}/oauth2/default/v1/introspect`, { method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=x' });
    expect(intro.status).toBe(200);

    const found = await h.findExisting(c, [h.naturalKey(body), h.naturalKey(other), { client_id: clientId, uri: 'http://nope' }]);
    expect([...found.keys()].sort()).toEqual([keyOf(h.naturalKey(body)), keyOf(h.naturalKey(other))].sort());
    expect(h.diff(a, body)).toEqual([]);

    expect(await h.delete(c, { id: 'http://localhost:8080' })).toBe('deleted');
    expect(await h.delete(c, { id: 'http://localhost:8080' })).toBe('gone');
    const after = (await api.request<Obj>('GET', `/oauth2/v1/clients/${clientId}`)).body;
    expect(after).toMatchObject({ client_id: clientId, client_name: 'hs anypoint app', post_logout_redirect_uris: ['http://localhost:8080/bye'] });

    expect(h.check?.({ client_id: clientId, uri: 'localhost:8080#x' })).toHaveLength(1);
    const missing = ctx({ clientId: '0oaNoSuchClient12345' });
    await expect(h.findExisting(missing, [{ client_id: '0oaNoSuchClient12345', uri: 'http://localhost:8080' }])).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining('client 0oaNoSuchClient12345 does not exist') as unknown,
      details: { suggestion: expect.stringContaining('AUTHN_CLIENT_ID') as unknown },
    });
    expect(await h.delete(missing, { id: 'http://localhost:8080' })).toBe('gone');
    expect(await handlerFor('okta:client').delete(ctx(), { id: clientId })).toBe('deleted');
  });

  it('deletes the authorization server (deactivate, then DELETE) and counts gone as done', async () => {
    const as = handlerFor('okta:authz_server');
    expect(await as.delete(ctx(), { id: ids.as! })).toBe('deleted');
    expect(await as.delete(ctx(), { id: ids.as! })).toBe('gone');
    expect((await as.findExisting(ctx(), [{ name: 'hs-test server' }])).size).toBe(0);
  });

  it('sent nothing the spec rejects, and the request log holds no violation', () => {
    const v = createSpecValidator();
    const bad = sent.flatMap((s) => v.checkRequest(s.method, s.path, s.body).map((x) => `${s.method} ${s.path}: ${x.pointer} ${x.message}`));
    expect(bad).toEqual([]);
    // Request-side violations would be ours, response-side ones the tenant's: the log must hold neither.
    const logged = tenant.requestLog.filter((e) => (e.violations ?? []).length > 0).map((e) => `${e.method} ${e.path}: ${JSON.stringify(e.violations)}`);
    expect(logged).toEqual([]);
    expect(tenant.requestLog.length).toBeGreaterThan(50);
  });
});

describe('read by id and isProtected, from the object read', () => {
  it('protects the server the `default` alias names, judged by the id of the server read, no other', async () => {
    const h = handlerFor('okta:authz_server');
    const c: HandlerContext = { api, parent: {} };
    const dflt = (await api.request<Obj>('GET', '/api/v1/authorizationServers/default')).body;
    const other = await h.create(c, { name: 'not the default', description: 'x', audiences: ['api://other'] });
    const readDefault = await h.read(c, String(dflt.id));
    expect(readDefault?.id).toBe(dflt.id);
    expect(await h.isProtected?.(c, readDefault ?? {})).toBe(true);
    const readOther = await h.read(c, String(other.id));
    expect(readOther?.name).toBe('not the default');
    expect(await h.isProtected?.(c, readOther ?? {})).toBe(false);
    // a server named like the default is not the default
    expect(await h.isProtected?.(c, { ...(readOther ?? {}), name: dflt.name })).toBe(false);
    expect(await h.read(c, 'ausNoSuchServer')).toBeUndefined();
  });

  it('protects BUILT_IN groups and system scopes; reads each class by id, undefined on 404', async () => {
    const group = handlerFor('okta:user_group');
    const everyone = (await api.list<Obj>('/api/v1/groups', { q: 'Everyone' })).find((g) => g.type === 'BUILT_IN');
    const read = await group.read(ctx(), String(everyone?.id));
    expect(read?.type).toBe('BUILT_IN');
    expect(await group.isProtected?.(ctx(), read ?? {})).toBe(true);
    const mine = await group.create(ctx(), { profile: { name: 'Read Me', description: 'd' } });
    const readMine = await group.read(ctx(), String(mine.id));
    expect(await group.isProtected?.(ctx(), readMine ?? {})).toBe(false);
    expect(await group.sameKey?.(ctx(), { 'profile.name': 'read me' }, readMine ?? {})).toBe(true);
    expect(await group.sameKey?.(ctx(), { 'profile.name': 'someone else' }, readMine ?? {})).toBe(false);
    expect(await group.read(ctx(), '00gNoSuchGroup')).toBeUndefined();

    const dflt = (await api.request<Obj>('GET', '/api/v1/authorizationServers/default')).body;
    const scope = handlerFor('okta:scope');
    const sctx = ctx({ authServerId: String(dflt.id) });
    const system = (await api.list<Obj>(`/api/v1/authorizationServers/${String(dflt.id)}/scopes`)).find((x) => x.system === true);
    const readSystem = await scope.read(sctx, String(system?.id));
    expect(readSystem?.name).toBe(system?.name);
    expect(await scope.isProtected?.(sctx, readSystem ?? {})).toBe(true);
    const custom = await scope.create(sctx, { name: 'read:me', description: 'd' });
    expect(await scope.isProtected?.(sctx, (await scope.read(sctx, String(custom.id))) ?? {})).toBe(false);
    expect(await scope.read(sctx, 'scpNoSuchScope')).toBeUndefined();

    const user = handlerFor('okta:user');
    const u = await user.create(ctx(), { profile: { login: 'Read.Me@example.com', email: 'read.me@example.com', firstName: 'R', lastName: 'M' } });
    const readUser = await user.read(ctx(), String(u.id));
    expect(await user.sameKey?.(ctx(), { 'profile.login': 'read.me@example.com' }, readUser ?? {})).toBe(true);
    expect(await user.read(ctx(), '00uNoSuchUser')).toBeUndefined();

    const origin = handlerFor('okta:trusted_origin');
    const o = await origin.create(ctx(), { name: 'read origin', origin: 'http://localhost:7171', scopes: [{ type: 'CORS' }] });
    const readOrigin = await origin.read(ctx(), String(o.id));
    expect(origin.naturalKey(readOrigin ?? {})).toEqual({ origin: 'http://localhost:7171' });

    const client = handlerFor('okta:client');
    const c = await client.create(ctx(), { client_name: 'read client', grant_types: ['client_credentials'], response_types: ['token'], token_endpoint_auth_method: 'client_secret_basic', application_type: 'service' });
    const readClient = await client.read(ctx(), client.idOf(c));
    expect(readClient?.client_name).toBe('read client');
    const assign = handlerFor('okta:app_group_assignment');
    const actx = ctx({ appId: client.idOf(c) });
    await assign.create(actx, { groupId: 'Everyone' });
    const readAssign = await assign.read(actx, String(everyone?.id));
    expect(readAssign?.id).toBe(everyone?.id);
    expect(await assign.sameKey?.(actx, { groupId: 'Everyone' }, readAssign ?? {})).toBe(true);
    expect(await assign.sameKey?.(actx, { groupId: String(mine.id) }, readAssign ?? {})).toBe(false);
    expect(await assign.read(actx, String(mine.id))).toBeUndefined();
    expect(await client.read(ctx(), '0oaNoSuchClient')).toBeUndefined();
  });
});
