import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.js';
import { compilePattern, DEVELOPER_RATE_LIMITS, RateLimiter, rateLimitErrorBody, resolveRateLimits } from './rate-limit.js';

describe('compilePattern', () => {
  it('treats * as one segment and ** as anything', () => {
    expect(compilePattern('/oauth2/*/v1/token').test('/oauth2/default/v1/token')).toBe(true);
    expect(compilePattern('/oauth2/*/v1/token').test('/oauth2/a/b/v1/token')).toBe(false);
    expect(compilePattern('/api/v1/users**').test('/api/v1/users')).toBe(true);
    expect(compilePattern('/api/v1/users**').test('/api/v1/users/00u1/lifecycle/activate')).toBe(true);
    expect(compilePattern('/api/v1/users**').test('/api/v1/groups')).toBe(false);
    expect(compilePattern('/a.b').test('/aXb')).toBe(false);
  });
});

describe('developer buckets', () => {
  const rl = new RateLimiter(DEVELOPER_RATE_LIMITS);
  it('an Integrator Free Plan org: 35 concurrent, apps 20/min, an app by id 100/min, DCR 25/min', () => {
    expect(DEVELOPER_RATE_LIMITS.concurrency).toBe(35);
    const limit = (name: string) => DEVELOPER_RATE_LIMITS.buckets.find((b) => b.name === name)?.limit;
    expect([limit('apps'), limit('app-by-id'), limit('clients'), limit('users'), limit('groups'), limit('group-by-id'), limit('api')]).toEqual([20, 100, 25, 100, 100, 100, 100]);
  });
  it.each([
    ['GET', '/api/v1/users?limit=200', 'users'],
    ['POST', '/api/v1/users', 'users'],
    ['GET', '/api/v1/users/ann@example.com', 'user-by-id-read'],
    ['POST', '/api/v1/users/00u1', 'user-by-id-write'],
    ['DELETE', '/api/v1/users/00u1', 'user-by-id-write'],
    ['POST', '/api/v1/users/00u1/lifecycle/deactivate', 'api'],
    ['GET', '/api/v1/users/00u1/groups', 'api'],
    ['GET', '/api/v1/groups', 'groups'],
    ['PUT', '/api/v1/groups/00g1', 'group-by-id'],
    ['PUT', '/api/v1/groups/00g1/users/00u1', 'groups'],
    ['GET', '/api/v1/apps', 'apps'],
    ['GET', '/api/v1/apps/0oa1', 'app-by-id'],
    ['PUT', '/api/v1/apps/0oa1/groups/00g1', 'apps'],
    ['POST', '/api/v1/apps/0oa1/lifecycle/deactivate', 'apps'],
    ['GET', '/api/v1/authorizationServers/aus1/scopes', 'api'],
    ['POST', '/api/v1/authn', 'api'],
    ['POST', '/oauth2/v1/clients', 'clients'],
    ['GET', '/oauth2/v1/clients/0oa1', 'clients'],
    ['POST', '/oauth2/default/v1/token', 'oauth2'],
    ['GET', '/oauth2/aus1/.well-known/openid-configuration', 'oauth2'],
    ['GET', '/.well-known/openid-configuration', 'oauth2'],
    ['GET', '/private/state', null],
  ])('%s %s -> %s', (method, url, bucket) => {
    expect(rl.classify(method, url)).toBe(bucket);
  });
});

describe('RateLimiter', () => {
  const config = { concurrency: 3, buckets: [{ name: 'apps', match: '/api/v1/apps**', limit: 5 }, { name: 'api', match: '/api/v1/**', limit: 100 }] };

  it('reports exact headers, counts down, and rejects a spent bucket until the window resets', () => {
    let now = Date.UTC(2026, 0, 1, 10, 0, 12, 345);
    const rl = new RateLimiter(config, { now: () => now });
    const reset = String(Date.UTC(2026, 0, 1, 10, 1, 0) / 1000);
    for (let i = 1; i <= 5; i++) {
      const a = rl.admit('GET', '/api/v1/apps');
      expect(a.ok).toBe(true);
      expect(a.headers).toEqual({ 'x-rate-limit-limit': '5', 'x-rate-limit-remaining': String(5 - i), 'x-rate-limit-reset': reset });
      if (a.ok) a.release();
    }
    const over = rl.admit('GET', '/api/v1/apps/0oa1');
    expect(over).toMatchObject({ ok: false, reason: 'bucket', headers: { 'x-rate-limit-limit': '5', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': reset } });
    // another bucket is unaffected
    expect(rl.admit('GET', '/api/v1/groups').ok).toBe(true);
    now += 47_000; // 10:00:59.345 — still the same window
    expect(rl.admit('GET', '/api/v1/apps').ok).toBe(false);
    now += 1_000; // 10:01:00.345 — next window
    const again = rl.admit('GET', '/api/v1/apps');
    expect(again.ok).toBe(true);
    expect(again.headers?.['x-rate-limit-remaining']).toBe('4');
    expect(again.headers?.['x-rate-limit-reset']).toBe(String(Date.UTC(2026, 0, 1, 10, 2, 0) / 1000));
  });

  it('scales windows in time with windowSeconds: aligned windows, reset = epoch seconds at the window end', () => {
    let now = Date.UTC(2026, 0, 1, 10, 0, 13, 500); // inside the window [10:00:12, 10:00:18)
    const rl = new RateLimiter({ windowSeconds: 6, buckets: [{ name: 'users', match: '/api/v1/users**', limit: 3 }] }, { now: () => now });
    const reset = String(Date.UTC(2026, 0, 1, 10, 0, 18) / 1000);
    for (const remaining of ['2', '1', '0']) {
      expect(rl.admit('GET', '/api/v1/users').headers).toEqual({ 'x-rate-limit-limit': '3', 'x-rate-limit-remaining': remaining, 'x-rate-limit-reset': reset });
    }
    now = Date.UTC(2026, 0, 1, 10, 0, 17, 999);
    expect(rl.admit('GET', '/api/v1/users')).toMatchObject({ ok: false, reason: 'bucket', headers: { 'x-rate-limit-reset': reset } });
    now = Date.UTC(2026, 0, 1, 10, 0, 18, 0);
    expect(rl.admit('GET', '/api/v1/users')).toMatchObject({
      ok: true,
      headers: { 'x-rate-limit-remaining': '2', 'x-rate-limit-reset': String(Date.UTC(2026, 0, 1, 10, 0, 24) / 1000) },
    });
  });

  it("enforces the concurrent cap with Okta's concurrency headers: limit 0, remaining 0, an estimated reset", () => {
    const rl = new RateLimiter(config, { now: () => 12_345 });
    const held = [rl.admit('GET', '/api/v1/x'), rl.admit('GET', '/api/v1/y'), rl.admit('GET', '/api/v1/apps')];
    expect(held.every((a) => a.ok)).toBe(true);
    expect(rl.concurrent).toBe(3);
    const over = rl.admit('GET', '/api/v1/z');
    expect(over).toMatchObject({ ok: false, reason: 'concurrency', headers: { 'x-rate-limit-limit': '0', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '14' } });
    const first = held[0];
    if (first?.ok) {
      first.release();
      first.release(); // idempotent
    }
    expect(rl.concurrent).toBe(2);
    const next = rl.admit('GET', '/api/v1/z');
    expect(next.ok).toBe(true);
    // the rejected request did not consume the bucket: 3 admitted api requests so far
    expect(next.headers?.['x-rate-limit-remaining']).toBe('97');
  });

  it('gives no headers and never rejects a path outside every bucket', () => {
    const rl = new RateLimiter({ concurrency: 1, buckets: [{ name: 'api', match: '/api/v1/**', limit: 0 }] });
    const a = rl.admit('GET', '/elsewhere');
    expect(a).toMatchObject({ ok: true, headers: null, bucket: null });
    expect(rl.admit('GET', '/api/v1/x').ok).toBe(false);
  });

  it('honours method lists', () => {
    const rl = new RateLimiter({ buckets: [{ name: 'writes', match: '/api/**', limit: 1, methods: ['post'] }, { name: 'reads', match: '/api/**', limit: 9 }] });
    expect(rl.classify('POST', '/api/v1/x')).toBe('writes');
    expect(rl.classify('GET', '/api/v1/x')).toBe('reads');
  });
});

describe('resolveRateLimits', () => {
  it('knows the presets', () => {
    expect(resolveRateLimits('none')).toBeNull();
    expect(resolveRateLimits(undefined)).toBeNull();
    expect(resolveRateLimits('developer')).toBe(DEVELOPER_RATE_LIMITS);
  });
  it('loads and validates a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rl-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ concurrency: 2, buckets: [{ name: 'all', match: '/**', limit: 7 }] }));
    expect(resolveRateLimits(good)).toEqual({ concurrency: 2, buckets: [{ name: 'all', match: '/**', limit: 7 }] });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ buckets: [{ name: 'all', match: 'no-slash', limit: -1 }] }));
    expect(() => resolveRateLimits(bad)).toThrow(ConfigError);
    expect(() => resolveRateLimits(join(dir, 'missing.json'))).toThrow(ConfigError);
    expect(() => resolveRateLimits({ buckets: 'x' } as never)).toThrow(ConfigError);
    const scaled = join(dir, 'scaled.json');
    writeFileSync(scaled, JSON.stringify({ windowSeconds: 6, buckets: [{ name: 'all', match: '/**', limit: 10 }] }));
    expect(resolveRateLimits(scaled)).toEqual({ windowSeconds: 6, buckets: [{ name: 'all', match: '/**', limit: 10 }] });
    expect(() => resolveRateLimits({ windowSeconds: 0, buckets: [] })).toThrow(ConfigError);
    expect(() => resolveRateLimits({ windowSeconds: 1.5, buckets: [] })).toThrow(ConfigError);
  });
});

describe('rateLimitErrorBody', () => {
  it('uses the management or the oauth summary', () => {
    expect(rateLimitErrorBody('/api/v1/users', 'oae1')).toMatchObject({ errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' });
    expect(rateLimitErrorBody('/oauth2/default/v1/token', 'oae1')).toMatchObject({ errorCode: 'E0000047', errorSummary: 'You exceeded the maximum number of requests. Try again in a while.' });
  });
});
