/**
 * `POST /api/v1/authn`, Okta's Classic Authentication API, primary authentication
 * (https://developer.okta.com/docs/reference/api/authn/#primary-authentication): a username and password in,
 * a one-time `sessionToken` out, which /authorize takes instead of a sign-in page. It is not an OAuth endpoint;
 * its session tokens are kept with the OAuth data because /authorize consumes them.
 *
 * Choices where Okta's docs are silent: the session token lives 5 minutes (`expiresAt`); only ACTIVE users with
 * the right password succeed, everyone else gets 401 E0000004 (no other `status` values are modelled).
 */
import { oktaError } from '../errors.js';
import { verifyUserPassword } from '../password.js';
import { findUserByLogin } from '../oauth/access.js';
import { json, type OAuthProvider, type OAuthResult } from '../oauth/provider.js';
import { randomToken, sha256 } from '../oauth/state.js';
import { isObject } from '../routes/util.js';

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
  const ok = !!user && user.status === 'ACTIVE' && (await verifyUserPassword(user, password));
  if (!user || !ok) throw oktaError(401, 'E0000004', 'Authentication failed');
  const sessionToken = `20111${randomToken(30)}`;
  const expiresAt = p.nowSec() + SESSION_TOKEN_LIFETIME_SEC;
  const userId = user.id;
  await p.mutate((data) => {
    data.sessionTokens[sha256(sessionToken)] = { userId, expiresAt };
  });
  const pr = user.profile;
  return json({
    expiresAt: new Date(expiresAt * 1000).toISOString(),
    status: 'SUCCESS',
    sessionToken,
    _embedded: {
      user: {
        id: user.id,
        passwordChanged: user.passwordChanged,
        profile: {
          login: pr.login,
          firstName: pr.firstName ?? null,
          lastName: pr.lastName ?? null,
          locale: typeof pr.locale === 'string' ? pr.locale : 'en_US',
          timeZone: typeof pr.timezone === 'string' ? pr.timezone : 'America/Los_Angeles',
        },
      },
    },
  });
}
