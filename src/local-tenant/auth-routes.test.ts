/**
 * Route-wide authorization: every route the tenant registers (read from its router's onRoute hook, so a new route
 * is covered without touching this file) is requested under every spelling of its path that a router, a proxy or
 * a client may produce, with no token, a wrong token and the token of another local org. A protected route must
 * never answer anything but 401 E0000011, or Okta's 404 for a path no route serves. Only the routes in PUBLIC
 * (Okta's own public endpoints) are exempt, and they must really be public.
 *
 * What each spelling must answer is not guessed: an oracle, a bare fastify router with the same routes and the
 * tenant's router options, says which route (if any) the spelling reaches. Reaching a protected route → 401;
 * reaching no route → 404 E0000007 "(Path)". The test also checks that the spellings which decode to the plain
 * path do reach the route (so the encodings really exercise the token check) and that the real token passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import type { BuiltTenant, RegisteredRoute } from './server.js';
import { openStore } from './store.js';
import { field, inBatches, listenLocal, rawRequest, serveTenant, type RawResponse } from '../../test/support/raw-http.js';

/** The routes Okta serves without an API token (they authenticate clients or bearer tokens themselves). */
const PUBLIC = new Set(
  [
    'GET /oauth2/:authServerId/.well-known/oauth-authorization-server',
    'GET /oauth2/:authServerId/.well-known/openid-configuration',
    'GET /oauth2/:authServerId/v1/keys',
    'GET /oauth2/:authServerId/v1/authorize',
    'POST /oauth2/:authServerId/v1/authorize',
    'POST /oauth2/:authServerId/v1/token',
    'POST /oauth2/:authServerId/v1/introspect',
    'POST /oauth2/:authServerId/v1/revoke',
    'GET /oauth2/:authServerId/v1/userinfo',
    'POST /oauth2/:authServerId/v1/userinfo',
    'POST /api/v1/authn',
    // Okta's hosted pages and browser session (src/local-tenant/sessions/routes.ts BROWSER_ROUTES)
    'GET /oauth2/:authServerId/v1/logout',
    'POST /oauth2/:authServerId/v1/logout',
    'POST /login/signin',
    'POST /login/consent',
    'GET /api/v1/sessions/me',
    'DELETE /api/v1/sessions/me',
  ].flatMap((r) => (r.startsWith('GET ') ? [r, `HEAD ${r.slice(4)}`] : [r])),
);

const key = (r: { method: string; url: string }): string => `${r.method} ${r.url}`;
const pct = (c: string): string => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
const encodeAll = (s: string): string => [...s].map(pct).join('');
const flipCase = (s: string): string => [...s].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c.toLowerCase())).join('');

interface Variant {
  name: string;
  path: string;
}

/** The spellings of one concrete path (segments without the leading empty one). */
function variantsOf(segments: string[]): Variant[] {
  const join = (segs: string[]): string => `/${segs.join('/')}`;
  const withSegment = (i: number, s: string): string => join(segments.map((x, j) => (j === i ? s : x)));
  const first = segments[0] ?? '';
  const last = segments.length - 1;
  const out: Variant[] = [{ name: 'plain', path: join(segments) }];
  segments.forEach((s, i) => out.push({ name: `segment ${i} percent-encoded`, path: withSegment(i, encodeAll(s)) }));
  [...first].forEach((c, i) => out.push({ name: `first segment, char ${i} encoded`, path: withSegment(0, first.slice(0, i) + pct(c) + first.slice(i + 1)) }));
  out.push({ name: 'first segment double-encoded', path: withSegment(0, encodeAll(first).replaceAll('%', '%25')) });
  out.push({ name: 'last segment double-encoded', path: withSegment(last, encodeAll(segments[last] ?? '').replaceAll('%', '%25')) });
  out.push({ name: 'trailing slash', path: `${join(segments)}/` });
  out.push({ name: '; suffix', path: `${join(segments)};x=1` });
  out.push({ name: '; suffix on the first segment', path: withSegment(0, `${first};x=1`) });
  out.push({ name: 'first segment upper case', path: withSegment(0, first.toUpperCase()) });
  out.push({ name: 'mixed case', path: flipCase(join(segments)) });
  return out;
}

/** A concrete path for a route pattern: every parameter gets a value of letters (so case changes apply). */
const concrete = (pattern: string): string[] => pattern.split('/').slice(1).map((s) => (s.startsWith(':') ? 'abcq' : s));

let org: BuiltTenant;
let other: BuiltTenant;
let oracle: FastifyInstance;
let orgUrl = '';
let oracleUrl = '';
let token = '';
let otherToken = '';

beforeAll(async () => {
  ({ built: org, orgUrl, token } = await serveTenant(await openStore()));
  ({ built: other, token: otherToken } = await serveTenant(await openStore()));

  // The oracle: the same routes in a bare fastify with the tenant's router options (the defaults), each answering
  // with its pattern. HEAD routes come from fastify itself (exposeHeadRoutes), as in the tenant.
  oracle = Fastify({ logger: false });
  for (const r of org.routes) {
    if (r.method === 'HEAD') continue;
    oracle.route({ method: r.method, url: r.url, handler: async (_req, reply) => reply.header('x-route', r.url).send('') });
  }
  oracle.setNotFoundHandler(async (_req, reply) => reply.code(404).header('x-route', '').send(''));
  oracle.setErrorHandler(async (_err, _req, reply) => reply.code(404).header('x-route', '').send(''));
  oracleUrl = await listenLocal(oracle);
});

afterAll(async () => {
  await Promise.all([org.app.close(), other.app.close(), oracle.close()]);
});

async function routeOf(method: string, path: string): Promise<string | undefined> {
  const r = await rawRequest(oracleUrl, { method, path });
  const v = r.headers['x-route'];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

const writes = new Set(['POST', 'PUT', 'DELETE']);
function send(method: string, path: string, authorization: string | undefined): Promise<RawResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  if (writes.has(method)) headers['content-type'] = 'application/json';
  return rawRequest(orgUrl, { method, path, headers, ...(writes.has(method) ? { body: '{"profile":{"name":"granted"},"name":"granted"}' } : {}) });
}

/** 401 E0000011, or (HEAD) a bare 401. */
function isInvalidToken(r: RawResponse, method: string): boolean {
  return r.status === 401 && (method === 'HEAD' || (field(r.json, 'errorCode') === 'E0000011' && field(r.json, 'errorSummary') === 'Invalid token provided'));
}

/** Okta's 404 for a path no route serves. */
function isPathNotFound(r: RawResponse, method: string): boolean {
  if (r.status !== 404) return false;
  if (method === 'HEAD') return true;
  const summary = field(r.json, 'errorSummary');
  return field(r.json, 'errorCode') === 'E0000007' && typeof summary === 'string' && summary.endsWith('(Path)');
}

describe('every route of the tenant needs the API token under every spelling of its path', () => {
  it('reads the routes from the router, and PUBLIC lists exactly the routes Okta serves without a token', () => {
    expect(org.routes.length).toBeGreaterThan(50);
    const registered = new Set(org.routes.map(key));
    for (const p of PUBLIC) expect(registered.has(p), `${p} is in PUBLIC but not registered`).toBe(true);
  });

  it('answers 401 (a route reached) or 404 (no route reached) without a valid token; never anything else', async () => {
    const tokens: { name: string; header: string | undefined }[] = [
      { name: 'no token', header: undefined },
      { name: 'wrong token', header: `SSWS ${'x'.repeat(token.length)}` },
      { name: 'token of another local org', header: `SSWS ${otherToken}` },
    ];
    const protectedRoutes = org.routes.filter((r) => !PUBLIC.has(key(r)));
    const failures: string[] = [];
    const cases: { route: RegisteredRoute; variant: Variant; reaches: string | undefined }[] = [];
    for (const route of protectedRoutes) {
      for (const variant of variantsOf(concrete(route.url))) cases.push({ route, variant, reaches: undefined });
    }
    await inBatches(cases, 8, async (c) => {
      c.reaches = await routeOf(c.route.method, c.variant.path);
    });
    let combinations = 0;
    const tally = { 401: 0, 404: 0 };
    await inBatches(cases, 8, async ({ route, variant, reaches }) => {
      const reachedPublic = reaches !== undefined && PUBLIC.has(`${route.method} ${reaches}`);
      if (reachedPublic) {
        failures.push(`${route.method} ${variant.path} (${variant.name} of ${route.url}) reaches the public route ${reaches}`);
        return;
      }
      for (const t of tokens) {
        const r = await send(route.method, variant.path, t.header);
        combinations++;
        const ok = reaches === undefined ? isPathNotFound(r, route.method) : isInvalidToken(r, route.method);
        if (ok) tally[reaches === undefined ? 404 : 401]++;
        else failures.push(`${route.method} ${variant.path} (${variant.name} of ${route.url}, ${t.name}): expected ${reaches === undefined ? '404 (no route)' : `401 (reaches ${reaches})`}, got ${r.status} ${r.text.slice(0, 160)}`);
      }
    });
    console.log(
      `authorization test: ${protectedRoutes.length} protected routes × ~${Math.round(cases.length / protectedRoutes.length)} path spellings (${cases.length} route × spelling pairs) × ${tokens.length} tokens = ${combinations} requests; ${tally[401]} answered 401, ${tally[404]} answered 404 (no route)`,
    );
    expect(failures).toEqual([]);
    expect(combinations).toBe(cases.length * tokens.length);

    // The encodings must exercise the check: each spelling that decodes to the plain path reaches the route.
    for (const c of cases) {
      if (c.variant.name === 'plain' || c.variant.name.includes('percent-encoded') || c.variant.name.includes('char')) {
        expect(c.reaches, `${c.variant.path} (${c.variant.name})`).toBe(c.route.url);
      }
    }
    expect(tally[401]).toBeGreaterThan(tally[404]);
  }, 120_000);

  it('lets the org’s own token through on the plain and the percent-encoded paths (so the 401s above are the check)', async () => {
    const failures: string[] = [];
    const protectedRoutes = org.routes.filter((r) => !PUBLIC.has(key(r)));
    await inBatches(protectedRoutes, 8, async (route) => {
      for (const v of variantsOf(concrete(route.url)).filter((x) => x.name === 'plain' || x.name === 'segment 0 percent-encoded')) {
        const r = await send(route.method, v.path, `SSWS ${token}`);
        if (r.status === 401 || r.status >= 500) failures.push(`${route.method} ${v.path}: ${r.status} ${r.text.slice(0, 160)}`);
      }
    });
    expect(failures).toEqual([]);
  }, 60_000);

  it('serves the PUBLIC routes without a token (the list holds no protected route)', async () => {
    const failures: string[] = [];
    for (const route of org.routes.filter((r) => PUBLIC.has(key(r)))) {
      const path = route.url.replace(':authServerId', 'default');
      const r = await rawRequest(orgUrl, { method: route.method, path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, ...(route.method === 'POST' ? { body: 'x=1' } : {}) });
      if (route.method !== 'HEAD' && field(r.json, 'errorCode') === 'E0000011') failures.push(`${key(route)} asks for the API token`);
      if (r.status >= 500) failures.push(`${key(route)}: ${r.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('makes the route-based decision for a raw URL the issue reported: GET /%61pi/v1/groups is 401 like /api/v1/groups', async () => {
    for (const path of ['/api/v1/groups', '/%61pi/v1/groups', '/oauth2/v1/%63lients']) {
      expect(isInvalidToken(await send('GET', path, undefined), 'GET'), path).toBe(true);
    }
    const created = await rawRequest(orgUrl, { method: 'POST', path: '/%61pi/v1/groups', headers: { 'content-type': 'text/plain' }, body: '{"profile":{"name":"x"}}' });
    expect(created.status).toBe(401);
  });
});

describe('the rate limit counts every spelling of a path', () => {
  it('puts /api/v1/groups and its percent-encoded spellings in one bucket', async () => {
    const store = await openStore();
    const { built, orgUrl: url, token: own } = await serveTenant(store, { rateLimits: { buckets: [{ name: 'groups', match: '/api/v1/groups**', limit: 3 }] } });
    try {
      const get = (path: string) => rawRequest(url, { method: 'GET', path, headers: { authorization: `SSWS ${own}` } });
      const answers = [];
      for (const path of ['/api/v1/groups', '/%61pi/v1/groups', '/api/v1/grou%70s', '/api/%76%31/groups']) answers.push(await get(path));
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(answers.map((r) => r.headers['x-rate-limit-remaining'])).toEqual(['2', '1', '0', '0']);
    } finally {
      await built.app.close();
    }
  });
});
