/**
 * When /authorize asks the user for consent, following the table of the spec's
 * `OpenIdConnectApplicationConsentMethod` (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Application/#tag/Application/operation/createApplication):
 *
 * | `prompt`  | app `consent_method`  | scope `consent`      | result       |
 * |-----------|-----------------------|----------------------|--------------|
 * | consent   | TRUSTED or REQUIRED   | REQUIRED or FLEXIBLE | prompted     |
 * | consent   | TRUSTED               | IMPLICIT             | not prompted |
 * | (none)    | TRUSTED               | any                  | not prompted |
 * | (none)    | REQUIRED              | REQUIRED or FLEXIBLE | prompted     |
 * | (none)    | REQUIRED              | IMPLICIT             | not prompted |
 *
 * Without `prompt=consent` a scope the user already allowed this client (the recorded grant) is not asked again.
 * Only the scopes the policy grants are asked for. Apps made by dynamic client registration have
 * `consent_method: REQUIRED` (https://developer.okta.com/docs/api/openapi/okta-oauth/oauth/tag/Client/); every app
 * of the local tenant is one, unless its metadata says `TRUSTED`.
 *
 * Choices where Okta's docs are silent: `prompt=none` when consent is needed answers `consent_required`
 * (https://openid.net/specs/openid-connect-core-1_0.html#AuthError); a refusal answers `access_denied` with
 * RFC 6749's description (https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1).
 */
import type { AppRecord, AuthServerRecord, ScopeRecord, TenantState } from '../../../types.js';
import { grantedConsent } from '../../../sessions/store.js';
import type { AuthorizeRequest } from './checks.js';

export const CONSENT_REQUIRED = 'The user has not granted consent to the requested scopes.';
export const CONSENT_DENIED = 'The resource owner or authorization server denied the request.';

export function consentMethod(app: AppRecord): 'REQUIRED' | 'TRUSTED' {
  return app.metadata.consent_method === 'TRUSTED' ? 'TRUSTED' : 'REQUIRED';
}

function scopeRecord(server: AuthServerRecord, name: string): ScopeRecord | undefined {
  return Object.values(server.scopes).find((s) => s.name === name);
}

/** The granted scopes the user must be asked for, in the order granted. */
export function scopesNeedingConsent(state: TenantState, req: AuthorizeRequest, userId: string, granted: readonly string[]): ScopeRecord[] {
  const forced = req.prompts.has('consent');
  if (!forced && consentMethod(req.app) === 'TRUSTED') return [];
  const allowed = forced ? [] : grantedConsent(state, req.server.id, req.app.id, userId);
  return granted
    .map((name) => scopeRecord(req.server, name))
    .filter((s): s is ScopeRecord => s !== undefined && (s.consent === 'REQUIRED' || s.consent === 'FLEXIBLE') && !allowed.includes(s.name));
}
