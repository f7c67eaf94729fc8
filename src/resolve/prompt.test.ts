/**
 * The prompter without a terminal. The interactive answers are proven through a real pseudo-terminal in
 * test/support/pty.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../core/errors.js';
import { createPrompter, describeForReview, NOT_A_TERMINAL, type ReviewRequest } from './prompt.js';

const req = (over: Partial<ReviewRequest> = {}): ReviewRequest => ({ key: 'PORT', entry: { objType: 'string' }, candidate: '8080', index: 1, total: 2, ...over });

describe('createPrompter without a terminal', () => {
  it('stops at once with "pass --yes or --set" instead of waiting', async () => {
    const p = createPrompter({ yes: false, interactive: false, showSecrets: false });
    expect(p.auto).toBe(false);
    await expect(p.review(req())).rejects.toThrow(UsageError);
    await expect(p.review(req())).rejects.toThrow(NOT_A_TERMINAL);
    await expect(p.confirm('Adopt?')).rejects.toThrow(/--yes/);
    const e = (await p.askValue('AUTHN_CLIENT_ID', { secret: false }).catch((x: unknown) => x)) as UsageError;
    expect(e).toBeInstanceOf(UsageError);
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/AUTHN_CLIENT_ID has no value/);
    expect(e.details.suggestion).toMatch(/--set AUTHN_CLIENT_ID=VALUE/);
  });

  it('--yes: every review continues with the candidate, confirm says yes, a missing value still stops', async () => {
    const p = createPrompter({ yes: true, interactive: false, showSecrets: false });
    expect(p.auto).toBe(true);
    expect(await p.review(req({ candidate: 'x' }))).toEqual({ action: 'continue', value: 'x' });
    expect(await p.confirm('Destroy?', { default: false })).toBe(true);
    await expect(p.askValue('X', { secret: true })).rejects.toThrow(/--set X=VALUE/);
  });
});

describe('what a review shows', () => {
  it('the hint or comment and the value; secret-like keys masked unless --show-secrets', () => {
    expect(describeForReview(req({ entry: { objType: 'string', hint: 'The port.' } }), false)).toEqual(['  The port.', '  value: 8080']);
    expect(describeForReview(req({ key: 'INTROSPECT_CLIENT_SECRET', candidate: 'abcdefgh' }), false)).toEqual(['  value: ********']);
    expect(describeForReview(req({ key: 'INTROSPECT_CLIENT_SECRET', candidate: 'abcdefgh' }), true)).toEqual(['  value: abcdefgh']);
  });

  it('for objects, the request with secrets in the body masked', () => {
    const body = { profile: { login: 'a@b.c' }, credentials: { password: { value: 'Pw-123456!' } } };
    const lines = describeForReview(req({ key: 'SILVER_USER', entry: { objType: 'json', objectClass: 'okta:user', default: body }, candidate: body, display: { method: 'POST', path: '/api/v1/users?activate=true', body } }), false);
    expect(lines[0]).toBe('  POST /api/v1/users?activate=true');
    const text = lines.join('\n');
    expect(text).toContain('"login": "a@b.c"');
    expect(text).not.toContain('Pw-123456!');
    expect(text).toContain('********');
  });
});
