import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createGenerators, formatTag, passwordPolicyViolations, PASSWORD_SYMBOLS } from './generate.js';
import { TAG_PATTERN } from '../core/output-names.js';
import { FIRST_NAMES, LAST_NAMES } from './names.js';

describe('password', () => {
  it('meets Okta\'s default policy and never holds a name, a login or three letters in a row (any seed)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: FIRST_NAMES.length - 1 }), fc.integer({ min: 0, max: LAST_NAMES.length - 1 }), (seed, f, l) => {
        const gen = createGenerators({ seed });
        const pw = gen.password();
        const firstName = FIRST_NAMES[f]!;
        const lastName = LAST_NAMES[l]!;
        expect(passwordPolicyViolations(pw, { username: `${firstName}.${lastName}@oktademo.com`, firstName, lastName })).toEqual([]);
        expect(pw).toHaveLength(16);
        expect(pw).not.toMatch(/[A-Za-z]{3}/);
        expect(pw).not.toMatch(/(.)\1/);
        expect(pw).toMatch(new RegExp(`^[A-Za-z0-9${PASSWORD_SYMBOLS.replace(/[-^\]\\]/g, '\\$&')}]+$`));
      }),
      { numRuns: 300 },
    );
  });

  it('is safe in a .env file and a shell: no # $ quotes backslash backtick or space', () => {
    expect(PASSWORD_SYMBOLS).not.toMatch(/[#$'"\\` ]/);
  });

  it('unseeded generators draw from crypto randomness: different each time', () => {
    const a = createGenerators().password();
    const b = createGenerators().password();
    expect(a).not.toBe(b);
    expect(passwordPolicyViolations(a)).toEqual([]);
  });

  it('the policy check finds every violation', () => {
    expect(passwordPolicyViolations('abc')).toEqual(['shorter than 8 characters', 'no upper-case letter', 'no number', 'no symbol']);
    expect(passwordPolicyViolations('Ada-Lovelace1', { username: 'ada.l@x.com', firstName: 'Ada', lastName: 'Lovelace' })).toEqual(['contains the first name', 'contains the last name']);
    expect(passwordPolicyViolations('xx.ada.lYY1', { username: 'ada.l@x.com' })).toEqual(['contains the username']);
  });
});

describe('tag', () => {
  it('is autogenYYYYMMDD-HHmm in local time, then a random base-36 suffix, usable in a file name', () => {
    expect(formatTag(new Date(2026, 10, 22, 9, 5))).toBe('autogen20261122-0905');
    fc.assert(
      fc.property(fc.date({ min: new Date(2000, 0, 1), max: new Date(2099, 11, 31), noInvalidDate: true }), (d) => {
        const tag = createGenerators({ now: () => d }).tag();
        expect(tag).toMatch(/^autogen\d{8}-\d{4}-[0-9a-z]{4}$/);
        expect(tag.startsWith(formatTag(d))).toBe(true);
        expect(tag).toMatch(TAG_PATTERN);
      }),
    );
  });

  it('differs between calls and runs in the same minute; a seed reproduces it', () => {
    const d = new Date(2026, 11, 1, 19, 54);
    const tags = new Set(Array.from({ length: 200 }, () => createGenerators({ now: () => d }).tag()));
    // 200 draws from 36^4: one repeat has a chance of about 1 in 85 (allowed), two of about 1 in 14,000
    expect(tags.size).toBeGreaterThanOrEqual(199);
    const g = createGenerators({ now: () => d });
    expect(g.tag()).not.toBe(g.tag());
    expect(createGenerators({ seed: 7, now: () => d }).tag()).toBe(createGenerators({ seed: 7, now: () => d }).tag());
  });
});

describe('names', () => {
  it('lists a few hundred real names, letters only, at least 3 long, no duplicates', () => {
    for (const list of [FIRST_NAMES, LAST_NAMES]) {
      expect(list.length).toBeGreaterThan(300);
      expect(new Set(list).size).toBe(list.length);
      for (const n of list) expect(n).toMatch(/^[A-Z][a-z]{2,}$/);
    }
  });

  it('two draws of one run differ; a seed reproduces them', () => {
    const a = createGenerators({ seed: 42 });
    const b = createGenerators({ seed: 42 });
    const namesA = [a.firstName(), a.firstName(), a.lastName(), a.lastName()];
    expect([b.firstName(), b.firstName(), b.lastName(), b.lastName()]).toEqual(namesA);
    expect(namesA[0]).not.toBe(namesA[1]);
    expect(namesA[2]).not.toBe(namesA[3]);
    expect(FIRST_NAMES).toContain(namesA[0]);
    expect(LAST_NAMES).toContain(namesA[2]);
  });
});
