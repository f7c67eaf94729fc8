import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, type InputProblem } from '../core/errors.js';
import { validateInput } from './validate.js';
import { loadInput } from './load.js';
import { closest } from './suggest.js';
import { firstSyntaxErrorOffset, positionAt } from '../core/json-locate.js';

const problemsOf = (json: unknown, opts = {}) => {
  const text = JSON.stringify(json, null, 2);
  return validateInput(JSON.parse(text), text, opts).problems;
};
const errors = (ps: InputProblem[]) => ps.filter((p) => p.severity === 'error');
const at = (ps: InputProblem[], path: string) => ps.filter((p) => p.path.join('.') === path);

async function tempFile(content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'okb-input-'));
  const f = join(dir, 'in.json');
  await writeFile(f, content);
  return f;
}

describe('JSON syntax errors', () => {
  it('give line and column (trailing comma)', async () => {
    const f = await tempFile('{\n  "TAG": {\n    "objType": "string",\n    "default": "x",\n  }\n}\n');
    const e = await loadInput(f).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    const p = (e as InputError).problems[0]!;
    expect(p).toMatchObject({ severity: 'error', line: 5, column: 3 });
    expect(p.message).toMatch(/line 5, column 3/);
    expect((e as InputError).exitCode).toBe(2);
  });

  it.each([
    ['{"a": tru}', 1, 7],
    ['{"a": 1', 1, 8],
    ['{"a" 1}', 1, 6],
    ['{\n "a": [1,,2]\n}', 2, 10],
    ['{"a": "x\ny"}', 1, 9],
    ['', 1, 1],
    ['{"a": 1} x', 1, 10],
  ])('%j → line %i column %i', (text, line, column) => {
    expect(positionAt(text, firstSyntaxErrorOffset(text))).toEqual({ line, column });
    expect(() => { JSON.parse(text); }).toThrow();
  });

  it('valid JSON has no syntax error offset', () => {
    const text = JSON.stringify({ a: [1, -2.5e3, true, null, { b: 'é\u0001"' }], c: {} });
    expect(firstSyntaxErrorOffset(text)).toBe(text.length);
  });
});

describe('schema problems', () => {
  it('unknown objType: names the path and the closest valid one', () => {
    const ps = problemsOf({ A: { objType: 'strng', default: 'x' } });
    expect(errors(ps)).toHaveLength(1);
    expect(at(ps, 'A.objType')[0]!.message).toMatch(/Unknown objType "strng"/);
    expect(at(ps, 'A.objType')[0]!.suggestion).toMatch(/Did you mean "string"\?/);
  });

  it('missing objType', () => {
    const ps = problemsOf({ A: { default: 'x' } });
    expect(at(ps, 'A.objType')[0]!.message).toMatch(/objType is missing/);
  });

  it('unknown objectClass: suggests the closest class', () => {
    const ps = problemsOf({ B: { objType: 'json', objectClass: 'okta:grup', default: {} } });
    expect(at(ps, 'B.objectClass')[0]!.suggestion).toMatch(/Did you mean "okta:user_group"\?/);
    expect(closest('okta:authz_sever', ['okta:authz_server', 'okta:scope'])).toBe('okta:authz_server');
    expect(closest('okta:trusted-origin', ['okta:trusted_origin', 'okta:rule'])).toBe('okta:trusted_origin');
    expect(closest('zzzzzzzz', ['okta:rule'])).toBeUndefined();
  });

  it('a json entry without a default', () => {
    const ps = problemsOf({ C: { objType: 'json', objectClass: 'okta:user_group' } });
    expect(errors(ps)).toHaveLength(1);
    expect(at(ps, 'C.default')[0]!.message).toMatch(/needs a default/);
  });

  it('an Okta object whose default is not an object', () => {
    const ps = problemsOf({ C: { objType: 'json', objectClass: 'okta:user_group', default: 'x' } });
    expect(at(ps, 'C.default')[0]!.message).toMatch(/must be a JSON object/);
    // one template naming a whole body is fine: it keeps the value's type
    expect(problemsOf({ B: { objType: 'json', default: { profile: { name: 'g' } } }, C: { objType: 'json', objectClass: 'okta:user_group', default: '{{B}}' } })).toEqual([]);
  });

  it('a plain json value may be anything', () => {
    expect(problemsOf({ L: { objType: 'json', default: ['a', 1] } })).toEqual([]);
  });

  it('a data entry whose default is not a string', () => {
    const ps = problemsOf({ D: { objType: 'data', default: { name: 'mulesoft' } } });
    expect(at(ps, 'D.default')[0]!.message).toMatch(/data entry must be a string naming an earlier output/);
    expect(at(problemsOf({ D: { objType: 'data' } }), 'D.default')[0]!.message).toMatch(/needs a default/);
  });

  it('a string entry whose default is a number says to quote it', () => {
    const ps = problemsOf({ PORT: { objType: 'string', default: 8080 } });
    expect(at(ps, 'PORT.default')[0]!.suggestion).toBe('Write it in quotes: "default": "8080".');
  });

  it('groups on a non-client', () => {
    const ps = problemsOf({ G: { objType: 'json', objectClass: 'okta:user_group', default: { profile: { name: 'g' } }, groups: ['x'] } });
    expect(at(ps, 'G.groups')[0]!.message).toMatch(/only for okta:client/);
    expect(problemsOf({ C: { objType: 'json', objectClass: 'okta:client', default: { client_name: 'c' }, groups: ['00g1'] } })).toEqual([]);
  });

  it('json-only fields on a string entry, and unknown fields with a suggestion', () => {
    const ps = problemsOf({ S: { objType: 'string', default: 'x', objectClass: 'okta:scope', defualt: 'y' } });
    expect(at(ps, 'S.objectClass')[0]!.message).toMatch(/belongs to json entries/);
    expect(at(ps, 'S.defualt')[0]!.suggestion).toMatch(/Did you mean "default"\?/);
  });

  it('an entry that is not an object; a file that is not an object', () => {
    expect(at(problemsOf({ X: 5 }), 'X')[0]!.message).toMatch(/Each key holds an entry/);
    expect(problemsOf([1])[0]!.message).toMatch(/JSON object/);
  });

  it('$schema and $comment are allowed at the top level, and must be strings', () => {
    expect(problemsOf({ $schema: './schema.json', $comment: 'hello', A: { objType: 'string' } })).toEqual([]);
    expect(errors(problemsOf({ $schema: 3 }))).toHaveLength(1);
  });

  it('key names a template cannot reference', () => {
    const ps = problemsOf({ 'my key': { objType: 'string', default: 'x' } });
    expect(at(ps, 'my key')[0]!.suggestion).toMatch(/my_key/);
  });
});

describe('template problems', () => {
  it('a reference to an undefined key only warns, once per key, with where it comes from', () => {
    const ps = problemsOf({ X: { objType: 'string', default: 'v-{{NOPE}}' }, Y: { objType: 'json', default: { a: '{{NOPE}}', b: '{{X}}' } } });
    expect(errors(ps)).toEqual([]);
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({ severity: 'warning', path: ['X', 'default'] });
    expect(ps[0]!.message).toMatch(/\{\{NOPE\}\} \(used 2 times\) refers to NOPE.*will be asked for/);
    expect(ps[0]!.suggestion).toMatch(/--set NOPE=VALUE/);
  });

  it('no warning for keys known from outside, OKTA_TENANT, or names bound by a generator', () => {
    const json = {
      X: { objType: 'string', default: '{{FROM_ENV}} {{OKTA_TENANT}}' },
      U: { objType: 'json', objectClass: 'okta:user', default: { profile: { firstName: '{{GENERATE_FIRSTNAME}}', login: '{{FIRSTNAME}}@x.com' } } },
    };
    expect(problemsOf(json, { knownExternal: (k: string) => k === 'FROM_ENV' })).toEqual([]);
    // FIRSTNAME outside a value that generates it is a reference like any other
    const ps = problemsOf({ V: { objType: 'string', default: '{{FIRSTNAME}}' } });
    expect(ps[0]!.message).toMatch(/refers to FIRSTNAME/);
  });

  it('unknown generator with a suggestion; a generator with a path', () => {
    const ps = problemsOf({ P: { objType: 'string', default: '{{GENERATE_PASWORD}}' }, T: { objType: 'string', default: '{{GENERATE_TAG.x}}' } });
    expect(at(ps, 'P.default')[0]!.message).toMatch(/Unknown generator \{\{GENERATE_PASWORD\}\}/);
    expect(at(ps, 'P.default')[0]!.suggestion).toMatch(/Did you mean "PASSWORD"/);
    expect(at(ps, 'T.default')[0]!.message).toMatch(/no properties/);
  });

  it('a property of a string key', () => {
    const ps = problemsOf({ PORT: { objType: 'string', default: '1' }, U: { objType: 'string', default: '{{PORT.x}}' } });
    expect(at(ps, 'U.default')[0]!.message).toMatch(/PORT is a string/);
  });

  it('malformed templates warn and name the piece', () => {
    const ps = problemsOf({ A: { objType: 'string', default: 'a {{my key}} b' } });
    expect(ps[0]).toMatchObject({ severity: 'warning' });
    expect(ps[0]!.message).toMatch(/\{\{my key\}\} looks like a template/);
  });

  it('the API token cannot be referenced', () => {
    expect(errors(problemsOf({ A: { objType: 'string', default: 'SSWS {{OKTA_API_TOKEN}}' } }))[0]!.message).toMatch(/never put into values/);
  });

  it('a data entry cannot hold templates', () => {
    expect(at(problemsOf({ D: { objType: 'data', default: '{{X}}' } }), 'D.default')[0]!.message).toMatch(/cannot hold templates/);
  });

  it('templates in oktaEndpoint and groups count too, with their path', () => {
    const ps = problemsOf({ C: { objType: 'json', objectClass: 'okta:client', default: {}, groups: ['{{G1}}'], oktaEndpoint: '/x/{{E1}}' } });
    expect(ps.map((p) => p.path.join('.')).sort()).toEqual(['C.groups.0', 'C.oktaEndpoint']);
  });
});

describe('cycles', () => {
  it('a cycle lists its keys in order', () => {
    const ps = problemsOf({ D: { objType: 'string', default: '{{E}}' }, E: { objType: 'string', default: '{{D}}' } });
    expect(errors(ps)).toHaveLength(1);
    expect(ps[0]!.message).toMatch(/Reference cycle: D → E → D/);
  });

  it('a longer cycle through objects and endpoints, and a self-reference', () => {
    const ps = problemsOf({
      A: { objType: 'json', objectClass: 'okta:scope', default: { name: '{{B.name}}' }, oktaEndpoint: '/x' },
      B: { objType: 'json', default: { name: '{{C}}' } },
      C: { objType: 'string', default: '{{A.id}}' },
      S: { objType: 'json', objectClass: 'okta:oauth_policy', default: { name: 'p' }, oktaEndpoint: '/p/{{S.id}}' },
      OK: { objType: 'string', default: '{{C}}' },
    });
    const msgs = errors(ps).map((p) => p.message);
    expect(msgs).toHaveLength(2);
    expect(msgs.some((m) => m.includes('A → B → C → A'))).toBe(true);
    expect(msgs.some((m) => m.includes('S → S'))).toBe(true);
  });
});

describe('every problem at once, located', () => {
  it('reports all the problems of one file with lines', async () => {
    const text = JSON.stringify(
      {
        A: { objType: 'strng', default: 'x' },
        B: { objType: 'json', objectClass: 'okta:grup', default: { profile: { name: 'n' } } },
        C: { objType: 'json', objectClass: 'okta:user_group' },
        D: { objType: 'string', default: '{{E}}' },
        E: { objType: 'string', default: '{{D}} {{MISSING}}' },
      },
      null,
      2,
    );
    const f = await tempFile(text);
    const e = (await loadInput(f).catch((x: unknown) => x)) as InputError;
    expect(e).toBeInstanceOf(InputError);
    const paths = e.problems.map((p) => `${p.severity}:${p.path.join('.')}:${p.line}`);
    expect(paths).toEqual(['error:A.objType:3', 'error:B.objectClass:8', 'error:C.default:15', 'error:D:19', 'warning:E.default:25']);
    expect(e.message).toMatch(/4 problems/);
  });

  it('duplicate keys are errors with both lines', () => {
    const text = '{\n "A": {"objType": "string"},\n "A": {"objType": "string"}\n}';
    const ps = validateInput(JSON.parse(text), text).problems;
    expect(ps).toHaveLength(1);
    expect(ps[0]!.message).toMatch(/appears 2 times \(lines 2, 3\)/);
  });
});
