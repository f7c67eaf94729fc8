/**
 * The local gateway: Anypoint's "OpenID Connect OAuth 2.0 Token Enforcement" policy (plus client ID
 * enforcement) in front of an upstream, by default the built-in solar-system API.
 *
 * Per request: extract the token (400 rules, token.ts) → introspect it with the introspection client, unless
 * a still-valid result is cached (cache.ts) → decide (decide.ts: 401 inactive/expired, 403 client or scope)
 * → proxy to the upstream. One log line per request: user, client, scopes, decision.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { createIntrospectionCache, type IntrospectionCache } from './cache.js';
import { decideAccess, denialResponse, denyBadRequest, denyForOutcome, logLine, type Decision } from './decide.js';
import { introspect, type IntrospectionResponse } from './introspect.js';
import { parsePolicies, type GatewayPolicies, type PolicyRule } from './policies.js';
import { buildSolarSystemApi } from './solar-system.js';
import { extractToken } from './token.js';

export interface GatewayOptions {
  /** 0 = any free port. Default 8081. */
  port?: number;
  host?: string;
  introspectionUrl: string;
  clientId: string;
  clientSecret: string;
  /** Client ID enforcement: the client ids given access to the API (in this flow, AUTHN_CLIENT_ID). */
  allowedClientIds: string[];
  /** Anypoint's "Skip Client Id Validation". Default false. */
  skipClientIdValidation?: boolean;
  /** The resource → scopes map, as JSON or already parsed. */
  policies: GatewayPolicies | PolicyRule[];
  /** Proxy here instead of the built-in solar-system API. */
  upstream?: string;
  /** Clock for the cache and expiry checks, epoch ms. Default Date.now. */
  now?: () => number;
  /** Cache introspection results until the token expires (Anypoint's default). Default true. */
  cache?: boolean;
  /** Called with each request's log line. */
  onLog?: (line: string, entry: GatewayLogEntry) => void;
  /** The fetch of the introspection calls (verify passes its governed transport). Default: global fetch. */
  fetch?: typeof fetch;
}

export interface GatewayLogEntry {
  at: string;
  method: string;
  path: string;
  status: number;
  decision: 'allow' | 'deny';
  reason: string;
  user?: string;
  client?: string;
  scopes: string[];
  resource?: string;
  /** The introspection result came from the cache. */
  cached: boolean;
}

export interface RunningGateway {
  url: string;
  close(): Promise<void>;
  /** Every request handled so far, in order. */
  log: GatewayLogEntry[];
  cache: IntrospectionCache;
  policies: PolicyRule[];
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

function forwardHeaders(h: FastifyRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || HOP_BY_HOP.has(k)) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type Upstream = (req: FastifyRequest) => Promise<UpstreamAnswer>;

export function builtinUpstream(api: FastifyInstance): Upstream {
  return async (req) => {
    const res = await api.inject({
      method: req.method as 'GET',
      url: req.url,
      headers: forwardHeaders(req.headers),
      payload: Buffer.isBuffer(req.body) ? req.body : undefined,
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
    return { status: res.statusCode, headers, body: res.rawPayload };
  };
}

export function httpUpstream(base: string): Upstream {
  const root = base.replace(/\/+$/, '');
  return async (req) => {
    const res = await fetch(root + req.url, {
      method: req.method,
      headers: forwardHeaders(req.headers),
      body: Buffer.isBuffer(req.body) && req.method !== 'GET' && req.method !== 'HEAD' ? req.body : undefined,
      redirect: 'manual',
    });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      // fetch already decoded the body
      if (!HOP_BY_HOP.has(k) && k !== 'content-encoding') headers[k] = v;
    });
    return { status: res.status, headers, body: Buffer.from(await res.arrayBuffer()) };
  };
}

/** A Fastify app for a proxy: request bodies are passed through untouched. */
export function proxyApp(): FastifyInstance {
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  return app;
}

export function badGateway(reply: FastifyReply, reason: string): FastifyReply {
  return reply.code(502).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify({ error: 'bad_gateway', description: reason }));
}

/** Routes every path to `handle` and listens (default 127.0.0.1:8081); returns the gateway's URL. */
export async function listenOn(app: FastifyInstance, handle: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>, opts: { port?: number; host?: string }): Promise<string> {
  app.all('/', handle);
  app.all('/*', handle);
  const address = await app.listen({ port: opts.port ?? 8081, host: opts.host ?? '127.0.0.1' });
  return address.replace('[::1]', 'localhost');
}

export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const rules = Array.isArray(opts.policies) ? opts.policies : parsePolicies(opts.policies);
  const now = opts.now ?? Date.now;
  const cache = createIntrospectionCache({ now, enabled: opts.cache ?? true });
  const log: GatewayLogEntry[] = [];
  const api = opts.upstream ? undefined : buildSolarSystemApi();
  const upstream = opts.upstream ? httpUpstream(opts.upstream) : builtinUpstream(api!);

  const app = proxyApp();

  function record(req: FastifyRequest, status: number, d: Decision, cached: boolean): void {
    const path = req.url.split('?', 1)[0] ?? req.url;
    const entry: GatewayLogEntry = {
      at: new Date(now()).toISOString(),
      method: req.method,
      path,
      status,
      decision: d.allow ? 'allow' : 'deny',
      reason: d.reason,
      user: d.user,
      client: d.client,
      scopes: d.scopes,
      resource: d.resource,
      cached,
    };
    log.push(entry);
    opts.onLog?.(logLine(req.method, path, { ...d, status }), entry);
  }

  function deny(req: FastifyRequest, reply: FastifyReply, d: Decision, cached: boolean) {
    const r = denialResponse(d);
    record(req, r.status, d, cached);
    return reply.code(r.status).headers(r.headers).send(JSON.stringify(r.body));
  }

  async function handle(req: FastifyRequest, reply: FastifyReply) {
    const url = new URL(req.url, 'http://gateway.local');
    const extracted = extractToken({ authorization: req.headers.authorization, accessToken: url.searchParams.getAll('access_token').length ? url.searchParams.getAll('access_token') : undefined });
    if (!extracted.ok) return deny(req, reply, denyBadRequest(extracted.reason), false);

    let result: IntrospectionResponse | undefined = cache.get(extracted.token);
    const cached = result !== undefined;
    if (!result) {
      const outcome = await introspect({ url: opts.introspectionUrl, clientId: opts.clientId, clientSecret: opts.clientSecret, token: extracted.token, fetch: opts.fetch });
      const failed = denyForOutcome(outcome, opts.introspectionUrl);
      if (failed || outcome.kind !== 'ok') return deny(req, reply, failed!, false);
      result = outcome.body;
      if (result.active && typeof result.exp === 'number') cache.set(extracted.token, { ...result, active: true, exp: result.exp });
    }
    const d = decideAccess({
      introspection: result,
      method: req.method,
      path: url.pathname,
      rules,
      allowedClientIds: opts.allowedClientIds,
      skipClientIdValidation: opts.skipClientIdValidation,
      nowSec: Math.floor(now() / 1000),
    });
    if (!d.allow) return deny(req, reply, d, cached);

    let answer: UpstreamAnswer;
    try {
      answer = await upstream(req);
    } catch (e) {
      const reason = `the upstream ${opts.upstream ?? 'solar-system API'} cannot be reached: ${((e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message)}`;
      record(req, 502, { ...d, reason }, cached);
      return badGateway(reply, reason);
    }
    record(req, answer.status, d, cached);
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  }

  const url = await listenOn(app, handle, opts);
  return {
    url,
    log,
    cache,
    policies: rules,
    async close() {
      await app.close();
      await api?.close();
    },
  };
}
