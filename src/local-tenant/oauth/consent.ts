/**
 * Consent in the client_credentials flow (the browser flow's consent, its page and the recorded grants are in
 * actions/authorization/consent.ts and sessions/store.ts). From the notes of the spec's consent table
 * (OpenIdConnectApplicationConsentMethod, https://developer.okta.com/docs/guides/request-user-consent/main/):
 * "If you request a scope that requires consent while using the `client_credentials` flow, an error is returned",
 * while a FLEXIBLE scope "is granted in the access token with no consent prompt".
 * Choice where Okta is silent: the error is `invalid_scope` with the text below.
 */
import type { AuthServerRecord } from '../types.js';

export const CC_CONSENT = 'The client_credentials flow cannot request a scope that requires user consent.';

/** The refusal for a client_credentials request of `scopes` on `server`, or undefined when none needs consent. */
export function clientCredentialsConsent(server: AuthServerRecord, scopes: readonly string[]): { error: 'invalid_scope'; error_description: string } | undefined {
  const required = Object.values(server.scopes).some((s) => s.consent === 'REQUIRED' && scopes.includes(s.name));
  return required ? { error: 'invalid_scope', error_description: CC_CONSENT } : undefined;
}
