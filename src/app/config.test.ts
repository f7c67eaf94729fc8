import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { appConfig, listenPort } from './config.js';

const policies = { 'GET /planets': ['scp:silver'], 'GET /moons': ['scp:gold'] };
const full = {
  AUTHN_CLIENT_ID: 'c1',
  AUTHN_CLIENT_SECRET: 's1',
  OKTA_AZ_SERVER_ISSUER: 'http://127.0.0.1:7777/oauth2/aus1/',
  PROXY_URI: 'http://localhost:8081',
  REDIRECT_URI: 'http://localhost:8080',
};

describe('appConfig', () => {
  it('builds levels and resources from the scope names of the run', () => {
    const c = appConfig(full, { envFile: '.env', gatewayPolicies: policies });
    expect(c.issuer).toBe('http://127.0.0.1:7777/oauth2/aus1');
    expect(c.levels.map((l) => l.scopes)).toEqual([['openid', 'scp:silver'], ['openid', 'scp:silver', 'scp:gold']]);
    expect(c.resources.map((r) => [r.path, r.needs])).toEqual([['/planets', ['scp:silver']], ['/moons', ['scp:gold']]]);
  });
  it('a missing value names its key and get-settings --mulesoft --write-env (exit 2)', () => {
    const { AUTHN_CLIENT_SECRET: _omit, ...rest } = full;
    let err: unknown;
    try {
      appConfig(rest, { envFile: 'app.env', hints: { AUTHN_CLIENT_SECRET: 'run `okta-bootstrap register-client …`' }, gatewayPolicies: policies });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const e = err as ConfigError;
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain('AUTHN_CLIENT_SECRET');
    expect(e.details.key).toBe('AUTHN_CLIENT_SECRET');
    expect(e.details.suggestion).toContain('get-settings --mulesoft --write-env');
    expect(e.details.errorCauses?.join('\n')).toContain('AUTHN_CLIENT_SECRET: run `okta-bootstrap register-client');
  });
  it('refuses a value that is not an http(s) URL', () => {
    expect(() => appConfig({ ...full, PROXY_URI: 'localhost:8081' }, { envFile: '.env', gatewayPolicies: policies })).toThrow(/PROXY_URI is not an http\(s\) URL/);
  });
});

it('listenPort is REDIRECT_URI\'s port', () => {
  expect(listenPort('http://localhost:8080')).toBe(8080);
  expect(listenPort('https://app.example.com/cb')).toBe(443);
});
