/**
 * The output files of an input, in its output folder (the layout is documented in the README, "Records"):
 * - `<input>.json`: the record of the input's current set of objects (the set of one TAG); data sources read it;
 * - `<input>.<TAG>.json`: the record of an earlier set, kept complete when `--new-tag` or `--tag` started another
 *   one (meta.retiredAt); running with that TAG again makes it the current record once more;
 * - `<YYYYMMDD-HHmmss>[-N]_<input>.json`: a snapshot of the record, one per run, never overwritten (meta.copyOf
 *   names the record it copies). A snapshot is not a record: destroy and `ls` read records only.
 *
 * Top level keeps the original okta-bootstrapper's shape, a flat map of KEY -> value for every
 * `saveToOutput` value plus OKTA_TENANT, so files from the original tool and data sources keep working.
 * Our own bookkeeping lives under the single reserved key META_KEY. It is the journal the engine
 * writes ahead of every create (state "pending"), and marks "done" once Okta answered; destroy,
 * re-runs and resume read it. OKTA_API_TOKEN is never written here.
 */
import { readTextFile } from './fs.js';
import { isRecord } from './json.js';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { InputError, type InputProblem } from './errors.js';
import { parseJsonWithPosition } from './json-locate.js';

export const META_KEY = '$okta-bootstrap';
export const OUTPUT_FORMAT_VERSION = 1;

const stringMap = z.record(z.string(), z.string());

/** Where an object lives, enough to find, re-read or delete it without the input. */
const recordedObjectSchema = z.object({
  /** okta:authz_server, okta:scope, ... (a class this version does not know is kept, and destroyed last) */
  objectClass: z.string(),
  /** pending: written before the create request; done: Okta answered; deleted: destroy removed it. */
  state: z.enum(['pending', 'done', 'deleted']),
  /** Okta id once known (for pending objects: unknown until found by natural key). */
  id: z.string().optional(),
  /** The natural key used to recognise it again, e.g. {"name":"silver access rule"}. */
  naturalKey: stringMap,
  /** Ids of parents: authServerId for scopes/claims/policies, policyId for rules, appId for assignments. */
  parent: stringMap.optional(),
  /** True when the object existed before and the person chose to adopt it. */
  adopted: z.boolean().optional(),
  /**
   * True when the object is used, not owned: it existed with the settings this run needs and its natural key
   * carries no TAG (a trusted origin, the Everyone assignment). Only its owner's destroy deletes it.
   */
  shared: z.boolean().optional(),
  /**
   * Set on an object this record owns that a replace superseded (its natural key changed): the key of the
   * entry that now holds the new object. The object is deleted once its dependants moved to the new one.
   */
  replacedBy: z.string().optional(),
  /** ISO time of the last state change. */
  at: z.string(),
});

const generatedValueSchema = z.object({ kind: z.enum(['tag', 'password', 'firstName', 'lastName']), value: z.string() });

const metaSchema = z.object({
  version: z.number().int(),
  /** The input's name, e.g. "mulesoft"; for --input FILE, the file's base name without .json. */
  input: z.string(),
  inputFile: z.string().optional(),
  orgUrl: z.string(),
  status: z.enum(['running', 'complete', 'incomplete']),
  /** The TAG of this set of objects (absent for an input without a TAG). */
  tag: z.string().optional(),
  /** Set on the record of an earlier set, when another set of the same input became the current one. */
  retiredAt: z.string().optional(),
  /** Set on a per-run snapshot: the file name of the record it copies (e.g. "mulesoft.json"). */
  copyOf: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  /** Output files (input names) this one loaded through `data` entries, e.g. ["mulesoft"]. */
  dataSources: z.array(z.string()),
  objects: z.record(z.string(), recordedObjectSchema),
  /**
   * `replay[KEY].generated`: values generated while rendering KEY (GENERATE_*), replayed on the next run so that
   * re-runs render the same body; `replay[KEY].secret`: a value Okta returns only on create (a client's secret)
   * when KEY is not saved to the output; `replay[KEY].typed`: a value the person typed at (p), offered again
   * (marked as such) on the next run, also after a quit.
   */
  replay: z.record(z.string(), z.object({ generated: z.array(generatedValueSchema).optional(), secret: z.string().optional(), typed: z.string().optional() })).optional(),
});

export type ObjectState = RecordedObject['state'];
export type RecordedObject = z.infer<typeof recordedObjectSchema>;
/** One generated value (GENERATE_*), kept so the next run renders the same body (same login, same password). */
export type GeneratedValue = z.infer<typeof generatedValueSchema>;
export type OutputMeta = z.infer<typeof metaSchema>;

export interface OutputFile {
  values: Record<string, unknown>;
  meta?: OutputMeta;
}


/**
 * What to do about a broken output file. The tool never writes over it (it stops before any write), so the
 * file stays as it is for the person to repair.
 */
function brokenFileAdvice(file: string): string {
  const runCopies = join(dirname(file), `<YYYYMMDD-HHmm>_${basename(file)}`);
  return (
    `okta-bootstrap has not written over ${file}. Restore it from a backup or from its latest per-run copy (${runCopies}), ` +
    `or move it aside (mv ${file} ${file}.broken): the next run then starts a new record, finds the objects it ` +
    'recorded by natural key and reports them as conflicts, which --adopt takes over.'
  );
}

function splitValues(json: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(json)) if (k !== META_KEY) values[k] = v;
  return values;
}

/**
 * Splits a parsed output JSON into its values and our metadata, for readers of the values (data sources): a
 * metadata that does not match the format is left out. Tolerates the original tool's flat files.
 */
export function parseOutput(json: unknown): OutputFile {
  if (!isRecord(json)) return { values: {} };
  const values = splitValues(json);
  const meta = metaSchema.safeParse(json[META_KEY]);
  return meta.success ? { values, meta: meta.data } : { values };
}

/**
 * The same for the readers of the record (a run, destroy): the metadata is validated, and one that does not
 * match the format is an InputError (exit 2) naming the file, each wrong field and what to do.
 */
export function validateOutput(json: unknown, file: string): OutputFile {
  if (!isRecord(json)) {
    throw new InputError(file, [{ severity: 'error', path: [], message: 'an output file holds one JSON object', suggestion: brokenFileAdvice(file) }], 'output file');
  }
  const values = splitValues(json);
  if (!(META_KEY in json)) return { values };
  const parsed = metaSchema.safeParse(json[META_KEY]);
  if (!parsed.success) {
    const problems: InputProblem[] = parsed.error.issues.map((i) => ({
      severity: 'error',
      path: [META_KEY, ...i.path.map((p) => (typeof p === 'number' ? p : String(p)))],
      message: i.message,
      suggestion: brokenFileAdvice(file),
    }));
    throw new InputError(file, problems, 'output file');
  }
  return { values, meta: parsed.data };
}

export function serializeOutput(out: OutputFile): string {
  const obj: Record<string, unknown> = { ...out.values };
  if (out.meta) obj[META_KEY] = out.meta;
  return JSON.stringify(obj, null, 2) + '\n';
}

/**
 * Reads an output file; undefined when it does not exist. A truncated or hand-broken file is an InputError with
 * the line and column of the JSON error and advice that works. `record`: the reader relies on the record (a run,
 * destroy), so the metadata is validated too (validateOutput); otherwise a metadata that does not match is left out.
 */
export async function readOutputFile(path: string, opts: { record?: boolean } = {}): Promise<OutputFile | undefined> {
  let text: string;
  try {
    text = await readTextFile(path, { what: 'output file' });
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'ENOENT') return undefined;
    throw e;
  }
  const parsed = parseJsonWithPosition(text);
  if (!parsed.ok) {
    const { line, column, message } = parsed.error;
    throw new InputError(path, [{ severity: 'error', path: [], line, column, message: `not valid JSON (truncated or edited by hand?): ${message}`, suggestion: brokenFileAdvice(path) }], 'output file');
  }
  return opts.record ? validateOutput(parsed.value, path) : parseOutput(parsed.value);
}

