/**
 * Okta's behaviour under load: per-bucket rate limits in fixed windows (one minute, as on Okta, unless
 * the config's `windowSeconds` scales them in time), plus an
 * org-wide cap on concurrent requests. The core (`RateLimiter`) is pure bookkeeping over an injectable
 * clock, so tests can spend a bucket and jump past its reset without waiting a minute.
 *
 * Choices where Okta's documentation is silent (https://developer.okta.com/docs/reference/rate-limits/):
 * - Windows are fixed and aligned to the wall-clock minute (UTC epoch minute). `X-Rate-Limit-Reset` is the
 *   end of the current window in epoch seconds, the same for every request of that minute.
 * - `windowSeconds` (ours, default 60): the window length. A benchmark can run Okta's limits scaled in time,
 *   e.g. `{"windowSeconds": 6}` with every limit /10 is the same rate as the per-minute limits, but a bucket
 *   binds within seconds. Windows stay aligned to multiples of their length since the epoch, and the reset
 *   header stays epoch seconds at the end of the current window (so a client reading it needs no change).
 * - A request rejected with 429 does not consume its bucket (it never ran).
 * - The concurrency cap counts every request that belongs to a bucket, from admission until its response
 *   has been sent. A request over the cap gets 429 E0000047 with the headers Okta sends for a concurrency
 *   rejection: "The first two header values are always `0` for concurrent rate limit errors. The third header
 *   reports an estimated time interval when the concurrent rate limit may be resolved"
 *   (https://developer.okta.com/docs/reference/rl-best-practices/). So `X-Rate-Limit-Limit: 0`,
 *   `X-Rate-Limit-Remaining: 0`, and `X-Rate-Limit-Reset` = the next whole second plus one (choice: Okta does
 *   not say how it estimates; requests here finish within milliseconds). It does not consume its bucket.
 * - Paths that match no bucket (e.g. a tenant-private control route) are neither counted nor given headers.
 *   With `rateLimits: 'none'` there are no buckets at all, so no headers and no 429s.
 *
 * File / object shape (`--rate-limits FILE`): see `RateLimitConfig`. Buckets are tried in order; the first
 * whose pattern (and method list, if any) matches the request path wins. Patterns match the path without
 * its query string: `*` matches any characters except `/`, `**` matches any characters including `/`.
 * ```json
 * { "concurrency": 35, "windowSeconds": 60,
 *   "buckets": [ { "name": "users", "match": "/api/v1/users**", "limit": 100 },
 *                { "name": "api", "match": ["/api/v1/**"], "limit": 100, "methods": ["GET"] } ] }
 * ```
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { ConfigError } from '../../core/errors.js';
import { OktaHttpError, type OktaErrorBody } from '../errors.js';
import { newErrorId } from '../ids.js';
import type { StepFactory, TenantStep } from './types.js';
import { routePath } from './route-path.js';

/** Okta's window: one minute. */
export const WINDOW_MS = 60_000;

const bucketSchema = z.strictObject({
  name: z.string().min(1),
  match: z.union([z.string().startsWith('/'), z.array(z.string().startsWith('/')).min(1)]),
  limit: z.number().int().min(0),
  methods: z.array(z.string().min(1)).optional(),
});
const configSchema = z.strictObject({
  concurrency: z.number().int().min(1).optional(),
  /** Window length in whole seconds (default 60, Okta's). */
  windowSeconds: z.number().int().min(1).max(86_400).optional(),
  buckets: z.array(bucketSchema),
});

export type RateLimitBucketConfig = z.infer<typeof bucketSchema>;
export type RateLimitConfig = z.infer<typeof configSchema>;
/** `none`: no limits and no headers; `developer`: a free developer org; a string: a JSON file path; or an object. */
export type RateLimitsOption = string | RateLimitConfig;

/**
 * An Integrator Free Plan org. Concurrency 35: https://developer.okta.com/docs/reference/rl2-concurrency/ (the
 * table's "Integrator Free plan" column). Per-minute buckets: the last published per-endpoint table, the
 * "Integrator Free Plan" column of https://developer.okta.com/docs/reference/rl-global-mgmt/ (deleted on
 * 2025-12-16; Okta now points to the org's Rate Limit Dashboard, which shows the same buckets). Buckets are tried
 * in order, so the explicit-id rows come before the wider rows they carve out of:
 * - `GET /api/v1/users/{idOrLogin}` 100; `POST|PUT|DELETE /api/v1/users/{id}` 100; `GET|POST /api/v1/users` 100;
 * - `/api/v1/groups/{id}` 100; `/api/v1/groups` "except /api/v1/groups/{id}" 100 (choice: that includes
 *   `/api/v1/groups/{id}/users...`, which the row's "except" does not carve out);
 * - `/api/v1/apps/{id}` 100; `/api/v1/apps` and `/api/v1/apps/*` "including /api/v1/apps/{id}/*" 20;
 * - `/oauth2/v1/clients` 25 (choice: its sub-paths too); "most other API actions" `/api/v1` 100 (so also
 *   `/api/v1/users/{id}/groups` and the user lifecycle, which no user row names).
 * The OAuth endpoints of an authorization server (`/oauth2/{as}/v1/*`, the org's `/.well-known/*`) are not in that
 * table; the choice is one shared bucket of 600, generous enough that a gateway introspecting each call is not
 * throttled in normal tests.
 */
export const DEVELOPER_RATE_LIMITS: RateLimitConfig = {
  concurrency: 35,
  buckets: [
    { name: 'user-by-id-read', match: '/api/v1/users/*', methods: ['GET'], limit: 100 },
    { name: 'user-by-id-write', match: '/api/v1/users/*', methods: ['POST', 'PUT', 'DELETE'], limit: 100 },
    { name: 'users', match: '/api/v1/users', methods: ['GET', 'POST'], limit: 100 },
    { name: 'group-by-id', match: '/api/v1/groups/*', limit: 100 },
    { name: 'groups', match: ['/api/v1/groups', '/api/v1/groups/**'], limit: 100 },
    { name: 'app-by-id', match: '/api/v1/apps/*', limit: 100 },
    { name: 'apps', match: ['/api/v1/apps', '/api/v1/apps/**'], limit: 20 },
    { name: 'clients', match: ['/oauth2/v1/clients', '/oauth2/v1/clients/**'], limit: 25 },
    { name: 'api', match: '/api/v1/**', limit: 100 },
    { name: 'oauth2', match: ['/oauth2/**', '/.well-known/**'], limit: 600 },
  ],
};

/** Validates a programmatic or parsed config; throws ConfigError listing every problem. */
export function parseRateLimitConfig(value: unknown, source = 'rateLimits'): RateLimitConfig {
  const r = configSchema.safeParse(value);
  if (!r.success) {
    const causes = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`${source}: not a valid rate-limit configuration`, {
      errorCauses: causes,
      suggestion: 'Use {"concurrency": N, "windowSeconds": 60, "buckets": [{"name", "match", "limit", "methods"?}]}, or "developer" or "none".',
    });
  }
  return r.data;
}

/** Resolves the option to a config, or null for no rate limiting. A string other than the presets is a file path. */
export function resolveRateLimits(opt: RateLimitsOption | undefined): RateLimitConfig | null {
  if (opt === undefined || opt === 'none') return null;
  if (opt === 'developer') return DEVELOPER_RATE_LIMITS;
  if (typeof opt !== 'string') return parseRateLimitConfig(opt);
  let text: string;
  try {
    text = readFileSync(opt, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read the rate-limit file ${opt}`, { cause: e, suggestion: 'Pass "developer", "none" or a JSON file path.' });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${opt}: not valid JSON`, { cause: e });
  }
  return parseRateLimitConfig(json, opt);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles a path pattern: `**` = anything, `*` = anything but `/`. */
export function compilePattern(pattern: string): RegExp {
  const parts = pattern.split('**').map((p) => p.split('*').map(escapeRegExp).join('[^/]*'));
  return new RegExp(`^${parts.join('.*')}$`);
}

export type RateLimitHeaders = Record<'x-rate-limit-limit' | 'x-rate-limit-remaining' | 'x-rate-limit-reset', string>;

export type Admission =
  | { ok: true; bucket: string; headers: RateLimitHeaders; release: () => void }
  | { ok: false; bucket: string; reason: 'bucket' | 'concurrency'; headers: RateLimitHeaders }
  | { ok: true; bucket: null; headers: null; release: () => void };

interface CompiledBucket {
  name: string;
  limit: number;
  patterns: RegExp[];
  methods: Set<string> | null;
}

const noop = (): void => {};

export class RateLimiter {
  private readonly buckets: CompiledBucket[];
  private readonly concurrency: number | null;
  private readonly now: () => number;
  private readonly windowMs: number;
  /** bucket name -> {window start ms, count} */
  private readonly counts = new Map<string, { window: number; count: number }>();
  private inFlight = 0;

  constructor(config: RateLimitConfig, opts: { now?: () => number } = {}) {
    this.buckets = config.buckets.map((b) => ({
      name: b.name,
      limit: b.limit,
      patterns: (Array.isArray(b.match) ? b.match : [b.match]).map(compilePattern),
      methods: b.methods ? new Set(b.methods.map((m) => m.toUpperCase())) : null,
    }));
    this.concurrency = config.concurrency ?? null;
    this.now = opts.now ?? Date.now;
    this.windowMs = (config.windowSeconds ?? 60) * 1000;
  }

  /** The bucket of a request, by path (query string ignored) and method. */
  classify(method: string, url: string): string | null {
    return this.find(method, url)?.name ?? null;
  }

  get concurrent(): number {
    return this.inFlight;
  }

  private find(method: string, url: string): CompiledBucket | undefined {
    const path = url.split('?')[0] ?? url;
    const m = method.toUpperCase();
    return this.buckets.find((b) => (b.methods === null || b.methods.has(m)) && b.patterns.some((p) => p.test(path)));
  }

  private windowOf(nowMs: number): number {
    return Math.floor(nowMs / this.windowMs) * this.windowMs;
  }

  private headers(limit: number, remaining: number, window: number): RateLimitHeaders {
    return {
      'x-rate-limit-limit': String(limit),
      'x-rate-limit-remaining': String(Math.max(0, remaining)),
      'x-rate-limit-reset': String((window + this.windowMs) / 1000),
    };
  }

  /**
   * Admits or rejects a request that has just arrived. An admitted request must call `release()` once its
   * response is finished (idempotent).
   */
  admit(method: string, url: string): Admission {
    const bucket = this.find(method, url);
    if (!bucket) return { ok: true, bucket: null, headers: null, release: noop };
    const window = this.windowOf(this.now());
    let entry = this.counts.get(bucket.name);
    if (!entry || entry.window !== window) {
      entry = { window, count: 0 };
      this.counts.set(bucket.name, entry);
    }
    if (this.concurrency !== null && this.inFlight >= this.concurrency) {
      const estimate = String(Math.floor(this.now() / 1000) + 2);
      return { ok: false, bucket: bucket.name, reason: 'concurrency', headers: { 'x-rate-limit-limit': '0', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': estimate } };
    }
    if (entry.count >= bucket.limit) {
      return { ok: false, bucket: bucket.name, reason: 'bucket', headers: this.headers(bucket.limit, 0, window) };
    }
    entry.count += 1;
    this.inFlight += 1;
    let released = false;
    return {
      ok: true,
      bucket: bucket.name,
      headers: this.headers(bucket.limit, bucket.limit - entry.count, window),
      release: () => {
        if (!released) {
          released = true;
          this.inFlight -= 1;
        }
      },
    };
  }
}

/** The 429 body (https://developer.okta.com/docs/reference/rate-limits/): the management summary, or the oauth spec's summary on /oauth2 paths. */
export function rateLimitErrorBody(url: string, errorId: string): OktaErrorBody {
  const oauth = url.startsWith('/oauth2/') && !url.startsWith('/oauth2/v1/clients');
  return {
    errorCode: 'E0000047',
    errorSummary: oauth
      ? 'You exceeded the maximum number of requests. Try again in a while.'
      : 'API call exceeded rate limit due to too many requests.',
    errorLink: 'E0000047',
    errorId,
    errorCauses: [],
  };
}

/**
 * The step: admits each request (429 E0000047 with the headers when its bucket is spent or the concurrent cap
 * is reached), puts the three headers on every response of a bucket, and frees the concurrency slot when the
 * connection is done with (response finished, or connection reset).
 */
export function createRateLimitStep(config: RateLimitConfig | null, opts: { now?: () => number } = {}): TenantStep {
  if (!config) return { name: 'rateLimit' };
  const limiter = new RateLimiter(config, opts);
  const note = (req: FastifyRequest, text: string) => {
    if (req.tenantEntry) (req.tenantEntry.notes ??= []).push(text);
  };
  return {
    name: 'rateLimit',
    onRequest(req, reply) {
      const path = routePath(req); // what the router matched, not the raw URL (route-path.ts)
      const a = limiter.admit(req.method, path);
      if (!a.ok) {
        note(req, a.reason === 'bucket' ? `rate limited (${a.bucket})` : 'rate limited (concurrency)');
        throw new OktaHttpError(429, rateLimitErrorBody(path, newErrorId()), a.headers);
      }
      if (a.headers) reply.headers(a.headers);
      reply.raw.once('close', a.release);
    },
  };
}

export const rateLimitStep: StepFactory = (ctx) => createRateLimitStep(resolveRateLimits(ctx.options.rateLimits), { now: ctx.now });
