import { describe, expect, it } from 'vitest';
import { renderJson, renderTable } from './render.js';
import { fail, makeReport, pass, skip } from './types.js';

const report = makeReport(
  [
    pass(1, 'authserver.active', 'the authorization server exists and is ACTIVE', '"s" (aus1) ACTIVE'),
    fail(3, 'audit.user.gold', 'the gold user is ACTIVE and in the gold group', 'gold user g@x (00u1) is not in group moons (00g2)', 'add with PUT /api/v1/groups/00g2/users/00u1'),
    pass(4, 'token.gold', 'the gold access token verifies', 'ok', { claims: { scp: ['openid', 'gold'], exp: 0 } }),
    skip(5, 'gateway.none.moons', 'no token: GET /moons → 400', 'no gateway', 'set PROXY_URI'),
  ],
  'local gateway http://127.0.0.1:1',
);

describe('verify report rendering', () => {
  it('counts and ok follow the statuses', () => {
    expect(report.counts).toEqual({ pass: 2, fail: 1, skip: 1 });
    expect(report.ok).toBe(false);
    expect(makeReport([pass(1, 'a', 'a'), skip(1, 'b', 'b', 'why')]).ok).toBe(true);
  });

  it('the table groups checks, prints cause and fix under a failure, claims under the token, and the summary', () => {
    const text = renderTable(report);
    const lines = text.split('\n');
    expect(lines[0]).toBe('1. Authorization server');
    expect(text).toContain('3. Configuration audit');
    const i = lines.findIndex((l) => l.includes('FAIL  audit.user.gold'));
    expect(lines[i + 1]).toMatch(/^\s+cause: gold user g@x \(00u1\) is not in group moons \(00g2\)$/);
    expect(lines[i + 2]).toMatch(/^\s+fix: {3}add with PUT \/api\/v1\/groups\/00g2\/users\/00u1$/);
    expect(text).toMatch(/scp: \["openid","gold"\]/);
    expect(text).toContain('exp: 0  (1970-01-01T00:00:00.000Z)');
    expect(text).toMatch(/SKIP {2}gateway\.none\.moons .*\n\s+no gateway\n\s+how: {2}set PROXY_URI/);
    expect(lines.at(-2)).toBe('verify: 2 passed, 1 failed, 1 skipped');
    expect(renderTable(report, { claims: false })).not.toContain('scp:');
  });

  it('JSON carries the same checks', () => {
    const json = JSON.parse(renderJson(report)) as typeof report;
    expect(json).toEqual(report);
  });
});
