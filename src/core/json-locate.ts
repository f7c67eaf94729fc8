/**
 * Line and column for problems in an input file: of a JSON syntax error (from JSON.parse's position), and of
 * any JSON path in a file that parsed (a small scanner records where each member starts). The scanner also
 * finds duplicate keys, which JSON.parse silently collapses to the last one.
 */

export interface Position {
  line: number;
  column: number;
}

/** 1-based line and column of a 0-based offset. */
export function positionAt(text: string, offset: number): Position {
  const o = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < o; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: o - lineStart + 1 };
}

export interface SyntaxProblem extends Position {
  message: string;
}

/** Parses JSON; on a syntax error returns where it is and V8's description (without the position noise). */
export function parseJsonWithPosition(text: string): { ok: true; value: unknown } | { ok: false; error: SyntaxProblem } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const msg = (e as Error).message;
    // V8 gives "at position N" for some errors and nothing for others ("Unexpected token ..."): our own scan
    // finds the offset in every case.
    const where = positionAt(text, firstSyntaxErrorOffset(text));
    const clean = msg
      .replace(/\s*\(line \d+ column \d+\)/, '')
      .replace(/\s*in JSON at position \d+/, '')
      .replace(/^(Unexpected token '.*?'),.*$/s, '$1');
    return { ok: false, error: { ...where, message: clean } };
  }
}

/** The offset of the first JSON syntax error in `text` (text.length when there is none). */
export function firstSyntaxErrorOffset(text: string): number {
  try {
    scanJson(text);
    return text.length;
  } catch (e) {
    if (e instanceof SyntaxAt) return e.at;
    throw e;
  }
}

export interface JsonLocations {
  /** Position of the member (its key) or array element at `path`, or of its nearest recorded ancestor. */
  at(path: (string | number)[]): Position | undefined;
  /** Keys that occur more than once in the same object: path of the object, key, and every position. */
  duplicates: { path: (string | number)[]; key: string; positions: Position[] }[];
}

/** Where every member of valid JSON text starts, and its duplicate keys. */
export function locateJson(text: string): JsonLocations {
  const { where, duplicates } = scanJson(text);
  return {
    at(path) {
      // the nearest recorded ancestor: a missing field is located at its entry
      for (let n = path.length; n > 0; n--) {
        const o = where.get(pathId(path.slice(0, n)));
        if (o !== undefined) return positionAt(text, o);
      }
      return undefined;
    },
    duplicates: duplicates.map((d) => ({ path: d.path, key: d.key, positions: d.offsets.map((o) => positionAt(text, o)) })),
  };
}

class SyntaxAt extends Error {
  constructor(readonly at: number) {
    super(`JSON syntax error at offset ${at}`);
  }
}

const pathId = (path: (string | number)[]) => path.map(String).join('\u0000');

/**
 * A strict JSON scanner (RFC 8259) that records the offset of every object member and array element by path,
 * and duplicate keys. Throws SyntaxAt with the offset of the first error.
 */
function scanJson(text: string): { where: Map<string, number>; duplicates: { path: (string | number)[]; key: string; offsets: number[] }[] } {
  const where = new Map<string, number>();
  const duplicates: { path: (string | number)[]; key: string; offsets: number[] }[] = [];
  let i = 0;
  const fail = (at = i): never => {
    throw new SyntaxAt(at);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    if (text[i] !== '"') fail();
    i++;
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return JSON.parse(text.slice(start, i)) as string;
      }
      if (c < 32) fail();
      if (c === 92) {
        const n = text[i + 1];
        if (n === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail(i + 1);
          i += 6;
        } else if (n !== undefined && '"\\/bfnrt'.includes(n)) i += 2;
        else fail(i + 1);
      } else i++;
    }
  };
  /** Parses `open` members/elements `close`, calling `member` for each; commas and the closing bracket checked here. */
  const sequence = (close: string, member: (n: number) => void) => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (let n = 0; ; n++) {
      ws();
      member(n);
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] !== close) fail();
      i++;
      return;
    }
  };
  const value = (path: (string | number)[]): void => {
    ws();
    const c = text[i];
    if (c === undefined) fail();
    if (c === '{') {
      const seen = new Map<string, number[]>();
      sequence('}', () => {
        const keyAt = i;
        const key = str();
        const p = [...path, key];
        seen.set(key, [...(seen.get(key) ?? []), keyAt]);
        if (!where.has(pathId(p))) where.set(pathId(p), keyAt);
        ws();
        if (text[i] !== ':') fail();
        i++;
        value(p);
      });
      for (const [key, offsets] of seen) if (offsets.length > 1) duplicates.push({ path, key, offsets });
      return;
    }
    if (c === '[') {
      sequence(']', (n) => {
        where.set(pathId([...path, n]), i);
        value([...path, n]);
      });
      return;
    }
    if (c === '"') {
      str();
      return;
    }
    for (const lit of ['true', 'false', 'null']) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return;
      }
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail();
    i += m![0].length;
  };
  value([]);
  ws();
  if (i < text.length) fail();
  return { where, duplicates };
}
