import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { normalizeOrgUrl, readCredentials } from './config.js';

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
  it('accepts http only for localhost', () => {
    expect(normalizeOrgUrl('http://127.0.0.1:7777')).toBe('http://127.0.0.1:7777');
    expect(normalizeOrgUrl('http://localhost:7777/')).toBe('http://localhost:7777');
    expect(() => normalizeOrgUrl('http://dev-1.okta.com')).toThrow(/https/);
  });

  it('refuses garbage and paths', () => {
    expect(() => normalizeOrgUrl('dev-1.okta.com')).toThrow(/not a URL/);
    expect(() => normalizeOrgUrl('https://dev-1.okta.com/oauth2/default')).toThrow(/without a path/);
  });
});
