/**
 * Builds and starts the tenant: a fastify server whose pipeline is the ordered step list (steps/index.ts)
 * and whose routes are the route modules (routes/index.ts), over a store (store.ts).
 * Every error becomes an Okta error object here; nothing a client sends can crash the process.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type HTTPMethods } from 'fastify';
import type { AddressInfo } from 'node:net';
import { seededRandom, type TenantContext } from './context.js';
import { OktaHttpError, oktaError, unsupportedMediaType } from './errors.js';
import { ROUTES } from './routes/index.js';
import { STEPS } from './steps/index.js';
import { routeRequiresSsws } from './steps/auth.js';
import { DEFAULT_BODY_LIMIT } from './steps/body.js';
import { openStore, type TenantStore } from './store.js';
import type { LocalTenant, LocalTenantOptions, RequestLogEntry } from './types.js';

export const DEFAULT_PORT = 7777;
export const DEFAULT_HOST = '127.0.0.1';

function toOktaError(err: FastifyError | Error, ctx: TenantContext): OktaHttpError {
  if (err instanceof OktaHttpError) return err;
  const fe = err as FastifyError;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.statusCode === 413) {
    // Okta has no documented code for an oversized body; 413 with the validation code and a clear summary.
    const limit = ctx.options.bodyLimit ?? DEFAULT_BODY_LIMIT;
    return oktaError(413, 'E0000001', `Api validation failed: the request body is larger than ${limit} bytes`, [`body: The request body must not exceed ${limit} bytes`]);
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return unsupportedMediaType();
  if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fe.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') {
    return oktaError(400, 'E0000003', 'The request body was not well-formed.');
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return oktaError(fe.statusCode, 'E0000001', `Api validation failed: ${fe.message}`);
  }
  ctx.log(`local tenant: internal error: ${err.stack ?? err.message}`);
  return oktaError(500, 'E0000009', 'Internal Server Error');
}

/** One route as the router registered it (HEAD routes fastify adds for GETs included). */
export interface RegisteredRoute {
  method: HTTPMethods;
  url: string;
  /** false for the routes that need no API token (steps/auth.ts). */
  sswsAuth: boolean;
}

export interface BuiltTenant {
  app: FastifyInstance;
  ctx: TenantContext;
  /** Every route, read from the router's onRoute hook while the route modules register. */
  routes: readonly RegisteredRoute[];
}

function sendError(reply: FastifyReply, e: OktaHttpError): void {
  reply.code(e.status).headers(e.headers).type('application/json').send(e.body);
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'] as const;

/** Okta's 404 for a path no route serves. */
const pathNotFound = (url: string): OktaHttpError => oktaError(404, 'E0000007', `Not found: Resource not found: ${url.split('?')[0] ?? url} (Path)`);

/** Builds the server (not listening). */
export function buildTenantServer(store: TenantStore, options: LocalTenantOptions, requestLog: RequestLogEntry[] = []): BuiltTenant {
  const random = options.seed === undefined ? Math.random : seededRandom(options.seed);
  const ctx: TenantContext = {
    store,
    options,
    requestLog,
    orgUrl: `http://${options.host ?? DEFAULT_HOST}:${options.port ?? DEFAULT_PORT}`,
    random,
    now: options.clock ?? Date.now,
    log: (line) => {
      if (options.log) process.stderr.write(`${line}\n`);
    },
  };
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    forceCloseConnections: true,
    return503OnClosing: true,
    keepAliveTimeout: 65_000,
    // A URL the router cannot decode (`/api/v1/groups/%zz`) reaches no route: Okta's 404 rather than fastify's own body.
    frameworkErrors: (err, req, reply) => {
      sendError(reply, err.code === 'FST_ERR_BAD_URL' ? pathNotFound(req.url) : toOktaError(err, ctx));
    },
  });

  for (const factory of STEPS) {
    const step = factory(ctx);
    step.setup?.(app);
    if (step.onRequest) {
      const fn = step.onRequest;
      app.addHook('onRequest', async (req, reply) => {
        await fn(req, reply);
        if (reply.sent) return reply;
      });
    }
    if (step.preHandler) {
      const fn = step.preHandler;
      app.addHook('preHandler', async (req, reply) => {
        await fn(req, reply);
        if (reply.sent) return reply;
      });
    }
    if (step.onSend) {
      const fn = step.onSend;
      app.addHook('onSend', async (req, reply, payload) => {
        const out = await fn(req, reply, payload);
        return out === undefined ? payload : out;
      });
    }
    if (step.onResponse) {
      const fn = step.onResponse;
      app.addHook('onResponse', async (req, reply) => {
        await fn(req, reply);
      });
    }
  }

  app.setErrorHandler((err, _req, reply) => {
    sendError(reply, toOktaError(err, ctx));
  });
  app.setNotFoundHandler((req) => {
    // A known path asked with a method it does not serve: 405 E0000022 "The endpoint does not support the provided
    // HTTP method" (https://developer.okta.com/docs/reference/error-codes/#E0000022), with the RFC 9110 §15.5.6
    // Allow header (choice: Okta's docs do not say whether it sends one).
    const path = req.url.split('?')[0] ?? req.url;
    // (a match whose id is empty, such as a trailing slash, is no known path)
    const allowed = METHODS.filter((method) => {
      const found = app.findRoute({ method, url: path });
      return found !== null && Object.values(found.params as Record<string, string>).every((v) => v !== '');
    });
    if (allowed.length > 0) {
      const e = oktaError(405, 'E0000022', 'The endpoint does not support the provided HTTP method');
      throw new OktaHttpError(e.status, e.body, { allow: allowed.join(', ') });
    }
    throw pathNotFound(req.url);
  });

  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of Array.isArray(r.method) ? r.method : [r.method]) {
      routes.push({ method, url: r.url, sswsAuth: routeRequiresSsws(r.url, r.config) });
    }
  });
  for (const register of ROUTES) register(app, ctx);
  return { app, ctx, routes };
}

/** Starts a tenant. Without statePath it is in-memory only. Resolves once it listens. */
export async function startLocalTenant(options: LocalTenantOptions = {}): Promise<LocalTenant> {
  const store = await openStore(options.statePath);
  const requestLog: RequestLogEntry[] = [];
  const { app, ctx } = buildTenantServer(store, options, requestLog);
  const host = options.host ?? DEFAULT_HOST;
  await app.listen({ port: options.port ?? DEFAULT_PORT, host });
  const addr = app.server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  ctx.orgUrl = `http://${urlHost}:${addr.port}`;
  if (options.statePath && store.read().orgUrl !== ctx.orgUrl) {
    await store.mutate((s) => {
      s.orgUrl = ctx.orgUrl;
    });
  }
  let closed = false;
  return {
    orgUrl: ctx.orgUrl,
    apiToken: store.read().apiToken,
    requestLog,
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
      await store.flush();
    },
  };
}
