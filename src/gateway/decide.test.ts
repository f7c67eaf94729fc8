import { describe, expect, it } from 'vitest';
import { decideAccess, denialResponse, denyForOutcome, logLine } from './decide.js';
import { parsePolicies } from './policies.js';

const SILVER = 'http://myapp.com/scp/silver';
const GOLD = 'http://myapp.com/scp/gold';
const rules = parsePolicies({ 'GET /planets': [SILVER], 'GET /moons': [GOLD] });
const NOW = 1_700_000_000;
const base = { rules, allowedClientIds: ['0oaApp'], nowSec: NOW, method: 'GET' };
const token = (scope: string, extra: Record<string, unknown> = {}) => ({ active: true, scope, client_id: '0oaApp', username: 'ann@x.com', exp: NOW + 600, ...extra });

describe('gateway decision', () => {
  it('the access matrix: silver gets /planets but not /moons; gold gets both', () => {
    expect(decideAccess({ ...base, path: '/planets', introspection: token(`openid ${SILVER}`) })).toMatchObject({ allow: true, status: 200, resource: 'GET /planets' });
    const denied = decideAccess({ ...base, path: '/moons', introspection: token(`openid ${SILVER}`) });
    expect(denied).toMatchObject({ allow: false, status: 403, error: 'insufficient_scope', user: 'ann@x.com', client: '0oaApp' });
    expect(denied.reason).toContain(`GET /moons needs ${GOLD}`);
    expect(decideAccess({ ...base, path: '/moons', introspection: token(`openid ${SILVER} ${GOLD}`) }).allow).toBe(true);
  });

  it('inactive → 401, expired by the gateway clock → 401, other client → 403 (unless skipped)', () => {
    expect(decideAccess({ ...base, path: '/planets', introspection: { active: false } })).toMatchObject({ status: 401, error: 'invalid_token' });
    const expired = decideAccess({ ...base, path: '/planets', introspection: token(SILVER, { exp: NOW }) });
    expect(expired).toMatchObject({ status: 401 });
    expect(expired.reason).toMatch(/expired/);
    const other = decideAccess({ ...base, path: '/planets', introspection: token(SILVER, { client_id: '0oaOther' }) });
    expect(other).toMatchObject({ status: 403, error: 'invalid_client' });
    expect(other.reason).toContain('0oaOther');
    expect(decideAccess({ ...base, skipClientIdValidation: true, path: '/planets', introspection: token(SILVER, { client_id: '0oaOther' }) }).allow).toBe(true);
  });

  it('introspection failures: unreachable → 401, refused credentials → 500 naming the variables', () => {
    expect(denyForOutcome({ kind: 'unreachable', message: 'ECONNREFUSED' }, 'http://x/introspect')).toMatchObject({ status: 401 });
    const refused = denyForOutcome({ kind: 'rejected', status: 401, error: 'invalid_client', errorDescription: 'bad secret' }, 'u');
    expect(refused).toMatchObject({ status: 500, error: 'server_error' });
    expect(refused!.reason).toContain('INTROSPECT_CLIENT_SECRET');
    expect(denyForOutcome({ kind: 'bad-response', status: 200, message: 'html' }, 'u')).toMatchObject({ status: 500 });
    expect(denyForOutcome({ kind: 'ok', status: 200, body: { active: false } }, 'u')).toBeUndefined();
  });

  it('denials are JSON with a one-line reason and an RFC 6750 header; the log line names user, client, scopes, decision', () => {
    const d = decideAccess({ ...base, path: '/moons', introspection: token(`openid ${SILVER}`) });
    const r = denialResponse(d);
    expect(r.body.error).toBe('insufficient_scope');
    expect(r.body.description).not.toContain('\n');
    expect(r.headers['www-authenticate']).toMatch(/^Bearer error="insufficient_scope", error_description="/);
    expect(logLine('GET', '/moons', d)).toBe(`GET /moons 403 user=ann@x.com client=0oaApp scopes="openid ${SILVER}" DENY: ${d.reason}`);
  });
});
