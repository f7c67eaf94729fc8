/**
 * Loading an input file: a built-in name ("mulesoft" → inputs/mulesoft.json of this package) or a path.
 * Syntax errors carry line and column; then the whole file is validated and every problem reported at once.
 * Errors throw InputError (exit 2, before anything is sent to Okta); warnings are returned to the caller.
 */
import { basename, resolve as resolvePath } from 'node:path';
import { BootstrapError, InputError, UsageError, type InputProblem } from '../core/errors.js';
import { readTextFile } from '../core/fs.js';
import { readOutputFile } from '../core/output-format.js';
import { isRecord } from '../core/json.js';
import type { InputFile } from './schema.js';
import { parseJsonWithPosition } from '../core/json-locate.js';
import { validateInput } from './validate.js';
import { KEY_NAME } from './refs.js';
import { builtinInputs } from './builtins.js';

export interface LoadedInput {
  /** "mulesoft" for the built-in, or the file's base name without .json. */
  name: string;
  /** Absolute path of the file read. */
  file: string;
  entries: InputFile;
  warnings: InputProblem[];
}

export interface LoadInputOptions {
  /** Keys available from --set / env / .env / data sources, so the "undefined reference" warning is accurate. */
  knownExternal?: (key: string) => boolean;
  /**
   * Where earlier outputs live. When given, the keys of the outputs this input loads through `data` entries
   * also count as known (a missing output is not an error here: loadDataSources() reports it).
   */
  outputDir?: string;
}


/** A built-in name → its file; anything else is a path (relative to the working directory). */
export function resolveInputFile(nameOrPath: string): { name: string; file: string } {
  if (KEY_NAME.test(nameOrPath)) {
    const b = builtinInputs().find((x) => x.name === nameOrPath);
    if (b) return { name: b.name, file: b.file };
  }
  const file = resolvePath(nameOrPath);
  return { name: basename(file).replace(/\.json$/i, ''), file };
}

export async function loadInput(nameOrPath: string, opts: LoadInputOptions = {}): Promise<LoadedInput> {
  const { name, file } = resolveInputFile(nameOrPath);
  let text: string;
  try {
    // At most 10 MB, and UTF-8 only: InputError (exit 2) with the line and column of the first bad byte.
    text = await readTextFile(file, { what: 'input file' });
  } catch (e) {
    if (e instanceof BootstrapError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const names = builtinInputs().map((b) => b.name);
    throw new UsageError(code === 'ENOENT' ? `Input file not found: ${file}` : `Cannot read input ${file}: ${(e as Error).message}`, {
      suggestion: `Give a built-in input (${names.map((n) => `--${n}`).join(', ')}) or an existing file with --input FILE.`,
    });
  }
  const parsed = parseJsonWithPosition(text);
  if (!parsed.ok) {
    throw new InputError(file, [
      {
        severity: 'error',
        path: [],
        message: `JSON syntax error at line ${parsed.error.line}, column ${parsed.error.column}: ${parsed.error.message}.`,
        suggestion: 'Fix the JSON there (a trailing comma or a missing quote is the usual cause).',
        line: parsed.error.line,
        column: parsed.error.column,
      },
    ]);
  }
  const fromData = opts.outputDir ? await dataSourceKeys(parsed.value, opts.outputDir) : new Set<string>();
  const known = (k: string) => fromData.has(k) || Boolean(opts.knownExternal?.(k));
  const { entries, problems } = validateInput(parsed.value, text, { knownExternal: known });
  if (problems.some((p) => p.severity === 'error')) throw new InputError(file, problems);
  return { name, file, entries, warnings: problems };
}

/** Keys of the earlier outputs named by the input's data entries (missing or unreadable outputs give none). */
async function dataSourceKeys(json: unknown, outputDir: string): Promise<Set<string>> {
  const keys = new Set<string>();
  if (!isRecord(json)) return keys;
  for (const e of Object.values(json)) {
    if (!isRecord(e) || e.objType !== 'data' || typeof e.default !== 'string') continue;
    // missing or broken: reported by loadDataSources()
    const out = await readOutputFile(dataSourceFile(e.default, outputDir)).catch(() => undefined);
    for (const k of Object.keys(out?.values ?? {})) keys.add(k);
  }
  return keys;
}

/** The output file a data entry names: "mulesoft" → <outputDir>/mulesoft.json; a path (with / or .json) as is. */
export function dataSourceFile(source: string, outputDir: string): string {
  if (/[\\/]/.test(source) || /\.json$/i.test(source)) return resolvePath(source);
  return resolvePath(outputDir, `${source}.json`);
}

/** One line for a problem, as the CLI prints warnings: `warning KEY.default (line 3, column 5): … → …`. */
export function formatProblem(p: InputProblem): string {
  const where = p.path.length > 0 ? p.path.join('.') : '(file)';
  const pos = p.line !== undefined ? ` (line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ''})` : '';
  return `${p.severity} ${where}${pos}: ${p.message}${p.suggestion ? ` → ${p.suggestion}` : ''}`;
}
