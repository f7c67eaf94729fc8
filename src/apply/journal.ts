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
  type GeneratedValue,
  type OutputFile,
  type OutputMeta,
  type RecordedObject,
} from '../core/output-format.js';
import { writeFileAtomic } from '../core/fs.js';

export type { GeneratedValue };

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
  readonly meta: OutputMeta;
  readonly latestPath: string;
  readonly runPath: string;
  private chain: Promise<void> = Promise.resolve();
  private readonly write: boolean;
  private writes = 0;
  private readonly paths: string[];

  constructor(opts: JournalOptions, values: Record<string, unknown>, meta: OutputMeta) {
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
    // a field patched to undefined is left out of the file (JSON.stringify drops it)
    const next: RecordedObject = { ...(prev ?? { objectClass: '', naturalKey: {} }), ...patch, at: new Date().toISOString() };
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

export function newMeta(input: string, orgUrl: string, inputFile?: string): OutputMeta {
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
