/**
 * Validation of a parsed input file: the zod schema (./schema.ts) plus what JSON Schema cannot say (templates,
 * references, cycles, `groups` only on clients). Every problem is collected, none stops the others, and each
 * carries the key's path, a line/column where known, and what to do.
 */
import type { InputProblem } from '../core/errors.js';
import { ENTRY_FIELDS, META_KEYS, OBJECT_CLASSES, OBJ_TYPES, inputFileSchema, type InputFile } from './schema.js';
import { GENERATORS, KEY_NAME, findCycles, forEachString, isGeneratorName, malformedTemplates, parseTemplates, templatedFields, boundNames } from './refs.js';
import { locateJson } from '../core/json-locate.js';
import { suggestion } from './suggest.js';
import { isRecord } from '../core/json.js';

export interface ValidateOptions {
  /** Keys available from --set, the environment, .env or a data source: references to them do not warn. */
  knownExternal?: (key: string) => boolean;
}

export interface ValidationResult {
  /** The entries (meta keys such as $schema left out); meaningful only when there is no error. */
  entries: InputFile;
  problems: InputProblem[];
}

type Path = (string | number)[];

/** Always available: the org URL the run talks to (the engine supplies it, and writes it to every output). */
export const ALWAYS_KNOWN = ['OKTA_TENANT'];

/** Never referenced by a template. */
const SECRET_KEYS = ['OKTA_API_TOKEN', 'OKTA_CLIENT_TOKEN'];

const JSON_ONLY_FIELDS = ['objectClass', 'oktaEndpoint', 'IDfieldName', 'groups'];


/** Validates a parsed input file. `text` (the file's source) gives line and column to each problem. */
export function validateInput(json: unknown, text: string | undefined, opts: ValidateOptions = {}): ValidationResult {
  const problems: InputProblem[] = [];
  const error = (path: Path, message: string, suggestion?: string) =>
    problems.push({ severity: 'error', path, message, ...(suggestion ? { suggestion } : {}) });
  const warn = (path: Path, message: string, suggestion?: string) =>
    problems.push({ severity: 'warning', path, message, ...(suggestion ? { suggestion } : {}) });

  if (!isRecord(json)) {
    error([], 'An input file is a JSON object whose keys are the values and objects to create.', 'Start the file with { "TAG": { "objType": "string", "default": "{{GENERATE_TAG}}" } }.');
    return { entries: {}, problems };
  }

  // 1. The zod schema.
  const parsed = inputFileSchema.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) schemaProblem(json, issue, error);
  }

  // 2. What the schema cannot say.
  const raw: Record<string, Record<string, unknown>> = {};
  for (const [key, v] of Object.entries(json)) {
    if ((META_KEYS as readonly string[]).includes(key)) continue;
    if (!KEY_NAME.test(key)) {
      error([key], `"${key}" cannot be referenced by a template: key names are letters, digits and _, not starting with a digit.`, `Rename it, e.g. "${key.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1')}".`);
    }
    if (isRecord(v)) raw[key] = v;
  }
  const defined = new Set(Object.keys(raw));
  const deps = new Map<string, string[]>();
  const undefinedRefs = new Map<string, { problem: InputProblem; count: number }>();
  const dataNames = Object.values(raw).filter((e) => e.objType === 'data' && typeof e.default === 'string').map((e) => String(e.default));
  for (const [key, e] of Object.entries(raw)) {
    const objType = e.objType;
    if (objType === 'json' && !('default' in e)) {
      error([key, 'default'], 'A json entry needs a default: the JSON value, or the request body of the Okta object.', e.objectClass ? `Add "default": { ... } with the ${typeof e.objectClass === 'string' ? e.objectClass : JSON.stringify(e.objectClass)} body.` : 'Add "default": { ... }.');
    }
    if (objType === 'json' && typeof e.objectClass === 'string' && 'default' in e && !isRecord(e.default) && !isWholeTemplate(e.default)) {
      error([key, 'default'], `The default of an ${e.objectClass} is the request body sent to Okta, so it must be a JSON object.`);
    }
    if ('groups' in e && e.objectClass !== 'okta:client' && objType === 'json') {
      error([key, 'groups'], `groups is only for okta:client entries (group ids assigned to the client); this entry is ${typeof e.objectClass === 'string' ? e.objectClass : 'not an Okta object'}.`, 'Remove groups, or use an okta:app_group_assignment entry.');
    }
    if (objType === 'data' && 'default' in e && typeof e.default === 'string' && parseTemplates(e.default).length > 0) {
      error([key, 'default'], 'A data entry names an earlier output (e.g. "mulesoft"); it cannot hold templates.');
    }
    const needs: string[] = [];
    for (const { field, value } of templatedFields(e)) {
      const bound = boundNames(value);
      forEachString(value, (s, sub) => {
        const path: Path = field === 'default' ? [key, 'default', ...sub] : [key, field, ...sub];
        for (const bad of malformedTemplates(s)) {
          warn(path, `${bad} looks like a template but is not one; it is kept as literal text.`, 'Templates are {{KEY}} or {{KEY.property}}: letters, digits and _ in the key, no spaces.');
        }
        for (const m of parseTemplates(s)) {
          const r = m.ref;
          if (r.kind === 'generate') {
            if (!isGeneratorName(r.name)) {
              error(path, `Unknown generator {{GENERATE_${r.name}}}.`, suggestion(r.name, GENERATORS, 'generators (GENERATE_…)'));
            } else if (m.generatorPath) {
              error(path, `${m.raw}: a generated value has no properties.`, `Use {{GENERATE_${r.name}}}.`);
            }
            continue;
          }
          if (bound.has(r.key)) continue;
          if (SECRET_KEYS.includes(r.key)) {
            error(path, `${m.raw}: the API token is never put into values (they reach output files and the screen).`, 'Remove the reference; the tool sends the token itself.');
            continue;
          }
          if (defined.has(r.key)) {
            if (!needs.includes(r.key)) needs.push(r.key);
            const target = raw[r.key]!;
            if (r.path.length > 0 && target.objType === 'string') {
              error(path, `${m.raw}: ${r.key} is a string, it has no property "${r.path.join('.')}".`, `Use {{${r.key}}}, or reference the object it came from.`);
            }
          } else if (!ALWAYS_KNOWN.includes(r.key) && !opts.knownExternal?.(r.key)) {
            const earlier = undefinedRefs.get(r.key);
            if (earlier) {
              earlier.count++;
              continue;
            }
            const p: InputProblem = {
              severity: 'warning',
              path,
              message: `{{${r.key}}} refers to ${r.key}, which is neither defined in this file nor given by --set, the environment, .env or a data source: it will be asked for.`,
              suggestion: `Define it here, or pass --set ${r.key}=VALUE, or put ${r.key}=VALUE in .env${dataNames.length > 0 ? ` (or run the input that the data source ${dataNames.join(', ')} comes from first)` : ''}.`,
            };
            problems.push(p);
            undefinedRefs.set(r.key, { problem: p, count: 1 });
          }
        }
      });
    }
    deps.set(key, needs);
  }
  for (const [key, { problem, count }] of undefinedRefs) {
    if (count > 1) problem.message = problem.message.replace(`{{${key}}} refers`, `{{${key}}} (used ${count} times) refers`);
  }
  for (const cycle of findCycles(deps)) problems.push(cycleProblem(cycle));

  // 3. Where each problem is, and duplicate keys (JSON.parse keeps only the last of them).
  if (text !== undefined) {
    const loc = locateJson(text);
    for (const d of loc.duplicates) {
      const lines = d.positions.map((p) => p.line).join(', ');
      problems.push({
        severity: 'error',
        path: [...d.path, d.key],
        message: `"${d.key}" appears ${d.positions.length} times (lines ${lines}); only the last one would count.`,
        suggestion: 'Keep one of them, or rename the others.',
        ...d.positions[d.positions.length - 1]!,
      });
    }
    for (const p of problems) {
      if (p.line !== undefined) continue;
      const at = loc.at(p.path);
      if (at) {
        p.line = at.line;
        p.column = at.column;
      }
    }
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  }

  // The entries are zod's parsed values (not the raw JSON cast): empty when the schema refused the file, which
  // then has error problems and is never used.
  const entries: InputFile = {};
  if (parsed.success) {
    for (const [key, e] of Object.entries(parsed.data)) {
      if (!(META_KEYS as readonly string[]).includes(key) && typeof e === 'object') entries[key] = e;
    }
  }
  return { entries, problems };
}

/** The problem for one reference cycle, e.g. ["D", "E"] → "Reference cycle: D → E → D". */
export function cycleProblem(cycle: string[]): InputProblem {
  return {
    severity: 'error',
    path: [cycle[0]!],
    message: `Reference cycle: ${[...cycle, cycle[0]!].join(' → ')}. None of these values can be computed first.`,
    suggestion: 'Break the cycle: one of these values must not depend on the others.',
  };
}

/** A string that is exactly one {{KEY}} template (it renders to that value, whatever its type). */
function isWholeTemplate(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const ms = parseTemplates(v);
  return ms.length === 1 && ms[0]!.start === 0 && ms[0]!.end === v.length;
}

interface ZodIssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  expected?: string;
  discriminator?: string;
  values?: unknown[];
}

/** Turns one zod issue into a problem a person can act on. */
function schemaProblem(json: Record<string, unknown>, issue: ZodIssueLike, error: (path: Path, message: string, suggestion?: string) => void): void {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const key = path[0];
  const entry = typeof key === 'string' ? json[key] : undefined;
  const field = path[1];
  if (path.length === 1 && issue.code === 'invalid_type' && !(META_KEYS as readonly string[]).includes(String(key))) {
    error(path, `Each key holds an entry such as { "objType": "string", "default": "..." }, not ${describe(entry)}.`);
    return;
  }
  if (issue.code === 'invalid_union' && field === 'objType' && isRecord(entry)) {
    if (entry.objType === undefined) {
      error(path, 'objType is missing.', `Add "objType": one of ${OBJ_TYPES.join(', ')}.`);
    } else {
      error(path, `Unknown objType ${JSON.stringify(entry.objType)}.`, suggestion(typeof entry.objType === 'string' ? entry.objType : JSON.stringify(entry.objType), OBJ_TYPES, 'objTypes'));
    }
    return;
  }
  if (field === 'objectClass' && isRecord(entry)) {
    error(path, `Unknown objectClass ${JSON.stringify(entry.objectClass)}.`, suggestion(String(entry.objectClass), OBJECT_CLASSES, 'object classes'));
    return;
  }
  if (issue.code === 'unrecognized_keys' && isRecord(entry)) {
    for (const k of issue.keys ?? []) {
      if (JSON_ONLY_FIELDS.includes(k)) {
        error([...path, k], `${k} belongs to json entries (Okta objects), not to objType ${JSON.stringify(entry.objType)}.`, `Remove ${k}, or make this a json entry.`);
      } else {
        error([...path, k], `Unknown field "${k}".`, suggestion(k, ENTRY_FIELDS, 'fields'));
      }
    }
    return;
  }
  if (field === 'default' && path.length === 2 && isRecord(entry)) {
    if (entry.objType === 'string') {
      error(path, `The default of a string entry must be a string, not ${describe(entry.default)}.`, `Write it in quotes: "default": ${JSON.stringify(String(JSON.stringify(entry.default)))}.`);
      return;
    }
    if (entry.objType === 'data') {
      error(path, entry.default === undefined ? 'A data entry needs a default: the name of an earlier output.' : `The default of a data entry must be a string naming an earlier output, not ${describe(entry.default)}.`, 'E.g. "default": "mulesoft" loads <output-dir>/mulesoft.json.');
      return;
    }
  }
  error(path, issue.message);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `${typeof v === 'number' ? 'the number' : typeof v === 'boolean' ? 'the boolean' : typeof v} ${JSON.stringify(v)}`;
}
