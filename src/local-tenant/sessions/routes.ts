/**
 * Fastify wiring of what a browser reaches, with no API token (each route is public in Okta; the session
 * cookie, a transaction's CSRF token or an ID token is what authenticates it):
 *
 * | route                                          | module                                      |
 * |------------------------------------------------|---------------------------------------------|
 * | GET, POST /oauth2/:authServerId/v1/authorize  | ../oauth/actions/authorization/index.ts     |
 * | POST /login/signin, POST /login/consent        | ../oauth/actions/authorization/forms.ts     |
 * | GET, POST /oauth2/:authServerId/v1/logout     | ../oauth/actions/logout.ts                  |
 * | GET, DELETE /api/v1/sessions/me                | here                                        |
 *
 * `GET /api/v1/sessions/me` answers the session of the `sid` cookie, `DELETE` ends it (204); without a live
 * session both answer 404 E0000007 (https://developer.okta.com/docs/reference/api/sessions/#get-current-session,
 * https://developer.okta.com/docs/reference/api/sessions/#close-current-session). Choice where Okta's docs are
 * silent: `idp` carries only `type: OKTA` (the local org has no org id), and `_links` only what the tenant serves.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TenantContext } from '../context.js';
import { oktaError } from '../errors.js';
import { nowIso } from '../ids.js';
import { CONSENT_PATH, SIGN_IN_PATH } from '../pages/hosted.js';
import { authorize, DEFAULT_ORG_NAME, type Browser, type BrowserResult } from '../oauth/actions/authorization/index.js';
import { submitConsent, submitSignIn } from '../oauth/actions/authorization/forms.js';
import { logout } from '../oauth/actions/logout.js';
import { OAuthProvider } from '../oauth/provider.js';
import { send, singleValued } from '../oauth/routes.js';
import { clearCookie, parseCookies } from './cookies.js';
import { endSession, findSession, SESSION_COOKIE, type SessionRecord } from './store.js';

const PUBLIC = { config: { sswsAuth: false } } as const;

/** The routes of this module (the tenant's list of routes public in Okta takes them from here). */
export const BROWSER_ROUTES: readonly string[] = [
  'GET /oauth2/:authServerId/v1/authorize',
  'POST /oauth2/:authServerId/v1/authorize',
  `POST ${SIGN_IN_PATH}`,
  `POST ${CONSENT_PATH}`,
  'GET /oauth2/:authServerId/v1/logout',
  'POST /oauth2/:authServerId/v1/logout',
  'GET /api/v1/sessions/me',
  'DELETE /api/v1/sessions/me',
];

function sendBrowser(reply: FastifyReply, r: BrowserResult): FastifyReply {
  if (r.cookies && r.cookies.length > 0) reply.header('set-cookie', r.cookies);
  return send(reply, r);
}

const sessionNotFound = () => oktaError(404, 'E0000007', 'Not found: Resource not found: me (Session)');

export function renderSession(ctx: TenantContext, s: SessionRecord): Record<string, unknown> {
  const iso = (sec: number): string => nowIso(sec * 1000);
  return {
    id: s.id,
    userId: s.userId,
    login: s.login,
    createdAt: iso(s.createdAt),
    expiresAt: iso(s.expiresAt),
    status: 'ACTIVE',
    lastPasswordVerification: iso(s.authTime),
    lastFactorVerification: null,
    amr: ['pwd'],
    idp: { type: 'OKTA' },
    mfaActive: false,
    _links: {
      self: { href: `${ctx.orgUrl}/api/v1/sessions/me`, hints: { allow: ['GET', 'DELETE'] } },
      user: { name: s.login, href: `${ctx.orgUrl}/api/v1/users/${s.userId}`, hints: { allow: ['GET'] } },
    },
  };
}

export function registerBrowserRoutes(app: FastifyInstance, ctx: TenantContext): void {
  const p = new OAuthProvider({ store: ctx.store, orgUrl: () => ctx.orgUrl, now: () => ctx.now() });
  const browser = (req: FastifyRequest): Browser => ({
    cookies: parseCookies(req.headers.cookie),
    orgName: ctx.options.orgName ?? DEFAULT_ORG_NAME,
    secure: ctx.orgUrl.startsWith('https:'),
  });
  const serverId = (req: FastifyRequest): string => (req.params as { authServerId: string }).authServerId;
  const base = '/oauth2/:authServerId';

  app.get(`${base}/v1/authorize`, PUBLIC, async (req, reply) => sendBrowser(reply, await authorize(p, serverId(req), singleValued(req.query), browser(req))));
  app.post(`${base}/v1/authorize`, PUBLIC, async (req, reply) => sendBrowser(reply, await authorize(p, serverId(req), singleValued(req.body), browser(req))));
  app.post(SIGN_IN_PATH, PUBLIC, async (req, reply) => sendBrowser(reply, await submitSignIn(p, singleValued(req.body), browser(req))));
  app.post(CONSENT_PATH, PUBLIC, async (req, reply) => sendBrowser(reply, await submitConsent(p, singleValued(req.body), browser(req))));
  app.get(`${base}/v1/logout`, PUBLIC, async (req, reply) => sendBrowser(reply, await logout(p, serverId(req), singleValued(req.query), browser(req))));
  app.post(`${base}/v1/logout`, PUBLIC, async (req, reply) => sendBrowser(reply, await logout(p, serverId(req), singleValued(req.body), browser(req))));

  app.get('/api/v1/sessions/me', PUBLIC, async (req, reply) => {
    const s = findSession(p, browser(req).cookies[SESSION_COOKIE]);
    if (!s) throw sessionNotFound();
    return reply.code(200).header('cache-control', 'no-store').send(renderSession(ctx, s));
  });
  app.delete('/api/v1/sessions/me', PUBLIC, async (req, reply) => {
    const b = browser(req);
    if (!(await endSession(p, b.cookies[SESSION_COOKIE]))) throw sessionNotFound();
    return reply.code(204).header('set-cookie', clearCookie(SESSION_COOKIE, b.secure)).send();
  });
}
