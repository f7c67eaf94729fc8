/**
 * `GET|POST /oauth2/{authServerId}/v1/logout`
 * (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/#tag/CustomAS/operation/logoutCustomAS,
 * https://developer.okta.com/docs/guides/sign-users-out/):
 * - `id_token_hint` is required and must be an ID token this server signed (an expired one is accepted); else
 *   an HTML 400 error page.
 * - `post_logout_redirect_uri`, when given, must be one of the client's `post_logout_redirect_uris` (the client is
 *   the token's `aud`); else an HTML 400 error page. With it, the browser is redirected there, with `state`.
 * - The Okta session of the browser ends when its user is the token's subject (the `sid` cookie is cleared).
 *   Without a session nothing ends, and the redirect happens all the same.
 *
 * Choices where Okta's docs are silent: without `post_logout_redirect_uri` Okta shows its sign-in page; the tenant
 * shows a "Signed out" page. The error texts mirror Okta's for the login redirect URI.
 */
import { decodeJwt } from 'jose';
import { signedOutPage, errorPage } from '../../pages/hosted.js';
import { clearCookie } from '../../sessions/cookies.js';
import { endSession, findSession, SESSION_COOKIE } from '../../sessions/store.js';
import type { Form } from '../client-auth.js';
import { verifyJwt } from '../keys.js';
import { has, type OAuthProvider } from '../provider.js';
import type { Browser, BrowserResult } from './authorization/index.js';

export const ID_TOKEN_HINT_REQUIRED = "The 'id_token_hint' parameter is required.";
export const ID_TOKEN_HINT_INVALID = "The 'id_token_hint' parameter is not a valid ID token of this authorization server.";
export const LOGOUT_URI_NOT_REGISTERED = "The 'post_logout_redirect_uri' parameter must be a Logout redirect URI in the client app settings.";

/** The ID token's subject and client, when this server signed it (expiry not checked: Okta accepts an expired hint). */
async function hintOf(p: OAuthProvider, serverId: string, token: string): Promise<{ sub: string; aud: string } | undefined> {
  let iat: number | undefined;
  try {
    iat = decodeJwt(token).iat;
  } catch {
    return undefined;
  }
  if (typeof iat !== 'number') return undefined;
  const key = await p.signingKey(serverId);
  const payload = await verifyJwt(key, token, { issuer: p.issuer(p.server(p.store.read(), serverId)), nowSec: iat });
  const aud = payload?.aud;
  if (!payload || typeof payload.sub !== 'string' || typeof aud !== 'string') return undefined;
  return { sub: payload.sub, aud };
}

export async function logout(p: OAuthProvider, serverId: string, params: Form, browser: Browser): Promise<BrowserResult> {
  p.server(p.store.read(), serverId);
  const bad = (description: string): BrowserResult => errorPage({ orgName: browser.orgName, error: 'invalid_request', description });
  const token = params.id_token_hint;
  if (!token) return bad(ID_TOKEN_HINT_REQUIRED);
  const hint = await hintOf(p, serverId, token);
  const state = p.store.read();
  const app = hint ? has(state.apps, hint.aud) : undefined;
  if (!hint || !app) return bad(ID_TOKEN_HINT_INVALID);
  const target = params.post_logout_redirect_uri;
  const registered = Array.isArray(app.postLogoutRedirectUris) ? app.postLogoutRedirectUris : [];
  if (target !== undefined && !registered.includes(target)) return bad(LOGOUT_URI_NOT_REGISTERED);

  const cookie = browser.cookies[SESSION_COOKIE];
  const session = findSession(p, cookie, state);
  const ended = session !== undefined && session.userId === hint.sub && (await endSession(p, cookie));
  const cookies = ended ? [clearCookie(SESSION_COOKIE, browser.secure)] : [];
  if (target === undefined) return { ...signedOutPage(browser.orgName), cookies };
  const url = new URL(target);
  if (params.state !== undefined) url.searchParams.append('state', params.state);
  return { status: 302, headers: { location: url.toString(), 'cache-control': 'no-store' }, cookies };
}
