/**
 * The records in an output folder: every `<input>.json` and `<input>.<TAG>.json` that holds okta-bootstrap's
 * metadata (src/core/output-format.ts), the current and the earlier sets of every input. Per-run snapshots are
 * not records and are left out, as are the original tool's flat files (they record no object).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BootstrapError } from './errors.js';
import { isRunCopyName, latestOutputName } from './output-names.js';
import { readOutputFile, type OutputFile, type OutputMeta } from './output-format.js';

export interface RecordFile {
  /** Path of the file. */
  file: string;
  values: OutputFile['values'];
  meta: OutputMeta;
  /** True for `<input>.json` (the set data sources read and plain re-runs continue); false for an earlier set. */
  current: boolean;
}

export interface RecordListing {
  records: RecordFile[];
  /** Files that look like records but cannot be read (broken JSON or metadata), with why. */
  broken: { file: string; error: BootstrapError }[];
}

/** Every record in `dir`, sorted by file name; an absent folder has none. */
export async function listRecords(dir: string): Promise<RecordListing> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'ENOENT') return { records: [], broken: [] };
    throw e;
  }
  const records: RecordFile[] = [];
  const broken: RecordListing['broken'] = [];
  for (const name of names.filter((n) => n.endsWith('.json') && !isRunCopyName(n)).sort()) {
    const file = join(dir, name);
    try {
      const out = await readOutputFile(file, { record: true });
      const meta = out?.meta;
      if (!out || !meta || meta.copyOf !== undefined) continue;
      records.push({ file, values: out.values, meta, current: name === latestOutputName(meta.input) });
    } catch (e) {
      if (e instanceof BootstrapError) broken.push({ file, error: e });
      else throw e;
    }
  }
  return { records, broken };
}
