/**
 * `okta-bootstrap ls`: every record in an output folder (src/core/records.ts): the current set of each input and
 * its earlier sets, with the TAG, the org, the state, how many objects each owns in the org (shared ones apart)
 * and how old it is. Snapshots are not records and are not listed; files that cannot be read are, with why.
 */
import { Command } from 'commander';
import { BootstrapError, InputError } from '../core/errors.js';
import type { RecordFile, RecordListing } from '../core/records.js';
import { addCommonOptions, createLogger, withExamples } from './common.js';
import { parseOptions, type OptionSchemas } from './options.js';

export const lsOptions = ({ z, flag, common }: OptionSchemas) => z.object({ outputDir: z.string(), json: flag }).extend(common.shape);

export interface RecordRow {
  file: string;
  input: string;
  tag: string | null;
  org: string;
  /** The record's run state: running (a run is at it, or was killed), complete, incomplete. */
  state: 'running' | 'complete' | 'incomplete';
  /** current: `<input>.json`, the set plain runs continue; earlier: a set kept when another became current. */
  set: 'current' | 'earlier';
  /** Objects the record owns that are not deleted (pending ones included: they may exist). */
  owned: number;
  /** Objects it uses and does not own. */
  shared: number;
  /** When the record last finished (or started, if it never finished). */
  at: string;
  ageSeconds: number;
}

export function recordRow(r: RecordFile, now: Date): RecordRow {
  const live = Object.values(r.meta.objects).filter((o) => o.state !== 'deleted');
  const at = r.meta.finishedAt ?? r.meta.startedAt;
  const tag = r.meta.tag ?? (typeof r.values.TAG === 'string' ? r.values.TAG : null);
  return {
    file: r.file,
    input: r.meta.input,
    tag,
    org: r.meta.orgUrl,
    state: r.meta.status,
    set: r.current ? 'current' : 'earlier',
    owned: live.filter((o) => o.shared !== true).length,
    shared: live.filter((o) => o.shared === true).length,
    at,
    ageSeconds: Math.max(0, Math.round((now.getTime() - Date.parse(at)) / 1000)),
  };
}

/** 45s, 12m, 3h, 5d. */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** The listing as a table (current set of each input first, then its earlier sets, newest first), then the broken files. */
export function formatListing(dir: string, rows: RecordRow[], broken: { file: string; error: string }[]): string {
  if (rows.length === 0 && broken.length === 0) return `No records in ${dir}.`;
  const sorted = [...rows].sort((a, b) => a.input.localeCompare(b.input) || (a.set === b.set ? b.at.localeCompare(a.at) : a.set === 'current' ? -1 : 1));
  const table = [
    ['INPUT', 'TAG', 'ORG', 'STATE', 'SET', 'OBJECTS', 'AGE', 'FILE'],
    ...sorted.map((r) => [r.input, r.tag ?? '-', r.org, r.state, r.set, `${r.owned}${r.shared ? ` (+${r.shared} shared)` : ''}`, formatAge(r.ageSeconds), r.file]),
  ];
  const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length))) ?? [];
  const lines = table.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  '));
  for (const b of broken) lines.push(`! ${b.file}: ${b.error}`);
  return lines.join('\n');
}

export function listingJson(dir: string, listing: RecordListing, now: Date): { outputDir: string; records: RecordRow[]; broken: { file: string; error: string }[] } {
  return {
    outputDir: dir,
    records: listing.records.map((r) => recordRow(r, now)),
    broken: listing.broken.map((b) => ({ file: b.file, error: brokenLine(b.error) })),
  };
}

function brokenLine(e: BootstrapError): string {
  const first = e instanceof InputError ? e.problems[0] : undefined;
  return first ? `${e.message}: ${first.path.length ? `${first.path.join('.')}: ` : ''}${first.message}` : e.message;
}

export function lsCommand(): Command {
  const ls = new Command('ls')
    .summary('List the records in an output folder')
    .description(
      'List every record in the output folder: the current set of each input (<input>.json) and its earlier sets ' +
        '(<input>.<TAG>.json), with TAG, org, state, the objects each owns (shared ones apart) and age. ' +
        'Per-run snapshots are not records and are not listed; a file that cannot be read is listed with its error.',
    )
    .option('--output-dir <dir>', 'Folder of the output files (default output)', 'output')
    .option('--json', 'Print the listing as JSON');
  addCommonOptions(ls);
  withExamples(ls, ['okta-bootstrap ls', 'okta-bootstrap ls --output-dir output/local --json']);
  ls.action(async (raw: Record<string, unknown>, cmd: Command) => {
    const flags = await parseOptions(cmd, lsOptions, raw);
    const { listRecords } = await import('../core/records.js');
    const listing = await listRecords(flags.outputDir);
    const out = listingJson(flags.outputDir, listing, new Date());
    const log = createLogger(flags);
    log.result(flags.json ? JSON.stringify(out, null, 2) : formatListing(flags.outputDir, out.records, out.broken));
  });
  return ls;
}
