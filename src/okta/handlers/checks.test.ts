/**
 * The checks and normalisation handlers apply to a rendered body before anything is sent: what Okta refuses in
 * client redirect URIs and trusted origins, and a trusted origin given as a URL with a path. The round trip
 * against the tenant (which refuses an origin with a path, as Okta's definition of an origin implies) is the last test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalTenant, type LocalTenant } from '../../local-tenant/index.js';
import { createOktaClient } from '../client.js';
import { keyOf } from './common.js';
import { handlerFor } from './index.js';

const client = handlerFor('okta:client');
const origin = handlerFor('okta:trusted_origin');

describe('okta:client check', () => {
  it('accepts absolute redirect URIs, and a client_credentials client without any', () => {
    expect(client.check!({ client_name: 'a', redirect_uris: ['http://localhost:8080', 'https://app.example.com/cb?x=1'], grant_types: ['authorization_code'] })).toEqual([]);
    expect(client.check!({ client_name: 'b', grant_types: ['client_credentials'] })).toEqual([]);
  });

  it('refuses a relative URI, a fragment, a non-array, and a code or implicit flow without redirect URIs', () => {
    const paths = (b: Record<string, unknown>) => client.check!(b).map((p) => p.path);
    expect(paths({ client_name: 'a', redirect_uris: ['9191', 'http://a.example.com/#x'] })).toEqual(['redirect_uris.0', 'redirect_uris.1']);
    expect(paths({ client_name: 'a', post_logout_redirect_uris: ['/logout'] })).toEqual(['post_logout_redirect_uris.0']);
    expect(paths({ client_name: 'a', redirect_uris: 'http://localhost:8080' })).toEqual(['redirect_uris']);
    expect(paths({ client_name: 'a', grant_types: ['implicit'] })).toEqual(['redirect_uris']);
  });
});

describe('okta:trusted_origin prepare and check', () => {
  it('reduces a URL with a path to its origin and leaves what is not a URL alone', () => {
    expect(origin.prepare!({ name: 'o', origin: 'http://localhost:8080/authorization-code/callback' }).origin).toBe('http://localhost:8080');
    expect(origin.prepare!({ name: 'o', origin: 'https://App.Example.com:8443/' }).origin).toBe('https://app.example.com:8443');
    expect(origin.prepare!({ name: 'o', origin: 'not a url' }).origin).toBe('not a url');
    expect(origin.prepare!({ name: 'o', origin: 'mailto:a@b.c' }).origin).toBe('mailto:a@b.c');
  });

  it('refuses what is not an origin with a scheme Okta supports', () => {
    expect(origin.check!({ origin: 'http://localhost:8080' })).toEqual([]);
    expect(origin.check!({ origin: 'capacitor://localhost' })).toEqual([]);
    for (const bad of ['localhost', 'mailto:a@b.c', 42]) expect(origin.check!({ origin: bad }).map((p) => p.path)).toEqual(['origin']);
  });
});

describe('a trusted origin from a redirect URI with a path, against the tenant', () => {
  let tenant: LocalTenant;
  beforeAll(async () => {
    tenant = await startLocalTenant({ port: 0, rateLimits: 'none' });
  });
  afterAll(() => tenant?.close());

  it('is created as the origin and found again by the same natural key', async () => {
    const api = createOktaClient({ orgUrl: tenant.orgUrl, token: tenant.apiToken });
    const ctx = { api, parent: {} };
    const raw = { name: 'app', origin: 'http://localhost:9090/callback', scopes: [{ type: 'CORS' }, { type: 'REDIRECT' }] };
    // the tenant refuses the raw body, as Okta's "scheme, hostname and port" definition implies
    await expect(origin.create(ctx, raw)).rejects.toThrow(/origin/);
    const body = origin.prepare!(raw);
    const made = await origin.create(ctx, body);
    expect(made.origin).toBe('http://localhost:9090');
    const nk = origin.naturalKey(origin.prepare!(raw));
    const found = await origin.findExisting(ctx, [nk]);
    expect(found.get(keyOf(nk))?.id).toBe(made.id);
    expect(origin.diff(made, body)).toEqual([]);
  });
});
