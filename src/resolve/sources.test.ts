import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, UsageError } from '../core/errors.js';
import { describeSource, externalValue, keysFromObjectsIn, loadValueSources, lookupValue, parseSetFlags, recordKeysFromObjects, type ValueSourceName } from './sources.js';
import { dataSourceNames, loadDataSources } from './data.js';
import { loadInput } from '../input/load.js';

async function dir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'okb-src-'));
}

type Cell = string | undefined;
/** [--set, environment, .env line, expected value, expected source]; undefined = absent. */
const TABLE: [Cell, Cell, Cell, Cell, ValueSourceName | undefined][] = [
  // one source at a time: absent, empty, blank, a value
  [undefined, undefined, undefined, undefined, undefined],
  ['s', undefined, undefined, 's', 'set'],
  ['', undefined, undefined, '', 'set'], // --set K= is an empty value given on purpose
  ['  ', undefined, undefined, '  ', 'set'],
  [undefined, 'e', undefined, 'e', 'env'],
  [undefined, '', undefined, undefined, undefined], // empty in the environment: not set
  [undefined, '  ', undefined, undefined, undefined],
  [undefined, undefined, 'd', 'd', 'dotenv'],
  [undefined, undefined, '', undefined, undefined], // K= in .env: not set
  [undefined, undefined, '"  "', undefined, undefined], // quoted blanks in .env: not set
  // precedence: --set > environment > .env
  ['s', 'e', 'd', 's', 'set'],
  [undefined, 'e', 'd', 'e', 'env'],
  ['', 'e', 'd', '', 'set'],
  // an empty source falls through to the next one
  [undefined, '', 'd', 'd', 'dotenv'],
  [undefined, 'e', '', 'e', 'env'],
  [undefined, '', '', undefined, undefined],
];

describe('value sources: --set, then the environment, then .env', () => {
  it.each(TABLE)('--set %j, env %j, .env %j → %j from %s', async (set, env, dotenvLine, value, source) => {
    const envFile = join(await dir(), '.env');
    await writeFile(envFile, `OTHER=x\n${dotenvLine === undefined ? '' : `K=${dotenvLine}\n`}`);
    const src = loadValueSources({ set: set === undefined ? [] : [`K=${set}`], envFile, env: env === undefined ? {} : { K: env } });
    const expected = value === undefined ? undefined : { value, source };
    expect(externalValue(src, 'K')).toEqual(expected);
    expect(lookupValue(src, 'K')).toEqual(expected && { ...expected, name: 'K' });
  });

  it('aliases: each source is tried for every name before the next source', async () => {
    const envFile = join(await dir(), '.env');
    await writeFile(envFile, 'OKTA_TENANT=https://dotenv.example.com\n');
    const src = loadValueSources({ envFile, env: { OKTA_CLIENT_ORGURL: 'https://env.example.com', OKTA_TENANT: '' } });
    expect(lookupValue(src, ['OKTA_TENANT', 'OKTA_CLIENT_ORGURL'])).toEqual({ value: 'https://env.example.com', source: 'env', name: 'OKTA_CLIENT_ORGURL' });
    expect(describeSource(src, 'dotenv')).toBe(envFile);
    expect(describeSource(src, 'env')).toBe('the environment');
  });

  it('a missing .env is empty; --set values may hold "="', async () => {
    const src = loadValueSources({ set: ['URL=http://x/?a=b'], envFile: join(await dir(), 'none.env'), env: {} });
    expect(src.dotenv).toEqual({});
    expect(externalValue(src, 'URL')).toEqual({ value: 'http://x/?a=b', source: 'set' });
  });

  it('a malformed --set is a UsageError saying KEY=VALUE', () => {
    for (const bad of ['NOEQUALS', '=v', 'my key=v', '1A=v']) {
      expect(() => parseSetFlags([bad])).toThrow(UsageError);
      expect(() => parseSetFlags([bad])).toThrow(/KEY=VALUE/);
    }
  });

  it('the API token never becomes a value for the engine (get-settings still finds it with lookupValue)', () => {
    const src = loadValueSources({ set: [], envFile: '/nonexistent/.env', env: { OKTA_API_TOKEN: 't0ken-value', OKTA_CLIENT_TOKEN: 'x' } });
    expect(externalValue(src, 'OKTA_API_TOKEN')).toBeUndefined();
    expect(externalValue(src, 'OKTA_CLIENT_TOKEN')).toBeUndefined();
    expect(lookupValue(src, 'OKTA_API_TOKEN')?.value).toBe('t0ken-value');
  });
});

describe('data sources', () => {
  it('load an earlier output (meta left out) by name from the output dir', async () => {
    const d = await dir();
    await writeFile(join(d, 'mulesoft.json'), JSON.stringify({ SILVER_GROUP_ID: '00g1', OKTA_AZ_SERVER: { id: 'aus1' }, '$okta-bootstrap': { version: 1 } }));
    const input = await loadInput('mulesoft_policy');
    expect(dataSourceNames(input.entries)).toEqual(['mulesoft']);
    expect(await loadDataSources(input, d)).toEqual({ SILVER_GROUP_ID: '00g1', OKTA_AZ_SERVER: { id: 'aus1' } });
    expect(await loadDataSources(input.entries, d)).toEqual({ SILVER_GROUP_ID: '00g1', OKTA_AZ_SERVER: { id: 'aus1' } });
  });

  it('a missing output names the command to run first', async () => {
    const input = await loadInput('mulesoft_policy');
    const e = (await loadDataSources(input, await dir()).catch((x: unknown) => x)) as ConfigError;
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toMatch(/mulesoft\.json not found/);
    expect(e.details.suggestion).toMatch(/Run `okta-bootstrap --mulesoft` first/);
    expect(e.details.key).toBe('DATA_SOURCE');
  });

  it('a custom source names --input; later sources win; unreadable JSON is a clear error', async () => {
    const d = await dir();
    await writeFile(join(d, 'one.json'), JSON.stringify({ A: '1', B: '1' }));
    await writeFile(join(d, 'two.json'), JSON.stringify({ B: '2' }));
    const entries = { S1: { objType: 'data' as const, default: 'one' }, S2: { objType: 'data' as const, default: join(d, 'two.json') } };
    expect(await loadDataSources(entries, d)).toEqual({ A: '1', B: '2' });
    const missing = (await loadDataSources({ S: { objType: 'data', default: 'gw' } }, d).catch((x: unknown) => x)) as ConfigError;
    expect(missing.details.suggestion).toMatch(/okta-bootstrap --input gw\.json/);
    await writeFile(join(d, 'bad.json'), '{');
    await expect(loadDataSources({ S: { objType: 'data', default: 'bad' } }, d)).rejects.toThrow(/not valid JSON/);
  });
});

describe('--set keys the input does not know', () => {
  it('a typo is refused with the closest key; a key only a template references is allowed', async () => {
    const { checkSetKeys, settableKeys } = await import('./sources.js');
    const mulesoft = await loadInput('mulesoft');
    const known = settableKeys(mulesoft.entries);
    expect(known).toContain('PORT');
    expect(() => checkSetKeys({ PORT: '9090', TAG: 't' }, known, 'mulesoft')).not.toThrow();
    expect(() => checkSetKeys({ PROT: '9090' }, known, 'mulesoft')).toThrow(/--set PROT: mulesoft has no value PROT and no template uses it: did you mean PORT\?/);
    try {
      checkSetKeys({ PROT: '9090' }, known, 'mulesoft');
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).exitCode).toBe(2);
    }
    const policy = await loadInput('mulesoft_policy', { knownExternal: () => true });
    const policyKeys = settableKeys(policy.entries);
    // referenced by the policy's templates, defined in no entry of it
    for (const k of ['AUTHN_CLIENT_ID', 'TAG', 'REDIRECT_URI']) expect(policyKeys).toContain(k);
    expect(() => checkSetKeys({ AUTHN_CLIENT_ID: '0oa1', NOPE_NOTHING: 'x' }, policyKeys, 'mulesoft_policy')).toThrow(/--set NOPE_NOTHING: mulesoft_policy has no value NOPE_NOTHING/);
  });
});

describe('keysFromObjectsIn / recordKeysFromObjects: the values an input reads from its objects', () => {
  it('directly, through other values, through groups and endpoints; not plain values, objects or data entries', () => {
    const keys = keysFromObjectsIn({
      URL: { objType: 'string', default: '{{ISSUER}}/v1/token' },
      TAG: { objType: 'string', default: 'x' },
      SERVER: { objType: 'json', objectClass: 'okta:authz_server', default: { name: 's {{TAG}}' } },
      ISSUER: { objType: 'string', default: '{{SERVER.issuer}}' },
      NAME: { objType: 'string', default: 'n {{TAG}}' },
      SCOPE: { objType: 'json', objectClass: 'okta:scope', oktaEndpoint: '/api/v1/authorizationServers/{{SERVER.id}}/scopes', default: { name: '{{NAME}}' } },
      DATA: { objType: 'data', default: 'mulesoft' },
    });
    expect([...keys].sort()).toEqual(['ISSUER', 'URL']);
  });

  it("from the input file a record names; none for a record without one or whose input is gone", async () => {
    const d = await dir();
    const input = join(d, 'in.json');
    await writeFile(input, JSON.stringify({ $schema: './schema.json', G: { objType: 'json', objectClass: 'okta:user_group', default: {} }, G_ID: { objType: 'string', default: '{{G.id}}' } }));
    const meta = { version: 1, input: 'in', orgUrl: 'https://x', status: 'complete' as const, startedAt: '', dataSources: [], objects: {} };
    expect([...(await recordKeysFromObjects({ meta: { ...meta, inputFile: input } }))]).toEqual(['G_ID']);
    expect((await recordKeysFromObjects({ meta })).size).toBe(0);
    expect((await recordKeysFromObjects({ meta: { ...meta, inputFile: join(d, 'gone.json') } })).size).toBe(0);
    expect((await recordKeysFromObjects(undefined)).size).toBe(0);
  });
});
