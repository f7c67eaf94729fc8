import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InputError } from '../core/errors.js';
import type { InputFile } from '../input/schema.js';
import { buildGraph, externalKeys } from './graph.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../test/fixtures/legacy-inputs/${name}`, import.meta.url)), 'utf8')) as InputFile;
const builtin = (name: string) => {
  const { $schema: _s, $comment: _c, ...entries } = JSON.parse(readFileSync(fileURLToPath(new URL(`../../inputs/${name}`, import.meta.url)), 'utf8')) as Record<string, unknown>;
  return entries as InputFile;
};

const before = (order: string[], a: string, b: string) => order.indexOf(a) < order.indexOf(b);

function shuffled(input: InputFile, perm: number[]): InputFile {
  const keys = Object.keys(input);
  const out: InputFile = {};
  for (const i of perm) out[keys[i]!] = input[keys[i]!]!;
  return out;
}

describe('order', () => {
  it('the legacy mulesoft input: every key after what it references', () => {
    const g = buildGraph(fixture('mulesoft.json'), 'mulesoft.json');
    expect(g.order).toHaveLength(29);
    for (const [a, b] of [
      ['TAG', 'INTROSPECT_CLIENT'], ['PORT', 'REDIRECT_URI'], ['REDIRECT_URI', 'INTROSPECT_CLIENT'], ['INTROSPECT_CLIENT', 'INTROSPECT_CLIENT_SECRET'],
      ['OKTA_AZ_SERVER', 'OKTA_AZ_SERVER_ID'], ['OKTA_AZ_SERVER_ID', 'SILVER_SCOPE'], ['SILVER_SCOPE_NAME', 'SILVER_SCOPE'], ['SILVER_GROUP', 'GOLD_USER'],
      ['GOLD_GROUP', 'GOLD_USER'], ['FAKE_USER_PASSWORD', 'SILVER_USER'], ['FAKE_USER_DOMAIN', 'SILVER_USER'], ['FAKE_USER_PASSWORD', 'GOLD_PASSWORD'],
    ] as const) expect(before(g.order, a, b), `${a} before ${b}`).toBe(true);
    expect(g.nodes.get('SILVER_USER')!.deps.sort()).toEqual(['FAKE_USER_DOMAIN', 'FAKE_USER_PASSWORD', 'FAKE_USER_RECOVERY_ANSWER', 'FAKE_USER_RECOVERY_QUESTION', 'SILVER_GROUP']);
    expect(g.nodes.get('SILVER_USER')!.external).toEqual([]); // FIRSTNAME/LASTNAME are bound, not external
    expect(externalKeys(g)).toEqual(['OKTA_TENANT']);
  });

  it('file order breaks ties; data entries come first', () => {
    const g = buildGraph(fixture('mulesoft_policy.json'), 'p.json');
    expect(g.order).toEqual(['DATA_SOURCE', 'TAG', 'ACCESS_POLICY', 'SILVER_RULE', 'GOLD_RULE']);
    const moved = buildGraph(shuffled(fixture('mulesoft_policy.json'), [4, 3, 2, 1, 0]), 'p.json');
    expect(moved.order).toEqual(['DATA_SOURCE', 'ACCESS_POLICY', 'GOLD_RULE', 'SILVER_RULE', 'TAG']);
    expect(externalKeys(g)).toEqual(['AUTHN_CLIENT_ID', 'OKTA_AZ_SERVER_ID', 'SILVER_GROUP_ID', 'SILVER_SCOPE_NAME', 'GOLD_GROUP_ID', 'GOLD_SCOPE_NAME']);
  });

  it.each(['legacy mulesoft.json', 'legacy mulesoft_policy.json', 'built-in mulesoft.json', 'built-in mulesoft_policy.json'])(
    'file order does not matter (%s, shuffled keys): the same constraints hold',
    (which) => {
      const [kind, name] = which.split(' ') as [string, string];
      const input = kind === 'legacy' ? fixture(name) : builtin(name);
      const reference = buildGraph(input, name);
      const n = Object.keys(input).length;
      fc.assert(
        fc.property(fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }), (perm) => {
          const g = buildGraph(shuffled(input, perm), name);
          expect([...g.order].sort()).toEqual([...reference.order].sort());
          for (const node of g.nodes.values()) {
            expect(node.deps.sort()).toEqual(reference.nodes.get(node.key)!.deps.sort());
            for (const d of node.deps) expect(before(g.order, d, node.key), `${d} before ${node.key}`).toBe(true);
          }
        }),
        { numRuns: 100 },
      );
    },
  );

  it('dependents: everything downstream of a key, in order', () => {
    const g = buildGraph(fixture('mulesoft.json'), 'mulesoft.json');
    expect(g.dependents('PORT')).toEqual(['REDIRECT_URI', 'INTROSPECT_CLIENT', 'INTROSPECT_CLIENT_ID', 'INTROSPECT_CLIENT_SECRET']);
    expect(g.dependents('GOLD_PASSWORD')).toEqual([]);
  });

  it('oktaEndpoint and groups references are dependencies too', () => {
    const g = buildGraph(
      {
        C: { objType: 'json', objectClass: 'okta:client', default: { client_name: 'c' }, groups: ['{{G.id}}'] },
        S: { objType: 'json', objectClass: 'okta:scope', default: { name: 's' }, oktaEndpoint: '/api/v1/authorizationServers/{{AS.id}}/scopes' },
        AS: { objType: 'json', objectClass: 'okta:authz_server', default: { name: 'a' } },
        G: { objType: 'json', objectClass: 'okta:user_group', default: { profile: { name: 'g' } } },
      },
      'x.json',
    );
    expect(g.order).toEqual(['AS', 'S', 'G', 'C']);
  });
});

describe('cycles', () => {
  it('throw an InputError listing the cycle', () => {
    const e = (() => {
      try {
        buildGraph({ A: { objType: 'string', default: '{{B}}' }, B: { objType: 'string', default: 'x{{C}}' }, C: { objType: 'string', default: '{{A}}' }, D: { objType: 'string', default: '{{A}}' } }, 'c.json');
      } catch (err) {
        return err;
      }
    })() as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.exitCode).toBe(2);
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]!.message).toMatch(/A → B → C → A/);
  });

  it('property: a random acyclic graph orders; adding a back edge is always caught', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }).chain((n) =>
          fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 30 }), fc.nat(n - 1), fc.nat(n - 1)),
        ),
        ([n, edges, x, y]) => {
          // edges only from higher to lower index: acyclic
          const input: InputFile = {};
          for (let i = 0; i < n; i++) {
            const refs = edges.filter(([a, b]) => a === i && b < a).map(([, b]) => `{{K${b}}}`);
            input[`K${i}`] = { objType: 'string', default: refs.join('-') || 'v' };
          }
          const g = buildGraph(input, 'r.json');
          for (const node of g.nodes.values()) for (const d of node.deps) expect(before(g.order, d, node.key)).toBe(true);
          if (x === y) return;
          const [lo, hi] = x < y ? [x, y] : [y, x];
          // hi → … → lo exists? then lo → hi closes a cycle
          const reaches = g.dependents(`K${lo}`).includes(`K${hi}`);
          input[`K${lo}`] = { objType: 'string', default: `${String(input[`K${lo}`]!.default)}{{K${hi}}}` };
          if (reaches) expect(() => buildGraph(input, 'r.json')).toThrow(InputError);
          else expect(() => buildGraph(input, 'r.json')).not.toThrow();
        },
      ),
      { numRuns: 200 },
    );
  });
});
