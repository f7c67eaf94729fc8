/**
 * The transport against small servers on 127.0.0.1: a server that never answers (the request timeout), one that
 * redirects to another port (the token never goes there), one that answers HTML (not an Okta org), and names
 * that only look local (refused before any connection).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isLocalHost, normalizeOrgUrl } from '../core/config.js';
import { ConfigError, NetworkError, OktaApiError } from '../core/errors.js';
import { checkCredentials, createOktaClient, isAmbiguousWriteFailure } from './client.js';
import { createGovernor } from './governor.js';

const TOKEN = 'sSwS-transport-token-0123456789';

interface Recorder {
  server: Server;
  url: string;
  /** Every request received: method, path and its Authorization header. */
  seen: { method: string; path: string; authorization?: string }[];
  /** Every TCP connection accepted. */
  connections: number;
  close(): Promise<void>;
}

const open: Recorder[] = [];

async function recorder(handle: (req: IncomingMessage, res: ServerResponse, n: number) => void): Promise<Recorder> {
  const sockets = new Set<Socket>();
  const seen: Recorder['seen'] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    req.on('end', () => handle(req, res, seen.length));
  });
  const rec: Recorder = {
    server,
    url: '',
    seen,
    connections: 0,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
  server.on('connection', (s: Socket) => {
    rec.connections += 1;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  rec.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  open.push(rec);
  return rec;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});
afterAll(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('plain http:// only to this machine', () => {
  it('localhost, 127.0.0.0/8 literals and [::1] are local; names that start with 127. are not', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '127.255.255.254', '[::1]']) expect(isLocalHost(h), h).toBe(true);
    for (const h of ['127.evil.test', '127.0.0.1.nip.io', '128.0.0.1', '10.0.0.1', '::1', '[::ffff:7f00:1]', 'localhost.evil.test', 'evil-localhost']) {
      expect(isLocalHost(h), h).toBe(false);
    }
    // WHATWG URL normalises these to local literals first
    expect(normalizeOrgUrl('http://127.1:7777')).toBe('http://127.0.0.1:7777');
    expect(normalizeOrgUrl('http://[0:0:0:0:0:0:0:1]:7777')).toBe('http://[::1]:7777');
    expect(normalizeOrgUrl('http://LOCALHOST:7777')).toBe('http://localhost:7777');
  });

  it('http://127.evil.test is refused (ConfigError, exit 2) before any connection', async () => {
    const rec = await recorder((req, res) => json(res, 200, []));
    const port = new URL(rec.url).port;
    for (const raw of [`http://127.evil.test:${port}`, `http://127.0.0.1.nip.io:${port}`]) {
      const err = (() => {
        try {
          createOktaClient({ orgUrl: raw, token: TOKEN });
          return undefined;
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).exitCode).toBe(2);
      expect((err as ConfigError).message).toMatch(/plain http:\/\/ is accepted only for localhost, 127\.0\.0\.0\/8 addresses and \[::1\]/);
      expect((err as ConfigError).details.suggestion).toContain('https://');
    }
    expect(rec.connections).toBe(0);
  });
});

describe('request timeout', () => {
  it('an org that accepts the connection and never answers: NetworkError naming the org, in about the timeout', async () => {
    const rec = await recorder(() => {
      /* never answers */
    });
    const api = createOktaClient({ orgUrl: rec.url, token: TOKEN, requestTimeoutMs: 400 });
    const started = Date.now();
    const err = (await checkCredentials(api).catch((e: unknown) => e)) as NetworkError;
    const took = Date.now() - started;
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.exitCode).toBe(1);
    expect(err.message).toBe(`${rec.url} did not answer GET /api/v1/users within 400 ms`);
    expect(err.details.errorCode).toBe('ETIMEDOUT');
    expect(err.details.suggestion).toMatch(/--request-timeout/);
    // one attempt: an org that never answered anything is not retried after a timeout
    expect(took).toBeGreaterThanOrEqual(380);
    expect(took).toBeLessThan(1500);
    expect(rec.seen).toHaveLength(1);
  });

  it('a timed-out POST is ambiguous (the journal rules apply) and is not repeated', async () => {
    const rec = await recorder((req, res) => {
      if (req.method === 'GET') json(res, 200, []);
      // POST: never answers
    });
    const api = createOktaClient({ orgUrl: rec.url, token: TOKEN, requestTimeoutMs: 300 });
    await checkCredentials(api);
    const err = await api.request('POST', '/api/v1/groups', { body: { profile: { name: 'g' } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).message).toBe(`${rec.url} did not answer POST /api/v1/groups within 300 ms; the request may or may not have taken effect`);
    expect(isAmbiguousWriteFailure(err)).toBe(true);
    expect(rec.seen.filter((s) => s.method === 'POST')).toHaveLength(1);
  });

  it('a GET that times out once, after the org has answered, is retried and succeeds', async () => {
    const rec = await recorder((req, res, n) => {
      if (n === 2) return; // the second request stalls
      json(res, 200, [{ id: n }]);
    });
    const api = createOktaClient({ orgUrl: rec.url, token: TOKEN, requestTimeoutMs: 300 });
    await checkCredentials(api);
    const r = await api.request<{ id: number }[]>('GET', '/api/v1/groups');
    expect(r.body).toEqual([{ id: 3 }]);
    expect(api.governor.stats().retries).toBe(1);
  });

  it('a body that stalls after the headers times out too', async () => {
    const rec = await recorder((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
    });
    const api = createOktaClient({ orgUrl: rec.url, token: TOKEN, requestTimeoutMs: 300 });
    const err = await checkCredentials(api).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).details.errorCode).toBe('ETIMEDOUT');
  });

  it('the plain path (OAuth calls) has the timeout too', async () => {
    const rec = await recorder(() => {
      /* never answers */
    });
    const gov = createGovernor({ requestTimeoutMs: 300 });
    const started = Date.now();
    const err = (await gov.fetch(`${rec.url}/oauth2/aus1/v1/keys`).catch((e: unknown) => e)) as Error & { code?: string };
    expect(err.code).toBe('ETIMEDOUT');
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('redirects', () => {
  it('a redirect to another port is an error naming both URLs; the token never reaches the other port', async () => {
    const other = await recorder((req, res) => json(res, 200, []));
    const org = await recorder((req, res) => {
      res.writeHead(302, { location: `${other.url}${req.url ?? '/'}` });
      res.end();
    });
    const api = createOktaClient({ orgUrl: org.url, token: TOKEN });
    const err = (await checkCredentials(api).catch((e: unknown) => e)) as OktaApiError;
    expect(err).toBeInstanceOf(OktaApiError);
    expect(err.message).toContain(`GET ${org.url}/api/v1/users answered 302 with a redirect to ${other.url}/api/v1/users?limit=1`);
    expect(err.message).toContain('does not redirect');
    expect(err.details.status).toBe(302);
    // the SDK's own path (api.sdk) does not follow either
    await expect(api.sdk.groupApi.getGroup({ groupId: '00g1' })).rejects.toThrow(/redirect/);
    // a write is not repeated after a redirect
    await expect(api.request('POST', '/api/v1/groups', { body: {} })).rejects.toThrow(/answered 302/);
    expect(other.seen).toEqual([]);
    expect(other.connections).toBe(0);
    expect(org.seen.every((s) => s.authorization === `SSWS ${TOKEN}`)).toBe(true);
  });

  it('the plain path hands a redirect to its caller (the authorize step reads the Location), never following it', async () => {
    const other = await recorder((req, res) => json(res, 200, {}));
    const org = await recorder((req, res) => {
      res.writeHead(302, { location: `${other.url}/callback?code=abc` });
      res.end();
    });
    const gov = createGovernor();
    const res = await gov.fetch(`${org.url}/oauth2/aus1/v1/authorize?x=1`, { idempotent: false });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${other.url}/callback?code=abc`);
    expect(other.seen).toEqual([]);
  });

  it('the plain path refuses an SSWS token', async () => {
    const org = await recorder((req, res) => json(res, 200, {}));
    const gov = createGovernor();
    await expect(gov.fetch(`${org.url}/oauth2/v1/token`, { method: 'POST', headers: { Authorization: `SSWS ${TOKEN}` } })).rejects.toThrow(/SSWS/);
    expect(org.connections).toBe(0);
  });
});

describe('the credential check wants an Okta-shaped answer', () => {
  const cases: [string, (req: IncomingMessage, res: ServerResponse) => void, RegExp][] = [
    [
      'HTML with 200',
      (req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><title>Welcome</title>');
      },
      /does not look like an Okta org: GET \/api\/v1\/users\?limit=1 answered 200 with text\/html; charset=utf-8, not JSON/,
    ],
    ['JSON that is not a list', (req, res) => json(res, 200, { users: [] }), /answered 200 with JSON that is not a list of users/],
    [
      'an HTML 401 page',
      (req, res) => {
        res.writeHead(401, { 'content-type': 'text/html' });
        res.end('<h1>Unauthorized</h1>');
      },
      /does not look like an Okta org: .* answered 401 without Okta's error object/,
    ],
    ['a JSON 404 without errorCode', (req, res) => json(res, 404, { message: 'not found' }), /answered 404 without Okta's error object/],
  ];
  for (const [name, handler, message] of cases) {
    it(`${name} → "this does not look like an Okta org" (exit 1)`, async () => {
      const rec = await recorder(handler);
      const api = createOktaClient({ orgUrl: rec.url, token: TOKEN });
      const err = (await checkCredentials(api).catch((e: unknown) => e)) as OktaApiError;
      expect(err).toBeInstanceOf(OktaApiError);
      expect(err.exitCode).toBe(1);
      expect(err.message).toMatch(message);
      expect(err.details.suggestion).toMatch(/OKTA_TENANT/);
    });
  }

  it("Okta's own answers pass (200 list) or keep their meaning (401 E0000011)", async () => {
    let status = 200;
    const rec = await recorder((req, res) => {
      if (status === 200) {
        res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
        res.end('[]');
      } else json(res, 401, { errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorCauses: [] });
    });
    const api = createOktaClient({ orgUrl: rec.url, token: TOKEN });
    await expect(checkCredentials(api)).resolves.toBeUndefined();
    status = 401;
    await expect(checkCredentials(api)).rejects.toThrow('401 E0000011 Invalid token provided — check OKTA_API_TOKEN');
  });
});
