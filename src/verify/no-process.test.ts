/** verify is an engine: the CLI passes it the environment snapshot; it never reads or drives the process itself. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = new URL('.', import.meta.url).pathname;

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? sources(join(dir, e.name)) : Promise.resolve(e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []))));
  return nested.flat();
}

describe('src/verify and the process', () => {
  it('no module uses process (env, argv, exit, streams, signals)', async () => {
    const files = await sources(DIR);
    expect(files.length).toBeGreaterThan(5);
    const uses: string[] = [];
    for (const f of files) {
      const lines = (await readFile(f, 'utf8')).split('\n');
      lines.forEach((l, i) => {
        if (/(^|[^.\w])process\s*[.[]|node:process|globalThis\.process/.test(l)) uses.push(`${f.slice(DIR.length)}:${i + 1}: ${l.trim()}`);
      });
    }
    expect(uses).toEqual([]);
  });
});
