import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, UsageError } from '../core/errors.js';
import { externalValue, loadValueSources, parseSetFlags } from './sources.js';
import { dataSourceNames, loadDataSources } from './data.js';
import { loadInput } from '../input/load.js';

async function dir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'okb-src-'));
}

describe('value sources: --set, then the environment, then .env', () => {
  it('precedence', async () => {
    const d = await dir();
    const envFile = join(d, '.env');
    await writeFile(envFile, 'A=from-dotenv\nB=from-dotenv\nC=from-dotenv\n# D=commented\nE=\n');
    const src = loadValueSources({ set: ['A=from-set'], envFile, env: { A: 'from-env', B: 'from-env', E: '' } });
    expect(externalValue(src, 'A')).toEqual({ value: 'from-set', source: 'set' });
    expect(externalValue(src, 'B')).toEqual({ value: 'from-env', source: 'env' });
    expect(externalValue(src, 'C')).toEqual({ value: 'from-dotenv', source: 'dotenv' });
    expect(externalValue(src, 'D')).toBeUndefined();
    // an empty environment variable counts as unset; an empty .env value is a value
    expect(externalValue(src, 'E')).toEqual({ value: '', source: 'dotenv' });
    expect(src.envFile).toBe(envFile);
  });

  it('a missing .env is empty; --set values may hold "=" and be empty', async () => {
    const src = loadValueSources({ set: ['URL=http://x/?a=b', 'EMPTY='], envFile: join(await dir(), 'none.env'), env: {} });
    expect(src.dotenv).toEqual({});
    expect(externalValue(src, 'URL')!.value).toBe('http://x/?a=b');
    expect(externalValue(src, 'EMPTY')).toEqual({ value: '', source: 'set' });
  });

  it('a malformed --set is a UsageError saying KEY=VALUE', () => {
    for (const bad of ['NOEQUALS', '=v', 'my key=v', '1A=v']) {
      expect(() => parseSetFlags([bad])).toThrow(UsageError);
      expect(() => parseSetFlags([bad])).toThrow(/KEY=VALUE/);
    }
  });

  it('the API token never becomes a value', () => {
    const src = loadValueSources({ set: [], envFile: '/nonexistent/.env', env: { OKTA_API_TOKEN: 't0ken-value', OKTA_CLIENT_TOKEN: 'x' } });
    expect(externalValue(src, 'OKTA_API_TOKEN')).toBeUndefined();
    expect(externalValue(src, 'OKTA_CLIENT_TOKEN')).toBeUndefined();
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
