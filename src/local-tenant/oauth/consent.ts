/**
 * User consent: which scopes of an authorization request need the user's consent, and the grants that record it.
 *
 * The decision follows the table of OpenIdConnectApplicationConsentMethod in Okta's management spec (also
 * https://developer.okta.com/docs/guides/request-user-consent/main/):
 *
 * | `prompt` | `consent_method` | scope `consent` | Result |
 * | consent  | TRUSTED or REQUIRED | REQUIRED or FLEXIBLE | Prompted |
 * | consent  | TRUSTED | IMPLICIT | Not prompted |
 * | (none)   | TRUSTED | any | Not prompted |
 * | (none)   | REQUIRED | FLEXIBLE or REQUIRED | Prompted |
 * | (none)   | REQUIRED | IMPLICIT | Not prompted |
 *
 * and its notes: "If you request a scope that requires consent while using the `client_credentials` flow, an error
 * is returned"; a FLEXIBLE scope in client_credentials "is granted in the access token with no consent prompt";
 * "If the `prompt` value is set to `NONE`, but the `consent_method` and the consent values are set to `REQUIRED`,
 * then an error occurs" (OpenID Connect Core §3.1.2.6: `consent_required`).
 *
 * A consent, once given, is kept as one grant per user, client, server and scope (Okta's User Grants API,
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/UserGrant/), and the user is not asked
 * again for scopes they granted, unless `prompt=consent`. Revoking a grant (the API) makes the next request ask again.
 * Choices where Okta is silent: the error texts below; a FLEXIBLE scope needs consent like a REQUIRED one when the
 * table says "Prompted" (Okta lets the user leave a FLEXIBLE scope out; the tenant's page grants what it is given).
 */
import { newId } from '../ids.js';
import type { AuthServerRecord, ScopeRecord } from '../types.js';

export interface ConsentGrantRecord {
  id: string;
  userId: string;
  clientId: string;
  serverId: string;
  scopeId: string;
  /** The scope's name (the `scopeId` of Okta's grant object holds the name, e.g. "okta.users.read"). */
  scopeName: string;
  issuer: string;
  created: string;
  lastUpdated: string;
}

/** The grants kept in the OAuth slice of the state (`state.oauth.consentGrants`), created when missing. */
export function consentGrants(raw: Record<string, unknown>): Record<string, ConsentGrantRecord> {
  raw.consentGrants ??= {};
  return raw.consentGrants as Record<string, ConsentGrantRecord>;
}

export type ConsentDecision =
  | { kind: 'none' }
  | { kind: 'prompt'; scopes: ScopeRecord[] }
  | { kind: 'error'; error: 'consent_required' | 'invalid_scope'; error_description: string };

export const CONSENT_REQUIRED = 'The client requires user consent for the requested scopes, and prompt=none forbids asking for it.';
export const CC_CONSENT = 'The client_credentials flow cannot request a scope that requires user consent.';

const needsConsent = (s: ScopeRecord) => s.consent === 'REQUIRED' || s.consent === 'FLEXIBLE';

/**
 * The consent an authorization request needs. `requested`: the server's records of the requested scopes (OIDC
 * scopes are system scopes, so they are there too); `granted`: scope ids this user already granted this client.
 */
export function consentFor(opts: {
  grantType: string;
  prompt: readonly string[];
  consentMethod: 'REQUIRED' | 'TRUSTED';
  requested: readonly ScopeRecord[];
  granted: ReadonlySet<string>;
}): ConsentDecision {
  if (opts.grantType === 'client_credentials') {
    return opts.requested.some((s) => s.consent === 'REQUIRED') ? { kind: 'error', error: 'invalid_scope', error_description: CC_CONSENT } : { kind: 'none' };
  }
  const forced = opts.prompt.includes('consent');
  if (!forced && opts.consentMethod !== 'REQUIRED') return { kind: 'none' };
  const ask = opts.requested.filter((s) => needsConsent(s) && (forced || !opts.granted.has(s.id)));
  if (ask.length === 0) return { kind: 'none' };
  if (opts.prompt.includes('none')) return { kind: 'error', error: 'consent_required', error_description: CONSENT_REQUIRED };
  return { kind: 'prompt', scopes: ask };
}

/** The ids of the scopes `userId` granted `clientId` on `serverId`. */
export function grantedScopeIds(grants: Record<string, ConsentGrantRecord>, userId: string, clientId: string, serverId: string): Set<string> {
  return new Set(Object.values(grants).filter((g) => g.userId === userId && g.clientId === clientId && g.serverId === serverId).map((g) => g.scopeId));
}

/** Records the user's consent to `scopes` (one grant per scope; an existing grant is refreshed). */
export function recordConsent(
  grants: Record<string, ConsentGrantRecord>,
  who: { userId: string; clientId: string; serverId: string; issuer: string },
  scopes: readonly ScopeRecord[],
  now: string,
): ConsentGrantRecord[] {
  return scopes.map((s) => {
    const old = Object.values(grants).find((g) => g.userId === who.userId && g.clientId === who.clientId && g.serverId === who.serverId && g.scopeId === s.id);
    if (old) {
      old.lastUpdated = now;
      return old;
    }
    const g: ConsentGrantRecord = { id: newId('oag'), ...who, scopeId: s.id, scopeName: s.name, created: now, lastUpdated: now };
    grants[g.id] = g;
    return g;
  });
}

/** The server's records of the named scopes (names it does not define are left out). */
export function scopeRecords(server: AuthServerRecord, names: readonly string[]): ScopeRecord[] {
  const all = Object.values(server.scopes);
  return names.flatMap((n) => all.filter((s) => s.name === n));
}
