/** Names of output files: the latest record of an input, and each run's own copy. No zod here: get-settings --help loads this. */
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
