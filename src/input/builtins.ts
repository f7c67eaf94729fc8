/**
 * The built-in inputs (inputs/*.json of this package), each with the one-line description of its top-level
 * "$comment". Cheap on purpose (no zod, no SDK): --help lists them as --<name> flags.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isRecord } from '../core/json.js';

export interface BuiltinInput {
  name: string;
  description: string;
  file: string;
}

/** The folder of built-in inputs: inputs/ at the package root (same relative place from src/ and dist/). */
export const BUILTIN_INPUTS_DIR = fileURLToPath(new URL('../../inputs/', import.meta.url));

/** The built-in inputs, each with the one-line description of its top-level "$comment", for --help. */
export function builtinInputs(): BuiltinInput[] {
  let names: string[];
  try {
    names = readdirSync(BUILTIN_INPUTS_DIR).filter((n) => n.endsWith('.json') && n !== 'schema.json').sort();
  } catch {
    return [];
  }
  return names.map((n) => {
    const file = resolvePath(BUILTIN_INPUTS_DIR, n);
    let description = '';
    try {
      const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (isRecord(json) && typeof json.$comment === 'string') description = json.$comment;
    } catch {
      description = '(unreadable input file)';
    }
    return { name: n.slice(0, -'.json'.length), description, file };
  });
}
