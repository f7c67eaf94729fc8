/**
 * Writing `.env` files: merge KEY=value pairs into an existing file, keeping every other line and comment,
 * updating keys in place (every occurrence, so whichever one dotenv keeps is right), appending new keys at the
 * end, written atomically with mode 0600 (it holds secrets). Values are quoted so that `dotenv` reads back
 * exactly the value written.
 */
import { BootstrapError, ConfigError } from '../core/errors.js';
import { readTextFile, writeFileAtomic } from '../core/fs.js';

export interface EnvMergeResult {
  path: string;
  updated: string[];
  added: string[];
  unchanged: string[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const PLAIN = /^[A-Za-z0-9_./:@+,=%-]*$/;

/**
 * Quotes a value for a dotenv file so that dotenv 16 parses it back unchanged:
 * plain when it has only safe characters, else single quotes (literal), else backticks, else double quotes.
 * dotenv expands \n in double quotes and strips nothing inside single quotes or backticks.
 */
export function formatEnvValue(value: string): string {
  if (/[\r\n]/.test(value)) {
    throw new ConfigError('A value for .env contains a line break, which a .env line cannot hold.', {
      suggestion: 'Set this value in the environment instead.',
    });
  }
  if (PLAIN.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('`')) return `\`${value}\``;
  if (!value.includes('"') && !/\\[nr]/.test(value)) return `"${value}"`;
  throw new ConfigError('A value for .env contains quotes of every kind (\' " `), which dotenv cannot read back.', {
    suggestion: 'Set this value in the environment instead.',
  });
}

/** `KEY=value` (quoted as needed). */
export function formatEnvLine(key: string, value: string): string {
  if (!KEY.test(key)) throw new ConfigError(`"${key}" is not a valid .env key.`);
  return `${key}=${formatEnvValue(value)}`;
}

const ASSIGNMENT = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;

/** Index of the line that closes a quoted value opened on line `start` (dotenv allows multi-line quoted values). */
function valueEnd(lines: string[], start: number, rest: string): number {
  const q = rest[0];
  if (q !== '"' && q !== "'" && q !== '`') return start;
  if (rest.slice(1).includes(q)) return start;
  for (let i = start + 1; i < lines.length; i++) if (lines[i]?.includes(q)) return i;
  return start; // unterminated: dotenv reads it as a plain value on one line
}

/**
 * Merges `values` into the dotenv text `text`. Pure; see mergeEnvFile.
 * Lines are kept byte for byte except the assignments of the given keys.
 */
export function mergeEnvText(text: string, values: Record<string, string>): { text: string; updated: string[]; added: string[]; unchanged: string[] } {
  const lines = text === '' ? [] : text.replace(/\r?\n$/, '').split(/\r?\n/);
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const out: string[] = [];
  const seen = new Set<string>();
  const updated = new Set<string>();
  const unchanged = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const m = ASSIGNMENT.exec(line);
    const [, prefix = '', key = '', rest = ''] = m ?? [];
    const value = Object.prototype.hasOwnProperty.call(values, key) ? values[key] : undefined;
    if (!m || value === undefined) {
      out.push(line);
      continue;
    }
    const end = valueEnd(lines, i, rest);
    const newLine = `${prefix}${formatEnvLine(key, value)}`;
    const oldText = lines.slice(i, end + 1).join('\n');
    if (oldText === newLine) unchanged.add(key);
    else updated.add(key);
    out.push(newLine);
    seen.add(key);
    i = end;
  }
  const added: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (seen.has(key)) continue;
    out.push(formatEnvLine(key, value));
    added.push(key);
  }
  for (const k of updated) unchanged.delete(k);
  return { text: out.length ? out.join(eol) + eol : '', updated: [...updated], added, unchanged: [...unchanged] };
}

/** Merges `values` into the .env file at `path` (created if missing), mode 0600, atomically. */
export async function mergeEnvFile(path: string, values: Record<string, string>): Promise<EnvMergeResult> {
  let text = '';
  try {
    // Bounded (10 MB) and UTF-8 only, like every file the tool reads: a .env it cannot read back is not rewritten.
    text = await readTextFile(path, { what: '.env file' });
  } catch (e) {
    if (e instanceof BootstrapError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError(`Cannot read ${path}: ${(e as Error).message}`, { suggestion: 'Check the file named by --write-env.' });
    }
  }
  const merged = mergeEnvText(text, values);
  await writeFileAtomic(path, merged.text, 0o600);
  return { path, updated: merged.updated, added: merged.added, unchanged: merged.unchanged };
}
