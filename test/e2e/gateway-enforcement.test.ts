/**
 * The local gateway, driven with real HTTP requests and real tokens: the MuleSoft setup is made with the built CLI
 * against a local tenant, the tokens come from the dance (authn → authorize + PKCE → token), and the gateway
 * introspects them at the tenant with the introspection client — nothing is faked.
 *
 * Expired tokens: the gateway's clock is injectable (`now`), so a token the tenant issued (lifetime 60 min) is
 * judged after its `exp` without waiting; the gateway rejects it whether it comes from the cache or from a fresh
 * introspection (the tenant's own clock still says active, which is why the gateway checks `exp` itself).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../src/gateway/index.js';
import { basicAuth } from '../../src/gateway/introspect.js';
import { setUpMulesoft, tokenOf, GOLD_SCOPE, SILVER_SCOPE, type MulesoftSetup } from '../support/mulesoft-setup.js';
import { sdkClient } from '../support/org.js';

let s: MulesoftSetup;
let silver: string;
let gold: string;
const gateways: RunningGateway[] = [];

function options(over: Partial<GatewayOptions> = {}): GatewayOptions {
  return {
    port: 0,
    introspectionUrl: String(s.mulesoft.TOKEN_INTROSPECTION_URL),
    clientId: String(s.mulesoft.INTROSPECT_CLIENT_ID),
    clientSecret: String(s.mulesoft.INTROSPECT_CLIENT_SECRET),
    allowedClientIds: [s.authnClientId],
    policies: { 'GET /planets': [SILVER_SCOPE], 'GET /moons': [GOLD_SCOPE] },
    ...over,
  };
}

async function gateway(over: Partial<GatewayOptions> = {}): Promise<RunningGateway> {
  const gw = await startGateway(options(over));
  gateways.push(gw);
  return gw;
}

async function get(gw: RunningGateway, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${gw.url}${path}`, { headers });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: res.status, body, headers: res.headers };
}
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

beforeAll(async () => {
  s = await setUpMulesoft();
  silver = tokenOf(await s.dance('silver'));
  gold = tokenOf(await s.dance('gold'));
}, 120_000);

afterAll(async () => {
  for (const g of gateways) await g.close();
  await s?.close();
});

describe('the access matrix through the gateway', () => {
  it('silver: /planets allowed, /moons denied for insufficient scope; gold: both; no token: 400 and 400', async () => {
    const gw = await gateway();
    const sp = await get(gw, '/planets', bearer(silver));
    expect(sp.status).toBe(200);
    expect((sp.body.planets as { name: string }[]).map((p) => p.name)).toContain('Saturn');
    const sm = await get(gw, '/moons', bearer(silver));
    expect(sm.status).toBe(403);
    expect(sm.body).toEqual({ error: 'insufficient_scope', description: sm.body.description });
    expect(sm.body.description).toEqual(expect.stringContaining(`GET /moons needs ${GOLD_SCOPE}`));
    expect(sm.headers.get('www-authenticate')).toMatch(/^Bearer error="insufficient_scope"/);
    expect((await get(gw, '/planets', bearer(gold))).status).toBe(200);
    const gm = await get(gw, '/moons?planet=Jupiter', bearer(gold));
    expect(gm.status).toBe(200);
    expect((gm.body.moons as { name: string }[]).map((m) => m.name)).toEqual(expect.arrayContaining(['Io', 'Europa', 'Ganymede', 'Callisto']));
    for (const path of ['/planets', '/moons']) {
      const none = await get(gw, path);
      expect(none.status).toBe(400);
      expect(none.body.error).toBe('invalid_request');
      expect(String(none.body.description)).toMatch(/no access token/);
    }
  });

  it('logs one line per request: user, client, scopes and decision', async () => {
    const lines: string[] = [];
    const gw = await gateway({ onLog: (l) => lines.push(l) });
    await get(gw, '/planets', bearer(silver));
    await get(gw, '/moons', bearer(silver));
    await get(gw, '/moons');
    const silverLogin = (s.mulesoft.SILVER_USER as { profile: { login: string } }).profile.login;
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(`GET /planets 200 user=${silverLogin} client=${s.authnClientId} scopes="openid ${SILVER_SCOPE}" ALLOW: allowed by GET /planets`);
    expect(lines[1]).toMatch(new RegExp(`^GET /moons 403 user=${silverLogin.replace(/\./g, '\\.')} client=${s.authnClientId} .* DENY: insufficient scope`));
    expect(lines[2]).toMatch(/^GET \/moons 400 user=- client=- scopes="-" DENY: no access token/);
    expect(gw.log.map((e) => [e.status, e.decision, e.user])).toEqual([[200, 'allow', silverLogin], [403, 'deny', silverLogin], [400, 'deny', undefined]]);
  });
});

describe('every status rule', () => {
  it('400 when the token is sent both ways, when the header lacks Bearer, or when Bearer has no token', async () => {
    const gw = await gateway();
    const both = await get(gw, `/planets?access_token=${silver}`, bearer(silver));
    expect(both.status).toBe(400);
    expect(String(both.body.description)).toMatch(/both/);
    for (const auth of [silver, `Basic ${Buffer.from('a:b').toString('base64')}`, 'Token abc', 'Bearer']) {
      const r = await get(gw, '/planets', { Authorization: auth });
      expect(r.status, auth.slice(0, 12)).toBe(400);
      expect(r.body.error).toBe('invalid_request');
    }
    // nothing reached the authorization server for these: no introspection, nothing cached
    expect(gw.cache.size()).toBe(0);
  });

  it('the access_token query parameter works like the header', async () => {
    const gw = await gateway();
    expect((await get(gw, `/planets?access_token=${encodeURIComponent(silver)}`)).status).toBe(200);
    expect((await get(gw, `/moons?access_token=${encodeURIComponent(silver)}`)).status).toBe(403);
  });

  it('401 for a token the authorization server does not know (introspection says inactive)', async () => {
    const gw = await gateway();
    for (const t of ['not-a-token', `${silver.slice(0, -4)}AAAA`]) {
      const r = await get(gw, '/planets', bearer(t));
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: 'invalid_token', description: r.body.description });
      expect(r.body.description).toEqual(expect.stringMatching(/not active/));
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    }
  });

  it('a --policies map replaces the default: /planets can require gold', async () => {
    const gw = await gateway({ policies: { 'GET /planets': [GOLD_SCOPE] } });
    expect((await get(gw, '/planets', bearer(silver))).status).toBe(403);
    expect((await get(gw, '/planets', bearer(gold))).status).toBe(200);
    // a resource the map does not name needs a valid token, but no scope
    expect((await get(gw, '/moons', bearer(silver))).status).toBe(200);
    expect((await get(gw, '/moons')).status).toBe(400);
  });

  it('500 naming the variables when the introspection credentials are wrong; 401 when the server cannot be reached', async () => {
    const wrong = await gateway({ clientSecret: 'wrong-secret' });
    const r = await get(wrong, '/planets', bearer(silver));
    expect(r.status).toBe(500);
    expect(r.body.error).toBe('server_error');
    expect(String(r.body.description)).toMatch(/401 invalid_client.*INTROSPECT_CLIENT_SECRET/);
    const closed = createServer();
    await new Promise<void>((res) => closed.listen(0, '127.0.0.1', res));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((res) => closed.close(() => res()));
    const gone = await gateway({ introspectionUrl: `http://127.0.0.1:${port}/oauth2/x/v1/introspect` });
    const g = await get(gone, '/planets', bearer(silver));
    expect(g.status).toBe(401);
    expect(String(g.body.description)).toMatch(/cannot be reached/);
  });
});

describe('caching, expiry and revocation', () => {
  it('introspects a token once and serves it from the cache until it expires (by the gateway clock)', async () => {
    let now = Date.now();
    const gw = await gateway({ now: () => now });
    expect((await get(gw, '/planets', bearer(gold))).status).toBe(200);
    expect((await get(gw, '/moons', bearer(gold))).status).toBe(200);
    expect(gw.log.map((e) => e.cached)).toEqual([false, true]);
    const exp = decodeJwt(gold).exp!;
    now = exp * 1000 - 1000;
    expect((await get(gw, '/moons', bearer(gold))).status).toBe(200);
    now = exp * 1000 + 1000;
    const expired = await get(gw, '/moons', bearer(gold));
    expect(expired.status).toBe(401);
    expect(String(expired.body.description)).toMatch(/expired at/);
    // the cache dropped it, the tenant was asked again (its clock says active), the gateway still refused
    expect(gw.log.at(-1)!.cached).toBe(false);
    expect(gw.cache.size()).toBe(0);
  });

  it('a revoked token: 401 at once without the cache; with the cache (Anypoint\'s default) only once it expires', async () => {
    const token = tokenOf(await s.dance('silver'));
    let now = Date.now();
    const cached = await gateway({ now: () => now });
    const uncached = await gateway({ cache: false });
    expect((await get(cached, '/planets', bearer(token))).status).toBe(200);
    expect((await get(uncached, '/planets', bearer(token))).status).toBe(200);
    const rv = await fetch(`${String(s.mulesoft.OKTA_AZ_SERVER_ISSUER)}/v1/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basicAuth(s.authnClientId, s.authnClientSecret) },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
    });
    expect(rv.status).toBe(200);
    const after = await get(uncached, '/planets', bearer(token));
    expect(after.status).toBe(401);
    expect(String(after.body.description)).toMatch(/not active/);
    expect((await get(await gateway(), '/planets', bearer(token))).status).toBe(401);
    // documented Anypoint behaviour: a cached token stays valid until it expires
    expect((await get(cached, '/planets', bearer(token))).status).toBe(200);
    now = decodeJwt(token).exp! * 1000 + 1;
    expect((await get(cached, '/planets', bearer(token))).status).toBe(401);
  });
});

describe('client ID enforcement', () => {
  it('403 for a valid token of a client that has no access to the API', async () => {
    // Another app's client, registered like Anypoint does (DCR), given the same policy and the Everyone group,
    // so the tenant mints it a perfectly valid token with the silver scope.
    const reg = await s.cli(['register-client', '--name', 'Some Other App', '--redirect-uri', String(s.mulesoft.REDIRECT_URI), '--grant-type', 'authorization_code', '--new', '--show-secrets']);
    expect(reg.code, reg.stderr).toBe(0);
    const otherId = /AUTHN_CLIENT_ID=(\S+)/.exec(reg.stdout)?.[1] ?? '';
    const otherSecret = /AUTHN_CLIENT_SECRET=(\S+)/.exec(reg.stdout)?.[1] ?? '';
    expect(otherId).toMatch(/^0oa/);
    expect(otherId).not.toBe(s.authnClientId);
    const sdk = sdkClient(s.tenant.orgUrl, s.tenant.apiToken);
    const authServerId = String(s.mulesoft.OKTA_AZ_SERVER_ID);
    const policyId = (s.policy.ACCESS_POLICY as { id: string }).id;
    const policy = await sdk.authorizationServerApi.getAuthorizationServerPolicy({ authServerId, policyId });
    await sdk.authorizationServerApi.replaceAuthorizationServerPolicy({ authServerId, policyId, policy: { ...policy, conditions: { clients: { include: [s.authnClientId, otherId] } } } });
    const everyone = (await sdk.groupApi.listGroups({ q: 'Everyone' })) as AsyncIterable<{ id?: string; type?: string }>;
    let everyoneId = '';
    for await (const g of everyone) if (g?.type === 'BUILT_IN') everyoneId = g.id!;
    await sdk.applicationApi.assignGroupToApplication({ appId: otherId, groupId: everyoneId });

    const other = tokenOf(await s.dance('silver', { clientId: otherId, clientSecret: otherSecret }));
    expect(decodeJwt(other).cid).toBe(otherId);
    const gw = await gateway();
    const r = await get(gw, '/planets', bearer(other));
    expect(r.status).toBe(403);
    expect(r.body.error).toBe('invalid_client');
    expect(String(r.body.description)).toContain(`client ${otherId} has not been given access to this API`);
    // allowed once the gateway is told about it
    const open = await gateway({ allowedClientIds: [s.authnClientId, otherId] });
    expect((await get(open, '/planets', bearer(other))).status).toBe(200);
  });
});

describe('--upstream', () => {
  it('proxies allowed requests (method, path, query, headers) and never lets a denied one through', async () => {
    const seen: { method?: string; url?: string; headers: IncomingHttpHeaders }[] = [];
    const upstream = createServer((req, res) => {
      seen.push({ method: req.method, url: req.url, headers: req.headers });
      res.writeHead(207, { 'content-type': 'application/json', 'x-upstream': 'yes' });
      res.end(JSON.stringify({ from: 'upstream', url: req.url }));
    });
    await new Promise<void>((res) => upstream.listen(0, '127.0.0.1', res));
    try {
      const gw = await gateway({ upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` });
      const ok = await get(gw, '/planets/earth?x=1', { ...bearer(silver), 'X-Trace': 't1' });
      expect(ok.status).toBe(207);
      expect(ok.headers.get('x-upstream')).toBe('yes');
      expect(ok.body).toEqual({ from: 'upstream', url: '/planets/earth?x=1' });
      expect(await get(gw, '/moons', bearer(silver))).toMatchObject({ status: 403 });
      expect(await get(gw, '/moons')).toMatchObject({ status: 400 });
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ method: 'GET', url: '/planets/earth?x=1', headers: { 'x-trace': 't1' } });
    } finally {
      await new Promise<void>((res) => upstream.close(() => res()));
    }
  });
});
