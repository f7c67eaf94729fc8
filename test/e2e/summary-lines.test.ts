/**
 * The closing summary and the error line after it speak of the same entries with the same numbers: a value whose
 * template reads a field its object does not have fails, the two objects built from it cannot start, and both lines
 * say 1 failed and 2 skipped, naming the value that failed (not the object its template reads).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEnv, type Env } from './apply-support.js';

const INPUT = {
  G: { objType: 'json', objectClass: 'okta:user_group', default: { profile: { name: 'summary lines {{TAG}}', description: 'g' } } },
  X: { objType: 'string', default: '{{G.profile.nope}}' },
  Y: { objType: 'json', objectClass: 'okta:user_group', default: { profile: { name: 'y {{X}}', description: 'y' } } },
  Z: { objType: 'json', objectClass: 'okta:user_group', default: { profile: { name: 'z {{X}}', description: 'z' } } },
  TAG: { objType: 'string', default: 'summarylines' },
};

describe('summary and error line', () => {
  let e: Env;
  beforeAll(async () => {
    e = await startEnv();
  });
  afterAll(() => e?.close());

  it('agree on what failed and what could not start', async () => {
    const file = join(e.dir, 'summary-lines.json');
    await writeFile(file, JSON.stringify(INPUT, null, 2));
    const r = await e.cli(['--input', file, '--yes']);
    expect(r.code, r.stderr).toBe(1);
    const summary = /Not finished: .*?(\d+) failed, (\d+) skipped/.exec(r.stderr);
    const error = /(\d+) failed and (\d+) could not start; first: (\w+):/.exec(r.stderr);
    expect(summary?.slice(1, 3), r.stderr).toEqual(['1', '2']);
    expect(error?.slice(1, 4), r.stderr).toEqual(['1', '2', 'X']);
    expect(r.stderr).not.toMatch(/object(s)? failed/);
  });
});
