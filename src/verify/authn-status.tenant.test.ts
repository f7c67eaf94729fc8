/**
 * verify's headless sign-in against the local tenant when /api/v1/authn answers a transaction state other than
 * SUCCESS (MFA_REQUIRED, MFA_ENROLL, PASSWORD_EXPIRED): the dance is skipped with the reason, not failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalTenant, type LocalTenant } from '../local-tenant/index.js';
import { createGovernor } from '../okta/governor.js';
import { authn } from './dance.js';
import { oauthFetch } from './transport.js';
import { authnNotAllowed } from './live-checks.js';

const PASSWORD = 'Sup3rSecretPass';

describe('verify and /api/v1/authn transaction states', () => {
  let t: LocalTenant;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${t.orgUrl}${path}`, {
      method,
      headers: { authorization: `SSWS ${t.apiToken}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  };
  const user = async (login: string) => {
    const r = await api('POST', '/api/v1/users?activate=true', { profile: { firstName: 'A', lastName: 'B', email: login, login }, credentials: { password: { value: PASSWORD } } });
    return String(r.body?.id);
  };

  beforeAll(async () => {
    t = await startLocalTenant({ port: 0, rateLimits: 'none' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('SUCCESS signs in; MFA_REQUIRED, MFA_ENROLL and PASSWORD_EXPIRED are the skip path, each named', async () => {
    const f = oauthFetch(createGovernor());
    expect(await authn(f, t.orgUrl, 'plain@example.com', PASSWORD)).toMatchObject({ ok: false, status: 401 });
    await user('plain@example.com');
    expect(await authn(f, t.orgUrl, 'plain@example.com', PASSWORD)).toMatchObject({ ok: true });

    for (const challenge of ['MFA_REQUIRED', 'MFA_ENROLL'] as const) {
      const login = `${challenge.toLowerCase()}@example.com`;
      const id = await user(login);
      expect((await api('PUT', `/local-tenant/users/${id}/authn-challenge`, { challenge })).status).toBe(204);
      const r = await authn(f, t.orgUrl, login, PASSWORD);
      expect(r).toMatchObject({ ok: false, step: 'authn', status: 200, authnStatus: challenge });
      if (r.ok) throw new Error('signed in');
      expect(authnNotAllowed(r)).toContain(`status ${challenge}`);
      expect((await api('PUT', `/local-tenant/users/${id}/authn-challenge`, { challenge: null })).status).toBe(204);
      expect(await authn(f, t.orgUrl, login, PASSWORD)).toMatchObject({ ok: true });
    }

    const id = await user('expired@example.com');
    const expired = await api('POST', `/api/v1/users/${id}/lifecycle/expire_password`);
    expect(expired).toMatchObject({ status: 200, body: { status: 'PASSWORD_EXPIRED' } });
    const r = await authn(f, t.orgUrl, 'expired@example.com', PASSWORD);
    expect(r).toMatchObject({ ok: false, authnStatus: 'PASSWORD_EXPIRED' });
    if (r.ok) throw new Error('signed in');
    expect(authnNotAllowed(r)).toContain('status PASSWORD_EXPIRED');
  });

  it('the marker route is the tenant’s own: it needs the API token and takes only the three values', async () => {
    const id = await user('marker@example.com');
    const noToken = await fetch(`${t.orgUrl}/local-tenant/users/${id}/authn-challenge`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"challenge":null}' });
    expect(noToken.status).toBe(401);
    expect((await api('PUT', `/local-tenant/users/${id}/authn-challenge`, { challenge: 'SUCCESS' })).status).toBe(400);
    expect((await api('PUT', '/local-tenant/users/00uNobody/authn-challenge', { challenge: null })).status).toBe(404);
  });
});
