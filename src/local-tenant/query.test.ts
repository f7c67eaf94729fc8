import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OktaHttpError } from './errors.js';
import { evaluate, parseExpr, predicate, type Op } from './query.js';

const group = { id: '00gABC', type: 'OKTA_GROUP', created: '2026-01-02T00:00:00.000Z', profile: { name: 'Solar Users', description: 'planets and moons' } };

describe('search and filter expressions', () => {
  it('parses eq/sw/co/pr and date comparisons, with and/or and parentheses, and evaluates case-insensitively', () => {
    expect(evaluate(parseExpr('profile.name eq "solar users"'), group)).toBe(true);
    expect(evaluate(parseExpr('profile.name sw "SOL" and type eq "OKTA_GROUP"'), group)).toBe(true);
    expect(evaluate(parseExpr('profile.description co "moon" or id eq "nope"'), group)).toBe(true);
    expect(evaluate(parseExpr('(id eq "nope" or id eq "also") and type eq "OKTA_GROUP"'), group)).toBe(false);
    expect(evaluate(parseExpr('created gt "2026-01-01T00:00:00.000Z" AND created lt "2026-02-01T00:00:00.000Z"'), group)).toBe(true);
    expect(evaluate(parseExpr('profile.description pr'), group)).toBe(true);
    expect(evaluate(parseExpr('profile.missing pr'), group)).toBe(false);
    expect(evaluate(parseExpr('profile.name eq "with \\"quote\\""'), { profile: { name: 'with "quote"' } })).toBe(true);
  });

  it('and binds tighter than or', () => {
    // a or (b and c): true when a alone holds
    expect(evaluate(parseExpr('id eq "00gABC" or type eq "X" and id eq "Y"'), group)).toBe(true);
    expect(evaluate(parseExpr('(id eq "00gABC" or type eq "X") and id eq "Y"'), group)).toBe(false);
  });

  it('rejects malformed expressions and disallowed properties or operators with 400 E0000031', () => {
    const rules = { attrs: { id: ['eq'] as Op[], 'profile.*': ['eq', 'sw'] as Op[] } };
    for (const bad of ['', 'id', 'id eq', 'id eq "x', 'id ne "x"', 'id eq "x" and', '(id eq "x"', 'type eq "x"', 'id sw "x"', 'profile.name co "x"']) {
      try {
        predicate(bad, rules);
        throw new Error(`accepted: ${bad}`);
      } catch (e) {
        expect(e, bad).toBeInstanceOf(OktaHttpError);
        expect((e as OktaHttpError).status).toBe(400);
        expect((e as OktaHttpError).body).toMatchObject({ errorCode: 'E0000031' });
      }
    }
    expect(predicate('profile.anything sw "x"', rules)).toBeTypeOf('function');
  });

  it('never throws anything but an Okta 400 on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string(), (src) => {
        try {
          predicate(src, { attrs: { 'profile.*': ['eq', 'sw', 'co', 'pr'] } });
        } catch (e) {
          expect(e).toBeInstanceOf(OktaHttpError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
