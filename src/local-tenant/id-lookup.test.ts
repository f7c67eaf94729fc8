/**
 * Id lookups: every route that takes an id (read from the router, so new routes are covered) answers Okta's 404
 * E0000007 for ids that name properties of Object.prototype, in each of its id positions (the other ids real), and
 * none of these requests changes Object.prototype or any record. Afterwards a create without a required field is
 * still refused. Also: `__proto__` keys in a JSON body do not reach a record's prototype.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuiltTenant } from './server.js';
import { openStore, type TenantStore } from './store.js';
import { field, inBatches, rawRequest, serveTenant, type RawResponse } from '../../test/support/raw-http.js';
import { addApp, addGroup, addPolicy, addScopes, addUser } from '../../test/support/oauth-test-fixture.js';
import { parseJson } from './steps/body.js';
import { browserData } from './sessions/store.js';

const BAD_IDS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

/** A real id for every route parameter name; a route with a parameter not listed here fails the test. */
const REAL: Record<string, string> = {
  authServerId: 'default',
  scopeId: 'scpread',
  claimId: 'oclclaim1',
  policyId: 'polone',
  ruleId: 'rulone',
  groupId: '00ggroup1',
  id: '00uuser1',
  userId: '00uuser1',
  appId: '0oaapp1',
  clientId: '0oaapp1',
  trustedOriginId: 'tosorigin1',
  grantId: 'oaggrant1',
};

const NOW = '2026-01-01T00:00:00.000Z';

async function seed(store: TenantStore): Promise<void> {
  await addGroup(store, REAL.groupId ?? '', 'planets');
  await addUser(store, REAL.id ?? '', 'ada@example.com', 'Tr0ub4dor&3x', [REAL.groupId ?? '']);
  await addApp(store, REAL.appId ?? '', { status: 'INACTIVE' }, [REAL.groupId ?? '']);
  await addScopes(store, 'default', ['read']);
  await addPolicy(store, 'default', { id: REAL.policyId ?? '', clients: ['ALL_CLIENTS'], rules: [{ id: REAL.ruleId ?? '' }] });
  await store.mutate((s) => {
    const server = s.authorizationServers.default;
    if (server) {
      server.claims.oclclaim1 = {
        id: 'oclclaim1', name: 'planet', status: 'ACTIVE', claimType: 'RESOURCE', valueType: 'EXPRESSION', value: '"earth"',
        alwaysIncludeInToken: true, conditions: { scopes: [] }, system: false, created: NOW, lastUpdated: NOW,
      };
    }
    browserData(s.oauth).consentGrants['default/0oaapp1/00uuser1'] = { scopes: ['read'], lastUpdated: 1767225600 };
    s.trustedOrigins.tosorigin1 = {
      id: 'tosorigin1', name: 'portal', origin: 'https://portal.example.com', scopes: [{ type: 'CORS' }], status: 'ACTIVE',
      created: NOW, createdBy: s.adminUserId, lastUpdated: NOW, lastUpdatedBy: s.adminUserId,
    };
  });
}

/** A body every write route could take, with the fields the issue used to pollute (`name`). */
const JSON_BODY = JSON.stringify({
  name: 'polluted', label: 'polluted', profile: { name: 'polluted', login: 'p@example.com', email: 'p@example.com' },
  origin: 'https://polluted.example.com', scopes: [{ type: 'CORS' }], audiences: ['api://polluted'], priority: 1,
  client_name: 'polluted', redirect_uris: ['https://polluted.example.com/cb'],
});
const FORM_BODY = 'grant_type=client_credentials&scope=read&token=x&client_id=0oaapp1&response_type=code&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&state=s&nonce=n';

let t: BuiltTenant;
let store: TenantStore;
let orgUrl = '';
let token = '';
const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();

beforeAll(async () => {
  store = await openStore();
  await seed(store);
  ({ built: t, orgUrl, token } = await serveTenant(store));
});

afterAll(async () => {
  await t.app.close();
});

function send(method: string, path: string, body?: { type: string; text: string }): Promise<RawResponse> {
  const headers: Record<string, string> = { accept: 'application/json', authorization: `SSWS ${token}` };
  if (body) headers['content-type'] = body.type;
  return rawRequest(orgUrl, { method, path, headers, ...(body ? { body: body.text } : {}) });
}

const paramsOf = (pattern: string): string[] => pattern.split('/').filter((s) => s.startsWith(':')).map((s) => s.slice(1));

function isNotFound(r: RawResponse, method: string): boolean {
  return r.status === 404 && (method === 'HEAD' || field(r.json, 'errorCode') === 'E0000007');
}

/** Own keys of every record map, to see that no request added, removed or replaced a record. */
function snapshot(): string {
  return JSON.stringify(store.read());
}

describe('ids that name Object.prototype properties', () => {
  it('are 404 E0000007 on every route that takes an id, in every id position', async () => {
    const routes = t.routes.filter((r) => paramsOf(r.url).length > 0);
    expect(routes.length).toBeGreaterThan(40);
    const unknownParams = [...new Set(routes.flatMap((r) => paramsOf(r.url)))].filter((p) => !Object.hasOwn(REAL, p));
    expect(unknownParams, 'give these route parameters a real id in REAL').toEqual([]);

    const cases: { method: string; path: string; label: string }[] = [];
    for (const r of routes) {
      for (const target of paramsOf(r.url)) {
        for (const bad of BAD_IDS) {
          const path = r.url.replace(/:([A-Za-z]+)/g, (_w, name: string) => (name === target ? bad : (REAL[name] ?? '')));
          cases.push({ method: r.method, path, label: `${r.method} ${r.url} with ${target}=${bad}` });
        }
      }
    }
    const before = snapshot();
    const failures: string[] = [];
    await inBatches(cases, 8, async (c) => {
      const form = c.path.startsWith('/oauth2/') && !c.path.startsWith('/oauth2/v1/') && c.method === 'POST';
      const body = c.method === 'GET' || c.method === 'HEAD' ? undefined : form ? { type: 'application/x-www-form-urlencoded', text: FORM_BODY } : { type: 'application/json', text: JSON_BODY };
      const r = await send(c.method, c.path, body);
      if (!isNotFound(r, c.method)) failures.push(`${c.label}: ${r.status} ${r.text.slice(0, 200)}`);
    });
    console.log(`id-lookup test: ${routes.length} routes with ids, ${cases.length} requests (route × id position × ${BAD_IDS.length} ids)`);
    expect(failures).toEqual([]);
    expect(snapshot()).toBe(before);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
    expect(({} as Record<string, unknown>).name).toBeUndefined();
  }, 120_000);

  it('leave a create without a required field refused afterwards', async () => {
    await send('PUT', '/api/v1/trustedOrigins/__proto__', { type: 'application/json', text: JSON.stringify({ name: 'polluted', origin: 'https://x.example.com', scopes: [{ type: 'CORS' }] }) });
    const group = await send('POST', '/api/v1/groups', { type: 'application/json', text: '{"profile":{}}' });
    expect(group.status).toBe(400);
    expect(field(group.json, 'errorCode')).toBe('E0000001');
    const origin = await send('POST', '/api/v1/trustedOrigins', { type: 'application/json', text: JSON.stringify({ origin: 'https://y.example.com', scopes: [{ type: 'CORS' }] }) });
    expect(origin.status).toBe(400);
    const list = await send('GET', '/api/v1/groups');
    expect(list.text).not.toContain('polluted');
  });

  it('are dropped as `__proto__` keys by the JSON body parser, at every depth', () => {
    const parsed = parseJson('{"a":{"__proto__":{"polluted":true},"b":1},"__proto__":{"polluted":true}}');
    expect(parsed).toEqual({ a: { b: 1 } });
    expect(Object.hasOwn(parsed as object, '__proto__')).toBe(false);
    const target = Object.assign({}, parsed);
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(Object.assign({}, (parsed as { a: object }).a))).toBe(Object.prototype);
  });

  it('are ignored as `__proto__` keys in JSON bodies', async () => {
    const g = await send('POST', '/api/v1/groups', { type: 'application/json', text: '{"profile":{"name":"moons","__proto__":{"description":"polluted"}},"__proto__":{"type":"BUILT_IN"}}' });
    expect(g.status).toBe(200);
    expect(g.text).not.toContain('polluted');
    expect(field(g.json, 'type')).toBe('OKTA_GROUP');
    const id = field(g.json, 'id');
    expect(typeof id).toBe('string');
    const rec = typeof id === 'string' ? store.read().groups[id] : undefined;
    expect(rec && Object.getPrototypeOf(rec)).toBe(Object.prototype);
    expect(rec && Object.getPrototypeOf(rec.profile)).toBe(Object.prototype);

    // a full replace: every setting the client has, and its client_id (replaceClient)
    const current = await send('GET', `/oauth2/v1/clients/${REAL.clientId ?? ''}`);
    const settings: unknown = current.json;
    if (typeof settings !== 'object' || settings === null) throw new Error(current.text);
    const { client_id_issued_at: _issued, ...rest } = { ...settings, client_name: 'renamed' } as Record<string, unknown>;
    const put = await send('PUT', `/oauth2/v1/clients/${REAL.clientId ?? ''}`, {
      type: 'application/json',
      text: `${JSON.stringify(rest).slice(0, -1)},"__proto__":{"clientSecret":"polluted"}}`,
    });
    expect(put.status, put.text).toBe(200);
    const app = store.read().apps[REAL.appId ?? ''];
    expect(app && Object.getPrototypeOf(app)).toBe(Object.prototype);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
  });
});
