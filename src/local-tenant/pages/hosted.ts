/**
 * The local tenant's hosted pages: sign-in, consent, error and signed out. They follow what Okta's hosted
 * Sign-In Widget shows (https://developer.okta.com/docs/guides/redirect-authentication/ and the widget's English
 * texts, https://github.com/okta/okta-signin-widget/blob/master/packages/@okta/i18n/src/properties/login.properties),
 * but are plain server-rendered forms with no script: the forms post to the tenant (`/login/signin`,
 * `/login/consent`), where Okta's widget posts to its APIs from JavaScript.
 */
import { html, page, type Html, type PageAnswer } from './html.js';

export type { PageAnswer } from './html.js';

/** The form routes of the hosted pages. */
export const SIGN_IN_PATH = '/login/signin';
export const CONSENT_PATH = '/login/consent';

/** Okta's texts (login.properties above: `errors.E0000004`, `error.auth.lockedOut`). */
export const UNABLE_TO_SIGN_IN = 'Unable to sign in';
export const LOCKED_OUT = 'Your account is locked. Please contact your administrator.';

export interface FormTokens {
  /** The transaction id (hidden `stateToken`). */
  stateToken: string;
  /** The CSRF token (hidden `_xsrfToken`). */
  csrf: string;
}

const hidden = (t: FormTokens): Html =>
  html`<input type="hidden" name="stateToken" value="${t.stateToken}"><input type="hidden" name="_xsrfToken" value="${t.csrf}">`;

export interface SignInPageOptions {
  orgName: string;
  tokens: FormTokens;
  /** The username typed before (shown again after a failure). */
  username?: string;
  error?: string;
  /** Where the form's answer may redirect (the client's redirect URI origin). */
  formTargets: readonly string[];
}

export function signInPage(o: SignInPageOptions): PageAnswer {
  const main = html`<h2>Sign In</h2>
${o.error !== undefined ? html`<div class="error" role="alert">${o.error}</div>` : undefined}
<form method="post" action="${SIGN_IN_PATH}" autocomplete="on">${hidden(o.tokens)}
<label for="okta-signin-username">Username</label>
<input type="text" id="okta-signin-username" name="username" autocomplete="username" value="${o.username ?? ''}" required>
<label for="okta-signin-password">Password</label>
<input type="password" id="okta-signin-password" name="password" autocomplete="current-password" required>
<button type="submit" id="okta-signin-submit">Sign in</button>
</form>`;
  return page({ title: `${o.orgName} - Sign In`, orgName: o.orgName, main, hasForm: true, formTargets: o.formTargets });
}

export interface ConsentScope {
  name: string;
  displayName?: string;
  description?: string;
}

export interface ConsentPageOptions {
  orgName: string;
  appName: string;
  scopes: readonly ConsentScope[];
  tokens: FormTokens;
  formTargets: readonly string[];
}

/** Okta's consent dialog lists the scopes (display name, description) with Allow / Don't Allow
 *  (https://developer.okta.com/docs/guides/request-user-consent/main/). */
export function consentPage(o: ConsentPageOptions): PageAnswer {
  const items = o.scopes.map((s) => html`<li><strong>${s.displayName ?? s.name}</strong>${s.description ? html` <span>${s.description}</span>` : undefined} <code>${s.name}</code></li>`);
  const main = html`<h2>${o.appName} would like to:</h2>
<ul class="scopes">${items}</ul>
<form method="post" action="${CONSENT_PATH}">${hidden(o.tokens)}
<button type="submit" name="consent" value="allow" id="consent-allow">Allow</button>
<button type="submit" name="consent" value="deny" id="consent-deny" class="secondary">Don't allow</button>
</form>`;
  return page({ title: `${o.orgName} - Consent`, orgName: o.orgName, main, hasForm: true, formTargets: o.formTargets });
}

export interface ErrorPageOptions {
  orgName: string;
  status?: number;
  error: string;
  description: string;
}

/** Okta's error page for an /authorize (or /logout) request it cannot send back to the client: the status, then
 *  "Error Code" and "Description". */
export function errorPage(o: ErrorPageOptions): PageAnswer {
  const status = o.status ?? 400;
  const reason = status === 400 ? 'Bad Request' : status === 403 ? 'Forbidden' : status === 404 ? 'Not Found' : 'Error';
  const main = html`<h2>${status} ${reason}</h2>
<dl class="error-details"><dt>Error Code</dt><dd id="error-code">${o.error}</dd><dt>Description</dt><dd id="error-description">${o.description}</dd></dl>`;
  return page({ status, title: `${o.orgName} - Error`, orgName: o.orgName, main });
}

/** What /logout shows without a `post_logout_redirect_uri` (Okta shows its sign-in page; the tenant has none
 *  to show without an /authorize request, so it says the user is signed out). */
export function signedOutPage(orgName: string): PageAnswer {
  return page({ title: `${orgName} - Signed out`, orgName, main: html`<h2>Signed out</h2><p>You are signed out of ${orgName}.</p>` });
}
