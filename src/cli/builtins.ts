/**
 * The built-in inputs (inputs/*.json of this package), each becoming a --<name> flag.
 * Read cheaply (no zod, no SDK): --help lists them.
 */
import { readdir, readFile } from 'node:fs/promises';

export interface BuiltinInput {
  name: string;
  file: string;
  description: string;
}

export const INPUTS_DIR = new URL('../../inputs/', import.meta.url);

export async function listBuiltinInputs(): Promise<BuiltinInput[]> {
  let names: string[];
  try {
    names = (await readdir(INPUTS_DIR)).filter((n) => n.endsWith('.json') && n !== 'schema.json').sort();
  } catch {
    return [];
  }
  return Promise.all(
    names.map(async (n) => {
      const file = new URL(n, INPUTS_DIR).pathname;
      let description = '';
      try {
        const json = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
        const c = json.$comment;
        if (typeof c === 'string') description = c;
      } catch {
        description = '(unreadable input file)';
      }
      return { name: n.slice(0, -'.json'.length), file, description };
    }),
  );
}
