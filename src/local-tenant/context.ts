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
  now: () => number;
  /** Writes one line to stderr when options.log is on. */
  log(line: string): void;
}

export { seededRandom } from '../core/random.js';
