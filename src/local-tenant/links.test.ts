/**
 * Every `_links` href the tenant sends names a route it serves, with the methods its `hints.allow` lists (GET when
 * there are none): a client that follows a link never reaches a 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from './store.js';
import type { BuiltTenant } from './server.js';
import { browserData } from './sessions/store.js';
import { Org } from '../../test/support/oauth-test-org.js';
import { serveTenant } from '../../test/support/raw-http.js';

interface Found {
  href: string;
  methods: string[];
}

function linksIn(value: unknown, out: Found[] = [], inLinks = false): Found[] {
  if (Array.isArray(value)) {
    for (const v of value) linksIn(v, out, inLinks);
  } else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (inLinks && typeof o.href === 'string') {
      const hints = o.hints as { allow?: string[] } | undefined;
      out.push({ href: o.href, methods: hints?.allow ?? ['GET'] });
    }
    for (const [k, v] of Object.entries(o)) linksIn(v, out, inLinks || k === '_links');
  }
  return out;
}

describe('_links', () => {
  let t: BuiltTenant;
  let org: Org;
  let orgUrl: string;
  const bodies: unknown[] = [];

  beforeAll(async () => {
    const store = await openStore();
    const served = await serveTenant(store, { rateLimits: 'none' });
    ({ built: t, orgUrl } = served);
    org = new Org(orgUrl, served.token);
    const as = await org.server('Links AS', 'api://links');
    await org.scope(as, 'l:read');
    const group = await org.group('Links group');
    const userId = await org.user('lin@example.com', 'Sup3rSecretPass', [group]);
    const client = await org.client('Links client');
    await org.assign(client.clientId, group);
    const policy = await org.policy(as, 'Links', [client.clientId]);
    const rule = await org.rule(as, policy, { name: 'links', groups: [group] });
    await org.ok('POST', '/api/v1/trustedOrigins', { name: 'links', origin: 'https://links.example.com', scopes: [{ type: 'CORS' }] });
    await store.mutate((state) => {
      browserData(state.oauth).consentGrants[`${as}/${client.clientId}/${userId}`] = { scopes: ['l:read'], lastUpdated: 1767225600 };
    });
    for (const path of [
      '/api/v1/authorizationServers', `/api/v1/authorizationServers/${as}/scopes`, `/api/v1/authorizationServers/${as}/claims`,
      `/api/v1/authorizationServers/${as}/policies`, `/api/v1/authorizationServers/${as}/policies/${policy}/rules/${rule}`,
      '/api/v1/groups', `/api/v1/groups/${group}`, `/api/v1/users/${userId}`, '/api/v1/users', `/api/v1/users/${userId}/groups`,
      '/api/v1/apps', `/api/v1/apps/${client.clientId}`, `/api/v1/apps/${client.clientId}/groups`, '/api/v1/trustedOrigins', `/api/v1/users/${userId}/grants`,
    ]) {
      bodies.push(await org.ok<unknown>('GET', path));
    }
  });
  afterAll(async () => {
    await t?.app.close();
  });

  it('name only routes the tenant serves, with the methods they advertise', () => {
    const found = bodies.flatMap((b) => linksIn(b));
    expect(found.length).toBeGreaterThan(20);
    const missing: string[] = [];
    for (const { href, methods } of found) {
      const url = new URL(href);
      expect(url.origin).toBe(orgUrl);
      for (const method of methods) {
        if (t.app.findRoute({ method, url: url.pathname }) === null) missing.push(`${method} ${url.pathname}`);
      }
    }
    expect([...new Set(missing)]).toEqual([]);
  });
});
