/**
 * The system scopes every custom authorization server has (Okta creates them with the server; `default` too),
 * listed by `GET /api/v1/authorizationServers/{id}/scopes` with `system: true`.
 *
 * Choices where the spec and Okta's docs are silent:
 * - Field values: `consent: IMPLICIT`, `metadataPublish: ALL_CLIENTS` (they appear in the server's metadata
 *   `scopes_supported`), `default: false`, `optional: false`, no `displayName`; descriptions as Okta's admin
 *   console shows them (device_sso's is our wording).
 * - Ids are derived from the server id and the scope name (`scp` + 17 characters of a SHA-256), so a state
 *   file written before the tenant listed system scopes gets the same ids on every load, without a write.
 * - They cannot be deleted or replaced: 403 E0000006 (deleteOAuth2Scope declares only 403 and 404 besides 204;
 *   Okta's docs: system objects cannot be deleted). A custom scope cannot take their names (400 E0000001,
 *   the duplicate-name cause).
 */
import { derivedId } from './ids.js';
import type { AuthServerRecord, ScopeRecord } from './types.js';

export const SYSTEM_SCOPE_DESCRIPTIONS = {
  openid: 'Signals that a request is an OpenID request.',
  profile: "Allows access to the user's default profile claims.",
  email: "Allows access to the user's email address.",
  address: "Allows access to the user's address.",
  phone: "Allows access to the user's phone number.",
  offline_access: 'Allows access to requests refresh tokens.',
  device_sso: 'Allows access to a device secret for native SSO.',
} as const;

export const SYSTEM_SCOPES = Object.keys(SYSTEM_SCOPE_DESCRIPTIONS) as (keyof typeof SYSTEM_SCOPE_DESCRIPTIONS)[];

function systemScopeId(serverId: string, name: string): string {
  return derivedId('scp', serverId, name);
}

/** The system scope records of a server (keyed by id). */
export function systemScopeRecords(serverId: string, now: string): Record<string, ScopeRecord> {
  const out: Record<string, ScopeRecord> = {};
  for (const name of SYSTEM_SCOPES) {
    const id = systemScopeId(serverId, name);
    out[id] = {
      id,
      name,
      description: SYSTEM_SCOPE_DESCRIPTIONS[name],
      consent: 'IMPLICIT',
      default: false,
      optional: false,
      system: true,
      metadataPublish: 'ALL_CLIENTS',
      created: now,
      lastUpdated: now,
    };
  }
  return out;
}

/** Adds the system scopes a server lacks (state files from before they were listed); returns the server. */
export function ensureSystemScopes(server: AuthServerRecord): AuthServerRecord {
  const have = new Set(Object.values(server.scopes).filter((s) => s.system).map((s) => s.name));
  if (have.size === SYSTEM_SCOPES.length) return server;
  const missing = Object.values(systemScopeRecords(server.id, server.created)).filter((s) => !have.has(s.name));
  server.scopes = { ...Object.fromEntries(missing.map((s) => [s.id, s])), ...server.scopes };
  return server;
}
