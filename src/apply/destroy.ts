/**
 * destroy: deletes everything an output file recorded, in reverse dependency order (src/apply/order.ts), and
 * marks each object "deleted" in that file as it goes. Already gone counts as done, so it is safe to repeat and
 * safe after a partial destroy. It never touches what the output does not record. An output that other outputs
 * build on (mulesoft under mulesoft_policy) is refused while those still hold objects, unless --cascade, which
 * destroys the dependents first.
 */
import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { OktaCredentials } from '../core/config.js';
import { BootstrapError, CheckFailedError, ConfigError, type ErrorDetails } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { readOutputFile, type OutputFile, type OutputMeta, type RecordedObject } from '../core/output-format.js';
import { latestOutputName } from '../core/output-names.js';
import { checkCredentials, createOktaClient, type OktaApi } from '../okta/client.js';
import { createGovernor } from '../okta/governor.js';
import { isNotFound, keyOf } from '../okta/handlers/common.js';
import { handlerFor, OBJECT_CLASSES } from '../okta/handlers/index.js';
import { createPrompter } from '../resolve/prompt.js';
import { OutputJournal } from './journal.js';
import { destroySteps } from './order.js';
import { Progress, type OutputStream } from './progress.js';
import { errorLine, inputName } from './report.js';

export interface DestroyOptions {
  input?: string;
  outputFile?: string;
  outputDir: string;
  yes: boolean;
  cascade: boolean;
  interactive: boolean;
  credentials: OktaCredentials;
  logger: Logger;
  debug: boolean;
  showSecrets: boolean;
  dryRun?: boolean;
  /** The live status line goes to `stderr`, drawn only when it is a TTY. */
  streams: { stderr: OutputStream };
}

export interface DestroySummary {
  /** Output files destroyed, in the order they were (dependents first). */
  outputFiles: string[];
  deleted: number;
  /** Recorded objects that were already gone (404) or never got created (a pending intent with no object). */
  gone: number;
  failed: number;
  dryRun: boolean;
}

const RUN_FILE = /^\d{8}-\d{4}_/;

interface Target {
  file: string;
  values: OutputFile['values'];
  meta: OutputMeta;
}

function live(meta: OutputMeta): [string, RecordedObject][] {
  return Object.entries(meta.objects).filter(([, o]) => o.state !== 'deleted');
}

/** Objects the tool must never delete, whatever an output says (e.g. adopted by mistake): each handler names its own. */
async function protectedObject(api: OktaApi, rec: RecordedObject): Promise<boolean> {
  if (!(OBJECT_CLASSES as readonly string[]).includes(rec.objectClass)) return false;
  const h = handlerFor(rec.objectClass);
  return h.isProtected ? h.isProtected({ api, parent: rec.parent ?? {} }, rec) : false;
}

async function readTarget(file: string): Promise<Target> {
  const out = await readOutputFile(file, { record: true });
  if (!out) {
    throw new ConfigError(`Nothing to destroy: ${file} does not exist.`, {
      suggestion: 'Name the output that recorded the objects: --<input> with the same --output-dir, or --output FILE.',
    });
  }
  const meta = out.meta;
  if (!meta) {
    throw new ConfigError(`${file} holds no record of the objects it made (an output of the original okta-bootstrapper?); destroy deletes only what an output recorded.`, {
      suggestion: 'Delete those objects in the Okta Admin Console.',
    });
  }
  return { file, values: out.values, meta };
}

/** Latest outputs in the same folder that loaded `name` as a data source and still hold objects. */
async function dependentsOf(target: Target): Promise<Target[]> {
  const dir = dirname(target.file);
  const name = target.meta.input;
  let files: string[] = [];
  try {
    files = (await readdir(dir)).filter((f) => f.endsWith('.json') && !RUN_FILE.test(f) && join(dir, f) !== target.file);
  } catch {
    return [];
  }
  const found: Target[] = [];
  for (const f of files) {
    let out: OutputFile | undefined;
    try {
      out = await readOutputFile(join(dir, f), { record: true });
    } catch {
      continue;
    }
    const meta = out?.meta;
    if (!out || !meta || !meta.dataSources.includes(name) || meta.orgUrl !== target.meta.orgUrl) continue;
    if (live(meta).length === 0) continue;
    found.push({ file: join(dir, f), values: out.values, meta });
  }
  return found;
}

export async function runDestroy(opts: DestroyOptions): Promise<DestroySummary> {
  const log = opts.logger;
  const file = opts.outputFile ?? join(opts.outputDir, latestOutputName(inputName(opts.input ?? '')));
  const root = await readTarget(file);
  const orgUrl = opts.credentials.orgUrl;
  if (root.meta.orgUrl !== orgUrl) {
    throw new ConfigError(`${file} recorded objects of ${root.meta.orgUrl}, but OKTA_TENANT is ${orgUrl}.`, {
      suggestion: 'Point OKTA_TENANT (or --local) at the org the output was made for.',
    });
  }

  // outputs built on this one go first (--cascade), recursively; without --cascade, refuse
  const order: Target[] = [];
  const visit = async (t: Target, chain: string[]) => {
    for (const d of await dependentsOf(t)) {
      if (chain.includes(d.file) || order.some((o) => o.file === d.file)) continue;
      if (!opts.cascade) {
        const n = live(d.meta).length;
        const depName = d.meta.input;
        throw new CheckFailedError(
          `${depName} (${d.file}) still records ${n} object${n === 1 ? '' : 's'} built on ${t.meta.input}; destroy it first.`,
          {
            suggestion: `Run okta-bootstrap destroy ${basename(d.file) === latestOutputName(depName) ? `--${depName}` : `--output ${d.file}`} first, or add --cascade to remove both, in order.`,
          },
        );
      }
      await visit(d, [...chain, d.file]);
      order.push(d);
    }
  };
  await visit(root, [root.file]);
  order.push(root);

  const all = order.flatMap((t) => live(t.meta).map(([key, rec]) => ({ t, key, rec })));
  const governor = createGovernor({ logger: opts.debug ? log : undefined, requestTimeoutMs: opts.credentials.requestTimeoutMs });
  const api = createOktaClient({ orgUrl, token: opts.credentials.token, governor, logger: log, debug: opts.debug, requestTimeoutMs: opts.credentials.requestTimeoutMs });
  await checkCredentials(api);

  const summary: DestroySummary = { outputFiles: order.map((t) => t.file), deleted: 0, gone: 0, failed: 0, dryRun: Boolean(opts.dryRun) };
  if (all.length === 0) {
    log.info(`Nothing to destroy: every object ${file} recorded is already deleted.`);
    return summary;
  }
  const blocks: string[] = [];
  for (const t of order) {
    const lines = [`${t.meta.input} (${t.file}):`];
    for (const { key, rec } of destroySteps(t.meta.objects).flat()) {
      const kept = (await protectedObject(api, rec)) ? ' (protected: kept)' : '';
      lines.push(`  - ${key} (${rec.objectClass}) ${rec.id ?? '(pending: looked up by natural key)'}${rec.adopted ? ' (adopted: it existed before)' : ''}${kept}`);
    }
    blocks.push(lines.join('\n'));
  }
  const listing = blocks.join('\n');
  if (opts.dryRun) {
    log.result(`Would delete from ${orgUrl}:\n${listing}`);
    return summary;
  }
  if (!opts.yes) {
    log.info(`This deletes from ${orgUrl}:\n${listing}`);
    const prompter = createPrompter({ yes: false, interactive: opts.interactive, showSecrets: opts.showSecrets });
    const ok = await prompter.confirm(`Delete these ${all.length} objects?`, { default: false });
    if (!ok) {
      log.info('Nothing deleted.');
      return summary;
    }
  }

  const progress = new Progress(log, { stream: opts.streams.stderr, showSecrets: opts.showSecrets });
  try {
    for (const t of order) await destroyOne(api, t, progress, summary);
  } finally {
    progress.stop();
  }
  log.info(`Destroyed: ${summary.deleted} deleted, ${summary.gone} already gone, ${summary.failed} failed (${order.map((t) => t.file).join(', ')}).`);
  return summary;
}

async function destroyOne(api: OktaApi, t: Target, progress: Progress, summary: DestroySummary): Promise<void> {
  const meta = t.meta;
  const journal = new OutputJournal({ dir: dirname(t.file), input: meta.input, runAt: new Date(), write: true, paths: [t.file] }, t.values, meta);
  for (const step of destroySteps(meta.objects)) {
    const failures: { key: string; e: unknown }[] = [];
    await Promise.all(
      step.map(async ({ key, rec }) => {
        if (await protectedObject(api, rec)) {
          progress.line(`  kept ${key} (${rec.objectClass}): okta-bootstrap never deletes it`);
          return;
        }
        const handler = handlerFor(rec.objectClass);
        const ctx = { api, parent: rec.parent ?? {} };
        try {
          let id = rec.id;
          if (id === undefined) {
            // a pending intent: the create may or may not have happened
            const found = await handler.findExisting(ctx, [rec.naturalKey]);
            const obj = found.get(keyOf(rec.naturalKey));
            if (obj) id = handler.idOf(obj);
          }
          let outcome: 'deleted' | 'gone' = 'gone';
          if (id !== undefined) {
            try {
              outcome = await handler.delete(ctx, { id });
            } catch (e) {
              if (!isNotFound(e)) throw e;
            }
          }
          journal.record(key, { state: 'deleted', ...(id ? { id } : {}) });
          await journal.flush();
          summary[outcome]++;
          progress.object(outcome, key, rec.objectClass, id ?? '(never created)');
        } catch (e) {
          failures.push({ key, e });
          summary.failed++;
          progress.object('failed', key, rec.objectClass, errorLine(e));
        }
      }),
    );
    const first = failures[0];
    if (first) {
      const details: ErrorDetails = first.e instanceof BootstrapError ? { ...first.e.details } : {};
      throw new CheckFailedError(`destroy stopped: ${failures.length} object${failures.length === 1 ? '' : 's'} could not be deleted; first: ${first.key}: ${errorLine(first.e)}`, {
        ...details,
        key: first.key,
        suggestion: 'Fix the cause and run the same destroy again: what is gone stays gone, the rest is retried.',
      });
    }
  }
}
