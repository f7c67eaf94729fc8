/**
 * The client's own behaviour against a scripted localhost server: error objects, OAuth errors, paging through
 * joined Link headers, the token never leaving the org, debug logging without the token, and network errors.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkError, OktaApiError } from '../core/errors.js';
import { checkCredentials, createOktaClient, nextLink, parseLinkHeader } from './client.js';

const TOKEN = 'sSwS-secret-token-0123456789';
let server: Server;
let base: string;
let handle: (req: IncomingMessage, res: ServerResponse, body: string) => void = () => {};
const authSeen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      authSeen.push(String(req.headers.authorization));
      handle(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

describe('parseLinkHeader', () => {
  it('reads separate and comma-joined Link headers, with commas inside URLs', () => {
    const joined = '<https://o.example/api/v1/users?limit=2&search=profile.login%20eq%20"a,b">; rel="self", <https://o.example/api/v1/users?after=00u2&limit=2>; rel="next"';
    expect(parseLinkHeader(joined)).toEqual([
      { url: 'https://o.example/api/v1/users?limit=2&search=profile.login%20eq%20"a,b"', rels: ['self'] },
      { url: 'https://o.example/api/v1/users?after=00u2&limit=2', rels: ['next'] },
    ]);
    expect(nextLink(joined)).toBe('https://o.example/api/v1/users?after=00u2&limit=2');
    expect(nextLink('<https://o/x?a=1>;rel=next')).toBe('https://o/x?a=1');
    expect(nextLink('<https://o/x>; rel="self"')).toBeUndefined();
    expect(nextLink(undefined)).toBeUndefined();
  });
});

describe('request and list', () => {
  it('follows rel="next" over separate Link headers and sends the SSWS token', async () => {
    handle = (req, res) => {
      const u = new URL(req.url ?? '', base);
      const after = u.searchParams.get('after');
      const page = after === null ? [{ id: 1 }, { id: 2 }] : after === '2' ? [{ id: 3 }] : [];
      const links = [`<${base}${u.pathname}?limit=2>; rel="self"`];
      if (after === null) links.push(`<${base}${u.pathname}?after=2&limit=2&q=${u.searchParams.get('q')}>; rel="next"`);
      send(res, 200, page, { link: links });
    };
    const api = createOktaClient({ orgUrl: `${base}/`, token: TOKEN });
    expect(await api.list('/api/v1/groups', { q: 'a b', limit: 2 })).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(authSeen.at(-1)).toBe(`SSWS ${TOKEN}`);
  });

  it('api.sdk is the SDK client, built on first use, sharing the governor', async () => {
    handle = (req, res) => send(res, 200, { id: '00g1', profile: { name: 'g' } });
    const api = createOktaClient({ orgUrl: base, token: TOKEN });
    expect(api.sdk.requestExecutor).toBe(api.governor);
    const before = api.governor.stats().requests;
    const g = await api.sdk.groupApi.getGroup({ groupId: '00g1' });
    expect(g.id).toBe('00g1');
    expect(api.governor.stats().requests).toBe(before + 1);
    expect(authSeen.at(-1)).toBe(`SSWS ${TOKEN}`);
  });

  it('never sends the token to another origin', async () => {
    handle = (req, res) => send(res, 200, [{ id: 1 }], { link: '<http://evil.example/api/v1/groups?after=1>; rel="next"' });
    const api = createOktaClient({ orgUrl: base, token: TOKEN });
    await expect(api.list('/api/v1/groups')).rejects.toThrow(/refusing to send the API token/);
  });

  it('does not cache GETs: a re-read sees a change', async () => {
    let name = 'one';
    handle = (req, res) => send(res, 200, { profile: { name } });
    const api = createOktaClient({ orgUrl: base, token: TOKEN });
    expect((await api.request<{ profile: { name: string } }>('GET', '/api/v1/groups/00g1')).body.profile.name).toBe('one');
    name = 'two';
    expect((await api.request<{ profile: { name: string } }>('GET', '/api/v1/groups/00g1')).body.profile.name).toBe('two');
  });

  it('turns Okta error objects into OktaApiError with every cause', async () => {
    handle = (req, res) =>
      send(res, 400, {
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: login',
        errorCauses: [{ errorSummary: 'login: An object with this field already exists in the current organization' }],
      });
    const api = createOktaClient({ orgUrl: base, token: TOKEN });
    const err = (await api.request('POST', '/api/v1/users', { query: { activate: true }, body: {} }).catch((e: unknown) => e)) as OktaApiError;
    expect(err).toBeInstanceOf(OktaApiError);
    expect(err.message).toBe('400 E0000001 Api validation failed: login');
    expect(err.details).toMatchObject({
      status: 400,
      request: 'POST /api/v1/users',
      errorCode: 'E0000001',
      errorCauses: ['login: An object with this field already exists in the current organization'],
    });
    expect(err.details.suggestion).toMatch(/causes/);
  });

  it('reads OAuth errors (DCR 400)', async () => {
    handle = (req, res) => send(res, 400, { error: 'invalid_client_metadata', error_description: "`client_name`: The field can't be left blank." });
    const api = createOktaClient({ orgUrl: base, token: TOKEN });
    const err = (await api.request('POST', '/oauth2/v1/clients', { body: {} }).catch((e: unknown) => e)) as OktaApiError;
    expect(err.details).toMatchObject({ status: 400, request: 'POST /oauth2/v1/clients', errorCode: 'invalid_client_metadata', errorSummary: "`client_name`: The field can't be left blank." });
  });

  it('checkCredentials: 401 → "check OKTA_API_TOKEN", 403 → the admin role', async () => {
    handle = (req, res) => send(res, 401, { errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorCauses: [] });
    const api = createOktaClient({ orgUrl: base, token: TOKEN });
    const err = (await checkCredentials(api).catch((e: unknown) => e)) as OktaApiError;
    expect(err.message).toBe('401 E0000011 Invalid token provided — check OKTA_API_TOKEN');
    expect(err.details.request).toBe('GET /api/v1/users');
    handle = (req, res) => send(res, 403, { errorCode: 'E0000006', errorSummary: 'You do not have permission to perform the requested action', errorCauses: [] });
    const err403 = (await api.request('POST', '/api/v1/groups', { body: {} }).catch((e: unknown) => e)) as OktaApiError;
    expect(err403.details.suggestion).toMatch(/role/);
  });

  it('logs exchanges with --debug, bodies masked, never the token', async () => {
    handle = (req, res) => send(res, 200, { id: '00u1', credentials: { password: {} }, profile: { login: 'a@b.c' } });
    const lines: string[] = [];
    const api = createOktaClient({ orgUrl: base, token: TOKEN, debug: true, logger: { debug: (m) => lines.push(m) } });
    await api.request('POST', '/api/v1/users', { body: { profile: { login: 'a@b.c' }, credentials: { password: { value: 'Pa55word-xyz' } } } });
    const all = lines.join('\n');
    expect(all).toMatch(/POST \/api\/v1\/users/);
    expect(all).toMatch(/200/);
    expect(all).toMatch(/a@b\.c/);
    expect(all).not.toContain('Pa55word-xyz');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toMatch(/SSWS/);
  });
});

describe('network errors', () => {
  it('a refused connection is a NetworkError naming the org and what to check', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const api = createOktaClient({ orgUrl: `http://127.0.0.1:${port}`, token: TOKEN });
    const err = (await checkCredentials(api).catch((e: unknown) => e)) as NetworkError;
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toContain(`127.0.0.1:${port}`);
    expect(err.details.suggestion).toMatch(/OKTA_TENANT/);
    expect(err.details.suggestion).toMatch(/local serve/);
  });
});
