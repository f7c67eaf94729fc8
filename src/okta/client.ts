/**
 * The Okta client: the SDK's `Client` (GET cache off, our governor as its request executor) plus two helpers
 * every handler uses, `request` (one JSON call) and `list` (a paged listing). Every management call, including
 * dynamic client registration (`/oauth2/v1/clients`), goes through `client.http.http`, so every request is
 * governed by the one rate-limit governor.
 *
 * The SDK is loaded when a client is created, not when this module is imported: the commands that never talk to
 * Okta management (get-settings, --help) stay fast. Requests go through the SDK's `Http.http` (the same class and
 * configuration as `client.http`); the full SDK `Client` is built only when `api.sdk` is read.
 *
 * Where the token goes: only to the origin (scheme, host, port) of the org URL, which must be https:// or plain
 * http:// to this machine (localhost, 127.0.0.0/8, [::1]; normalizeOrgUrl). Paths and next links on another
 * origin are refused here; redirects are never followed (the governor turns a 3xx into an error naming both URLs);
 * every request has a connect + response timeout (the governor's, or `requestTimeoutMs`).
 */
import { createRequire } from 'node:module';
import type { Client } from '@okta/okta-sdk-nodejs';
import { normalizeOrgUrl } from '../core/config.js';
import { BootstrapError, NetworkError, OktaApiError, type ErrorDetails } from '../core/errors.js';
import { maskDeep } from '../core/mask.js';
import {
  DEFAULT_REQUEST_TIMEOUT_MS,
  RequestTimeoutError,
  connectionErrorCode,
  createGovernor,
  formatMs,
  markIdempotent,
  markTimeout,
  neverReachedServer,
  rawErrorBodyOf,
  type Governor,
} from './governor.js';

const require = createRequire(import.meta.url);

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface OktaResponse<T = unknown> {
  status: number;
  /** Lower-case names; repeated headers joined with ", " (as fetch does). */
  headers: Record<string, string>;
  body: T;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /**
   * The caller guarantees that repeating this request cannot duplicate anything, so the governor may retry it
   * after a 5xx or a connection reset. GET, PUT and DELETE are always repeatable; mark a create POST only right
   * after a lookup by natural key showed that the object does not exist. `false`: never repeat it, whatever the
   * method (a 429, or a connection that was never made, is still retried: the org did not process those).
   */
  idempotent?: boolean;
  headers?: Record<string, string>;
}

export interface OktaApi {
  orgUrl: string;
  /** The SDK client (cacheMiddleware null, requestExecutor = `governor`), built on first use. */
  readonly sdk: Client;
  governor: Governor;
  request<T = unknown>(method: HttpMethod, path: string, opts?: RequestOptions): Promise<OktaResponse<T>>;
  /** Every item of a listing, following `Link: <…>; rel="next"` (only to the org's own origin). */
  list<T = unknown>(path: string, query?: RequestOptions['query']): Promise<T[]>;
}

export interface OktaClientLogger {
  debug(msg: string): void;
}

export interface OktaClientOptions {
  orgUrl: string;
  token: string;
  governor?: Governor;
  logger?: OktaClientLogger;
  /** Log every exchange (method, path, status, ms, masked bodies) to logger.debug. Never the token. */
  debug?: boolean;
  /** Connect + response timeout of each request, ms (the CLI's --request-timeout). Default: the governor's, 30 s. */
  requestTimeoutMs?: number;
}

/** The slice of the SDK's Http class we use. */
interface SdkHttp {
  defaultHeaders: Record<string, string>;
  http(uri: string, request: object): Promise<unknown>;
}

const USER_AGENT = 'okta-bootstrap okta-sdk-nodejs/7.3.0';

/** Safety net against a server whose next links loop. */
const MAX_PAGES = 10_000;

export function createOktaClient(opts: OktaClientOptions): OktaApi {
  // https, or plain http only to this machine (ConfigError, exit 2, before any connection): the token never
  // crosses a network in clear.
  const orgUrl = normalizeOrgUrl(opts.orgUrl);
  const origin = new URL(orgUrl).origin;
  const debugLog = opts.debug && opts.logger ? opts.logger : undefined;
  // The timeout: this option, else the given governor's own (default 30 s for both).
  const requestTimeoutMs = opts.requestTimeoutMs;
  const governor = opts.governor ?? createGovernor({ logger: debugLog, requestTimeoutMs: requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS });
  // The SDK's Http class is the transport of every request: exactly what `new Client(...)` builds as `client.http`
  // (cacheMiddleware null, our executor, the SSWS and User-Agent default headers). Loading the whole SDK costs
  // 1.5-3 s on this machine (hundreds of generated API modules), its Http class alone a third of that, so the
  // full `Client` is only built when someone reads `api.sdk` — and then shares this transport's executor.
  const { Http } = require('@okta/okta-sdk-nodejs/src/http.js') as { Http: new (cfg: object) => SdkHttp };
  // cacheMiddleware null: the SDK caches GETs by default, and a re-read after a write must see the write.
  const http = new Http({ requestExecutor: governor, cacheMiddleware: null });
  http.defaultHeaders.Authorization = `SSWS ${opts.token}`;
  http.defaultHeaders['User-Agent'] = USER_AGENT;
  let sdk: Client | undefined;
  const sdkClient = (): Client => {
    if (!sdk) {
      const { Client: SdkClient } = require('@okta/okta-sdk-nodejs') as typeof import('@okta/okta-sdk-nodejs');
      sdk = new SdkClient({ orgUrl, token: opts.token, cacheMiddleware: null, requestExecutor: governor });
    }
    return sdk;
  };

  function urlOf(path: string, query?: RequestOptions['query']): URL {
    const url = /^https?:\/\//i.test(path) ? new URL(path) : new URL(`${orgUrl}${path.startsWith('/') ? '' : '/'}${path}`);
    // The SSWS token is only ever sent to the org itself (a next link or registration URL elsewhere is refused).
    if (url.origin !== origin) {
      throw new OktaApiError(`refusing to send the API token to ${url.origin}: it is not the org ${origin}`, {
        request: `GET ${url.pathname}`,
        suggestion: 'Check OKTA_TENANT; the tool only talks to the org it was given.',
      });
    }
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url;
  }

  async function request<T>(method: HttpMethod, path: string, ro: RequestOptions = {}): Promise<OktaResponse<T>> {
    const url = urlOf(path, ro.query);
    const label = `${method} ${url.pathname}`;
    const headers: Record<string, string> = { Accept: 'application/json', ...ro.headers };
    const init: { method: string; headers: Record<string, string>; body?: string } = { method, headers };
    if (ro.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(ro.body);
    }
    if (ro.idempotent !== undefined) markIdempotent(init, ro.idempotent);
    if (requestTimeoutMs !== undefined) markTimeout(init, requestTimeoutMs);
    const started = Date.now();
    if (debugLog) {
      debugLog.debug(`→ ${method} ${url.pathname}${url.search}`);
      if (ro.body !== undefined) debugLog.debug(`  body ${JSON.stringify(maskDeep(ro.body))}`);
    }
    let res: { status: number; text(): Promise<string>; headers: { forEach(cb: (value: string, name: string) => void): void } };
    try {
      res = (await http.http(url.href, init)) as typeof res;
    } catch (e) {
      const err = toError(e, label, orgUrl, rawErrorBodyOf(init));
      if (debugLog) debugLog.debug(`← ${label} ${err.details.status ?? 'failed'} (${Date.now() - started} ms) ${err.message}`);
      throw err;
    }
    const text = await res.text();
    const outHeaders: Record<string, string> = {};
    res.headers.forEach((value, name) => {
      outHeaders[name.toLowerCase()] = value;
    });
    let body: unknown = undefined;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    if (debugLog) {
      debugLog.debug(`← ${label} ${res.status} (${Date.now() - started} ms)`);
      if (body !== undefined) debugLog.debug(`  body ${JSON.stringify(maskDeep(body))}`);
    }
    return { status: res.status, headers: outHeaders, body: body as T };
  }

  async function list<T>(path: string, query?: RequestOptions['query']): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = urlOf(path, query).href;
    const seen = new Set<string>();
    for (let page = 0; next !== undefined && page < MAX_PAGES; page++) {
      if (seen.has(next)) break; // a next link that points back: stop rather than loop
      seen.add(next);
      const res: OktaResponse<unknown> = await request<unknown>('GET', next);
      if (!Array.isArray(res.body)) {
        throw new OktaApiError(`GET ${new URL(next).pathname} did not return a list`, {
          status: res.status,
          request: `GET ${new URL(next).pathname}`,
          suggestion: 'Check that OKTA_TENANT is the org URL (https://your-org.okta.com), not an admin or custom URL.',
        });
      }
      items.push(...(res.body as T[]));
      next = nextLink(res.headers.link);
    }
    return items;
  }

  return {
    orgUrl,
    get sdk() {
      return sdkClient();
    },
    governor,
    request,
    list,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Link headers
// ---------------------------------------------------------------------------------------------------------------

export interface LinkValue {
  url: string;
  rels: string[];
}

/**
 * Parses a Link header. Okta sends one header per relation; fetch implementations join them with ", ", and a URL
 * may itself contain commas, so links are read as `<url>` followed by `;param` pairs, not by splitting on commas.
 */
export function parseLinkHeader(value: string | undefined | null): LinkValue[] {
  if (!value) return [];
  const out: LinkValue[] = [];
  const re = /<([^>]*)>((?:\s*;\s*[^;,<]+(?:=(?:"[^"]*"|[^;,<]*))?)*)/g;
  for (let m = re.exec(value); m !== null; m = re.exec(value)) {
    const rels: string[] = [];
    const params = m[2] ?? '';
    const relRe = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))/gi;
    for (let r = relRe.exec(params); r !== null; r = relRe.exec(params)) {
      rels.push(...(r[1] ?? r[2] ?? '').split(/\s+/).filter(Boolean).map((s) => s.toLowerCase()));
    }
    out.push({ url: m[1] ?? '', rels });
  }
  return out;
}

export function nextLink(value: string | undefined | null): string | undefined {
  return parseLinkHeader(value).find((l) => l.rels.includes('next'))?.url;
}

// ---------------------------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------------------------

interface OktaErrorBody {
  errorCode?: string;
  errorSummary?: string;
  errorCauses?: { errorSummary?: string }[];
  error?: string;
  error_description?: string;
}

function suggestionFor(status: number, code: string | undefined): string | undefined {
  if (status === 401 || code === 'E0000011') return 'Check OKTA_API_TOKEN: it must be a valid API token of this org (Security → API → Tokens).';
  if (status === 403 || code === 'E0000006') {
    return "The API token's admin lacks a role for this: create the token as a Super Administrator (or an admin with the API Access Management, user, group and app roles).";
  }
  if (code === 'E0000001' || code === 'invalid_client_metadata') return 'Fix the values named in the causes above (in the input or with --set), then run again.';
  if (status === 404 || code === 'E0000007') return 'The object no longer exists in Okta; if it was deleted by hand, remove it from the output file or run again to recreate it.';
  if (status >= 500) return 'Okta had a server error; run again (finished objects are kept and adopted).';
  return undefined;
}

/** Builds the OktaApiError for a non-2xx answer from its raw body (Okta's error object or an OAuth error). */
export function oktaApiError(status: number, request: string, rawBody: string | undefined): OktaApiError {
  let parsed: OktaErrorBody = {};
  if (rawBody) {
    try {
      const j: unknown = JSON.parse(rawBody);
      if (j && typeof j === 'object' && !Array.isArray(j)) parsed = j;
    } catch {
      // not JSON (a proxy's HTML page, say): keep the status only
    }
  }
  const errorCode = parsed.errorCode ?? parsed.error;
  const errorSummary = parsed.errorSummary ?? parsed.error_description;
  const errorCauses = (parsed.errorCauses ?? []).map((c) => c.errorSummary).filter((s): s is string => typeof s === 'string' && s !== '');
  const details: ErrorDetails = { status, request, errorCode, errorSummary, errorCauses, suggestion: suggestionFor(status, errorCode) };
  const head = [String(status), errorCode, errorSummary].filter(Boolean).join(' ');
  const msg = status === 401 && (errorCode === 'E0000011' || !errorCode) ? `${head} — check OKTA_API_TOKEN` : head;
  return new OktaApiError(msg, details);
}

function toError(e: unknown, request: string, orgUrl: string, rawBody: string | undefined): BootstrapError {
  if (e instanceof BootstrapError) return e;
  const status = e && typeof e === 'object' && 'status' in e ? e.status : undefined;
  if (typeof status === 'number') return oktaApiError(status, request, rawBody);
  const write = !request.startsWith('GET ');
  if (e instanceof RequestTimeoutError) {
    return new NetworkError(
      `${orgUrl} did not answer ${request} within ${formatMs(e.timeoutMs)}${write ? '; the request may or may not have taken effect' : ''}`,
      {
        request,
        errorCode: e.code,
        cause: e,
        suggestion: `Check OKTA_TENANT (${orgUrl}) and your network; if the org is only slow, raise --request-timeout (now ${formatMs(e.timeoutMs)}).`,
      },
    );
  }
  const code = connectionErrorCode(e);
  const reason = code ?? (e instanceof Error ? e.message : String(e));
  const maybeDone = write && code !== undefined && !neverReachedServer(code);
  const message = maybeDone
    ? `the connection to ${orgUrl} failed during ${request} (${reason}); the request may or may not have taken effect`
    : `cannot reach ${orgUrl} (${reason})`;
  return new NetworkError(message, {
    request,
    errorCode: code,
    cause: e,
    suggestion: `Check OKTA_TENANT (${orgUrl}) and your network; for the local tenant, check that \`okta-bootstrap local serve\` runs.`,
  });
}

/**
 * True when a write failed in a way that leaves its outcome unknown (a 5xx, a connection lost mid-request, or no
 * answer within the request timeout): the object may exist. Look it up by natural key before trying again.
 */
export function isAmbiguousWriteFailure(e: unknown): boolean {
  if (!(e instanceof BootstrapError) || !e.details.request || e.details.request.startsWith('GET ')) return false;
  if (e instanceof OktaApiError) return (e.details.status ?? 0) >= 500;
  if (e instanceof NetworkError) return !neverReachedServer(e.details.errorCode);
  return false;
}

/**
 * One cheap authorised read, run before any prompt: `GET /api/v1/users?limit=1`. Any admin role can list users
 * (a scoped admin gets a shorter list, never 403), so it tests the token, not the token's role.
 * 401 → OktaApiError "401 E0000011 Invalid token provided — check OKTA_API_TOKEN"; refused → NetworkError.
 *
 * The answer must also look like Okta's: a 200 is JSON (`Content-Type: application/json`) holding an array of
 * users (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/listUsers),
 * an error is Okta's error object with an `errorCode`
 * (https://developer.okta.com/docs/reference/error-codes/). Anything else — a web server's HTML page, a proxy's
 * login form — is not an org: OktaApiError "… does not look like an Okta org" (exit 1), before anything is written.
 */
export async function checkCredentials(api: OktaApi): Promise<void> {
  const request = 'GET /api/v1/users';
  const notOkta = (what: string, status?: number) =>
    new OktaApiError(`${api.orgUrl} does not look like an Okta org: ${request}?limit=1 answered ${what}`, {
      status,
      request,
      suggestion: 'Set OKTA_TENANT to your Okta org URL, e.g. https://dev-123456.okta.com (Admin Console, top right menu), not an admin, app or custom page URL.',
    });
  let res: OktaResponse<unknown>;
  try {
    res = await api.request('GET', '/api/v1/users', { query: { limit: 1 } });
  } catch (e) {
    // Okta answers every refusal with its error object; a bare status (an HTML 401 or 404 page) is someone else.
    if (e instanceof OktaApiError && (e.details.status ?? 0) >= 400 && e.details.status !== 429 && !e.details.errorCode) {
      throw notOkta(`${e.details.status} without Okta's error object`, e.details.status);
    }
    throw e;
  }
  const type = res.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) throw notOkta(`${res.status} with ${type === '' ? 'no content type' : type}, not JSON`, res.status);
  if (!Array.isArray(res.body)) throw notOkta(`${res.status} with JSON that is not a list of users`, res.status);
}
