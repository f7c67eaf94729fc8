import { beforeEach, describe, expect, it } from 'vitest';
import { addUser } from '../../../test/support/oauth-test-fixture.js';
import { OktaHttpError } from '../errors.js';
import { OAuthProvider } from '../oauth/provider.js';
import { openStore } from '../store.js';
import { authn, SESSION_TOKEN_LIFETIME_SEC } from './authn.js';

describe('POST /api/v1/authn', () => {
  const now = Date.UTC(2026, 5, 1, 12, 0, 0);
  let provider: OAuthProvider;

  beforeEach(async () => {
    const store = await openStore();
    provider = new OAuthProvider({ store, orgUrl: () => 'http://127.0.0.1:9999', now: () => now });
    await addUser(store, '00uAlice', 'alice@example.com', 'Passw0rdAlice');
    await addUser(store, '00uCarl', 'carl@example.com', 'Passw0rdCarl', [], 'SUSPENDED');
  });

  it('SUCCESS with a one-time session token for an active user with the right password', async () => {
    const ok = await authn(provider, { username: 'alice@example.com', password: 'Passw0rdAlice' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      status: 'SUCCESS',
      expiresAt: new Date(now + SESSION_TOKEN_LIFETIME_SEC * 1000).toISOString(),
      _embedded: { user: { id: '00uAlice', profile: { login: 'alice@example.com', locale: 'en_US', timeZone: 'America/Los_Angeles' } } },
    });
    expect((ok.body as { sessionToken: string }).sessionToken).toMatch(/^20111/);
  });

  it.each([
    ['a wrong password', { username: 'alice@example.com', password: 'wrong' }],
    ['a user who is not ACTIVE', { username: 'carl@example.com', password: 'Passw0rdCarl' }],
    ['an unknown user', { username: 'nobody@example.com', password: 'x' }],
    ['no body', undefined],
  ])('401 E0000004 for %s', async (_what, body) => {
    const e = await authn(provider, body).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(OktaHttpError);
    expect(e).toMatchObject({ status: 401, body: { errorCode: 'E0000004', errorSummary: 'Authentication failed' } });
  });

  it.each([
    ['MFA_REQUIRED', 'factors'],
    ['MFA_ENROLL', 'factors'],
  ] as const)('%s for a user the tenant marks so: a state token, no session token, the %s to use', async (challenge, what) => {
    await provider.store.mutate((state) => {
      const u = state.users['00uAlice'];
      if (u) u.authnChallenge = challenge;
    });
    const r = await authn(provider, { username: 'alice@example.com', password: 'Passw0rdAlice' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: challenge, _embedded: { user: { id: '00uAlice' } } });
    const body = r.body as Record<string, unknown>;
    expect(body.sessionToken).toBeUndefined();
    expect(body.stateToken).toMatch(/^00/);
    expect(body._links).toBeUndefined();
    expect((body._embedded as Record<string, unknown[]>)[what]).toHaveLength(1);
    // the marker only acts after a right password
    await expect(authn(provider, { username: 'alice@example.com', password: 'wrong' })).rejects.toMatchObject({ status: 401 });
  });

  it('PASSWORD_EXPIRED for a user whose password was expired, with the password policy', async () => {
    await provider.store.mutate((state) => {
      const u = state.users['00uAlice'];
      if (u) u.status = 'PASSWORD_EXPIRED';
    });
    const r = await authn(provider, { username: 'alice@example.com', password: 'Passw0rdAlice' });
    expect(r.body).toMatchObject({ status: 'PASSWORD_EXPIRED', _embedded: { policy: { complexity: { minLength: 8 } } } });
    expect((r.body as Record<string, unknown>).sessionToken).toBeUndefined();
  });
});
