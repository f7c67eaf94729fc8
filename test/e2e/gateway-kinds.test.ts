/**
 * The local gateway's JWT kinds, each reading the file get-settings generates for it, driven with real tokens from
 * a local tenant set up by the built CLI: silver/gold access, no token, a forged token, an expired token, a gateway
 * configured for another audience, and a new token after the tenant rotated its signing key.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicies } from '../../src/gateway/policies.js';
import type { RunningJwtGateway } from '../../src/gateway/jwt-server.js';
import { JWT_KINDS, type JwtKind } from '../../src/gateway/kinds.js';
import { openStore } from '../../src/local-tenant/store.js';
import type { GatewaySettings } from '../../src/settings/gateways/index.js';
import { startJwtGateway } from '../../src/gateway/jwt-server.js';
import { callGateway as get, startKind, writeKindConfig } from '../support/gateway-kinds.js';
import { setUpMulesoft, tokenOf, GOLD_SCOPE, SILVER_SCOPE, type MulesoftSetup } from '../support/mulesoft-setup.js';

let s: MulesoftSetup;
let statePath: string;
let silver: string;
let gold: string;
const running: RunningJwtGateway[] = [];

function settings(over: Partial<GatewaySettings> = {}): GatewaySettings {
  return {
    input: 'mulesoft',
    tag: String(s.mulesoft.TAG),
    issuer: String(s.mulesoft.OKTA_AZ_SERVER_ISSUER),
    audience: 'api://solar_system',
    upstreamUrl: 'http://127.0.0.1:9',
    policies: parsePolicies({ 'GET /planets': [SILVER_SCOPE], 'GET /moons': [GOLD_SCOPE] }),
    policiesSource: 'test',
    ...over,
  };
}

async function gateway(kind: JwtKind, over: Partial<GatewaySettings> = {}, now?: () => number): Promise<RunningJwtGateway> {
  const gw = await startKind(kind, settings(over), now);
  running.push(gw);
  return gw;
}

/** The status each kind answers for: no token, an invalid token, insufficient scope (their docs, src/gateway/kinds.ts). */
const EXPECT: Record<JwtKind, { missing: number; invalid: number; scope: number; expired: number }> = {
  kong: { missing: 401, invalid: 401, scope: 403, expired: 401 },
  aws: { missing: 401, invalid: 401, scope: 403, expired: 401 },
  tyk: { missing: 400, invalid: 403, scope: 403, expired: 401 },
  apigee: { missing: 401, invalid: 401, scope: 403, expired: 401 },
  mulesoft_jwt: { missing: 400, invalid: 401, scope: 401, expired: 401 },
};

beforeAll(async () => {
  statePath = join(await mkdtemp(join(tmpdir(), 'okb-gw-state-')), 'tenant.json');
  s = await setUpMulesoft({ statePath });
  silver = tokenOf(await s.dance('silver'));
  gold = tokenOf(await s.dance('gold'));
}, 180_000);

afterAll(async () => {
  for (const gw of running) await gw.close();
  await s?.close();
});

describe.each(JWT_KINDS)('gateway --kind %s', (kind) => {
  const e = EXPECT[kind];
  it('silver → planets allowed, moons denied; gold → both allowed', async () => {
    const gw = await gateway(kind);
    expect((await get(gw, '/planets', silver)).status).toBe(200);
    const denied = await get(gw, '/moons', silver);
    expect(denied.status, JSON.stringify(denied.body)).toBe(e.scope);
    expect((await get(gw, '/planets', gold)).status).toBe(200);
    expect((await get(gw, '/moons', gold)).status).toBe(200);
  });

  it('refuses no token, a forged token, an expired token, and a token for another audience', async () => {
    const gw = await gateway(kind);
    expect((await get(gw, '/planets')).status).toBe(e.missing);
    // Forged: gold's scopes pasted into silver's signed token.
    const [h, , sig] = silver.split('.');
    const claims = { ...decodeJwt(silver), scp: ['openid', SILVER_SCOPE, GOLD_SCOPE] };
    const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
    const f = await get(gw, '/moons', forged);
    expect(f.status, JSON.stringify(f.body)).toBe(e.invalid);
    const exp = decodeJwt(silver).exp ?? 0;
    const late = await gateway(kind, {}, () => (exp + 600) * 1000);
    const x = await get(late, '/planets', silver);
    expect(x.status, JSON.stringify(x.body)).toBe(e.expired);
    const other = await gateway(kind, { audience: 'api://another_api' });
    const o = await get(other, '/planets', silver);
    expect([401, 403], JSON.stringify(o.body)).toContain(o.status);
  });
});

describe('after a signing key rotation on the tenant', () => {
  it('every kind accepts a token signed with the new key (the JWKS is refetched on the unknown kid)', async () => {
    const gws = await Promise.all(JWT_KINDS.map((k) => gateway(k)));
    for (const gw of gws) expect((await get(gw, '/planets', silver)).status, gw.kind).toBe(200);
    const serverId = String(s.mulesoft.OKTA_AZ_SERVER_ID);
    const store = await openStore(statePath);
    await store.mutate((state) => {
      const server = state.authorizationServers[serverId];
      if (!server) throw new Error(`no server ${serverId}`);
      server.kid = `rotated-${Date.now()}`;
    });
    const fresh = tokenOf(await s.dance('silver'));
    expect(decodeProtectedHeader(fresh).kid).not.toBe(decodeProtectedHeader(silver).kid);
    for (const gw of gws) {
      const before = gw.jwksFetches();
      const r = await get(gw, '/planets', fresh);
      expect(r.status, `${gw.kind}: ${JSON.stringify(r.body)}`).toBe(200);
      expect(gw.jwksFetches(), gw.kind).toBeGreaterThan(before);
      // The old token still verifies: Okta keeps serving the previous key.
      expect((await get(gw, '/planets', silver)).status, gw.kind).toBe(200);
    }
  });
});

describe('gateway --kind kong from a --mode introspection file', () => {
  it('introspects at Okta with the decK-referenced client: silver → planets only, gold → both, a forged token refused', async () => {
    const config = await writeKindConfig('kong', settings(), 'introspection');
    const env = { DECK_OKTA_INTROSPECT_CLIENT_ID: String(s.mulesoft.INTROSPECT_CLIENT_ID), DECK_OKTA_INTROSPECT_CLIENT_SECRET: String(s.mulesoft.INTROSPECT_CLIENT_SECRET) };
    const gw = await startJwtGateway({ kind: 'kong', config, port: 0, env });
    running.push(gw);
    expect((await get(gw, '/planets', silver)).status).toBe(200);
    expect((await get(gw, '/moons', silver)).status).toBe(403);
    expect((await get(gw, '/moons', gold)).status).toBe(200);
    expect((await get(gw, '/planets', `${silver.slice(0, -4)}AAAA`)).status).toBe(401);
    await expect(startJwtGateway({ kind: 'kong', config, port: 0 })).rejects.toThrow(/DECK_OKTA_INTROSPECT_CLIENT_ID/);
  });
});
