/**
 * What every OAuth action shares: the tenant store, the org URL, the clock, the authorization server lookup,
 * the persisted OAuth data and the servers' signing keys. Each action under actions/ is a function of it.
 *
 * Choices where Okta's docs are silent:
 * - Issuer: `{orgUrl}/oauth2/{id}`, and `{orgUrl}/oauth2/default` for the default server, whose id is a real `aus…`
 *   id and `default` only its alias in paths (store.ts findAuthServer), computed per request, so a restart on another
 *   port serves the right metadata (https://developer.okta.com/docs/concepts/auth-servers/#discovery-endpoints-custom-authorization-servers).
 * - Unknown or INACTIVE authorization server: 404 E0000007 on every endpoint.
 */
import { notFound } from '../errors.js';
import { findAuthServer, issuerPath, type TenantStore } from '../store.js';
import type { AuthServerRecord, TenantState } from '../types.js';
import { generateSigningKey } from './keys.js';
import { oauthData, prune, type OAuthData, type SigningKeyEntry } from './state.js';

/** An endpoint's answer. Successes are returned; errors are thrown as `OktaHttpError` (../errors.ts), except the
 *  errors /authorize reports by redirecting (those are results, as Okta's are). */
export interface OAuthResult {
  status: number;
  headers: Record<string, string>;
  /** JSON body, or a string sent as text/html. Absent: empty body. */
  body?: unknown;
}

export interface OAuthProviderOptions {
  store: TenantStore;
  /** The org URL as clients see it (changes when a restarted tenant gets another port). */
  orgUrl: () => string;
  /** Clock in ms (injectable for expiry tests). */
  now?: () => number;
}

/** A JSON answer that must not be cached (tokens, introspection, userinfo). */
export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): OAuthResult => ({
  status,
  headers: { 'cache-control': 'no-store', pragma: 'no-cache', ...headers },
  body,
});

/** `rec[key]` for own keys only (ids come from requests: `__proto__` must not resolve). */
export function has<T>(rec: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;
}

export class OAuthProvider {
  readonly store: TenantStore;
  readonly orgUrl: () => string;
  private readonly nowMs: () => number;
  private readonly pendingKeys = new Map<string, Promise<SigningKeyEntry>>();

  constructor(opts: OAuthProviderOptions) {
    this.store = opts.store;
    this.orgUrl = opts.orgUrl;
    this.nowMs = opts.now ?? Date.now;
  }

  nowSec(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  issuer(server: AuthServerRecord): string {
    return `${this.orgUrl()}${issuerPath(server)}`;
  }

  /** The ACTIVE authorization server a path names (its id, or the default server's alias), or 404 E0000007. */
  server(state: TenantState, id: string): AuthServerRecord {
    const s = findAuthServer(state, id);
    if (!s || s.status !== 'ACTIVE') throw notFound(id, 'AuthorizationServer');
    return s;
  }

  data(state: TenantState): OAuthData {
    return oauthData(state.oauth);
  }

  /** Applies a change to the OAuth data (pruning expired entries and the keys of deleted servers) and persists it. */
  mutate<T>(fn: (data: OAuthData, state: TenantState) => T): Promise<T> {
    const now = this.nowSec();
    return this.store.mutate((state) => {
      const data = oauthData(state.oauth);
      const result = fn(data, state);
      prune(data, now);
      for (const [kid, k] of Object.entries(data.keys)) if (!has(state.authorizationServers, k.serverId)) delete data.keys[kid];
      return result;
    });
  }

  /** The server's current signing key (the record's kid), generated and persisted on first use. */
  async signingKey(serverId: string): Promise<SigningKeyEntry> {
    const server = this.server(this.store.read(), serverId);
    const existing = has(this.data(this.store.read()).keys, server.kid);
    if (existing) return existing;
    let pending = this.pendingKeys.get(server.kid);
    if (!pending) {
      const kid = server.kid;
      pending = (async () => {
        const fresh = { ...(await generateSigningKey(kid, new Date(this.nowMs()))), serverId: server.id };
        return this.mutate((data) => (data.keys[kid] ??= fresh));
      })().finally(() => this.pendingKeys.delete(kid));
      this.pendingKeys.set(kid, pending);
    }
    return pending;
  }
}
