/**
 * Where a value given from outside the input comes from, first one wins: --set KEY=VALUE, the process environment,
 * the .env file (dotenv, chosen with --env-file); the caller falls back to the input's default or an output file.
 * This is the one copy of that rule: the engine, get-settings (src/settings) and the CLI commands all ask here.
 *
 * Empty values: an environment variable or a .env line whose value is empty or only blanks (`PORT=`) counts as
 * NOT SET, so the next source (or the input's default) applies. That is what dotenv users expect of a template
 * line, and what a shell's `PORT= cmd` means. `--set KEY=` is the one way to give an empty value on purpose: it was
 * typed on this command line, so it counts as given. Values are returned as given (not trimmed).
 *
 * Light on purpose (no SDK, no inquirer): get-settings loads it.
 */
import { UsageError } from '../core/errors.js';
import { readEnvFile, type EnvLike } from '../core/config.js';
import { KEY_NAME, keysReferencedBy, refsOf } from '../input/refs.js';
import { closest } from '../input/suggest.js';
import { readJsonFile } from '../core/fs.js';
import { isRecord } from '../core/json.js';
import type { OutputFile } from '../core/output-format.js';

export interface ValueSources {
  set: Record<string, string>;
  env: EnvLike;
  dotenv: Record<string, string>;
  /** The dotenv file read (for messages), e.g. ".env". */
  envFile: string;
}

/** The API token never becomes a value (it would reach output files and the screen); validation refuses it too. */
export const NEVER_A_VALUE = ['OKTA_API_TOKEN', 'OKTA_CLIENT_TOKEN'];

export type ValueSourceName = 'set' | 'env' | 'dotenv';

export interface FoundValue {
  value: string;
  source: ValueSourceName;
  /** Which of the names asked for had it (aliases: OKTA_TENANT or OKTA_CLIENT_ORGURL). */
  name: string;
}

/** Parses --set values ("KEY=VALUE", the value may contain "="); a malformed one is a UsageError. */
export function parseSetFlags(set: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of set) {
    const eq = s.indexOf('=');
    const key = eq > 0 ? s.slice(0, eq).trim() : '';
    if (!KEY_NAME.test(key)) {
      throw new UsageError(`--set takes KEY=VALUE, not "${s}".`, {
        suggestion: 'E.g. --set PORT=9090 (KEY is letters, digits and _; quote the whole argument if VALUE has spaces).',
      });
    }
    out[key] = s.slice(eq + 1);
  }
  return out;
}

/**
 * The keys --set can give for an input: every key it defines, and every key one of its templates references
 * (an external value such as AUTHN_CLIENT_ID, OKTA_TENANT or TAG, defined nowhere in the file).
 */
export function settableKeys(entries: Record<string, { default?: unknown; oktaEndpoint?: string; groups?: string[] }>): string[] {
  const keys = new Set(Object.keys(entries));
  for (const entry of Object.values(entries)) for (const k of keysReferencedBy(entry)) keys.add(k);
  return [...keys];
}

/**
 * A --set key the input neither defines nor references would be ignored without a word (a typo such as
 * `--set PROT=9090`): a UsageError (exit 2) naming each such key, with the closest key the input has.
 */
export function checkSetKeys(set: Record<string, string>, known: readonly string[], inputName: string): void {
  const unknown = Object.keys(set).filter((k) => !known.includes(k));
  if (unknown.length === 0) return;
  const lines = unknown.map((k) => {
    const near = closest(k, known);
    return `--set ${k}: ${inputName} has no value ${k} and no template uses it${near ? `: did you mean ${near}?` : '.'}`;
  });
  throw new UsageError(lines.length === 1 ? (lines[0] ?? '') : `${lines.length} --set keys are unknown:\n${lines.map((l) => `    - ${l}`).join('\n')}`, {
    suggestion: `Keys of ${inputName}: ${[...known].sort().join(', ')}.`,
  });
}

/** The three sources, read: --set parsed, a copy of the environment, the .env file (a missing file is empty). */
export function loadValueSources(opts: { set?: string[]; envFile?: string; env?: EnvLike } = {}): ValueSources {
  const envFile = opts.envFile ?? '.env';
  return {
    set: parseSetFlags(opts.set ?? []),
    env: { ...(opts.env ?? process.env) },
    dotenv: readEnvFile(envFile),
    envFile,
  };
}

/** An environment or .env value counts only when it holds more than blanks. */
function given(v: string | undefined): v is string {
  return v !== undefined && v.trim() !== '';
}

function own(map: Record<string, string>, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

/**
 * The first source that gives any of `names`: --set (any value, even empty), then the environment, then .env
 * (both only when not empty). Within a source, `names` are tried in order, so an alias in the environment wins over
 * the main name in .env.
 */
export function lookupValue(src: ValueSources, names: string | readonly string[]): FoundValue | undefined {
  const list = typeof names === 'string' ? [names] : names;
  for (const name of list) {
    const v = own(src.set, name);
    if (v !== undefined) return { value: v, source: 'set', name };
  }
  for (const name of list) {
    const v = src.env[name];
    if (given(v)) return { value: v, source: 'env', name };
  }
  for (const name of list) {
    const v = own(src.dotenv, name);
    if (given(v)) return { value: v, source: 'dotenv', name };
  }
  return undefined;
}

/** A value for the engine: lookupValue, except that the API token is never one. */
export function externalValue(src: ValueSources, key: string): { value: string; source: ValueSourceName } | undefined {
  if (NEVER_A_VALUE.includes(key)) return undefined;
  const found = lookupValue(src, key);
  return found && { value: found.value, source: found.source };
}

/** For messages: "--set", "the environment", ".env". */
export function describeSource(src: ValueSources, source: ValueSourceName): string {
  return source === 'set' ? '--set' : source === 'env' ? 'the environment' : src.envFile;
}

/** What `keysFromObjectsIn` needs of an input entry (an InputEntry fits; a raw input file's JSON too). */
export interface EntryShape {
  objType?: unknown;
  objectClass?: unknown;
  default?: unknown;
  oktaEndpoint?: unknown;
  groups?: unknown;
}

/**
 * The keys of an input whose value is read from one of its objects: a plain entry that references an object
 * (`{{OKTA_AZ_SERVER.issuer}}`, `{{SILVER_GROUP.id}}`), or a value that does (a URL built from the issuer). Such a
 * value follows the object: after a destroy and a fresh run it is the new object's, whatever `.env` or the
 * environment still holds from before. So neither of those two gives it (only `--set` does, with a warning): the
 * run and get-settings read it from the object or from the record of the run that made it.
 * Keys only (no zod, no SDK): get-settings calls it on the raw JSON of an input file.
 */
export function keysFromObjectsIn(entries: Record<string, EntryShape>): Set<string> {
  const isObject = (k: string) => entries[k]?.objType === 'json' && typeof entries[k]?.objectClass === 'string';
  return keysReadFromObjects(Object.keys(entries), isObject, (k) => {
    const e = entries[k];
    if (!e || e.objType === 'data') return [];
    // the templated fields: default, oktaEndpoint, groups (input/refs.ts templatedFields)
    return refsOf([e.default, e.oktaEndpoint, e.groups]).flatMap((r) => (r.kind === 'key' && r.key in entries ? [r.key] : []));
  });
}

/** keysFromObjectsIn over any dependency graph: `depsOf(k)` the defined keys k references. */
export function keysReadFromObjects(keys: readonly string[], isObject: (k: string) => boolean, depsOf: (k: string) => readonly string[]): Set<string> {
  const from = new Set<string>();
  // to a fixed point: a value built from a value read from an object is read from it too, whatever the order
  for (let grew = true; grew; ) {
    grew = false;
    for (const k of keys) {
      if (from.has(k) || isObject(k) || !depsOf(k).some((d) => from.has(d) || isObject(d))) continue;
      from.add(k);
      grew = true;
    }
  }
  return from;
}

/**
 * The keys a record's input reads from its objects (keysFromObjectsIn), for the readers of that record: a run
 * whose data source it is, get-settings. The input is the file the record names (meta.inputFile). A record that
 * names none (the original tool's flat files) or whose input is gone gives no keys: its values then rank as
 * before, below the environment and .env.
 */
export async function recordKeysFromObjects(record: Pick<OutputFile, 'meta'> | undefined): Promise<Set<string>> {
  const file = record?.meta?.inputFile;
  if (!file) return new Set();
  let json: unknown;
  try {
    json = await readJsonFile(file, { what: 'input file' });
  } catch {
    return new Set();
  }
  const entries: Record<string, EntryShape> = {};
  if (isRecord(json)) for (const [k, e] of Object.entries(json)) if (isRecord(e)) entries[k] = e;
  return keysFromObjectsIn(entries);
}
