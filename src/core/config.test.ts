import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { normalizeOrgUrl, parseDurationMs, readCredentials, REQUEST_TIMEOUT_ENV } from './config.js';

describe('readCredentials', () => {
  it('reads OKTA_TENANT and OKTA_API_TOKEN, environment before .env', () => {
    const c = readCredentials({ OKTA_TENANT: 'https://dev-1.okta.com/' }, { OKTA_API_TOKEN: 'tok', OKTA_TENANT: 'https://other.okta.com' });
    expect(c).toMatchObject({ orgUrl: 'https://dev-1.okta.com', token: 'tok', orgUrlSource: 'environment', tokenSource: '.env' });
  });

  it("accepts the SDK's OKTA_CLIENT_ORGURL and OKTA_CLIENT_TOKEN", () => {
    const c = readCredentials({ OKTA_CLIENT_ORGURL: 'https://dev-2.okta.com', OKTA_CLIENT_TOKEN: 't2' });
    expect(c.orgUrl).toBe('https://dev-2.okta.com');
    expect(c.token).toBe('t2');
  });

  it('names what is missing and where to get it', () => {
    try {
      readCredentials({ OKTA_TENANT: 'https://dev-1.okta.com' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).message).toBe('Missing OKTA_API_TOKEN.');
      expect((e as ConfigError).details.suggestion).toMatch(/Security → API → Tokens/);
      expect((e as ConfigError).exitCode).toBe(2);
    }
  });
});

describe('normalizeOrgUrl', () => {
  it('accepts http only for localhost, 127.0.0.0/8 and [::1]', () => {
    expect(normalizeOrgUrl('http://127.0.0.1:7777')).toBe('http://127.0.0.1:7777');
    expect(normalizeOrgUrl('http://127.3.2.1:7777')).toBe('http://127.3.2.1:7777');
    expect(normalizeOrgUrl('http://localhost:7777/')).toBe('http://localhost:7777');
    expect(normalizeOrgUrl('http://[::1]:7777/')).toBe('http://[::1]:7777');
    expect(() => normalizeOrgUrl('http://dev-1.okta.com')).toThrow(/https/);
    expect(() => normalizeOrgUrl('http://127.evil.test')).toThrow(/not for 127\.evil\.test/);
    expect(() => normalizeOrgUrl('ftp://localhost')).toThrow(/ftp: is not http\(s\)/);
  });

  it('refuses garbage and paths', () => {
    expect(() => normalizeOrgUrl('dev-1.okta.com')).toThrow(/not a URL/);
    expect(() => normalizeOrgUrl('https://dev-1.okta.com/oauth2/default')).toThrow(/without a path/);
  });
});

describe('the request timeout', () => {
  it(`${REQUEST_TIMEOUT_ENV} from the environment or .env, as a duration`, () => {
    const base = { OKTA_TENANT: 'https://dev-1.okta.com', OKTA_API_TOKEN: 't' };
    expect(readCredentials(base).requestTimeoutMs).toBeUndefined();
    expect(readCredentials({ ...base, [REQUEST_TIMEOUT_ENV]: '2s' }).requestTimeoutMs).toBe(2000);
    expect(readCredentials(base, { [REQUEST_TIMEOUT_ENV]: '500ms' }).requestTimeoutMs).toBe(500);
    expect(() => readCredentials({ ...base, [REQUEST_TIMEOUT_ENV]: 'soon' })).toThrow(ConfigError);
  });

  it('parseDurationMs: ms, s, m, h, bare seconds; nothing else', () => {
    expect([parseDurationMs('250ms'), parseDurationMs('30s'), parseDurationMs('1.5m'), parseDurationMs('1h'), parseDurationMs('45')]).toEqual([250, 30_000, 90_000, 3_600_000, 45_000]);
    for (const bad of ['', '0', '0s', '-1s', '10 minutes', 's', '1d']) expect(parseDurationMs(bad), bad).toBeUndefined();
  });
});
