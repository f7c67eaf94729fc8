import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { emitJsonSchema, writeJsonSchema } from './schema.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = async (p: string) => JSON.parse(await readFile(join(ROOT, p), 'utf8')) as unknown;

describe('inputs/schema.json', () => {
  it('is current: equal to what the zod schema emits (regenerate with `npm run schema`)', async () => {
    expect(await read('inputs/schema.json')).toEqual(emitJsonSchema());
  });

  it('writeJsonSchema writes exactly that', async () => {
    const f = join(await mkdtemp(join(tmpdir(), 'okb-schema-')), 'schema.json');
    await writeJsonSchema(f);
    expect(JSON.parse(await readFile(f, 'utf8'))).toEqual(emitJsonSchema());
  });

  it('accepts the built-in and legacy inputs, and rejects what the zod schema rejects', async () => {
    const validate = new Ajv2020({ strict: false }).compile(emitJsonSchema());
    for (const f of ['inputs/mulesoft.json', 'inputs/mulesoft_policy.json', 'test/fixtures/legacy-inputs/mulesoft.json', 'test/fixtures/legacy-inputs/mulesoft_policy.json']) {
      expect(validate(await read(f)), `${f}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    expect(validate({ A: { objType: 'strng' } })).toBe(false);
    expect(validate({ A: { objType: 'json', objectClass: 'okta:grup', default: {} } })).toBe(false);
    expect(validate({ A: { objType: 'json' } })).toBe(false);
    expect(validate({ A: { objType: 'string', default: 'x', extra: 1 } })).toBe(false);
    expect(validate({ $schema: './schema.json', A: { objType: 'data', default: 'mulesoft' } })).toBe(true);
  });
});
