/**
 * The output file as the engine's journal: values plus, under META_KEY, one record per object, written ahead
 * of every create ("pending") and after Okta answered ("done"). Every change is written atomically (mode 0600)
 * to the record `output/<input>.json` and to this run's snapshot `output/<YYYYMMDD-HHmmss>[-n]_<input>.json`
 * (meta.copyOf names the record). The snapshot's name is claimed at the first write with an exclusive create, so
 * two runs never write one snapshot. Writes are serialized: concurrent completions never interleave, and each
 * write holds the state at the time it runs.
 */
import { mkdir, open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { OUTPUT_FORMAT_VERSION, readOutputFile, serializeOutput, type GeneratedValue, type OutputFile, type OutputMeta, type RecordedObject } from '../core/output-format.js';
import { latestOutputName, runOutputName } from '../core/output-names.js';
import { writeFileAtomic } from '../core/fs.js';
import { chooseSet, recordTag, switchSet, type SetChoice } from './sets.js';

export type { GeneratedValue };

export interface JournalOptions {
  dir: string;
  input: string;
  runAt: Date;
  /** When false nothing is ever written (dry run). */
  write: boolean;
  /** Write exactly these files instead of the record + this run's snapshot (destroy rewrites the file it read). */
  paths?: string[];
  /** Runs once, before the first write (the renames of a set switch). */
  beforeFirstWrite?: () => Promise<void>;
}

/** Creates `<stamp>[-n]_<input>.json` exclusively, with the first free n; returns its path. */
async function claimSnapshot(dir: string, input: string, at: Date, text: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  for (let n = 1; ; n++) {
    const path = join(dir, runOutputName(input, at, n));
    try {
      const fh = await open(path, 'wx', 0o600);
      try {
        await fh.writeFile(text);
        await fh.sync();
      } finally {
        await fh.close();
      }
      return path;
    } catch (e) {
      if (!(e instanceof Error && 'code' in e && e.code === 'EEXIST')) throw e;
    }
  }
}

export class OutputJournal {
  readonly values: Record<string, unknown>;
  readonly meta: OutputMeta;
  readonly latestPath: string;
  private chain: Promise<void> = Promise.resolve();
  private readonly write: boolean;
  private writes = 0;
  /** This run's snapshot, once claimed. */
  private snapshot: string | undefined;

  constructor(
    private readonly opts: JournalOptions,
    values: Record<string, unknown>,
    meta: OutputMeta,
  ) {
    this.values = values;
    this.meta = meta;
    this.write = opts.write;
    this.latestPath = join(opts.dir, latestOutputName(opts.input));
  }

  /** This run's snapshot: its path once written, else the name it will most likely get. */
  get runPath(): string {
    return this.snapshot ?? join(this.opts.dir, runOutputName(this.opts.input, this.opts.runAt));
  }

  /** Runs before the first write (replaced when the run switches sets after the review). */
  set beforeFirstWrite(fn: (() => Promise<void>) | undefined) {
    this.opts.beforeFirstWrite = fn;
  }

  /** True once something was written (the set switch, if any, is done). */
  get written(): boolean {
    return this.writes > 0;
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

  replayOf(key: string): { generated?: GeneratedValue[]; secret?: string; typed?: string } {
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
      if (this.opts.paths) {
        await Promise.all(this.opts.paths.map((p) => writeFileAtomic(p, text)));
      } else {
        if (this.writes === 0) await this.opts.beforeFirstWrite?.();
        const copy = serializeOutput({ values: this.values, meta: { ...this.meta, copyOf: basename(this.latestPath) } });
        const snapshot = this.snapshot;
        await Promise.all([
          writeFileAtomic(this.latestPath, text),
          snapshot === undefined
            ? claimSnapshot(dirname(this.latestPath), this.opts.input, this.opts.runAt, copy).then((p) => {
                this.snapshot = p;
              })
            : writeFileAtomic(snapshot, copy),
        ]);
      }
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

export interface OpenedJournal {
  journal: OutputJournal;
  /** The records of the set the run continues (what "recorded" means for planning). */
  recorded: Record<string, RecordedObject>;
  prevValues: Record<string, unknown>;
  /** Values generated by earlier runs of this set, by key, to replay. */
  replay: Record<string, GeneratedValue[] | undefined>;
  /** The TAG of the current record `<input>.json` (undefined: none, or no TAG). */
  currentTag: string | undefined;
  /**
   * Continues the set of `tag` instead (a TAG typed at the review): the journal, `recorded`, `prevValues` and
   * `replay` are refilled in place, keeping the replay entries of `keep` (values typed in this run). False when
   * the run already continues that set.
   */
  switchTo(tag: string, keep: Iterable<string>): Promise<boolean>;
}

/** `output/bdpa-dev-okta-com` style: a folder name for an org, suggested when the folder holds another org's record. */
function folderFor(dir: string, orgUrl: string): string {
  let host = orgUrl;
  try {
    host = new URL(orgUrl).host;
  } catch {
    // not a URL: the value as it is, made safe below
  }
  return join(dir, host.replace(/[^A-Za-z0-9.-]+/g, '-'));
}

/** Replaces the contents of `target` with those of `source` (other parts of the engine hold `target`). */
function refill<T>(target: Record<string, T>, source: Record<string, T>): void {
  for (const k of Object.keys(target)) delete target[k];
  Object.assign(target, source);
}

/**
 * The journal of a run: `output/<name>.json` read (validated: a broken file stops the run before any write), the
 * set to continue chosen from the run's TAG (sets.ts), its records, values and generated values carried on. A
 * record of another org is refused (exit 2): this folder belongs to that org.
 */
export async function openJournal(o: {
  dir: string;
  name: string;
  orgUrl: string;
  inputFile: string;
  dataSources: string[];
  /** --new-tag: a new set, with a TAG generated anew. */
  fresh: boolean;
  /** The run's TAG as known before the review (--tag, --set TAG=, the environment, .env). */
  tag?: string;
  write: boolean;
  log: Logger;
}): Promise<OpenedJournal> {
  const latest = join(o.dir, latestOutputName(o.name));
  const current = await readOutputFile(latest, { record: true });
  if (current?.meta && current.meta.orgUrl !== o.orgUrl) {
    throw new UsageError(`${latest} records objects of ${current.meta.orgUrl}, not of ${o.orgUrl}: okta-bootstrap does not write over another org's record.`, {
      object: latest,
      suggestion: `Keep each org's records in its own folder: run again with --output-dir ${folderFor(o.dir, o.orgUrl)} (the file is unchanged).`,
    });
  }
  const runAt = new Date();
  let choice: SetChoice = await chooseSet({ dir: o.dir, input: o.name, orgUrl: o.orgUrl, current, tag: o.tag, fresh: o.fresh });
  const journal = new OutputJournal({ dir: o.dir, input: o.name, runAt, write: o.write }, {}, newMeta(o.name, o.orgUrl, o.inputFile));
  const recorded: Record<string, RecordedObject> = {};
  const prevValues: Record<string, unknown> = {};
  const replay: Record<string, GeneratedValue[] | undefined> = {};
  const load = (c: SetChoice, keep: Record<string, NonNullable<OutputMeta['replay']>[string]>) => {
    const base = c.base;
    const meta = base?.meta;
    refill(prevValues, base?.values ?? {});
    refill(recorded, structuredClone(meta?.objects ?? {}));
    refill(journal.meta.objects, structuredClone(meta?.objects ?? {}));
    journal.meta.replay = { ...structuredClone(meta?.replay ?? {}), ...keep };
    journal.meta.tag = c.tag;
    refill(journal.values, { ...(base?.values ?? {}), OKTA_TENANT: o.orgUrl });
    const r: Record<string, GeneratedValue[] | undefined> = {};
    for (const [k, v] of Object.entries(meta?.replay ?? {})) r[k] = v.generated;
    if (base && !r.TAG && typeof base.values.TAG === 'string') r.TAG = [{ kind: 'tag', value: base.values.TAG }];
    refill(replay, r);
    journal.beforeFirstWrite = c.retireTo || c.restoreFrom ? () => switchSet(c, latest, new Date()) : undefined;
    if (c.retireTo) o.log.verbose(`${latest} (TAG ${recordTag(current) ?? 'none'}) becomes ${c.retireTo} at the first write`);
    if (c.restoreFrom) o.log.verbose(`${c.restoreFrom} (TAG ${c.tag ?? ''}) becomes ${latest} again at the first write`);
  };
  load(choice, {});
  journal.meta.dataSources = o.dataSources;
  return {
    journal,
    recorded,
    prevValues,
    replay,
    currentTag: recordTag(current),
    switchTo: async (tag, keep) => {
      if (tag === choice.tag) return false;
      choice = await chooseSet({ dir: o.dir, input: o.name, orgUrl: o.orgUrl, current, tag, fresh: false });
      const kept: Record<string, NonNullable<OutputMeta['replay']>[string]> = {};
      for (const k of keep) {
        const r = journal.meta.replay?.[k];
        if (r) kept[k] = r;
      }
      load(choice, kept);
      return true;
    },
  };
}
