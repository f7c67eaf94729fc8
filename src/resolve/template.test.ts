import { describe, expect, it } from 'vitest';
import { BootstrapError } from '../core/errors.js';
import { KNOWN_AFTER_APPLY, refsOf, render } from './template.js';
import { valueAtPath } from '../core/json.js';
import { createGenerators, type Generators } from './generate.js';

const values: Record<string, unknown> = {
  PORT: '8080',
  SERVER: { id: 'aus1', issuer: 'https://x/oauth2/aus1', audiences: ['api://a'], nested: { deep: { er: 7 } } },
  IDS: ['00g1', '00g2'],
  N: 3,
};
const lookup = (key: string, path: string[]) => valueAtPath(values[key], path);

/** Generators that count their calls and return predictable values. */
function countingGen(): Generators & { calls: Record<string, number> } {
  const calls = { tag: 0, password: 0, firstName: 0, lastName: 0 };
  return {
    calls,
    tag: () => `autogen20250101-120${calls.tag++}`,
    password: () => `Pw${calls.password++}!x`,
    firstName: () => ['Ada', 'Grace'][calls.firstName++]!,
    lastName: () => ['Lovelace', 'Hopper'][calls.lastName++]!,
  };
}

describe('refsOf', () => {
  it('finds key refs with deep paths and generators, deep inside objects and arrays, once each', () => {
    expect(refsOf({ a: ['{{X}} {{Y.a.b}}', { b: '{{ GENERATE_TAG }}' }], c: '{{X}}', d: 5, e: null })).toEqual([
      { kind: 'key', key: 'X', path: [] },
      { kind: 'key', key: 'Y', path: ['a', 'b'] },
      { kind: 'generate', name: 'TAG' },
    ]);
  });

  it('leaves out names bound by a generator in the same value', () => {
    const user = { profile: { login: '{{FIRSTNAME}}.{{LASTNAME}}@{{DOMAIN}}', firstName: '{{GENERATE_FIRSTNAME}}', lastName: '{{GENERATE_LASTNAME}}' } };
    expect(refsOf(user).filter((r) => r.kind === 'key')).toEqual([{ kind: 'key', key: 'DOMAIN', path: [] }]);
    expect(refsOf('{{FIRSTNAME}}')).toEqual([{ kind: 'key', key: 'FIRSTNAME', path: [] }]);
  });
});

describe('render', () => {
  it('interpolates keys and deep paths, including array indexes', () => {
    expect(render('http://localhost:{{PORT}}/{{SERVER.nested.deep.er}}/{{SERVER.audiences.0}}', lookup, countingGen())).toBe('http://localhost:8080/7/api://a');
  });

  it('a string that is exactly one template keeps the type of its value', () => {
    expect(render({ groupIds: '{{IDS}}', n: '{{N}}', s: '{{SERVER}}' }, lookup, countingGen())).toEqual({ groupIds: ['00g1', '00g2'], n: 3, s: values.SERVER });
    expect(render('ids: {{IDS}}', lookup, countingGen())).toBe('ids: ["00g1","00g2"]');
    expect(render('{{PORT}}', lookup, countingGen())).toBe('8080');
  });

  it('leaves non-template values, nulls, numbers and malformed templates alone', () => {
    expect(render({ a: null, b: 1, c: true, d: '{{not a template}}', e: [] }, lookup, countingGen())).toEqual({ a: null, b: 1, c: true, d: '{{not a template}}', e: [] });
  });

  it('binds generated names within the value, whatever the field order', () => {
    const gen = countingGen();
    const user = render(
      { profile: { email: '{{FIRSTNAME}}.{{LASTNAME}}@x.com', firstName: '{{GENERATE_FIRSTNAME}}', lastName: '{{GENERATE_LASTNAME}}', login: '{{FIRSTNAME}}.{{LASTNAME}}@x.com' } },
      lookup,
      gen,
    );
    expect(user).toEqual({ profile: { email: 'Ada.Lovelace@x.com', firstName: 'Ada', lastName: 'Lovelace', login: 'Ada.Lovelace@x.com' } });
    expect(gen.calls).toMatchObject({ firstName: 1, lastName: 1 });
    // the next value gets its own names
    expect(render({ f: '{{GENERATE_FIRSTNAME}}', again: '{{GENERATE_FIRSTNAME}}' }, lookup, gen)).toEqual({ f: 'Grace', again: 'Grace' });
  });

  it('inserts KNOWN_AFTER_APPLY verbatim', () => {
    const dry = (key: string, path: string[]) => (key === 'SERVER' ? KNOWN_AFTER_APPLY : lookup(key, path));
    expect(render({ e: '/api/v1/authorizationServers/{{SERVER.id}}/scopes', id: '{{SERVER.id}}' }, dry, countingGen())).toEqual({
      e: `/api/v1/authorizationServers/${KNOWN_AFTER_APPLY}/scopes`,
      id: KNOWN_AFTER_APPLY,
    });
  });

  it('a missing value or property is an error naming the template and the key', () => {
    const e = (() => {
      try {
        render({ x: ['{{SERVER.client_secret}}'] }, lookup, countingGen());
      } catch (err) {
        return err;
      }
    })() as BootstrapError;
    expect(e).toBeInstanceOf(BootstrapError);
    expect(e.message).toBe('{{SERVER.client_secret}} has no value');
    expect(e.details.key).toBe('SERVER');
    expect(e.details.suggestion).toMatch(/no property "client_secret"/);
  });

  it('works with the real generators (tag format)', () => {
    const gen = createGenerators({ seed: 1, now: () => new Date(2025, 0, 2, 3, 4) });
    expect(render('name {{GENERATE_TAG}}', lookup, gen)).toMatch(/^name autogen20250102-0304-[0-9a-z]{4}$/);
  });
});
