/**
 * What a run tells the person: the plan (--dry-run, text or --json), the closing summary line, and the error
 * that ends a run that did not finish (exit 1, after the summary was printed).
 */
import { basename } from 'node:path';
import { BootstrapError, type ErrorDetails } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { FieldDiff } from '../okta/handlers/types.js';
import type { PlanAction } from './plan.js';
import { formatDiff, type Counts } from './progress.js';
import { KNOWN } from './values.js';

export interface PlannedObject {
  key: string;
  objectClass: string;
  /** `delete`: an object an earlier run replaced, deleted once this run has succeeded. */
  action: PlanAction | 'delete';
  /** For create: the handler's create request; for update: the object's path. */
  method?: string;
  path?: string;
  /** The request body, secrets masked unless --show-secrets. */
  body?: unknown;
  diffs: FieldDiff[];
  id?: string;
  reason: string;
  /** The object in words: its natural key's values ("solar_system_api_auth_server ask1"). */
  name?: string;
  /**
   * The object this record owns under the entry's previous natural key (or parent), which this one supersedes:
   * deleted once the run has finished, unless it was adopted (`kept`: it only leaves the record).
   */
  replaces?: { id: string; name: string; kept: boolean };
}

export interface RunSummary {
  input: string;
  orgUrl: string;
  dryRun: boolean;
  complete: boolean;
  counts: Counts;
  /** Output files written (latest first); none in a dry run. */
  outputFiles: string[];
  plan?: PlannedObject[];
  /** Requests sent to Okta by this run. */
  requests: number;
}

/** The run did not finish (a failed object, a conflict): exit 1, after the summary was printed. */
export class RunFailedError extends BootstrapError {
  constructor(message: string, details: ErrorDetails, readonly summary: RunSummary) {
    super(message, details, 1);
  }
}

/** One line for an error: its message and Okta's error causes. */
export function errorLine(e: unknown): string {
  if (e instanceof BootstrapError) {
    const d = e.details;
    const causes = d.errorCauses?.length ? ` (${d.errorCauses.join('; ')})` : '';
    return `${e.message}${causes}`;
  }
  return e instanceof Error ? e.message : String(e);
}

/** The name of an input: built-in name, or a file's base name without .json. */
export function inputName(input: string): string {
  return basename(input).replace(/\.json$/i, '');
}

/** The error that ends a run with failed objects: the first failure, with its key, Okta's error and what to do. */
export function firstFailure(failed: Map<string, unknown>, summary: RunSummary, skipped = 0, rerun?: string): RunFailedError {
  const [key, e] = [...failed.entries()][0] ?? ['', undefined];
  // The key is the entry that failed, even when its error names another (a template reading a missing field of G
  // fails X, not G): the message and the summary line then speak of the same entries.
  const details: ErrorDetails = e instanceof BootstrapError ? { ...e.details, key } : { key };
  const n = failed.size;
  return new RunFailedError(
    n > 0
      ? `${n} failed${skipped ? ` and ${skipped} could not start` : ''}; first: ${errorLine(e).startsWith(`${key}:`) ? '' : `${key}: `}${errorLine(e)}`
      : 'The run did not finish.',
    {
      ...details,
      suggestion: details.suggestion ?? `Fix the cause and run ${rerun ?? 'the same command'} again: what was created is recorded and is not created twice.`,
    },
    summary,
  );
}

/**
 * The closing line of an apply: counts and where the output went. `failed` and `skipped` are the run's own
 * numbers (values and objects alike), the same the error line after it gives, so the two never disagree.
 */
export function summaryLine(summary: RunSummary, run: { failed: number; skipped: number }, latestPath: string, runPath: string): string {
  const c = summary.counts;
  const replaced = c.deleted + c.gone ? `, ${c.deleted + c.gone} replaced deleted` : '';
  return `${summary.complete ? 'Done' : 'Not finished'}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.adopted} adopted${replaced}, ${run.failed} failed${run.skipped ? `, ${run.skipped} skipped` : ''}. Output: ${latestPath} (this run: ${runPath}).`;
}

/** What the plan changes: creates, replaces, updates and adopted conflicts (the N of "Apply these N changes?"). */
export function changeCount(plan: PlannedObject[], adoptConflicts: boolean): number {
  return plan.filter((p) => p.action === 'create' || p.action === 'replace' || p.action === 'update' || p.action === 'delete' || (p.action === 'conflict' && adoptConflicts)).length;
}

/** What becomes of the object a plan entry supersedes, in one line. */
function replacedLine(r: NonNullable<PlannedObject['replaces']>): string {
  return r.kept
    ? `replaces "${r.name}" (${r.id}), which is kept: it was adopted (okta-bootstrap did not create it) and leaves the record`
    : `replaces "${r.name}" (${r.id}), deleted once every step of the run has succeeded (its dependants move to the new one first)`;
}

/**
 * The plan, in Terraform's style (https://developer.hashicorp.com/terraform/cli/commands/plan): `+ create` with the
 * request it sends, `-/+ replace` with the old natural key and the new one and the create request, `~ update` with
 * each field's old → new value once, `= unchanged`, `= shared` (an object used, not owned), `! conflict` with what
 * to do.
 * Existing objects are named in words (their natural key) and by id, never as JSON. Printed by a dry run (stdout,
 * or --json) and before the one confirmation of an interactive run (stderr, `toStderr`). `adoptConflicts`: the
 * confirmation adopts them (interactive, or --adopt).
 */
export function printPlan(
  log: Logger,
  opts: { json: boolean; showSecrets: boolean; dryRun: boolean; adoptConflicts: boolean; toStderr?: boolean; setTag?: string },
  plan: PlannedObject[],
  summary: RunSummary,
): void {
  const counts = { create: 0, replace: 0, update: 0, unchanged: 0, shared: 0, conflict: 0, delete: 0 };
  for (const p of plan) counts[p.action]++;
  if (opts.json) {
    log.result(JSON.stringify({ input: summary.input, orgUrl: summary.orgUrl, counts, objects: plan }, null, 2));
    return;
  }
  const s = opts.toStderr ? log.errStyle : log.style;
  const lines: string[] = [`Plan for ${summary.input} on ${summary.orgUrl}${opts.dryRun ? ' (dry run: nothing is sent but reads)' : ''}:`, ''];
  for (const p of plan) {
    const mark = {
      create: s.green('+ create   '),
      replace: s.yellow('-/+ replace'),
      update: s.cyan('~ update   '),
      unchanged: s.dim('= unchanged'),
      shared: s.dim('= shared   '),
      conflict: s.red('! conflict '),
      delete: s.red('- delete   '),
    }[p.action];
    const words = p.name ? ` "${p.name}"` : '';
    const id = p.id ? ` (${p.id})` : '';
    const creates = p.action === 'create' || p.action === 'replace';
    const head = p.action === 'replace' && p.replaces ? ` "${p.replaces.name}" (${p.replaces.id}) →${words}` : creates ? words : `${words}${id}`;
    lines.push(`${mark} ${p.key} (${p.objectClass})${head}`);
    if (p.replaces) lines.push(`    ${replacedLine(p.replaces)}`);
    if (p.action === 'shared' || p.action === 'delete') lines.push(`    ${p.reason}`);
    if (creates) {
      lines.push(`    ${p.method} ${p.path}`);
      for (const l of JSON.stringify(p.body, null, 2).split('\n')) lines.push(`    ${l}`);
    } else if (p.action === 'update') {
      lines.push(`    ${p.method} ${p.path}`);
      for (const d of p.diffs) lines.push(`    ${formatDiff(d, opts.showSecrets)}`);
    } else if (p.action === 'conflict') {
      lines.push(`    ${p.reason}`);
      for (const d of p.diffs) lines.push(`    ${formatDiff(d, opts.showSecrets)}`);
      // a new TAG gives a separate object only when the natural key carries the TAG (a trusted origin's does not)
      const tagged = opts.setTag !== undefined && opts.setTag !== '' && (p.name ?? '').includes(opts.setTag);
      lines.push(
        opts.adoptConflicts
          ? `    → applying adopts it${p.diffs.length ? ' and updates it in place' : ''} (answer N${tagged ? ', then --new-tag for a separate set,' : ''} if it is not yours)`
          : `    → adopt it with --adopt, ${tagged ? 'use --new-tag for a separate set, ' : ''}or remove it from the org`,
      );
    }
  }
  const known = JSON.stringify(plan).includes(KNOWN) ? ` Values shown as ${KNOWN} exist only after a create.` : '';
  const replace = counts.replace ? `${counts.replace} to replace, ` : '';
  const shared = counts.shared ? `${counts.shared} shared, ` : '';
  const deletes = counts.delete ? ` ${counts.delete} replaced earlier to delete.` : '';
  lines.push('', `${counts.create} to create, ${replace}${counts.update} to update, ${counts.unchanged} unchanged, ${shared}${counts.conflict} conflict${counts.conflict === 1 ? '' : 's'}.${deletes}${known}`);
  if (opts.toStderr) log.info(lines.join('\n'));
  else log.result(lines.join('\n'));
}
