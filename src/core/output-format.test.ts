import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from './errors.js';
import { META_KEY, parseOutput, readOutputFile, serializeOutput, validateOutput, type OutputMeta } from './output-format.js';

const meta: OutputMeta = {
  version: 1,
  input: 'demo',
  orgUrl: 'http://127.0.0.1:7777',
  status: 'complete',
  startedAt: '2026-01-01T00:00:00.000Z',
  dataSources: [],
  objects: { G: { objectClass: 'okta:user_group', state: 'done', id: '00g1', naturalKey: { 'profile.name': 'g' }, at: '2026-01-01T00:00:00.000Z' } },
  replay: { U: { generated: [{ kind: 'firstName', value: 'Ada' }] } },
};

function problemsOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('no InputError');
}

describe('the output file', () => {
  it('round-trips values and meta; a flat file of the original tool has values only', () => {
    const out = validateOutput(JSON.parse(serializeOutput({ values: { TAG: 't' }, meta })), 'o.json');
    expect(out).toEqual({ values: { TAG: 't' }, meta });
    expect(validateOutput({ TAG: 't', OKTA_TENANT: 'x' }, 'o.json')).toEqual({ values: { TAG: 't', OKTA_TENANT: 'x' } });
    // readers of the values only (data sources) get them from a file whose meta is broken
    expect(parseOutput({ TAG: 't', [META_KEY]: {} })).toEqual({ values: { TAG: 't' } });
  });

  it('names every wrong field of the meta, with the file and advice', () => {
    const broken = { TAG: 't', [META_KEY]: { ...meta, status: 'done', objects: { G: { ...meta.objects.G, state: 'finished', naturalKey: { name: 3 } } } } };
    const e = problemsOf(() => validateOutput(broken, 'output/demo.json'));
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('output/demo.json: 3 problems in the output file');
    expect(e.problems.map((p) => p.path.join('.')).sort()).toEqual([`${META_KEY}.objects.G.naturalKey.name`, `${META_KEY}.objects.G.state`, `${META_KEY}.status`]);
    for (const p of e.problems) expect(p.suggestion).toContain('mv output/demo.json output/demo.json.broken');
    expect(problemsOf(() => validateOutput([1, 2], 'o.json')).problems[0]?.message).toMatch(/one JSON object/);
    expect(problemsOf(() => validateOutput({ [META_KEY]: 'x' }, 'o.json')).problems[0]?.path).toEqual([META_KEY]);
  });

  it('a truncated file: line and column of the JSON error; a missing file: undefined', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'okb-out-'));
    const file = join(dir, 'demo.json');
    await writeFile(file, serializeOutput({ values: { TAG: 't' }, meta }).slice(0, 120));
    const e = await readOutputFile(file, { record: true }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(InputError);
    const p = e instanceof InputError ? e.problems[0] : undefined;
    expect(p?.message).toMatch(/not valid JSON/);
    expect(p?.line).toBeGreaterThan(1);
    expect(p?.column).toBeGreaterThan(0);
    expect(await readOutputFile(join(dir, 'none.json'))).toBeUndefined();
  });
});
