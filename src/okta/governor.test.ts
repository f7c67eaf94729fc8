/**
 * Governor edge cases against a small scripted HTTP server on localhost (exact control over 429 headers, 5xx and
 * connection resets), with an injected clock and sleep so waits of a minute take no time. The same behaviour
 * against the local tenant is in governor.tenant.test.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NetworkError, OktaApiError } from '../core/errors.js';
import { createOktaClient, isAmbiguousWriteFailure } from './client.js';
import { createGovernor, routeOf, type WaitEvent } from './governor.js';

type Script = (req: IncomingMessage, res: ServerResponse, n: number) => void;

let server: Server;
let base: string;
let script: Script;
let seen: { method: string; url: string }[] = [];
let inFlight = 0;
let maxInFlight = 0;
/** The fake clock shared by the server's headers and the governor. */
let clock = 1_800_000_000_000;

beforeAll(async () => {
  server = createServer((req, res) => {
    const n = seen.length;
    seen.push({ method: req.method ?? '', url: req.url ?? '' });
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => {
      inFlight -= 1;
    });
    req.resume();
    req.on('end', () => script(req, res, n));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen = [];
  inFlight = 0;
  maxInFlight = 0;
});

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function rl(limit: number, remaining: number, resetMs: number): Record<string, string> {
  return { 'x-rate-limit-limit': String(limit), 'x-rate-limit-remaining': String(remaining), 'x-rate-limit-reset': String(Math.ceil(resetMs / 1000)) };
}

function fakeTime() {
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => clock,
    sleep: (ms: number) => {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
  };
}

describe('routeOf', () => {
  it.each([
    ['GET', 'http://o/api/v1/users?search=x', 'GET /api/v1/users'],
    ['GET', '/api/v1/users/ann@example.com', 'GET /api/v1/users/{id}'],
    ['POST', '/api/v1/users/00u1/lifecycle/deactivate', 'POST /api/v1/users/{id}/lifecycle/deactivate'],
    ['PUT', '/api/v1/groups/00g1/users/00u1', 'PUT /api/v1/groups/{id}/users/{id}'],
    ['get', '/api/v1/apps/0oa1', 'GET /api/v1/apps/{id}'],
    ['GET', '/api/v1/apps', 'GET /api/v1/apps'],
    ['POST', '/oauth2/v1/clients', 'POST /oauth2/v1/clients'],
    ['GET', '/api/v1/authorizationServers/aus1/scopes', 'GET /api/v1/authorizationServers/{id}/scopes'],
    ['POST', '/oauth2/aus1/v1/token', 'POST /oauth2/{id}/v1/token'],
    ['GET', '/oauth2/default/.well-known/openid-configuration', 'GET /oauth2/default/.well-known/openid-configuration'],
  ])('%s %s -> %s', (method, url, route) => {
    expect(routeOf(method, url)).toBe(route);
  });
});

describe('429', () => {
  it('waits until the reset plus jitter, tells the progress view, and completes (SDK path)', async () => {
    const resetAt = clock + 42_000;
    script = (req, res, n) => (n < 2 ? json(res, 429, { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.', errorCauses: [] }, rl(20, 0, resetAt)) : json(res, 200, [{ id: 'a' }], rl(20, 19, resetAt + 60_000)));
    const t = fakeTime();
    const gov = createGovernor(t);
    const waits: WaitEvent[] = [];
    gov.on('wait', (e) => waits.push(e));
    const api = createOktaClient({ orgUrl: base, token: 'test-token-123456', governor: gov });
    const items = await api.list<{ id: string }>('/api/v1/apps');
    expect(items).toEqual([{ id: 'a' }]);
    expect(seen).toHaveLength(3);
    expect(gov.stats().rateLimited).toBe(2);
    expect(waits[0]).toMatchObject({ bucket: 'GET /api/v1/apps', reason: 'rate-limit', status: 429, request: 'GET /api/v1/apps' });
    expect(waits[0]!.ms).toBeGreaterThanOrEqual(42_000);
    expect(clock).toBeGreaterThanOrEqual(resetAt);
  });

  it('other requests of the spent bucket wait for the reset instead of hammering it', async () => {
    const resetAt = clock + 30_000;
    let spent = true;
    script = (req, res) => {
      if (spent && clock < resetAt) return json(res, 429, { errorCode: 'E0000047' }, rl(20, 0, resetAt));
      spent = false;
      json(res, 200, {}, rl(20, 10, resetAt + 60_000));
    };
    const t = fakeTime();
    const gov = createGovernor(t);
    await gov.fetch(`${base}/api/v1/apps/x`);
    const before = seen.length;
    await Promise.all([1, 2, 3].map((i) => gov.fetch(`${base}/api/v1/apps/${i}`)));
    expect(seen.length - before).toBe(3);
  });

  it('fails only after --max-wait, with a 429 OktaApiError that says what to do', async () => {
    script = (req, res) => json(res, 429, { errorCode: 'E0000047' }, rl(20, 0, clock + 60_000));
    const t = fakeTime();
    const gov = createGovernor({ ...t, maxWaitMs: 150_000 });
    const api = createOktaClient({ orgUrl: base, token: 'test-token-123456', governor: gov });
    const err = await api.request('GET', '/api/v1/apps').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OktaApiError);
    expect((err as OktaApiError).details).toMatchObject({ status: 429, errorCode: 'E0000047' });
    expect((err as OktaApiError).details.suggestion).toMatch(/--max-wait/);
    // two full waits of ~61 s fit into 150 s; the third would not
    expect(seen).toHaveLength(3);
    expect(t.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(150_000);
  });

  it("a concurrency 429 (Okta's limit 0, remaining 0) backs off briefly and lowers the cap", async () => {
    script = (req, res, n) => (n === 1 ? json(res, 429, { errorCode: 'E0000047' }, rl(0, 0, clock + 2_000)) : json(res, 200, {}, rl(100, 90, clock + 59_000)));
    const t = fakeTime();
    const gov = createGovernor(t);
    await gov.fetch(`${base}/api/v1/groups`);
    await gov.fetch(`${base}/api/v1/groups`);
    expect(seen).toHaveLength(3);
    expect(Math.max(...t.sleeps)).toBeLessThan(5_000);
    expect(gov.stats().concurrencyCap).toBe(1);
  });

  it('a rate 429 whose limit differs from other routes under the same prefix still waits for its reset', async () => {
    // GET /api/v1/apps/{id} is a 100/min bucket, GET /api/v1/apps a spent 20/min one: not a concurrency 429
    const resetAt = clock + 40_000;
    script = (req, res) => {
      if (req.url === '/api/v1/apps/0oa1') return json(res, 200, {}, rl(100, 99, clock + 50_000));
      if (clock < resetAt) return json(res, 429, { errorCode: 'E0000047' }, rl(20, 0, resetAt));
      json(res, 200, [], rl(20, 19, resetAt + 60_000));
    };
    const t = fakeTime();
    const gov = createGovernor(t);
    await gov.fetch(`${base}/api/v1/apps/0oa1`);
    await gov.fetch(`${base}/api/v1/apps`);
    expect(seen).toHaveLength(3);
    expect(clock).toBeGreaterThanOrEqual(resetAt);
    expect(gov.stats().concurrencyCap).toBe(12);
    expect(gov.stats().buckets['GET /api/v1/apps']).toMatchObject({ rateLimited: 1, limit: 20 });
    expect(gov.stats().buckets['GET /api/v1/apps/{id}']).toMatchObject({ rateLimited: 0, limit: 100 });
  });

  it('mixes no remaining across routes: a nearly spent route does not slow another', async () => {
    const windowEnd = clock + 60_000;
    script = (req, res) => json(res, 200, {}, req.url?.startsWith('/api/v1/apps') ? rl(20, 1, windowEnd) : rl(100, 99, windowEnd));
    const t = fakeTime();
    const gov = createGovernor(t);
    await gov.fetch(`${base}/api/v1/apps`);
    for (let i = 0; i < 5; i++) await gov.fetch(`${base}/api/v1/groups/00g${i}`);
    expect(t.sleeps).toEqual([]);
  });
});

describe('pacing', () => {
  it('spreads the second half of a window over the time to reset, and never hits 429', async () => {
    const windowEnd = clock + 60_000;
    let used = 0;
    script = (req, res) => {
      if (clock >= windowEnd) return json(res, 200, {}, rl(10, 9, windowEnd + 60_000));
      used += 1;
      if (used > 10) return json(res, 429, { errorCode: 'E0000047' }, rl(10, 0, windowEnd));
      json(res, 200, {}, rl(10, 10 - used, windowEnd));
    };
    const t = fakeTime();
    const gov = createGovernor(t);
    const start = clock;
    for (let i = 0; i < 10; i++) await gov.fetch(`${base}/api/v1/apps`);
    expect(gov.stats().rateLimited).toBe(0);
    // the first half went at once; the rest was spread, ending within the window
    expect(t.sleeps.length).toBeGreaterThanOrEqual(4);
    expect(clock - start).toBeLessThan(60_000);
    expect(clock - start).toBeGreaterThan(30_000);
  });
});

describe('5xx and connection resets', () => {
  const boom: Script = (req, res, n) => (n === 0 ? json(res, 500, { errorCode: 'E0000009', errorSummary: 'Internal Server Error' }) : json(res, 200, { ok: true }));
  const reset: Script = (req, res, n) => (n === 0 ? req.socket.destroy() : json(res, 200, { ok: true }));

  it.each([
    ['GET', boom],
    ['PUT', boom],
    ['DELETE', boom],
    ['GET', reset],
    ['PUT', reset],
  ] as const)('%s is retried', async (method, s) => {
    script = s;
    const api = createOktaClient({ orgUrl: base, token: 'test-token-123456', governor: createGovernor(fakeTime()) });
    const r = await api.request(method, '/api/v1/groups/00g1', method === 'PUT' ? { body: { profile: { name: 'x' } } } : {});
    expect(r.body).toEqual({ ok: true });
    expect(seen).toHaveLength(2);
  });

  it.each([
    ['5xx', boom, OktaApiError],
    ['reset', reset, NetworkError],
  ] as const)('a plain POST is not retried after a %s: the caller learns the outcome is unknown', async (_n, s, cls) => {
    script = s;
    const gov = createGovernor(fakeTime());
    const api = createOktaClient({ orgUrl: base, token: 'test-token-123456', governor: gov });
    const err = await api.request('POST', '/api/v1/groups', { body: { profile: { name: 'x' } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(cls);
    expect(isAmbiguousWriteFailure(err)).toBe(true);
    expect(seen).toHaveLength(1);
    expect(gov.stats().retries).toBe(0);
  });

  it('a POST marked idempotent is retried', async () => {
    script = boom;
    const api = createOktaClient({ orgUrl: base, token: 'test-token-123456', governor: createGovernor(fakeTime()) });
    const r = await api.request('POST', '/api/v1/groups', { body: { profile: { name: 'x' } }, idempotent: true });
    expect(r.body).toEqual({ ok: true });
    expect(seen).toHaveLength(2);
  });

  it('a GET marked idempotent: false (one that consumes a one-time token) is never retried, on either path', async () => {
    script = boom;
    const gov = createGovernor(fakeTime());
    const res = await gov.fetch(`${base}/oauth2/aus1/v1/authorize?sessionToken=x`, { idempotent: false });
    expect(res.status).toBe(500);
    expect(seen).toHaveLength(1);
    seen = [];
    const api = createOktaClient({ orgUrl: base, token: 'test-token-123456', governor: gov });
    await expect(api.request('GET', '/api/v1/groups', { idempotent: false })).rejects.toBeInstanceOf(OktaApiError);
    expect(seen).toHaveLength(1);
  });

  it('the plain path retries a GET after a 5xx and hands over the buffered body', async () => {
    script = boom;
    const res = await createGovernor(fakeTime()).fetch(`${base}/oauth2/aus1/v1/keys`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(seen).toHaveLength(2);
  });

  it('gives up after maxRetries and returns the last answer as an error', async () => {
    script = (req, res) => json(res, 503, { errorCode: 'E0000010', errorSummary: 'Service is in read only mode' });
    const api = createOktaClient({ orgUrl: base, token: 'test-token-123456', governor: createGovernor({ ...fakeTime(), maxRetries: 3 }) });
    const err = await api.request('GET', '/api/v1/groups').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OktaApiError);
    expect((err as OktaApiError).details).toMatchObject({ status: 503, errorCode: 'E0000010' });
    expect(seen).toHaveLength(4);
  });
});

describe('concurrency cap', () => {
  it('never has more than maxConcurrent requests on the wire', async () => {
    script = (req, res) => setTimeout(() => json(res, 200, {}), 20);
    const gov = createGovernor({ maxConcurrent: 3 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => gov.fetch(`${base}/api/v1/users/${i}`)));
    expect(seen).toHaveLength(20);
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(maxInFlight).toBeGreaterThanOrEqual(2);
    expect(gov.stats().maxInFlight).toBe(3);
  });
});
