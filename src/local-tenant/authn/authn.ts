/**
 * `POST /api/v1/authn`, Okta's Classic Authentication API, primary authentication
 * (https://developer.okta.com/docs/reference/api/authn/#primary-authentication): a username and password in,
 * a one-time `sessionToken` out, which /authorize takes instead of a sign-in page. It is not an OAuth endpoint;
 * its session tokens are kept with the OAuth data because /authorize consumes them.
 *
 * Choices where Okta's docs are silent: the session token lives 5 minutes (`expiresAt`); only ACTIVE users with
 * the right password succeed, everyone else gets 401 E0000004, except the transaction states modelled below.
 *
 * Transaction states other than SUCCESS (https://developer.okta.com/docs/reference/api/authn/#transaction-state),
 * after a right password, with a `stateToken` and no session token:
 * - PASSWORD_EXPIRED: the user's password was expired (POST /api/v1/users/{id}/lifecycle/expire_password, Okta's
 *   expirePassword); `_embedded.policy` carries the password policy.
 * - MFA_REQUIRED / MFA_ENROLL: a factor is needed (on an org, its sign-on policy decides). The tenant has no
 *   sign-on policies, so a tenant-only marker on the user says which (PUT /local-tenant/users/{id}/authn-challenge,
 *   `{"challenge": "MFA_REQUIRED" | "MFA_ENROLL" | null}`); `_embedded.factors` lists one factor, as Okta's examples.
 * The tenant serves none of the transaction's next steps (verify, enroll, change password, cancel), so it sends no
 * `_links` (a link is given only to a route it serves); the state token cannot be redeemed.
 */
import { oktaError } from '../errors.js';
import { verifyUserPassword } from '../password.js';
import { findUserByLogin } from '../oauth/access.js';
import { json, type OAuthProvider, type OAuthResult } from '../oauth/provider.js';
import { randomToken, sha256 } from '../oauth/state.js';
import { isObject } from '../routes/util.js';
import type { UserRecord } from '../types.js';

export const SESSION_TOKEN_LIFETIME_SEC = 300;

function field(body: unknown, name: string): string {
  const v = isObject(body) ? body[name] : undefined;
  return typeof v === 'string' ? v : '';
}

export async function authn(p: OAuthProvider, body: unknown): Promise<OAuthResult> {
  const username = field(body, 'username');
  const password = field(body, 'password');
  const state = p.store.read();
  const user = username ? findUserByLogin(state, username) : undefined;
  const ok = !!user && (user.status === 'ACTIVE' || user.status === 'PASSWORD_EXPIRED') && (await verifyUserPassword(user, password));
  if (!user || !ok) throw oktaError(401, 'E0000004', 'Authentication failed');
  const step = user.status === 'PASSWORD_EXPIRED' ? 'PASSWORD_EXPIRED' : user.authnChallenge;
  if (step) {
    return json({
      stateToken: `00${randomToken(30)}`,
      expiresAt: new Date((p.nowSec() + SESSION_TOKEN_LIFETIME_SEC) * 1000).toISOString(),
      status: step,
      _embedded: { user: embeddedUser(user), ...(step === 'PASSWORD_EXPIRED' ? { policy: PASSWORD_POLICY } : { factors: [step === 'MFA_REQUIRED' ? TOTP_FACTOR : TOTP_ENROLL] }) },
    });
  }
  const sessionToken = `20111${randomToken(30)}`;
  const expiresAt = p.nowSec() + SESSION_TOKEN_LIFETIME_SEC;
  const userId = user.id;
  await p.mutate((data) => {
    data.sessionTokens[sha256(sessionToken)] = { userId, expiresAt };
  });
  return json({
    expiresAt: new Date(expiresAt * 1000).toISOString(),
    status: 'SUCCESS',
    sessionToken,
    _embedded: { user: embeddedUser(user) },
  });
}

function embeddedUser(user: UserRecord): Record<string, unknown> {
  const pr = user.profile;
  return {
    id: user.id,
    passwordChanged: user.passwordChanged,
    profile: {
      login: pr.login,
      firstName: pr.firstName ?? null,
      lastName: pr.lastName ?? null,
      locale: typeof pr.locale === 'string' ? pr.locale : 'en_US',
      timeZone: typeof pr.timezone === 'string' ? pr.timezone : 'America/Los_Angeles',
    },
  };
}

/** The password policy of a PASSWORD_EXPIRED transaction: Okta's default policy (password.ts enforces it). */
const PASSWORD_POLICY = {
  expiration: { passwordExpireDays: 0 },
  complexity: { minLength: 8, minLowerCase: 1, minUpperCase: 1, minNumber: 1, minSymbol: 0, excludeUsername: true },
  age: { minAgeMinutes: 0, historyCount: 4 },
};
/** The one factor the tenant names: Okta Verify TOTP, enrolled (MFA_REQUIRED) or to enroll (MFA_ENROLL). */
const TOTP_FACTOR = { id: 'ostLocalTenantTotp01', factorType: 'token:software:totp', provider: 'OKTA', vendorName: 'OKTA', profile: { credentialId: 'user' } };
const TOTP_ENROLL = { factorType: 'token:software:totp', provider: 'OKTA', vendorName: 'OKTA', status: 'NOT_SETUP', enrollment: 'REQUIRED' };
