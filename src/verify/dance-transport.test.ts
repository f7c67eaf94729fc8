/**
 * The dance under faults, against a scripted OAuth server on 127.0.0.1: a sessionToken and an authorization code
 * are single-use, so a failed authorize or token call restarts the dance (a new sign-in, a new code) instead of
 * being replayed; authn may be repeated by the transport. No call carries an SSWS token.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGovernor } from '../okta/governor.js';
import { DANCE_ATTEMPTS, runDance } from './dance.js';
import { oauthFetch } from './transport.js';

interface Seen {
  step: 'authn' | 'authorize' | 'token';
  sessionToken?: string;
  code?: string;
  authorization?: string;
}

let server: Server;
let base: string;
let seen: Seen[] = [];
/** Steps (with their n-th call, 1-based) answered 500, or with a reset. */
let failures: Record<string, 'fail' | 'reset'> = {};
let counter = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base);
      const step = url.pathname === '/api/v1/authn' ? 'authn' : url.pathname.endsWith('/v1/authorize') ? 'authorize' : 'token';
      const n = seen.filter((s) => s.step === step).length + 1;
      const form = new URLSearchParams(body);
      seen.push({
        step,
        sessionToken: url.searchParams.get('sessionToken') ?? undefined,
        code: form.get('code') ?? undefined,
        authorization: req.headers.authorization,
      });
      const failure = failures[`${step}#${n}`];
      if (failure === 'reset') return req.socket.destroy();
      if (failure === 'fail') {
        res.writeHead(500, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ errorCode: 'E0000009', errorSummary: 'Internal Server Error' }));
      }
      counter += 1;
      if (step === 'authn') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ status: 'SUCCESS', sessionToken: `st${counter}` }));
      }
      if (step === 'authorize') {
        res.writeHead(302, { location: `http://localhost:8080/cb?code=code${counter}&state=${url.searchParams.get('state')}` });
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ access_token: `at${counter}`, token_type: 'Bearer', scope: 'openid silver', expires_in: 3600 }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function dance() {
  seen = [];
  return runDance({
    orgUrl: base,
    issuer: `${base}/oauth2/aus1`,
    clientId: 'cid',
    clientSecret: 'csecret',
    redirectUri: 'http://localhost:8080/cb',
    username: 'silver@example.com',
    password: 'pw',
    scopes: ['openid', 'silver'],
    fetch: oauthFetch(createGovernor({ baseBackoffMs: 1, jitterMs: 0 })),
  });
}

const distinct = (xs: (string | undefined)[]) => new Set(xs.filter((x) => x !== undefined)).size === xs.filter((x) => x !== undefined).length;

describe('the dance through the governed transport', () => {
  it('a failed code exchange restarts the dance: each code and each sessionToken is sent once', async () => {
    failures = { 'token#1': 'fail', 'token#2': 'reset' };
    const r = await dance();
    expect(r.ok).toBe(true);
    expect(seen.map((s) => s.step)).toEqual(['authn', 'authorize', 'token', 'authn', 'authorize', 'token', 'authn', 'authorize', 'token']);
    expect(distinct(seen.filter((s) => s.step === 'token').map((s) => s.code))).toBe(true);
    expect(distinct(seen.filter((s) => s.step === 'authorize').map((s) => s.sessionToken))).toBe(true);
    expect(seen.every((s) => !/^ssws/i.test(s.authorization ?? ''))).toBe(true);
    expect(seen.find((s) => s.step === 'token')?.authorization).toMatch(/^Basic /);
  });

  it('a failed authorize restarts with a new sign-in (the sessionToken is single-use); authn is repeated in place', async () => {
    failures = { 'authn#1': 'reset', 'authorize#1': 'fail' };
    const r = await dance();
    expect(r.ok).toBe(true);
    expect(seen.map((s) => s.step)).toEqual(['authn', 'authn', 'authorize', 'authn', 'authorize', 'token']);
    expect(distinct(seen.filter((s) => s.step === 'authorize').map((s) => s.sessionToken))).toBe(true);
  });

  it(`gives up after ${DANCE_ATTEMPTS} attempts, naming the step`, async () => {
    failures = Object.fromEntries(Array.from({ length: DANCE_ATTEMPTS }, (_, i) => [`token#${i + 1}`, 'fail' as const]));
    const r = await dance();
    expect(r).toMatchObject({ ok: false, step: 'token', status: 500 });
    expect(seen.filter((s) => s.step === 'token')).toHaveLength(DANCE_ATTEMPTS);
  });
});
