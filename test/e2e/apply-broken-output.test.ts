/**
 * A truncated or hand-broken output file stops the run before anything is sent or written: exit 2, the file's
 * path, what is wrong and where, and advice that works; the file is left byte for byte as it was.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectOk, startEnv, type Env } from './apply-support.js';

const INPUT = {
  BROKEN_ORIGIN: { objType: 'json', objectClass: 'okta:trusted_origin', saveToOutput: true, default: { name: 'broken output origin', origin: 'http://localhost:9912', scopes: [{ type: 'CORS' }] } },
};

describe('a broken output file', () => {
  let e: Env;
  let input: string;
  let output: string;
  let good: string;
  beforeAll(async () => {
    e = await startEnv();
    input = join(e.dir, 'broken.json');
    await writeFile(input, JSON.stringify(INPUT, null, 2));
    expectOk(await e.cli(['--input', input, '--yes']));
    output = join(e.out, 'broken.json');
    good = await readFile(output, 'utf8');
  });
  afterAll(() => e?.close());

  it('truncated: exit 2 with the path, the line and column, and advice; the file is not written over', async () => {
    const truncated = good.slice(0, Math.floor(good.length / 2));
    await writeFile(output, truncated);
    const writesBefore = e.writesSince(0).length;
    for (const args of [['--input', input, '--yes'], ['destroy', '--input', input, '--yes']]) {
      const r = await e.cli(args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`${output}: 1 problem in the output file`);
      expect(r.stderr).toMatch(/line \d+, column \d+/);
      expect(r.stderr).toContain('not valid JSON');
      expect(r.stderr).toContain(`mv ${output} ${output}.broken`);
      expect(r.stderr).not.toMatch(/Unterminated string in JSON at position/);
      expect(await readFile(output, 'utf8')).toBe(truncated);
    }
    expect(e.writesSince(0)).toHaveLength(writesBefore); // nothing was sent that changes the org
  }, 60_000);

  it('edited by hand: the wrong field is named', async () => {
    const edited = good.replace('"state": "done"', '"state": "finished"');
    expect(edited).not.toBe(good);
    await writeFile(output, edited);
    const r = await e.cli(['--input', input, '--yes']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('$okta-bootstrap.objects.BROKEN_ORIGIN.state');
    expect(await readFile(output, 'utf8')).toBe(edited);
  }, 60_000);

  it('restored, the next run goes on as before', async () => {
    await writeFile(output, good);
    const r = expectOk(await e.cli(['--input', input, '--yes']));
    expect(r.stderr).toMatch(/= unchanged BROKEN_ORIGIN/);
  }, 60_000);
});
