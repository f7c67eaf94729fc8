/**
 * The output file as the engine's journal: values plus, under META_KEY, one record per object, written ahead
 * of every create ("pending") and after Okta answered ("done"). Every change is written atomically (mode 0600)
 * to both `output/<input>.json` (latest) and `output/<YYYYMMDD-HHmm>_<input>.json` (this run). Writes are
 * serialized: concurrent completions never interleave, and each write holds the state at the time it runs.
 */
import { join } from 'node:path';
import {
  latestOutputName,
  OUTPUT_FORMAT_VERSION,
  runOutputName,
  serializeOutput,
  type OutputFile,
  type OutputMeta,
  type RecordedObject,
} from '../core/output-format.js';
import { writeFileAtomic } from '../core/fs.js';

/** One generated value (GENERATE_*), kept so the next run renders the same body (same login, same password). */
export interface GeneratedValue {
  kind: 'tag' | 'password' | 'firstName' | 'lastName';
  value: string;
}

/**
 * What the engine keeps beyond OutputMeta (extra fields are allowed in the file; readers ignore them):
 * `replay[KEY].generated` — values generated while rendering KEY, replayed on the next run so re-runs are
 *   idempotent (the original regenerated names and passwords every time and so created duplicates);
 * `replay[KEY].secret` — a client's secret when KEY is not saved to the output (Okta never returns it again).
 */
export interface EngineMeta extends OutputMeta {
  replay?: Record<string, { generated?: GeneratedValue[]; secret?: string }>;
}

export interface JournalOptions {
  dir: string;
  input: string;
  runAt: Date;
  /** When false nothing is ever written (dry run). */
  write: boolean;
  /** Write exactly these files instead of latest + per-run (destroy rewrites the file it read). */
  paths?: string[];
}

export class OutputJournal {
  readonly values: Record<string, unknown>;
  readonly meta: EngineMeta;
  readonly latestPath: string;
  readonly runPath: string;
  private chain: Promise<void> = Promise.resolve();
  private readonly write: boolean;
  private writes = 0;
  private readonly paths: string[];

  constructor(opts: JournalOptions, values: Record<string, unknown>, meta: EngineMeta) {
    this.values = values;
    this.meta = meta;
    this.write = opts.write;
    this.latestPath = join(opts.dir, latestOutputName(opts.input));
    this.runPath = join(opts.dir, runOutputName(opts.input, opts.runAt));
    this.paths = opts.paths ?? [this.latestPath, this.runPath];
  }

  get objects(): Record<string, RecordedObject> {
    return this.meta.objects;
  }

  record(key: string, patch: Partial<RecordedObject> & Pick<RecordedObject, 'state'>): RecordedObject {
    const prev = this.meta.objects[key];
    const next = { ...(prev ?? { objectClass: '', naturalKey: {} }), ...patch, at: new Date().toISOString() } as RecordedObject;
    for (const k of Object.keys(next) as (keyof RecordedObject)[]) if (next[k] === undefined) delete next[k];
    this.meta.objects[key] = next;
    return next;
  }

  setValue(key: string, value: unknown): void {
    this.values[key] = value;
  }

  replayOf(key: string): { generated?: GeneratedValue[]; secret?: string } {
    this.meta.replay ??= {};
    return (this.meta.replay[key] ??= {});
  }

  /** Number of file writes so far (for tests and --debug). */
  get writeCount(): number {
    return this.writes;
  }

  /**
   * Queues an atomic write of the current state; resolves once it (and every earlier one) is on disk.
   * Group commit: callers that flush while a write is queued but not started share it (it serializes the state
   * when it starts, so it holds their changes too); the two files are written side by side.
   */
  flush(): Promise<void> {
    if (!this.write) return Promise.resolve();
    if (this.queued) return this.queued;
    const next = this.chain.then(async () => {
      this.queued = undefined;
      const text = serializeOutput({ values: this.values, meta: this.meta } satisfies OutputFile);
      await Promise.all(this.paths.map((p) => writeFileAtomic(p, text)));
      this.writes++;
    });
    this.queued = next;
    // a failed write must not block later ones; the caller of this flush sees the error
    this.chain = next.catch(() => undefined);
    return next;
  }
  private queued: Promise<void> | undefined;
}

export function newMeta(input: string, orgUrl: string, inputFile?: string): EngineMeta {
  return {
    version: OUTPUT_FORMAT_VERSION,
    input,
    inputFile,
    orgUrl,
    status: 'running',
    startedAt: new Date().toISOString(),
    dataSources: [],
    objects: {},
  };
}
