/**
 * Content types: the management API, /api/v1/authn and dynamic client registration take only application/json
 * bodies (anything else → 415, never parsed); the OAuth endpoints' POSTs take only form bodies (anything else →
 * 400 invalid_request, an OAuth error); a request without a body is accepted whatever it declares. The Okta SDK's
 * writes (bodies, body-less lifecycle POSTs, DELETEs) are all accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import okta from '@okta/okta-sdk-nodejs';
import type { BuiltTenant } from './server.js';
import { openStore } from './store.js';
import { field, rawRequest, serveTenant, type RawResponse } from '../../test/support/raw-http.js';
import { addApp } from '../../test/support/oauth-test-fixture.js';

let t: BuiltTenant;
let orgUrl = '';
let token = '';
const seen: { method: string; url: string; contentType: string | undefined; length: string | undefined; status: number }[] = [];

beforeAll(async () => {
  const store = await openStore();
  await addApp(store, '0oaclient1');
  const served = await serveTenant(store, {}, (b) => {
    b.app.addHook('onResponse', async (req, reply) => {
      seen.push({ method: req.method, url: req.url, contentType: req.headers['content-type'], length: req.headers['content-length'], status: reply.statusCode });
    });
  });
  ({ built: t, orgUrl, token } = served);
});

afterAll(async () => {
  await t.app.close();
});

function send(method: string, path: string, opts: { type?: string; body?: string; auth?: string | null } = {}): Promise<RawResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const auth = opts.auth === undefined ? `SSWS ${token}` : opts.auth;
  if (auth !== null) headers.authorization = auth;
  if (opts.type !== undefined) headers['content-type'] = opts.type;
  return rawRequest(orgUrl, { method, path, headers, ...(opts.body !== undefined ? { body: opts.body } : {}) });
}

function expect415(r: RawResponse): void {
  expect(r.status, r.text).toBe(415);
  expect(field(r.json, 'errorCode')).toBe('E0000003');
  expect(field(r.json, 'errorSummary')).toContain('application/json');
  expect(typeof field(r.json, 'errorId')).toBe('string');
}

const group = (name: string) => JSON.stringify({ profile: { name } });

describe('management API bodies', () => {
  it('are refused with 415 in any type but application/json, and never parsed as JSON', async () => {
    const before = (await send('GET', '/api/v1/groups')).text;
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonx', 'application/json-patch+json']) {
      expect415(await send('POST', '/api/v1/groups', { type, body: group(`via ${type}`) }));
    }
    expect415(await send('POST', '/api/v1/groups', { body: group('no content type') }));
    expect415(await send('PUT', '/api/v1/trustedOrigins/tosnone', { type: 'text/plain', body: '{}' }));
    expect415(await send('POST', '/oauth2/v1/clients', { type: 'text/plain', body: JSON.stringify({ client_name: 'x', redirect_uris: ['http://localhost/cb'] }) }));
    expect415(await send('POST', '/oauth2/v1/clients', { type: 'application/x-www-form-urlencoded', body: 'client_name=x' }));
    expect415(await send('POST', '/api/v1/authn', { type: 'application/x-www-form-urlencoded', auth: null, body: 'username=a&password=b' }));
    expect((await send('GET', '/api/v1/groups')).text).toBe(before);
  });

  it('are taken as application/json, with or without a charset', async () => {
    expect((await send('POST', '/api/v1/groups', { type: 'application/json', body: group('json') })).status).toBe(200);
    expect((await send('POST', '/api/v1/groups', { type: 'application/json; charset=utf-8', body: group('json utf-8') })).status).toBe(200);
    expect((await send('POST', '/api/v1/groups', { type: 'Application/JSON', body: group('json upper') })).status).toBe(200);
  });

  it('without a body are accepted whatever they declare (lifecycle POSTs, DELETEs)', async () => {
    for (const type of [undefined, 'application/json', 'text/plain']) {
      const r = await send('POST', '/api/v1/authorizationServers/default/lifecycle/activate', type === undefined ? {} : { type, body: '' });
      expect(r.status, `${type}: ${r.text}`).toBe(204);
    }
    const g = await send('POST', '/api/v1/groups', { type: 'application/json', body: group('to delete') });
    const id = field(g.json, 'id');
    expect(typeof id).toBe('string');
    expect((await send('DELETE', `/api/v1/groups/${String(id)}`, { type: 'application/json', body: '' })).status).toBe(204);
  });

  it('are checked after the token: no token is 401 whatever the body', async () => {
    const r = await send('POST', '/api/v1/groups', { type: 'text/plain', body: group('x'), auth: null });
    expect(r.status).toBe(401);
    expect(field(r.json, 'errorCode')).toBe('E0000011');
  });
});

describe('OAuth endpoint bodies', () => {
  const basic = `Basic ${Buffer.from('0oaclient1:0oaclient1-secret').toString('base64')}`;
  for (const endpoint of ['token', 'introspect', 'revoke']) {
    it(`/v1/${endpoint} takes only application/x-www-form-urlencoded`, async () => {
      const path = `/oauth2/default/v1/${endpoint}`;
      const params = { grant_type: 'client_credentials', scope: 'openid', token: 'x' };
      for (const [type, body] of [
        ['application/json', JSON.stringify(params)],
        ['text/plain', new URLSearchParams(params).toString()],
        [undefined, new URLSearchParams(params).toString()],
      ] as const) {
        const r = await send('POST', path, { ...(type ? { type } : {}), body, auth: basic });
        expect(r.status, `${type}: ${r.text}`).toBe(400);
        expect(r.json).toEqual({ error: 'invalid_request', error_description: 'The request body must be sent as application/x-www-form-urlencoded.' });
      }
      const ok = await send('POST', path, { type: 'application/x-www-form-urlencoded', body: new URLSearchParams(params).toString(), auth: basic });
      expect(ok.status, ok.text).not.toBe(415);
      expect(field(ok.json, 'error_description')).not.toBe('The request body must be sent as application/x-www-form-urlencoded.');
      expect(ok.status).toBeLessThan(500);
    });
  }
});

describe('the Okta SDK', () => {
  it('sends every write in a type the tenant accepts (bodies, body-less lifecycle POSTs, DELETEs)', async () => {
    const sdk = new okta.Client({ orgUrl, token, cacheMiddleware: null });
    seen.length = 0;
    const g = await sdk.groupApi.createGroup({ group: { profile: { name: 'sdk group' } } });
    const groupId = g.id ?? '';
    const as = await sdk.authorizationServerApi.createAuthorizationServer({ authorizationServer: { name: 'sdk as', audiences: ['api://sdk'] } });
    const asId = as.id ?? '';
    await sdk.authorizationServerApi.deactivateAuthorizationServer({ authServerId: asId });
    await sdk.authorizationServerApi.activateAuthorizationServer({ authServerId: asId });
    await sdk.applicationApi.deactivateApplication({ appId: '0oaclient1' });
    await sdk.applicationApi.activateApplication({ appId: '0oaclient1' });
    await sdk.trustedOriginApi.createTrustedOrigin({ trustedOrigin: { name: 'sdk origin', origin: 'https://sdk.example.com', scopes: [{ type: 'CORS' }] } });
    await sdk.groupApi.deleteGroup({ groupId });
    await sdk.authorizationServerApi.deactivateAuthorizationServer({ authServerId: asId });
    await sdk.authorizationServerApi.deleteAuthorizationServer({ authServerId: asId });
    const writes = seen.filter((s) => s.method !== 'GET');
    console.log(`SDK writes: ${writes.map((w) => `${w.method} ${w.url} [${w.contentType ?? 'no type'}, ${w.length ?? 'no'} bytes]`).join('; ')}`);
    expect(writes.length).toBe(10);
    for (const w of writes) {
      expect(w.status, `${w.method} ${w.url}`).toBeLessThan(300);
      const bodyless = w.length === undefined || w.length === '0';
      if (!bodyless) expect(w.contentType, `${w.method} ${w.url}`).toMatch(/^application\/json/);
    }
  });
});
