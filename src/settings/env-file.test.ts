import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'dotenv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.js';
import { formatEnvValue, mergeEnvFile, mergeEnvText } from './env-file.js';

describe('mergeEnvText', () => {
  it('keeps comments and other lines, updates keys in place and appends new ones', () => {
    const before = [
      '# app settings',
      'OKTA_TENANT=https://old.okta.com',
      '',
      'export PORT=3000   # the app port',
      'UNRELATED="keep me"',
      '# trailing comment',
      '',
    ].join('\n');
    const r = mergeEnvText(before, { PORT: '8080', OKTA_TENANT: 'https://dev-1.okta.com', GATEWAY: 'mulesoft' });
    expect(r.text).toBe(
      [
        '# app settings',
        'OKTA_TENANT=https://dev-1.okta.com',
        '',
        'export PORT=8080',
        'UNRELATED="keep me"',
        '# trailing comment',
        'GATEWAY=mulesoft',
        '',
      ].join('\n'),
    );
    expect(r.updated.sort()).toEqual(['OKTA_TENANT', 'PORT']);
    expect(r.added).toEqual(['GATEWAY']);
  });

  it('updates every occurrence of a key and replaces a multi-line quoted value whole', () => {
    const before = 'A=1\nKEY="line one\nline two"\nB=2\nA=3\n';
    const r = mergeEnvText(before, { A: 'x', KEY: 'one line' });
    expect(r.text).toBe("A=x\nKEY='one line'\nB=2\nA=x\n");
    expect(parse(r.text)).toEqual({ A: 'x', KEY: 'one line', B: '2' });
  });

  it('reports unchanged keys, keeps CRLF line ends, and handles an empty file', () => {
    expect(mergeEnvText('A=1\r\nB=2\r\n', { A: '1' })).toMatchObject({ text: 'A=1\r\nB=2\r\n', unchanged: ['A'], updated: [] });
    expect(mergeEnvText('', { A: '1' }).text).toBe('A=1\n');
    expect(mergeEnvText('A=1', { B: '2' }).text).toBe('A=1\nB=2\n');
  });

  it('writes values dotenv reads back exactly', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !/[\r\n]/.test(s)),
        fc.string({ maxLength: 20 }).filter((s) => !/[\r\n']/.test(s)),
        (value, other) => {
          // values holding all three quote characters cannot be represented: refused, never mangled
          if (value.includes("'") && value.includes('`') && (value.includes('"') || /\\[nr]/.test(value))) {
            expect(() => formatEnvValue(value)).toThrow(ConfigError);
            return;
          }
          const text = mergeEnvText(`# c\nOTHER=${formatEnvValue(other)}\nSECRET=old\n`, { SECRET: value, NEW: value }).text;
          const parsed = parse(text);
          expect(parsed.SECRET).toBe(value);
          expect(parsed.NEW).toBe(value);
          expect(parsed.OTHER).toBe(other);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses values with line breaks', () => {
    expect(() => formatEnvValue('a\nb')).toThrow(ConfigError);
  });
});

describe('mergeEnvFile', () => {
  it('creates or rewrites the file with mode 0600', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'okb-envfile-'));
    const file = join(dir, '.env');
    await writeFile(file, '# mine\nKEEP=1\n', { mode: 0o644 });
    const r = await mergeEnvFile(file, { AUTHN_CLIENT_ID: '0oa1', AUTHN_CLIENT_SECRET: 's3cr3t with space' });
    expect(r.added).toEqual(['AUTHN_CLIENT_ID', 'AUTHN_CLIENT_SECRET']);
    expect(await readFile(file, 'utf8')).toBe("# mine\nKEEP=1\nAUTHN_CLIENT_ID=0oa1\nAUTHN_CLIENT_SECRET='s3cr3t with space'\n");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const fresh = join(dir, 'sub', 'new.env');
    await mergeEnvFile(fresh, { A: '1' });
    expect(await readFile(fresh, 'utf8')).toBe('A=1\n');
    expect((await stat(fresh)).mode & 0o777).toBe(0o600);
  });
});
