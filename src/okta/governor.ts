/**
 * The rate-limit governor: one instance is shared by every request the tool makes to an org, whether it goes
 * through the Okta SDK (the governor IS the SDK's RequestExecutor) or not (`governor.fetch(url, init)`, used for
 * the OAuth endpoints by verify).
 *
 * What it does, per request:
 * 1. Keys the request's rate-limit state by its route (`routeOf`: the method and the path with its ids as `{id}`),
 *    and learns that route's bucket from Okta's answers to it: the `X-Rate-Limit-Limit`, `-Remaining` and `-Reset`
 *    each answer carries (https://developer.okta.com/docs/reference/rl-best-practices/: "the rate limit ceiling
 *    that is applicable for the current request"). Okta's buckets are no longer published per endpoint (the
 *    last table, https://developer.okta.com/docs/reference/rl-global-mgmt/, was withdrawn) and differ per org, so
 *    the governor assumes none: a route is finer than any bucket, so one route's answers always come from one
 *    bucket and no `remaining` of one bucket is ever applied to another.
 * 2. Paces: from the last limit/remaining/reset seen for the route it estimates what is left in the current
 *    window (remaining minus the route's requests still in flight or already scheduled). While more than half
 *    the window's limit is left it sends at once; below that it spreads the remaining requests evenly over the
 *    time to reset; when nothing is left it waits for the reset (plus jitter).
 * 3. Holds one of `maxConcurrent` slots while the request is on the wire (Okta: 35 concurrent per Integrator Free
 *    plan org, https://developer.okta.com/docs/reference/rl2-concurrency/; we default to 12 to leave headroom
 *    for other tools and for verify).
 * 4. On a rate 429 (`X-Rate-Limit-Limit` above 0) it waits until that answer's `X-Rate-Limit-Reset` plus jitter
 *    (every request of the route waits with it) and retries; a 429 never reached the handler, so this is safe for
 *    any method. A concurrency 429 is told apart by Okta's own signal: "The first two header values are always
 *    `0` for concurrent rate limit errors. The third header reports an estimated time interval when the
 *    concurrent rate limit may be resolved" (rl-best-practices). Then: a short exponential backoff, and since
 *    Okta does not say its cap, the governor's cap drops to two below the requests it had on the wire when
 *    refused (what the org let through, less one of headroom).
 * 5. Retries 5xx answers and connection resets with bounded exponential backoff, but only where a retry cannot
 *    duplicate anything: GET, PUT, DELETE, and a POST the caller marked idempotent (the engine marks a create
 *    POST idempotent only right after a natural-key lookup showed that no such object exists). Connections that
 *    were refused never reached the server and are retried a little for every method.
 * 6. Fails a request only once it would have waited more than `maxWaitMs` in total (default 10 min, --max-wait).
 * 7. Bounds every attempt with a connect + response timeout (`requestTimeoutMs`, default 30 s, --request-timeout):
 *    the timer runs from the start of the attempt until the whole body is read (the governor buffers it), so an
 *    org that accepts connections and never answers, or stalls mid-body, fails instead of hanging.
 * 8. Never follows a redirect (`redirect: 'manual'` on every request). Okta's management API does not redirect
 *    (https://developer.okta.com/docs/api/ lists no 3xx answer for any management operation), so a 3xx on a
 *    request sent through the SDK path — the path that carries the SSWS token — is an error naming both URLs, and
 *    the token never reaches the other origin. On the plain path (`governor.fetch(url)`, OAuth endpoints) a 3xx is
 *    handed to the caller as it is: /v1/authorize answers with one, and the caller reads its Location.
 *
 * Choices where Okta's documentation is silent:
 * - Pacing starts below half the window's limit: small runs go at full speed, big runs sit just under the limit.
 * - Routes that share one Okta bucket each pace on their own latest answer; when together they spend it, the
 *   first 429 of each route tells it the reset, and it waits for it (one 429 per route and window at most).
 * - Jitter after a reset: 250 ms + up to `jitterMs` (default 750 ms), so waiters do not stampede the new window.
 * - Wait events are deduplicated per bucket (one per resume time), so a CI log gets one line, not one per request.
 * - The SDK's own 429 retry is not used: this executor never calls DefaultRequestExecutor.
 * - A timed-out attempt may have been processed (the request was sent, the answer never came), so it is treated
 *   like a connection reset: ambiguous for a write. A repeatable request that timed out is retried once, and only
 *   when the org has answered something before (a slow answer among quick ones is a blip; an org that has never
 *   answered is reported at once, in about the configured time, instead of after five timeouts).
 */
import { createRequire } from 'node:module';
import type { RequestExecutor as SdkRequestExecutor } from '@okta/okta-sdk-nodejs';

/** The SDK's request object (node-fetch RequestInit plus url), as `client.http.http` passes it to the executor. */
export type RequestOptions = Parameters<SdkRequestExecutor['fetch']>[0];
/** The fields of that object the governor reads (node-fetch's own types are not installed). */
interface SdkRequestFields {
  url?: string;
  method?: string;
}
import { OktaApiError } from '../core/errors.js';

const require = createRequire(import.meta.url);
// The SDK's RequestExecutor base class only needs node-fetch and events: loading this one file keeps the
// governor cheap to import (the whole SDK takes ~0.8 s to load).
const RequestExecutorBase = require('@okta/okta-sdk-nodejs/src/request-executor.js') as typeof SdkRequestExecutor;

export const DEFAULT_MAX_CONCURRENT = 12;
export const DEFAULT_MAX_WAIT_MS = 10 * 60_000;
export const DEFAULT_MAX_RETRIES = 4;
/** Connect + response timeout of one attempt (the same default as the CLI's --request-timeout). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Retries of a repeatable request after a timeout (see the module comment). */
const TIMEOUT_RETRIES = 1;

/** The minimum a response must offer (node-fetch's Response and the global fetch Response both do). */
export interface MinimalResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export type WaitReason = 'rate-limit' | 'pacing' | 'concurrency' | 'server-error' | 'connection';

export interface WaitEvent {
  /** The route whose bucket binds, e.g. "GET /api/v1/apps/{id}" (routeOf). */
  bucket: string;
  /** How long this wait lasts. */
  ms: number;
  reason: WaitReason;
  /** HTTP status that caused the wait (429, 5xx), when there was one. */
  status?: number;
  /** "METHOD /path" of the request that waits. */
  request: string;
}

export interface RetryEvent {
  bucket: string;
  request: string;
  attempt: number;
  reason: 'server-error' | 'connection' | 'rate-limit' | 'concurrency';
  status?: number;
  code?: string;
}

export interface GovernorLogger {
  debug(msg: string): void;
}

export interface GovernorOptions {
  /** Requests on the wire at once, across all buckets. Default 12 (well below Okta's 35, leaving headroom). */
  maxConcurrent?: number;
  /** Total waiting allowed for one request before it fails. Default 10 min. */
  maxWaitMs?: number;
  /** Retries of 5xx / connection resets for a request that may be retried. Default 4. */
  maxRetries?: number;
  /** First backoff for 5xx / resets; doubles each time, capped at maxBackoffMs. Default 250 ms / 8 s. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Upper bound of the random part of the jitter after a reset. Default 750 ms. */
  jitterMs?: number;
  /** Connect + response timeout of one attempt, ms. Default 30 s; a request may set its own (`timeoutMs`). */
  requestTimeoutMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  logger?: GovernorLogger;
}

export interface BucketStats {
  requests: number;
  /** 429 answers received. */
  rateLimited: number;
  /** Total time requests of this bucket spent waiting for the rate limit (pacing, dry bucket, 429). */
  waitedMs: number;
  /** Last limit Okta reported. */
  limit?: number;
}

export interface GovernorStats {
  /** Attempts sent (a retried request counts once per attempt). */
  requests: number;
  /** 429 answers received. */
  rateLimited: number;
  /** Retries after 5xx, resets or refused connections. */
  retries: number;
  /** Highest number of requests on the wire at once. */
  maxInFlight: number;
  inFlight: number;
  /** The concurrency cap now (maxConcurrent, lowered after a concurrency 429). */
  concurrencyCap: number;
  buckets: Record<string, BucketStats>;
}

/** Extra per-request options; attach to an SDK request object with `markIdempotent`. */
export interface GovernedInit extends RequestInit {
  /**
   * true: the caller guarantees that repeating this request cannot duplicate anything (see module comment).
   * false: never repeat it, whatever the method (a GET /v1/authorize consumes a one-time sessionToken).
   * Absent: GET, PUT, DELETE and HEAD are repeated, POST is not.
   */
  idempotent?: boolean;
  /** This request's connect + response timeout, ms (default: the governor's requestTimeoutMs). */
  timeoutMs?: number;
}

const IDEMPOTENT = Symbol.for('okta-bootstrap.idempotent');
const TIMEOUT_MS = Symbol.for('okta-bootstrap.timeoutMs');
const RAW_ERROR_BODY = Symbol.for('okta-bootstrap.rawErrorBody');

type MarkedRequest = SdkRequestFields & {
  redirect?: string;
  signal?: AbortSignal;
  [IDEMPOTENT]?: boolean;
  [TIMEOUT_MS]?: number;
  [RAW_ERROR_BODY]?: string;
};

/** Marks an SDK request object (the one passed to `client.http.http`) as safe to repeat (or, false, never). */
export function markIdempotent<T extends object>(request: T, idempotent = true): T {
  (request as Record<symbol, unknown>)[IDEMPOTENT] = idempotent;
  return request;
}

/** Gives an SDK request object its own connect + response timeout, ms. */
export function markTimeout<T extends object>(request: T, ms: number): T {
  (request as Record<symbol, unknown>)[TIMEOUT_MS] = ms;
  return request;
}

/**
 * An attempt that got no complete answer within its timeout. `code` ETIMEDOUT, so every errno-based rule reads it
 * as "the request may have been processed".
 */
export class RequestTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(
    readonly timeoutMs: number,
    readonly request: string,
  ) {
    super(`no complete answer within ${formatMs(timeoutMs)} (${request})`);
    this.name = 'RequestTimeoutError';
  }
}

/** "30 s", "500 ms", "2 min". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000 || ms % 60_000 !== 0) return `${Math.round(ms / 100) / 10} s`;
  return `${ms / 60_000} min`;
}

/**
 * The raw body of the last non-2xx answer to this SDK request object. The SDK's error classes keep only Okta's
 * error fields; the client reads OAuth errors (`error`, `error_description`, e.g. from DCR) from here.
 */
export function rawErrorBodyOf(request: object): string | undefined {
  return (request as Record<symbol, unknown>)[RAW_ERROR_BODY] as string | undefined;
}

/** A path segment that names an object (an id such as 00u1ab2, a login such as ann@example.com), not a collection. */
function isIdSegment(segment: string): boolean {
  // literal: words (users, lifecycle, .well-known, openid-configuration), API versions (v1) and "oauth2"
  return segment !== '' && !/^(?:[A-Za-z.-]+|v\d+|oauth2)$/.test(segment);
}

/**
 * The route of a request: its method and its path (query string dropped) with every id segment as `{id}`, e.g.
 * "GET /api/v1/apps/{id}", "PUT /api/v1/apps/{id}/groups/{id}". The governor's unit of rate-limit state.
 */
export function routeOf(method: string, url: string): string {
  let path: string;
  try {
    path = new URL(url, 'http://x').pathname;
  } catch {
    path = url.split('?')[0] ?? url;
  }
  return `${method.toUpperCase()} ${path.split('/').map((seg) => (isIdSegment(seg) ? '{id}' : seg)).join('/')}`;
}

interface BucketState {
  name: string;
  limit?: number;
  /** Lowest remaining seen in the current window. */
  remaining?: number;
  /** End of the current window, ms epoch (local clock). */
  resetAt?: number;
  inFlight: number;
  /** Requests that reserved a paced start time but have not started yet. */
  scheduled: number;
  /** Next paced start time. */
  nextAt: number;
  /** Resume time last announced in a 'wait' event (dedupe). */
  announced: number;
  stats: BucketStats;
}

/** Failure of a connection, as node-fetch (FetchError.code) or undici (TypeError.cause.code) report it. */
export function connectionErrorCode(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const withCode = e as Error & { code?: unknown; errno?: unknown; type?: unknown; cause?: unknown };
  if (typeof withCode.code === 'string' && withCode.code !== 'ERR_INVALID_URL') return withCode.code;
  if (withCode.cause instanceof Error) return connectionErrorCode(withCode.cause);
  if (/socket hang up|ECONNRESET/i.test(e.message)) return 'ECONNRESET';
  return undefined;
}

/**
 * Connection failures that mean the request never reached the server (no connection was made: DNS failed, the
 * port refused, no route), so retrying cannot duplicate anything and a write that failed so did not happen.
 * The one list every rule uses (the governor's retries, the client's messages, isAmbiguousWriteFailure).
 */
export const NEVER_SENT: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/** True when this errno / undici code means the request never reached the server (see NEVER_SENT). */
export function neverReachedServer(code: string | undefined): boolean {
  return code !== undefined && NEVER_SENT.has(code);
}
/** The request may have been processed: retry only when repeating is harmless. */
const MAYBE_SENT = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);
/** Retries for a refused connection: enough to ride out a tenant restart, short enough to fail fast. */
const REFUSED_RETRIES = 2;

class Slots {
  private used = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private cap: number) {}
  get inUse(): number {
    return this.used;
  }
  get limit(): number {
    return this.cap;
  }
  /** Lowers the cap (never raises it); requests on the wire finish, new ones wait for a free slot. */
  lower(cap: number): void {
    this.cap = Math.max(1, Math.min(this.cap, cap));
  }
  async acquire(): Promise<void> {
    if (this.used < this.cap) {
      this.used += 1;
      return;
    }
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }
  release(): void {
    if (this.used <= this.cap) {
      const next = this.queue.shift();
      if (next) return next(); // hand the slot over: `used` stays the same
    }
    this.used -= 1;
  }
}

export class Governor extends RequestExecutorBase {
  readonly maxConcurrent: number;
  readonly maxWaitMs: number;
  private readonly maxRetries: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly jitterMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly logger?: GovernorLogger;
  private readonly slots: Slots;
  private readonly buckets = new Map<string, BucketState>();
  private readonly counters = { requests: 0, rateLimited: 0, retries: 0, maxInFlight: 0 };
  readonly requestTimeoutMs: number;
  /** Some answer (any status) came back from the org: a later timeout is a blip, not a silent org. */
  private answered = false;

  constructor(opts: GovernorOptions = {}) {
    super();
    this.maxConcurrent = Math.max(1, Math.floor(opts.maxConcurrent ?? DEFAULT_MAX_CONCURRENT));
    this.maxWaitMs = opts.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.maxRetries = opts.maxRetries ?? DEFAULT_MAX_RETRIES;
    this.baseBackoffMs = opts.baseBackoffMs ?? 250;
    this.maxBackoffMs = opts.maxBackoffMs ?? 8_000;
    this.jitterMs = opts.jitterMs ?? 750;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = opts.random ?? Math.random;
    this.logger = opts.logger;
    this.slots = new Slots(this.maxConcurrent);
    // An EventEmitter throws on an 'error' event without listeners; we never emit one, but many listeners for
    // 'wait' (one per progress view) are fine.
    this.setMaxListeners(50);
  }

  /** Counters for the benchmark and tests. */
  stats(): GovernorStats {
    const buckets: Record<string, BucketStats> = {};
    for (const [name, st] of this.buckets) buckets[name] = { ...st.stats, limit: st.limit };
    return { ...this.counters, inFlight: this.slots.inUse, concurrencyCap: this.slots.limit, buckets };
  }

  /**
   * The SDK entry point (`client.http.http` calls it with its request object), and the entry point for
   * requests that do not go through the SDK: `governor.fetch(url, init)` sends with the global fetch.
   */
  override fetch(request: RequestOptions): ReturnType<SdkRequestExecutor['fetch']>;
  override fetch(url: string, init?: GovernedInit): Promise<Response>;
  override fetch(arg: RequestOptions | string, init?: GovernedInit): Promise<unknown> {
    if (typeof arg === 'string') {
      const { idempotent, timeoutMs, signal: callerSignal, ...rest } = init ?? {};
      const method = (rest.method ?? 'GET').toUpperCase();
      if (/^ssws\s/i.test(new Headers(rest.headers).get('authorization') ?? '')) {
        // The plain path is for the OAuth endpoints, which carry their own client authentication.
        return Promise.reject(new Error(`refusing to send an SSWS API token on the plain path (${method} ${pathOf(arg)})`));
      }
      return this.govern(method, arg, idempotent, timeoutMs ?? this.requestTimeoutMs, async (signal) => {
        const res = await globalThis.fetch(arg, { ...rest, redirect: 'manual', signal: callerSignal ? AbortSignal.any([callerSignal, signal]) : signal });
        const text = await res.text();
        // Statuses that may not carry a body (RFC 9110 §6.4.1): the Response constructor refuses one for them.
        const body = res.status === 204 || res.status === 205 || res.status === 304 ? null : text;
        return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
      });
    }
    const req = arg as unknown as MarkedRequest;
    const method = String(req.method ?? 'GET').toUpperCase();
    const url = req.url ?? '';
    return this.govern(method, url, req[IDEMPOTENT], req[TIMEOUT_MS] ?? this.requestTimeoutMs, async (signal) => {
      req.redirect = 'manual';
      req.signal = signal;
      const res = (await super.fetch(arg)) as unknown as MinimalResponse & { ok: boolean };
      const text = await res.text();
      if (res.status >= 300 && res.status < 400) {
        const location = res.headers.get('location');
        const target = location ? resolveUrl(location, url) : '(no Location header)';
        throw new OktaApiError(
          `${method} ${url.split('?')[0]} answered ${res.status} with a redirect to ${target}; Okta's management API does not redirect, so okta-bootstrap does not follow it and sends the API token nowhere else`,
          {
            status: res.status,
            request: `${method} ${pathOf(url).split('?')[0]}`,
            suggestion: `Set OKTA_TENANT to the org URL itself (https://your-org.okta.com, or https://your-org.oktapreview.com): ${new URL(url).origin} sends its API requests elsewhere.`,
          },
        );
      }
      // Keep the raw error body for the client (the SDK's error objects drop OAuth's error fields).
      if (res.status < 200 || res.status >= 300) req[RAW_ERROR_BODY] = text;
      // Hand the SDK an equivalent response whose body can still be read (it was read here, under the timeout).
      const Ctor = res.constructor as new (body: string, init: object) => MinimalResponse;
      const r = res as unknown as { statusText?: string; url?: string; headers: unknown };
      return new Ctor(text, { status: res.status, statusText: r.statusText, headers: r.headers, url: r.url });
    });
  }

  private bucket(name: string): BucketState {
    let st = this.buckets.get(name);
    if (!st) {
      st = { name, inFlight: 0, scheduled: 0, nextAt: 0, announced: 0, stats: { requests: 0, rateLimited: 0, waitedMs: 0 } };
      this.buckets.set(name, st);
    }
    return st;
  }

  /** Forgets a window that has ended: the next response tells us about the new one. */
  private roll(st: BucketState, t: number): void {
    if (st.resetAt !== undefined && t >= st.resetAt) {
      st.remaining = undefined;
      st.resetAt = undefined;
      st.nextAt = 0;
    }
  }

  private jitter(): number {
    return 250 + Math.floor(this.random() * this.jitterMs);
  }

  /** How long to wait before this request may start; a paced start is reserved (counted in `scheduled`). */
  private gate(st: BucketState): { ms: number; reason: 'rate-limit' | 'pacing'; reserved: boolean } {
    const t = this.now();
    this.roll(st, t);
    if (st.remaining === undefined || st.resetAt === undefined) return { ms: 0, reason: 'pacing', reserved: false };
    const avail = st.remaining - st.inFlight - st.scheduled;
    if (avail <= 0) return { ms: st.resetAt - t + this.jitter(), reason: 'rate-limit', reserved: false };
    const limit = st.limit ?? st.remaining;
    if (avail > limit / 2) return { ms: 0, reason: 'pacing', reserved: false };
    // Spread what is left over what is left of the window, counted from the first free start slot,
    // so that reserved slots ahead of us do not make the spacing too wide (which strands capacity).
    const at = Math.max(t, st.nextAt);
    const interval = Math.max(0, st.resetAt - at) / avail;
    st.nextAt = at + interval;
    st.scheduled += 1;
    return { ms: Math.max(0, Math.round(at - t)), reason: 'pacing', reserved: true };
  }

  /** Reads the rate-limit headers of a non-concurrency answer into the bucket's state. */
  private observe(st: BucketState, res: MinimalResponse): void {
    const limit = Number(res.headers.get('x-rate-limit-limit'));
    const remaining = Number(res.headers.get('x-rate-limit-remaining'));
    const reset = Number(res.headers.get('x-rate-limit-reset'));
    if (!Number.isFinite(limit) || !Number.isFinite(remaining) || !Number.isFinite(reset) || res.headers.get('x-rate-limit-reset') === null) return;
    const resetAt = reset * 1000;
    if (resetAt <= this.now() - 1000) return; // an answer from a window that is over
    st.limit = limit;
    st.stats.limit = limit;
    if (st.resetAt === undefined || resetAt > st.resetAt) {
      st.resetAt = resetAt;
      st.remaining = remaining;
    } else if (resetAt === st.resetAt) {
      st.remaining = Math.min(st.remaining ?? remaining, remaining);
    }
  }

  private backoff(attempt: number): number {
    const base = Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** attempt);
    return Math.round(base / 2 + this.random() * (base / 2));
  }

  private announce(ev: WaitEvent, st: BucketState): void {
    const resumeAt = this.now() + ev.ms;
    if (ev.reason === 'pacing' && ev.ms < 1000) return;
    if (Math.abs(resumeAt - st.announced) < 1000) return;
    st.announced = resumeAt;
    this.emit('wait', ev);
  }

  /** Waits `ms` for a request, counting it against maxWaitMs. */
  private async waitFor(ctx: { waited: number; label: string }, st: BucketState, ms: number, reason: WaitReason, status?: number): Promise<void> {
    if (ms <= 0) return;
    if (ctx.waited + ms > this.maxWaitMs) {
      const mins = Math.round(this.maxWaitMs / 60_000);
      const limit = mins >= 1 ? `${mins} min` : `${Math.round(this.maxWaitMs / 1000)} s`;
      throw new OktaApiError(`429 E0000047 rate limit on ${st.name}: ${ctx.label} would wait more than --max-wait (${limit})`, {
        status: 429,
        request: ctx.label,
        errorCode: 'E0000047',
        errorSummary: 'API call exceeded rate limit due to too many requests.',
        suggestion: 'Raise --max-wait, lower --concurrency, or run again later; finished objects are kept in the output file.',
      });
    }
    ctx.waited += ms;
    if (reason === 'rate-limit' || reason === 'pacing' || reason === 'concurrency') st.stats.waitedMs += ms;
    this.announce({ bucket: st.name, ms, reason, status, request: ctx.label }, st);
    await this.sleep(ms);
  }

  /**
   * One request: rate-limit gate, a concurrency slot, `send` under a timeout (the response it returns must be
   * fully read: its body buffered), and the retries described in the module comment.
   */
  private async govern<R extends MinimalResponse>(
    method: string,
    url: string,
    idempotent: boolean | undefined,
    timeoutMs: number,
    send: (signal: AbortSignal) => Promise<R>,
  ): Promise<R> {
    const name = routeOf(method, url);
    const st = this.bucket(name);
    const path = pathOf(url);
    // Errors and events name the path only (query strings can be long search expressions); debug lines show all.
    const ctx = { waited: 0, label: `${method} ${path.split('?')[0]}` };
    const shown = `${method} ${path}`;
    const repeatable = idempotent ?? (method === 'GET' || method === 'PUT' || method === 'DELETE' || method === 'HEAD');
    let failures = 0; // 5xx / connection failures so far
    let timeouts = 0;
    let concurrencyHits = 0;
    for (;;) {
      const g = this.gate(st);
      if (g.ms > 0 && !g.reserved) {
        await this.waitFor(ctx, st, g.ms, g.reason);
        continue; // the window has turned: look again
      }
      if (g.reserved) {
        try {
          await this.waitFor(ctx, st, g.ms, 'pacing');
        } finally {
          st.scheduled -= 1;
        }
      }
      await this.slots.acquire();
      const onWire = this.slots.inUse;
      st.inFlight += 1;
      st.stats.requests += 1;
      this.counters.requests += 1;
      this.counters.maxInFlight = Math.max(this.counters.maxInFlight, this.slots.inUse);
      const started = this.now();
      let res: R;
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      try {
        res = await send(controller.signal);
      } catch (raw) {
        st.inFlight -= 1;
        this.slots.release();
        const e = timedOut ? new RequestTimeoutError(timeoutMs, ctx.label) : raw;
        const code = connectionErrorCode(e);
        this.logger?.debug(`HTTP ${shown} failed after ${this.now() - started} ms: ${code ?? (e instanceof Error ? e.message : String(e))}`);
        const retryable =
          code !== undefined &&
          (neverReachedServer(code)
            ? failures < REFUSED_RETRIES
            : timedOut
              ? repeatable && this.answered && timeouts < TIMEOUT_RETRIES
              : MAYBE_SENT.has(code) && repeatable && failures < this.maxRetries);
        if (!retryable) throw e;
        if (timedOut) timeouts += 1;
        this.retryEvent({ bucket: name, request: ctx.label, attempt: failures + 1, reason: 'connection', code });
        await this.waitFor(ctx, st, this.backoff(failures), 'connection');
        failures += 1;
        continue;
      } finally {
        clearTimeout(timer);
      }
      this.answered = true;
      st.inFlight -= 1;
      this.slots.release();
      this.logger?.debug(`HTTP ${shown} -> ${res.status} (${this.now() - started} ms)`);
      if (res.status === 429) {
        this.counters.rateLimited += 1;
        st.stats.rateLimited += 1;
        const hdrLimit = Number(res.headers.get('x-rate-limit-limit'));
        const reset = Number(res.headers.get('x-rate-limit-reset'));
        // Okta's signal for a concurrency rejection: limit and remaining both 0 (see the module comment).
        const isConcurrency = res.headers.get('x-rate-limit-limit') !== null && hdrLimit === 0 && Number(res.headers.get('x-rate-limit-remaining')) === 0;
        if (isConcurrency) {
          this.slots.lower(onWire - 2);
          this.logger?.debug(`concurrency limit reached with ${onWire} requests on the wire: sending at most ${this.slots.limit} at once`);
        }
        if (isConcurrency || !Number.isFinite(reset) || !(hdrLimit > 0) || res.headers.get('x-rate-limit-reset') === null) {
          // Concurrency rejection (advisory reset) or no usable headers: short exponential backoff.
          this.retryEvent({ bucket: name, request: ctx.label, attempt: concurrencyHits + 1, reason: 'concurrency', status: 429 });
          await this.waitFor(ctx, st, this.backoff(concurrencyHits), isConcurrency ? 'concurrency' : 'rate-limit', 429);
          concurrencyHits += 1;
          continue;
        }
        // The bucket is spent until its reset: every request of the bucket waits for it (gate sees 0 left).
        const resetAt = reset * 1000;
        if (st.resetAt === undefined || resetAt >= st.resetAt) {
          st.resetAt = resetAt;
          st.remaining = 0;
          st.limit = hdrLimit;
        }
        this.retryEvent({ bucket: name, request: ctx.label, attempt: st.stats.rateLimited, reason: 'rate-limit', status: 429 });
        const ms = Math.max(resetAt - this.now(), 0) + this.jitter();
        await this.waitFor(ctx, st, ms, 'rate-limit', 429);
        continue;
      }
      this.observe(st, res);
      if (res.status >= 500 && repeatable && failures < this.maxRetries) {
        this.retryEvent({ bucket: name, request: ctx.label, attempt: failures + 1, reason: 'server-error', status: res.status });
        await this.waitFor(ctx, st, this.backoff(failures), 'server-error', res.status);
        failures += 1;
        continue;
      }
      return res;
    }
  }

  private retryEvent(ev: RetryEvent): void {
    if (ev.reason === 'server-error' || ev.reason === 'connection') this.counters.retries += 1;
    this.emit('retry', ev);
  }

  // Typed listeners for the events the engine's progress view uses.
  override on(event: 'wait', listener: (ev: WaitEvent) => void): this;
  override on(event: 'retry', listener: (ev: RetryEvent) => void): this;
  override on(event: string | symbol, listener: (...args: never[]) => void): this;
  override on(event: string | symbol, listener: (...args: never[]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }
}

function resolveUrl(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

export function createGovernor(opts: GovernorOptions = {}): Governor {
  return new Governor(opts);
}
