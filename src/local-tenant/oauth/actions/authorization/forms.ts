/**
 * The forms of the hosted pages: `POST /login/signin` (the sign-in page) and `POST /login/consent` (the consent
 * page). Each carries the transaction (`stateToken`) and its CSRF token (`_xsrfToken`), and must come from the
 * browser the transaction was opened for (the `okta_tx` cookie, SameSite=Lax: a cross-site POST does not carry
 * it). A missing or wrong token or cookie is an HTML 403 page; an unknown or expired transaction a 400 page.
 *
 * Sign-in (https://developer.okta.com/docs/reference/api/authn/#primary-authentication, what the hosted widget
 * calls): an ACTIVE user with the right password starts an Okta session and the /authorize request goes on.
 * Otherwise the page comes back with the username typed and Okta's message: "Unable to sign in" (wrong
 * username or password, and SUSPENDED, DEPROVISIONED or not yet activated users, whom primary authentication
 * answers with the same 401 E0000004), or, for a LOCKED_OUT user, "Your account is locked. Please contact your
 * administrator." (the widget's texts, https://github.com/okta/okta-signin-widget/blob/master/packages/@okta/i18n/src/properties/login.properties).
 *
 * Consent: Allow records the grant for the scopes shown and goes on; Don't allow redirects with `access_denied`.
 */
import { errorPage, LOCKED_OUT, UNABLE_TO_SIGN_IN } from '../../../pages/hosted.js';
import { verifyUserPassword } from '../../../password.js';
import { closeTransaction, findTransaction, recordConsent, startSession, TRANSACTION_COOKIE, type TransactionRecord, type TransactionStage } from '../../../sessions/store.js';
import { activeUser, findUserByLogin } from '../../access.js';
import type { Form } from '../../client-auth.js';
import type { OAuthProvider } from '../../provider.js';
import { refuse } from './checks.js';
import { CONSENT_DENIED, scopesNeedingConsent } from './consent.js';
import { isPage, proceed, refused, requestOf, sessionCookie, signInAnswer, type Browser, type BrowserResult } from './index.js';

export const TRANSACTION_UNKNOWN = 'The sign-in request is unknown or has expired. Start again from the application.';
export const CSRF_FAILED = "The request's CSRF token is missing or does not match this browser.";

type Opened = { ok: true; id: string; tx: TransactionRecord } | { ok: false; answer: BrowserResult };

function transactionOf(p: OAuthProvider, form: Form, stage: TransactionStage, browser: Browser): Opened {
  const id = form.stateToken;
  const found = findTransaction(p, id, stage, browser.cookies[TRANSACTION_COOKIE], form._xsrfToken);
  if (found.ok && id) return { ok: true, id, tx: found.tx };
  const csrf = !found.ok && found.reason === 'csrf';
  return {
    ok: false,
    answer: errorPage({ orgName: browser.orgName, status: csrf ? 403 : 400, error: 'invalid_request', description: csrf ? CSRF_FAILED : TRANSACTION_UNKNOWN }),
  };
}

export async function submitSignIn(p: OAuthProvider, form: Form, browser: Browser): Promise<BrowserResult> {
  const opened = transactionOf(p, form, 'sign-in', browser);
  if (!opened.ok) return opened.answer;
  const req = requestOf(p, opened.tx.serverId, opened.tx.params, browser);
  if (isPage(req)) return req;
  const username = form.username ?? '';
  const user = username ? findUserByLogin(p.store.read(), username) : undefined;
  const passwordOk = user !== undefined && (await verifyUserPassword(user, form.password ?? ''));
  if (!user || user.status !== 'ACTIVE' || !passwordOk) {
    await closeTransaction(p, opened.id);
    return signInAnswer(p, req, browser, { username, error: user?.status === 'LOCKED_OUT' ? LOCKED_OUT : UNABLE_TO_SIGN_IN });
  }
  await closeTransaction(p, opened.id);
  const now = p.nowSec();
  const { cookie } = await startSession(p, { id: user.id, login: user.profile.login }, now);
  return proceed(p, req, { user, authTime: now, cookies: [sessionCookie(cookie, browser)] }, browser);
}

export async function submitConsent(p: OAuthProvider, form: Form, browser: Browser): Promise<BrowserResult> {
  const opened = transactionOf(p, form, 'consent', browser);
  if (!opened.ok) return opened.answer;
  await closeTransaction(p, opened.id);
  const { tx } = opened;
  const req = requestOf(p, tx.serverId, tx.params, browser);
  if (isPage(req)) return req;
  const user = tx.userId !== undefined ? activeUser(p.store.read(), tx.userId) : undefined;
  if (!user || tx.authTime === undefined) return errorPage({ orgName: browser.orgName, error: 'invalid_request', description: TRANSACTION_UNKNOWN });
  if (form.consent !== 'allow') return refused(req, refuse('access_denied', CONSENT_DENIED));
  // What the page showed: the scopes that need consent for this request now.
  const state = p.store.read();
  const shown = scopesNeedingConsent(state, req, user.id, req.scopes).map((s) => s.name);
  await recordConsent(p, req.server.id, req.app.id, user.id, shown);
  return proceed(p, req, { user, authTime: tx.authTime, cookies: [] }, browser, true);
}
