/**
 * Names of output files (the layout: src/core/output-format.ts). No zod here: get-settings --help loads this.
 */

/** `output/<input>.json`: the record of the input's current set. */
export function latestOutputName(input: string): string {
  return `${input}.json`;
}

/** A TAG as it may appear in a file name: letters, digits, dot, dash and underscore, not starting with a dot. */
export const TAG_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;

/** `output/<input>.<TAG>.json`: the record of an earlier set of the input, kept when another set became current. */
export function retiredOutputName(input: string, tag: string): string {
  if (!TAG_PATTERN.test(tag)) throw new Error(`not a TAG usable in a file name: ${JSON.stringify(tag)}`);
  return `${input}.${tag}.json`;
}

/**
 * `output/<YYYYMMDD-HHmmss>_<input>.json`: one run's snapshot of the record, named as the original tool named its
 * per-run files, with seconds. `n` > 1 when that name is taken (two runs in one second): `<stamp>-<n>_<input>.json`.
 */
export function runOutputName(input: string, at: Date, n = 1): string {
  const p = (v: number) => String(v).padStart(2, '0');
  const stamp = `${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}`;
  return `${stamp}${n > 1 ? `-${n}` : ''}_${input}.json`;
}

/** A per-run snapshot's file name (also the original tool's and earlier versions' `<YYYYMMDD-HHmm>_<input>.json`). */
export const RUN_COPY_NAME = /^\d{8}-\d{4}(\d{2})?(-\d+)?_/;

export function isRunCopyName(fileName: string): boolean {
  return RUN_COPY_NAME.test(fileName);
}
