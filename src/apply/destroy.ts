/**
 * destroy: deletes what records own, in reverse dependency order (src/apply/order.ts), and marks each object
 * "deleted" in its record as it goes. Already gone counts as done, so it is safe to repeat and safe after a partial
 * destroy. It never touches what no record owns:
 *
 * - Which records: `--<input>` the current set (`<input>.json`), `--tag T` the set of that TAG (current or
 *   `<input>.<T>.json`), `--all` every set of the input, `--output FILE` one record by path. A per-run snapshot is
 *   no record and is refused (exit 2): it may list objects another record owns now.
 * - Dependents: records in the folder of the same org that loaded the input as a data source (any of their sets)
 *   and still hold objects. Refused unless --cascade, which destroys them first.
 * - Before each delete the object is read by its recorded id. Okta's own objects (judged from what was read: the
 *   default authorization server, BUILT_IN groups, system scopes...) are kept, and so is an object whose natural key
 *   is no longer the recorded one (a hand-edited id, another org's file): "recorded id X is now Y". The rest is
 *   deleted; destroy then exits 1 naming what it refused.
 * - Shared entries (used, not owned) are released: removed from the record, the object kept. An owned object that
 *   another record of the folder still uses (a shared entry, same class and id) is handed over: that entry loses
 *   `shared`, this one is removed, the object kept. So every object left in the org is owned by exactly one record.
 * - Each record destroy rewrites (its own, its dependents', those handed an object) is locked (src/core/lock.ts)
 *   before the read it acts on, and released however destroy ends. Records are first listed without a lock to
 *   find which to lock; each is read again once locked.
 */
import { basename, dirname, join, normalize } from 'node:path';
import type { OktaCredentials } from '../core/config.js';
import { BootstrapError, CheckFailedError, ConfigError, InterruptedError, UsageError, type ErrorDetails } from '../core/errors.js';
import { acquireOutputLock, type OutputLock } from '../core/lock.js';
import type { Logger } from '../core/log.js';
import { readOutputFile, type OutputFile, type OutputMeta, type RecordedObject } from '../core/output-format.js';
import { isRunCopyName, latestOutputName, retiredOutputName, RUN_COPY_NAME, TAG_PATTERN } from '../core/output-names.js';
import { listRecords, type RecordFile } from '../core/records.js';
import { checkCredentials, createOktaClient, type OktaApi } from '../okta/client.js';
import { createGovernor } from '../okta/governor.js';
import { keyOf } from '../okta/handlers/common.js';
import { handlerFor, OBJECT_CLASSES } from '../okta/handlers/index.js';
import type { Handler, HandlerContext, Obj } from '../okta/handlers/types.js';
import { createPrompter } from '../resolve/prompt.js';
import { madeBefore } from './create.js';
import { OutputJournal } from './journal.js';
import { findPendingRegistration, REGISTER_INPUT } from './register.js';
import { destroySteps } from './order.js';
import { Progress, type OutputStream } from './progress.js';
import { errorLine, inputName } from './report.js';

export interface DestroyOptions {
  input?: string;
  /** --output FILE: one record by path. */
  outputFile?: string;
  outputDir: string;
  /** --tag T (with an input): the set of that TAG, current or earlier. */
  tag?: string;
  /** --all (with an input): every set of the input, the current one and the earlier ones. */
  all?: boolean;
  yes: boolean;
  cascade: boolean;
  interactive: boolean;
  credentials: OktaCredentials;
  logger: Logger;
  debug: boolean;
  showSecrets: boolean;
  dryRun?: boolean;
  /** What holds the records' locks, e.g. "okta-bootstrap destroy --mulesoft" (secrets redacted by the caller). */
  command: string;
  /** Aborted at Ctrl-C: the objects in flight finish and are recorded, then destroy stops (exit 130). */
  signal?: AbortSignal;
  /** The live status line goes to `stderr`, drawn only when it is a TTY. */
  streams: { stderr: OutputStream };
}

export interface DestroySummary {
  /** Records destroyed, in the order they were (dependents first). */
  outputFiles: string[];
  deleted: number;
  /** Recorded objects that were already gone (404) or never got created (a pending intent with no object). */
  gone: number;
  failed: number;
  /** Objects kept because they are Okta's own or the recorded id now names another object. */
  refused: number;
  /** Shared entries released and owned objects handed over to another record (both kept in the org). */
  released: number;
  dryRun: boolean;
}

interface Target {
  file: string;
  values: OutputFile['values'];
  meta: OutputMeta;
}

interface Entry {
  t: Target;
  key: string;
  rec: RecordedObject;
}

/** What destroy does with one recorded object, decided from the object read by its id. */
type Verdict =
  | { kind: 'delete'; id: string }
  | { kind: 'gone'; id?: string }
  | { kind: 'protected'; id: string }
  | { kind: 'mismatch'; id: string; now: string }
  | { kind: 'release' }
  /** `owned`: that record owns it already (an earlier handover that stopped before this record was rewritten). */
  | { kind: 'handover'; id: string; to: Target; toKey: string; owned: boolean };

function live(meta: OutputMeta): [string, RecordedObject][] {
  return Object.entries(meta.objects).filter(([, o]) => o.state !== 'deleted');
}

function known(objectClass: string): boolean {
  return (OBJECT_CLASSES as readonly string[]).includes(objectClass);
}

/** The record a snapshot copies: its meta.copyOf, else the name without the `<stamp>_` prefix. */
function recordOfSnapshot(file: string, meta: OutputMeta | undefined): string {
  return join(dirname(file), meta?.copyOf ?? basename(file).replace(RUN_COPY_NAME, ''));
}

function snapshotRefused(file: string, meta: OutputMeta | undefined): UsageError {
  const record = recordOfSnapshot(file, meta);
  return new UsageError(`${file} is a per-run snapshot of ${record}, not a record: destroy deletes only what a record owns (a snapshot may list objects another record owns now).`, {
    suggestion: `Destroy the record instead: okta-bootstrap destroy --output ${record} (or --${meta?.input ?? inputName(record)}). If that record is lost, restore it from this snapshot first: cp ${file} ${record}`,
  });
}

async function readTarget(file: string, orgUrl: string): Promise<Target> {
  if (isRunCopyName(basename(file))) throw snapshotRefused(file, undefined);
  const out = await readOutputFile(file, { record: true });
  if (!out) {
    throw new ConfigError(`Nothing to destroy: ${file} does not exist.`, {
      suggestion: 'Name the record that owns the objects: --<input> with the same --output-dir (--tag T or --all for earlier sets; okta-bootstrap ls lists them), or --output FILE.',
    });
  }
  const meta = out.meta;
  if (!meta) {
    throw new ConfigError(`${file} holds no record of the objects it made (an output of the original okta-bootstrapper?); destroy deletes only what an output recorded.`, {
      suggestion: 'Delete those objects in the Okta Admin Console.',
    });
  }
  if (meta.copyOf !== undefined) throw snapshotRefused(file, meta);
  if (meta.orgUrl !== orgUrl) {
    throw new ConfigError(`${file} recorded objects of ${meta.orgUrl}, but OKTA_TENANT is ${orgUrl}.`, {
      suggestion: 'Point OKTA_TENANT (or --local) at the org the output was made for.',
    });
  }
  return { file, values: out.values, meta };
}

/** The locks destroy holds, one per record it rewrites; all released at the end, whatever the ending. */
class Locks {
  private readonly held = new Map<string, OutputLock>();
  constructor(
    private readonly command: string,
    private readonly log: Logger,
  ) {}

  async take(file: string): Promise<void> {
    if (this.held.has(file)) return;
    this.held.set(file, await acquireOutputLock(file, this.command, (line) => this.log.warn(line)));
  }

  async releaseAll(): Promise<void> {
    const all = [...this.held.values()];
    this.held.clear();
    await Promise.all(all.map((l) => l.release()));
  }
}

/** The record files the command names (not yet locked nor read, except a peek at the current set's TAG). */
async function chosenFiles(opts: DestroyOptions): Promise<string[]> {
  // normalized as join() normalizes the names listRecords gives, so that one file is never taken for another record
  if (opts.outputFile) return [normalize(opts.outputFile)];
  const name = inputName(opts.input ?? '');
  const dir = opts.outputDir;
  const current = join(dir, latestOutputName(name));
  if (opts.all) {
    const { records } = await listRecords(dir);
    const files = records.filter((r) => r.meta.input === name).map((r) => r.file);
    if (files.length === 0) {
      throw new ConfigError(`Nothing to destroy: ${dir} holds no record of ${name}.`, {
        suggestion: 'Check --output-dir (okta-bootstrap ls lists the records of a folder).',
      });
    }
    return files;
  }
  if (opts.tag === undefined) return [current];
  if (!TAG_PATTERN.test(opts.tag)) throw new UsageError(`--tag ${JSON.stringify(opts.tag)} is not a TAG (letters, digits, dot, dash, underscore).`);
  const peek = await readOutputFile(current, { record: true });
  if (peek?.meta?.tag === opts.tag) return [current];
  const earlier = join(dir, retiredOutputName(name, opts.tag));
  if ((await readOutputFile(earlier, { record: true })) === undefined) {
    const { records } = await listRecords(dir);
    const tags = records.filter((r) => r.meta.input === name && r.meta.tag !== undefined).map((r) => `${r.meta.tag ?? ''}${r.current ? ' (current)' : ''}`);
    throw new ConfigError(`Nothing to destroy: ${name} has no set with TAG ${opts.tag} in ${dir} (neither ${current} nor ${earlier}).`, {
      suggestion: tags.length > 0 ? `Its sets: ${tags.join(', ')} (okta-bootstrap ls).` : 'okta-bootstrap ls lists the sets of a folder.',
    });
  }
  return [earlier];
}

/** Same object: same class and id (an assignment's id is its group's, so its app too). */
function sameObject(a: RecordedObject, b: RecordedObject): boolean {
  if (a.objectClass !== b.objectClass || a.id === undefined || a.id !== b.id) return false;
  return a.objectClass !== 'okta:app_group_assignment' || a.parent?.appId === b.parent?.appId;
}

/**
 * A record outside this destroy that still uses `rec` (a live entry of the same object), if any: one that owns it
 * first (never delete what another record owns), else one that shares it.
 */
function userOf(rec: RecordedObject, others: Target[]): { to: Target; toKey: string; owned: boolean } | undefined {
  const uses = others.flatMap((to) => live(to.meta).filter(([, o]) => sameObject(o, rec)).map(([toKey, o]) => ({ to, toKey, owned: !o.shared })));
  return uses.find((u) => u.owned) ?? uses[0];
}

/** "profile.name "x"": a natural key as the lines show it. */
function showKey(nk: Record<string, string>): string {
  return Object.entries(nk)
    .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
    .join(', ');
}

function nowNamed(h: Handler, obj: Obj): string {
  try {
    return `${h.objectClass} ${showKey(h.naturalKey(obj))}`;
  } catch {
    return `${h.objectClass} without the recorded natural key`;
  }
}

async function keyMatches(h: Handler, ctx: HandlerContext, recorded: Record<string, string>, obj: Obj): Promise<boolean> {
  if (h.sameKey) return h.sameKey(ctx, recorded, obj);
  try {
    return keyOf(h.naturalKey(obj)) === keyOf(recorded);
  } catch {
    return false;
  }
}

/**
 * Reads the object a recorded entry names and decides: delete, already gone, kept (Okta's own, or the id now names
 * another object), released (shared), handed over (another record still uses it). Sends GETs only.
 */
async function inspect(api: OktaApi, e: Entry, others: Target[]): Promise<Verdict> {
  const { rec } = e;
  if (rec.shared) return { kind: 'release' };
  const h = handlerFor(rec.objectClass);
  const ctx: HandlerContext = { api, parent: rec.parent ?? {} };
  let obj: Obj | undefined;
  let id = rec.id;
  if (id === undefined) {
    // a pending intent: the create may or may not have happened. A registered client is found as register-client
    // finds it (name and redirect URIs, never one that was there before: DCR allows clients of the same name);
    // any other object by natural key, and never one Okta made well before the intent was written.
    obj =
      e.t.meta.input === REGISTER_INPUT
        ? await findPendingRegistration({ api, file: e.t.file, objects: e.t.meta.objects, values: e.t.values }, e.key)
        : (await h.findExisting(ctx, [rec.naturalKey])).get(keyOf(rec.naturalKey));
    if (!obj) return { kind: 'gone' };
    id = h.idOf(obj);
    if (madeBefore(obj, rec.at)) return { kind: 'mismatch', id, now: `${nowNamed(h, obj)}, made before this record's intent (${rec.at})` };
  } else {
    obj = await h.read(ctx, id);
    if (!obj) return { kind: 'gone', id };
    // a recorded id that names another object since (hand-edited, another org's file) is never deleted
    if (!(await keyMatches(h, ctx, rec.naturalKey, obj))) {
      if (h.isProtected && (await h.isProtected(ctx, obj))) return { kind: 'protected', id };
      return { kind: 'mismatch', id, now: nowNamed(h, obj) };
    }
  }
  if (h.isProtected && (await h.isProtected(ctx, obj))) return { kind: 'protected', id };
  const user = userOf({ ...rec, id }, others);
  return user ? { kind: 'handover', id, ...user } : { kind: 'delete', id };
}

/** The plan line of one entry. */
function planLine(e: Entry, v: Verdict): string {
  const { key, rec } = e;
  const head = `  - ${key} (${rec.objectClass})`;
  switch (v.kind) {
    case 'delete':
      return `${head} ${v.id}${rec.adopted ? ' (adopted: it existed before)' : ''}`;
    case 'gone':
      return `${head} ${v.id ?? '(never created)'} (already gone)`;
    case 'protected':
      return `${head} ${v.id} (kept: Okta's own)`;
    case 'mismatch':
      return `${head} (refused: recorded id ${v.id} is now ${v.now})`;
    case 'release':
      return `${head} ${rec.id ?? ''} (released: shared, used but not owned; kept)`;
    case 'handover':
      return `${head} ${v.id} (kept: still used by ${v.to.file}, which ${v.owned ? 'owns it' : 'owns it from now on'})`;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export async function runDestroy(opts: DestroyOptions): Promise<DestroySummary> {
  const locks = new Locks(opts.command, opts.logger);
  try {
    return await destroyLocked(opts, locks);
  } finally {
    await locks.releaseAll();
  }
}

async function destroyLocked(opts: DestroyOptions, locks: Locks): Promise<DestroySummary> {
  const log = opts.logger;
  const orgUrl = opts.credentials.orgUrl;
  const lockedRead = async (file: string): Promise<Target> => {
    if (isRunCopyName(basename(file))) throw snapshotRefused(file, undefined);
    await locks.take(file);
    return readTarget(file, orgUrl);
  };
  const roots: Target[] = [];
  for (const f of await chosenFiles(opts)) roots.push(await lockedRead(f));
  const dir = opts.outputFile ? dirname(normalize(opts.outputFile)) : opts.outputDir;
  const { records } = await listRecords(dir);
  const isTarget = (file: string) => roots.some((r) => r.file === file);

  // records built on these (--cascade), recursively, go first; without --cascade, refuse
  const order: Target[] = [];
  const dependentsOf = (t: Target): RecordFile[] =>
    records.filter((r) => r.file !== t.file && !isTarget(r.file) && r.meta.orgUrl === t.meta.orgUrl && r.meta.dataSources.includes(t.meta.input) && live(r.meta).length > 0);
  const visit = async (t: Target, chain: string[]) => {
    for (const d of dependentsOf(t)) {
      if (chain.includes(d.file) || order.some((o) => o.file === d.file)) continue;
      if (!opts.cascade) {
        const n = live(d.meta).length;
        const depName = d.meta.input;
        throw new CheckFailedError(`${depName} (${d.file}) still records ${plural(n, 'object')} built on ${t.meta.input}; destroy it first.`, {
          suggestion: `Run okta-bootstrap destroy ${d.current ? `--${depName}` : `--output ${d.file}`} first, or add --cascade to remove both, in order.`,
        });
      }
      const locked = await lockedRead(d.file);
      await visit(locked, [...chain, d.file]);
      order.push(locked);
    }
  };
  for (const root of roots) {
    if (order.some((o) => o.file === root.file)) continue;
    await visit(root, [root.file]);
    order.push(root);
  }

  const all: Entry[] = order.flatMap((t) => destroySteps(t.meta.objects).flat().map(({ key, rec }) => ({ t, key, rec })));
  // records outside this destroy that use one of its objects: one that shares it is handed it over, so they are
  // rewritten (locked); one that owns it already (a handover cut short) keeps it
  const inOrder = (file: string) => order.some((o) => o.file === file);
  const others: Target[] = [];
  for (const r of records) {
    if (inOrder(r.file) || r.meta.orgUrl !== orgUrl) continue;
    const uses = live(r.meta).some(([, o]) => all.some((e) => !e.rec.shared && o.objectClass === e.rec.objectClass && (sameObject(o, e.rec) || (e.rec.id === undefined && keyOf(o.naturalKey) === keyOf(e.rec.naturalKey)))));
    if (uses) others.push(await lockedRead(r.file));
  }

  const summary: DestroySummary = { outputFiles: order.map((t) => t.file), deleted: 0, gone: 0, failed: 0, refused: 0, released: 0, dryRun: Boolean(opts.dryRun) };
  const rootFile = roots.map((r) => r.file).join(', ');
  if (all.length === 0) {
    log.info(`Nothing to destroy: every object ${rootFile} recorded is already deleted.`);
    return summary;
  }
  const governor = createGovernor({ logger: opts.debug ? log : undefined, requestTimeoutMs: opts.credentials.requestTimeoutMs });
  const api = createOktaClient({ orgUrl, token: opts.credentials.token, governor, logger: log, debug: opts.debug, requestTimeoutMs: opts.credentials.requestTimeoutMs });
  await checkCredentials(api);

  // read every object first: the plan says what each recorded id names now, and what is kept
  const verdicts = new Map<Entry, Verdict>();
  await Promise.all(all.filter((e) => known(e.rec.objectClass)).map(async (e) => verdicts.set(e, await inspect(api, e, others))));
  const blocks = order.map((t) => [`${t.meta.input} (${t.file}):`, ...all.filter((e) => e.t === t).map((e) => planLine(e, verdicts.get(e) ?? { kind: 'delete', id: e.rec.id ?? '?' }))].join('\n'));
  const listing = blocks.join('\n');
  const deletes = all.filter((e) => verdicts.get(e)?.kind === 'delete').length;
  if (opts.dryRun) {
    log.result(`Would delete from ${orgUrl}:\n${listing}`);
    return summary;
  }
  let asked = false;
  if (!opts.yes && deletes > 0) {
    log.info(`This deletes from ${orgUrl}:\n${listing}`);
    const prompter = createPrompter({ yes: false, interactive: opts.interactive, showSecrets: opts.showSecrets });
    const ok = await prompter.confirm(`Delete these ${plural(deletes, 'object')}?`, { default: false });
    if (!ok) {
      log.info('Nothing deleted.');
      return summary;
    }
    asked = true;
  }

  const progress = new Progress(log, { stream: opts.streams.stderr, showSecrets: opts.showSecrets });
  const refused: string[] = [];
  const journals = new Map<string, OutputJournal>();
  const journalOf = (t: Target): OutputJournal => {
    let j = journals.get(t.file);
    if (!j) journals.set(t.file, (j = new OutputJournal({ dir: dirname(t.file), input: t.meta.input, runAt: new Date(), write: true, paths: [t.file] }, t.values, t.meta)));
    return j;
  };
  try {
    for (const t of order) {
      // the person may have taken minutes to confirm: read again what is deleted now
      await destroyOne(api, t, { progress, summary, refused, journalOf, others, signal: opts.signal, verdict: (e) => (asked ? undefined : verdicts.get(e)), entries: all });
    }
  } finally {
    progress.stop();
  }
  log.info(
    `Destroyed: ${summary.deleted} deleted, ${summary.gone} already gone, ${summary.failed} failed` +
      `${summary.released > 0 ? `, ${summary.released} released (kept for another record)` : ''}${summary.refused > 0 ? `, ${summary.refused} refused` : ''} (${order.map((t) => t.file).join(', ')}).`,
  );
  const current = roots.find((r) => basename(r.file) === latestOutputName(r.meta.input));
  if (current && !opts.all) {
    const earlier = records.filter((r) => !r.current && r.meta.input === current.meta.input && !inOrder(r.file) && live(r.meta).length > 0).length;
    if (earlier > 0) log.info(`${earlier === 1 ? '1 earlier set remains' : `${earlier} earlier sets remain`}: okta-bootstrap ls (destroy --${current.meta.input} --tag T or --all removes them).`);
  }
  if (refused.length > 0) {
    throw new CheckFailedError(`destroy kept ${plural(refused.length, 'object')} it may not delete: ${refused.join('; ')}.`, {
      suggestion: 'Okta\'s own objects are never deleted; a recorded id that names another object means the record was edited or belongs to another org: fix or remove those entries in the record, then run the same destroy again.',
    });
  }
  return summary;
}

interface DestroyRun {
  progress: Progress;
  summary: DestroySummary;
  refused: string[];
  journalOf(t: Target): OutputJournal;
  others: Target[];
  signal: AbortSignal | undefined;
  /** The verdict read for the plan, when it is still fresh (undefined: read again). */
  verdict(e: Entry): Verdict | undefined;
  entries: Entry[];
}

/** Drops an entry from a record: the record no longer owns the object (shared, or handed over). */
function forget(j: OutputJournal, key: string): void {
  const { [key]: _gone, ...rest } = j.meta.objects;
  j.meta.objects = rest;
}

async function destroyOne(api: OktaApi, t: Target, run: DestroyRun): Promise<void> {
  const { progress, summary } = run;
  const journal = run.journalOf(t);
  for (const step of destroySteps(t.meta.objects)) {
    if (run.signal?.aborted) throw new InterruptedError('Interrupted (Ctrl-C): destroy stopped; what it deleted is recorded. Run the same destroy again to finish.');
    const failures: { key: string; e: unknown }[] = [];
    await Promise.all(
      step.map(async ({ key, rec }) => {
        const e = run.entries.find((x) => x.t === t && x.key === key) ?? { t, key, rec };
        try {
          const v = run.verdict(e) ?? (await inspect(api, e, run.others));
          const head = `${key} (${rec.objectClass})`;
          switch (v.kind) {
            case 'protected':
              summary.refused++;
              run.refused.push(`${key}: ${v.id} is Okta's own`);
              progress.line(`  kept ${head} ${v.id}: Okta's own, okta-bootstrap never deletes it`);
              return;
            case 'mismatch':
              summary.refused++;
              run.refused.push(`${key}: recorded id ${v.id} is now ${v.now}`);
              progress.line(`  refused ${head}: recorded id ${v.id} is now ${v.now} (recorded: ${showKey(rec.naturalKey)}); kept`);
              return;
            case 'release':
              forget(journal, key);
              await journal.flush();
              summary.released++;
              progress.line(`  released ${head} ${rec.id ?? ''}: shared (used, not owned by ${basename(t.file)}), kept`);
              return;
            case 'handover': {
              // the other record first: stopped in between, it owns the object and this entry is forgotten next time
              if (!v.owned) {
                const to = run.journalOf(v.to);
                to.record(v.toKey, { state: to.objects[v.toKey]?.state ?? 'done', shared: undefined });
                await to.flush();
              }
              forget(journal, key);
              await journal.flush();
              summary.released++;
              progress.line(`  kept ${head} ${v.id}: still used by ${v.to.file} (${v.toKey}), which ${v.owned ? 'owns it' : 'owns it from now on'}`);
              return;
            }
            case 'gone':
            case 'delete': {
              const outcome = v.kind === 'delete' ? await handlerFor(rec.objectClass).delete({ api, parent: rec.parent ?? {} }, { id: v.id }) : 'gone';
              journal.record(key, { state: 'deleted', ...(v.id ? { id: v.id } : {}) });
              await journal.flush();
              summary[outcome]++;
              progress.object(outcome, key, rec.objectClass, v.id ?? '(never created)');
              return;
            }
          }
        } catch (err) {
          failures.push({ key, e: err });
          summary.failed++;
          progress.object('failed', key, rec.objectClass, errorLine(err));
        }
      }),
    );
    const first = failures[0];
    if (first) {
      const details: ErrorDetails = first.e instanceof BootstrapError ? { ...first.e.details } : {};
      throw new CheckFailedError(`destroy stopped: ${plural(failures.length, 'object')} could not be deleted; first: ${first.key}: ${errorLine(first.e)}`, {
        ...details,
        key: first.key,
        suggestion: 'Fix the cause and run the same destroy again: what is gone stays gone, the rest is retried.',
      });
    }
  }
}
