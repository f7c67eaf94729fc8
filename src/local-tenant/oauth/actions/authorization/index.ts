/**
 * `GET|POST /oauth2/{authServerId}/v1/authorize`
 * (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/CustomAS/#tag/CustomAS/operation/authorizeCustomAS):
 * the client and redirect URI (an HTML 400 page when either is wrong: nothing is sent to an untrusted redirect
 * URI), the request checks, who signs in (a one-time `sessionToken`, else the Okta session cookie, else the
 * hosted sign-in page), the sign-in checks (checks.ts), consent (consent.ts), then the code, access token and ID
 * token the response type asks for. The forms of the hosted pages are handled in forms.ts.
 *
 * Sessions (https://developer.okta.com/docs/guides/session-cookie/main/): a sessionToken or a sign-in on the
 * hosted page starts an Okta session (the `sid` cookie); a later /authorize within it skips the page, unless
 * `prompt` has `login` or the last authentication is older than `max_age` seconds. `prompt=none` without a usable
 * session redirects with `login_required` "The client specified not to prompt, but the user is not logged in."
 * (Okta's text). An invalid or used sessionToken is ignored, as if none had been given.
 *
 * Choice where Okta's docs are silent: authorization codes live 300 s and are bound to the client, the server and
 * the redirect URI (https://developer.okta.com/docs/guides/implement-grant-type/authcodepkce/main/).
 */
import { OktaHttpError } from '../../../errors.js';
import { errorPage, signInPage, consentPage, type PageAnswer } from '../../../pages/hosted.js';
import { SESSION_COOKIE, TRANSACTION_COOKIE, findSession, openTransaction, startSession, touchSession } from '../../../sessions/store.js';
import { serializeCookie } from '../../../sessions/cookies.js';
import type { UserRecord } from '../../../types.js';
import { activeUser, decide } from '../../access.js';
import type { Form } from '../../client-auth.js';
import { POLICY_FAILED, type PolicyDecision } from '../../policy.js';
import { has, type OAuthProvider, type OAuthResult } from '../../provider.js';
import { randomToken, sha256, type CodeRecord } from '../../state.js';
import { issueAccessToken, mintIdToken } from '../../tokens/mint.js';
import { authorizeRequest, clientOf, firstRefusal, refuse, registeredRedirectUri, REQUEST_CHECKS, SIGN_IN_CHECKS, type AuthorizeRequest, type Refusal, type SignIn } from './checks.js';
import { CONSENT_REQUIRED, scopesNeedingConsent } from './consent.js';
import { errorMode, respond } from './respond.js';

export const CODE_LIFETIME_SEC = 300;
export const NOT_LOGGED_IN = 'The client specified not to prompt, but the user is not logged in.';
export const DEFAULT_ORG_NAME = 'okta-bootstrap local tenant';

/** What the browser brings: its cookies, and how the hosted pages name the org. */
export interface Browser {
  readonly cookies: Readonly<Record<string, string>>;
  readonly orgName: string;
  /** The org URL is https: cookies get `Secure`. */
  readonly secure: boolean;
}

export const NO_BROWSER: Browser = { cookies: {}, orgName: DEFAULT_ORG_NAME, secure: false };

/** An answer of the browser endpoints: an OAuth result plus the cookies to set. */
export interface BrowserResult extends OAuthResult {
  cookies?: string[];
}

/** A signed-in user: who, when they last entered a password, and the cookies that started the session. */
export interface Authenticated {
  readonly user: UserRecord;
  readonly authTime: number;
  readonly cookies: readonly string[];
}

/** A sign-in that passed every check. */
interface Approved extends SignIn {
  readonly decision: Extract<PolicyDecision, { ok: true }>;
}

const isApproved = (s: SignIn): s is Approved => s.decision.ok;

/** The request, or the HTML 400 page of Okta for an unknown client or a redirect URI that is not the client's. */
export function requestOf(p: OAuthProvider, serverId: string, params: Form, browser: Browser): AuthorizeRequest | PageAnswer {
  const state = p.store.read();
  const server = p.server(state, serverId);
  try {
    const app = clientOf(state, params);
    return authorizeRequest(server, app, registeredRedirectUri(app, params), params);
  } catch (e) {
    if (e instanceof OktaHttpError && 'error' in e.body) return errorPage({ orgName: browser.orgName, error: e.body.error, description: e.body.error_description });
    throw e;
  }
}

export const isPage = (r: AuthorizeRequest | PageAnswer): r is PageAnswer => 'status' in r;

export function refused(req: AuthorizeRequest, r: Refusal, cookies: readonly string[] = []): BrowserResult {
  const st = req.params.state;
  const out = respond(req.redirectUri, errorMode(req.mode, req.implicit), {
    error: r.error,
    error_description: r.description,
    ...(st !== undefined ? { state: st } : {}),
  });
  return withCookies(out, cookies);
}

export const withCookies = (r: OAuthResult, cookies: readonly string[]): BrowserResult => (cookies.length > 0 ? { ...r, cookies: [...cookies] } : r);

export const sessionCookie = (value: string, browser: Browser): string => serializeCookie(SESSION_COOKIE, value, { secure: browser.secure });

/** Takes the session token (one-time, whatever happens next); a valid one for an ACTIVE user starts a session. */
async function fromSessionToken(p: OAuthProvider, req: AuthorizeRequest, browser: Browser): Promise<Authenticated | undefined> {
  const sessionToken = req.params.sessionToken;
  if (!sessionToken) return undefined;
  const now = p.nowSec();
  const record = await p.mutate((data) => {
    const h = sha256(sessionToken);
    const s = has(data.sessionTokens, h);
    if (s) delete data.sessionTokens[h];
    return s;
  });
  const user = record && record.expiresAt > now ? activeUser(p.store.read(), record.userId) : undefined;
  if (!user) return undefined;
  const { cookie } = await startSession(p, { id: user.id, login: user.profile.login }, now);
  return { user, authTime: now, cookies: [sessionCookie(cookie, browser)] };
}

/** The Okta session of the browser, when `prompt` and `max_age` let it stand in for a sign-in. */
async function fromSessionCookie(p: OAuthProvider, req: AuthorizeRequest, browser: Browser): Promise<Authenticated | undefined> {
  const cookie = browser.cookies[SESSION_COOKIE];
  const state = p.store.read();
  const session = findSession(p, cookie, state);
  const user = session ? activeUser(state, session.userId) : undefined;
  if (!cookie || !session || !user || req.prompts.has('login')) return undefined;
  const maxAge = req.params.max_age;
  if (maxAge !== undefined && p.nowSec() - session.authTime > Number(maxAge)) return undefined;
  await touchSession(p, cookie);
  return { user, authTime: session.authTime, cookies: [] };
}

/** The sign-in page for the request, in a new transaction bound to the browser. */
export async function signInAnswer(p: OAuthProvider, req: AuthorizeRequest, browser: Browser, form: { username?: string; error?: string } = {}): Promise<BrowserResult> {
  const tx = await openTransaction(p, browser.cookies[TRANSACTION_COOKIE], { serverId: req.server.id, params: req.params, stage: 'sign-in' });
  const pageAnswer = signInPage({ orgName: browser.orgName, tokens: { stateToken: tx.id, csrf: tx.csrf }, formTargets: [new URL(req.redirectUri).origin], ...form });
  return { ...pageAnswer, cookies: [serializeCookie(TRANSACTION_COOKIE, tx.browser, { secure: browser.secure })] };
}

async function issue(p: OAuthProvider, { req, user, decision }: Approved, authTime: number): Promise<OAuthResult> {
  const { server, app, params, types } = req;
  const now = p.nowSec();
  const granted = decision.grantedScopes;
  const out: Record<string, string> = {};
  if (types.has('code')) {
    const code = randomToken(32);
    const rec: CodeRecord = {
      serverId: server.id,
      clientId: app.id,
      userId: user.id,
      redirectUri: req.redirectUri,
      scopes: granted,
      ...(params.nonce !== undefined ? { nonce: params.nonce } : {}),
      ...(params.code_challenge !== undefined ? { codeChallenge: params.code_challenge } : {}),
      authTime,
      expiresAt: now + CODE_LIFETIME_SEC,
      lifetimes: decision,
    };
    await p.mutate((data) => {
      data.codes[sha256(code)] = rec;
    });
    out.code = code;
  }
  if (types.has('token')) {
    const at = await issueAccessToken(p, server, app, user, granted, decision, now);
    Object.assign(out, { access_token: at.token, token_type: 'Bearer', expires_in: String(decision.accessTokenLifetimeMinutes * 60), scope: granted.join(' ') });
  }
  if (types.has('id_token')) {
    out.id_token = await mintIdToken(p, server, app, user, granted, {
      authTime,
      ...(params.nonce !== undefined ? { nonce: params.nonce } : {}),
      ...(out.access_token ? { accessToken: out.access_token } : {}),
      ...(out.code ? { code: out.code } : {}),
    });
  }
  if (params.state !== undefined) out.state = params.state;
  return respond(req.redirectUri, req.mode, out);
}

/**
 * Once the user is known: the sign-in checks, then consent (the consent page unless `consented`), then the
 * answer. `auth.cookies` (a session just started) go with whatever is answered.
 */
export async function proceed(p: OAuthProvider, req: AuthorizeRequest, auth: Authenticated, browser: Browser, consented = false): Promise<BrowserResult> {
  const state = p.store.read();
  const grantType = req.types.has('code') ? 'authorization_code' : 'implicit';
  const s: SignIn = { req, state, now: p.nowSec(), user: auth.user, decision: decide(state, req.server, req.app, grantType, auth.user, [...req.scopes]) };
  const bad = firstRefusal(SIGN_IN_CHECKS, s);
  // The sign-in checks refuse every decision that is not ok; isApproved tells the compiler.
  if (bad || !isApproved(s)) return refused(req, bad ?? refuse('access_denied', POLICY_FAILED), auth.cookies);
  const ask = consented ? [] : scopesNeedingConsent(state, req, auth.user.id, s.decision.grantedScopes);
  if (ask.length > 0) {
    if (req.prompts.has('none')) return refused(req, refuse('consent_required', CONSENT_REQUIRED), auth.cookies);
    const tx = await openTransaction(p, browser.cookies[TRANSACTION_COOKIE], { serverId: req.server.id, params: req.params, stage: 'consent', userId: auth.user.id, authTime: auth.authTime });
    const pageAnswer = consentPage({
      orgName: browser.orgName,
      appName: req.app.label,
      scopes: ask.map((x) => ({ name: x.name, ...(x.displayName ? { displayName: x.displayName } : {}), ...(x.description ? { description: x.description } : {}) })),
      tokens: { stateToken: tx.id, csrf: tx.csrf },
      formTargets: [new URL(req.redirectUri).origin],
    });
    return { ...pageAnswer, cookies: [...auth.cookies, serializeCookie(TRANSACTION_COOKIE, tx.browser, { secure: browser.secure })] };
  }
  return withCookies(await issue(p, s, auth.authTime), auth.cookies);
}

export async function authorize(p: OAuthProvider, serverId: string, params: Form, browser: Browser = NO_BROWSER): Promise<BrowserResult> {
  const req = requestOf(p, serverId, params, browser);
  if (isPage(req)) return req;
  const badRequest = firstRefusal(REQUEST_CHECKS, req);
  if (badRequest) return refused(req, badRequest);
  const auth = (await fromSessionToken(p, req, browser)) ?? (await fromSessionCookie(p, req, browser));
  if (auth) return proceed(p, req, auth, browser);
  if (req.prompts.has('none')) return refused(req, refuse('login_required', NOT_LOGGED_IN));
  return signInAnswer(p, req, browser);
}
