import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { extractToken } from './token.js';

describe('token extraction (MuleSoft: header or access_token, 400 otherwise)', () => {
  it('takes the Bearer header or the query parameter', () => {
    expect(extractToken({ authorization: 'Bearer abc.def' })).toEqual({ ok: true, token: 'abc.def', from: 'header' });
    expect(extractToken({ authorization: 'bearer   abc ' })).toEqual({ ok: true, token: 'abc', from: 'header' });
    expect(extractToken({ accessToken: 'xyz' })).toEqual({ ok: true, token: 'xyz', from: 'query' });
  });

  it('refuses no token, both ways, no Bearer prefix, an empty token, and repeats', () => {
    const reason = (r: ReturnType<typeof extractToken>) => (r.ok ? '' : r.reason);
    expect(reason(extractToken({}))).toMatch(/no access token/);
    expect(reason(extractToken({ authorization: 'Bearer a', accessToken: 'a' }))).toMatch(/both/);
    expect(reason(extractToken({ authorization: 'Basic dXNlcjpwdw==' }))).toMatch(/must be "Bearer <access token>", not "Basic/);
    expect(reason(extractToken({ authorization: 'abc.def.ghi' }))).toMatch(/must be "Bearer/);
    expect(reason(extractToken({ authorization: 'Bearer' }))).toMatch(/no token/);
    expect(reason(extractToken({ authorization: 'Bearer a b' }))).toMatch(/must be "Bearer/);
    expect(reason(extractToken({ accessToken: '' }))).toMatch(/empty/);
    expect(reason(extractToken({ accessToken: ['a', 'b'] }))).toMatch(/more than one/);
  });

  it('property: a token is accepted from exactly one place, never from two', () => {
    const tok = fc.stringMatching(/^[A-Za-z0-9._~+/=-]{1,40}$/);
    fc.assert(
      fc.property(fc.option(tok, { nil: undefined }), fc.option(tok, { nil: undefined }), (h, q) => {
        const r = extractToken({ authorization: h === undefined ? undefined : `Bearer ${h}`, accessToken: q });
        const given = (h !== undefined ? 1 : 0) + (q !== undefined ? 1 : 0);
        expect(r.ok).toBe(given === 1);
        if (r.ok) expect(r.token).toBe(h ?? q);
      }),
    );
  });
});
