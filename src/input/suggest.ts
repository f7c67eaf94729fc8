/**
 * "Did you mean …?" for unknown objTypes, object classes, fields and generator names.
 * Plain edit distance misleads for compound names ("okta:grup" is 4 edits from "okta:user" but means
 * "okta:user_group"), so candidates are ranked first by how well each word of the typo matches some word of
 * the candidate, then by the whole-string distance.
 */

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

const words = (s: string) => s.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

/** The candidate closest to `input`, or undefined when none is reasonably close. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const inWords = words(input);
  let best: { c: string; score: number; full: number } | undefined;
  for (const c of candidates) {
    const cWords = words(c);
    const wordScore = inWords.reduce((sum, w) => sum + Math.min(...cWords.map((cw) => editDistance(w, cw)), w.length), 0);
    const full = editDistance(input.toLowerCase(), c.toLowerCase());
    if (!best || wordScore < best.score || (wordScore === best.score && full < best.full)) best = { c, score: wordScore, full };
  }
  if (!best) return undefined;
  const tolerance = Math.max(2, Math.ceil(input.length / 3));
  return best.score <= tolerance || best.full <= tolerance ? best.c : undefined;
}

/** "did you mean "x"? " plus the list of valid values. */
export function suggestion(input: string, candidates: readonly string[], what: string): string {
  const c = closest(input, candidates);
  const list = `Valid ${what}: ${candidates.join(', ')}.`;
  return c ? `Did you mean "${c}"? ${list}` : list;
}
