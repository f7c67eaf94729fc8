/**
 * What every step and route module gets: the store, the options the tenant was started with,
 * the request log, the org URL (known once the server listens), and a seeded random source.
 */
import type { TenantStore } from './store.js';
import type { LocalTenantOptions, RequestLogEntry } from './types.js';

export interface TenantContext {
  readonly store: TenantStore;
  readonly options: Readonly<LocalTenantOptions>;
  readonly requestLog: RequestLogEntry[];
  /** `http://host:port`, no trailing slash. Set before the first request is served. */
  orgUrl: string;
  /** A PRNG in [0, 1): seeded by options.seed when given (mulberry32), else Math.random. */
  random(): number;
  /** The tenant's clock, ms since the epoch: options.clock, else Date.now. Everything time-based reads it. */
  now(): number;
  /** Writes one line to stderr when options.log is on. */
  log(line: string): void;
}

/** mulberry32: small, fast, good enough for jitter and fault injection; deterministic for a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
