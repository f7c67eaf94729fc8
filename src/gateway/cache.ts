/**
 * The introspection cache: like Anypoint's policy, a token validated once is not introspected again until it
 * expires ("the token is cached until expiration"). Keys are the SHA-256 of the token, never the token.
 * Only active results are cached: an inactive token is re-checked each time (it costs one call, and a token
 * that was inactive because of a clock skew is not stuck). The clock is injectable so tests can move past a
 * token's `exp` without waiting.
 *
 * As in Anypoint, a token revoked after it was cached keeps working until it expires; pass `enabled: false`
 * (CLI: --no-cache) to introspect every request.
 */
import { createHash } from 'node:crypto';

export interface CachedIntrospection {
  active: true;
  /** epoch seconds */
  exp: number;
  [claim: string]: unknown;
}

export interface IntrospectionCache {
  get(token: string): CachedIntrospection | undefined;
  set(token: string, result: CachedIntrospection): void;
  size(): number;
  clear(): void;
}

export interface CacheOptions {
  /** epoch milliseconds; default Date.now */
  now?: () => number;
  /** Oldest entries are dropped beyond this (Anypoint's maxCacheSize defaults to 1000). */
  maxEntries?: number;
  enabled?: boolean;
}

const keyOf = (token: string) => createHash('sha256').update(token).digest('base64url');

export function createIntrospectionCache(opts: CacheOptions = {}): IntrospectionCache {
  const now = opts.now ?? Date.now;
  const max = opts.maxEntries ?? 1000;
  const enabled = opts.enabled ?? true;
  // A Map keeps insertion order: the first key is the oldest.
  const entries = new Map<string, CachedIntrospection>();
  return {
    get(token) {
      if (!enabled) return undefined;
      const k = keyOf(token);
      const hit = entries.get(k);
      if (!hit) return undefined;
      if (hit.exp * 1000 <= now()) {
        entries.delete(k);
        return undefined;
      }
      return hit;
    },
    set(token, result) {
      if (!enabled || result.exp * 1000 <= now()) return;
      const k = keyOf(token);
      entries.delete(k);
      entries.set(k, result);
      while (entries.size > max) entries.delete(entries.keys().next().value as string);
    },
    size: () => entries.size,
    clear: () => entries.clear(),
  };
}
