/**
 * The output file: `output/<input>.json` (latest) and `output/<YYYYMMDD-HHmm>_<input>.json` (one per run).
 *
 * Top level keeps the original okta-bootstrapper's shape, a flat map of KEY -> value for every
 * `saveToOutput` value plus OKTA_TENANT, so files from the original tool and data sources keep working.
 * Our own bookkeeping lives under the single reserved key META_KEY. It is the journal the engine
 * writes ahead of every create (state "pending"), and marks "done" once Okta answered; destroy,
 * re-runs and resume read it. OKTA_API_TOKEN is never written here.
 */
import { readFile } from 'node:fs/promises';

export const META_KEY = '$okta-bootstrap';
export const OUTPUT_FORMAT_VERSION = 1;

export type ObjectState = 'pending' | 'done' | 'deleted';

/** Where an object lives, enough to find, re-read or delete it without the input. */
export interface RecordedObject {
  /** okta:authz_server, okta:scope, ... */
  objectClass: string;
  state: ObjectState;
  /** Okta id once known (for pending objects: unknown until found by natural key). */
  id?: string;
  /** The natural key used to recognise it again, e.g. {"name":"silver access rule"}. */
  naturalKey: Record<string, string>;
  /** Ids of parents: authServerId for scopes/claims/policies, policyId for rules, appId/groupId for assignments. */
  parent?: Record<string, string>;
  /** The API path of the object itself, e.g. /api/v1/groups/00g... */
  path?: string;
  /** Keys (of this or other outputs) this object depends on, for reverse-order destroy. */
  dependsOn?: string[];
  /** True when the object existed before and the person chose to adopt it. */
  adopted?: boolean;
  /** ISO time of the last state change. */
  at: string;
}

export interface OutputMeta {
  version: number;
  /** The input's name, e.g. "mulesoft"; for --input FILE, the file's base name without .json. */
  input: string;
  inputFile?: string;
  tag?: string;
  orgUrl: string;
  status: 'running' | 'complete' | 'incomplete';
  startedAt: string;
  finishedAt?: string;
  /** Output files (input names) this one loaded through `data` entries, e.g. ["mulesoft"]. */
  dataSources: string[];
  objects: Record<string, RecordedObject>;
}

export interface OutputFile {
  values: Record<string, unknown>;
  meta?: OutputMeta;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Splits a parsed output JSON into its values and our metadata. Tolerates the original tool's flat files. */
export function parseOutput(json: unknown): OutputFile {
  if (!isRecord(json)) return { values: {} };
  const values: Record<string, unknown> = {};
  let meta: OutputMeta | undefined;
  for (const [k, v] of Object.entries(json)) {
    if (k === META_KEY) {
      if (isRecord(v)) meta = v as unknown as OutputMeta;
    } else {
      values[k] = v;
    }
  }
  return meta ? { values, meta } : { values };
}

export function serializeOutput(out: OutputFile): string {
  const obj: Record<string, unknown> = { ...out.values };
  if (out.meta) obj[META_KEY] = out.meta;
  return JSON.stringify(obj, null, 2) + '\n';
}

/** Reads an output file; undefined when it does not exist. Throws on unreadable JSON. */
export async function readOutputFile(path: string): Promise<OutputFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return parseOutput(JSON.parse(text));
}

/** `output/<input>.json` */
export function latestOutputName(input: string): string {
  return `${input}.json`;
}

/** `output/<YYYYMMDD-HHmm>_<input>.json`, as the original tool named its per-run files. */
export function runOutputName(input: string, at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}`;
  return `${stamp}_${input}.json`;
}
