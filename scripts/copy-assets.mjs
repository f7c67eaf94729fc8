#!/usr/bin/env node
/**
 * Part of `npm run build`: tsc emits only .js, so JSON files that modules read at run time
 * (e.g. src/spec/okta-spec.fixture.json, read via new URL(..., import.meta.url)) are copied
 * from src/ to the same place under dist/.
 */
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
let n = 0;
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
  const from = join(entry.parentPath ?? entry.path, entry.name);
  const to = join(dist, relative(src, from));
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to);
  n++;
}
if (process.argv.includes('--verbose')) console.log(`copied ${n} JSON asset(s) to dist/`);
