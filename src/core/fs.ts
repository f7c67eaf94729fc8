import { closeSync, openSync, readSync } from 'node:fs';
import { mkdir, open, rename, rm, chmod } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { BootstrapError, ConfigError, InputError } from './errors.js';
import { parseJsonWithPosition } from './json-locate.js';

/**
 * Writes a file atomically: a temp file in the same folder, fsync, then rename over the target.
 * Readers see either the old or the new content, never a torn write. `mode` defaults to 0600
 * because nearly everything this tool writes (output files, .env, tenant state) holds secrets.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await open(tmp, 'w', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Largest input, output or .env file the tool reads: far above any real one, far below what would exhaust memory. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

const CHUNK = 64 * 1024;

export interface ReadTextOptions {
  /** Size limit in bytes (default MAX_FILE_BYTES). */
  maxBytes?: number;
  /** What the file is, for messages ("input file", ".env file", "output file"). Default "file". */
  what?: string;
}

/**
 * Reads a whole text file, bounded and strict, synchronously: at most `maxBytes` (default 10 MB) are read — in
 * chunks, so a device such as /dev/zero, which stats as size 0 and never ends, stops at the limit too — and the
 * bytes must be UTF-8. A leading BOM is dropped. Over the limit, or not UTF-8 → InputError (exit 2) naming the
 * file, and for a bad byte its line and column. Errors of the file system itself (ENOENT, EACCES, EISDIR) are
 * thrown as they are, for the caller to name.
 */
export function readTextFileSync(path: string, opts: ReadTextOptions = {}): string {
  const acc = new BoundedBytes(opts.maxBytes ?? MAX_FILE_BYTES);
  const fd = openSync(path, 'r');
  try {
    for (let buf = acc.next(); buf; buf = acc.next()) acc.took(buf, readSync(fd, buf, 0, buf.length, null));
  } finally {
    closeSync(fd);
  }
  return decodeStrict(path, acc.bytes(), acc.limit, opts.what);
}

/** The asynchronous twin of readTextFileSync (same limit, same checks, same errors). */
export async function readTextFile(path: string, opts: ReadTextOptions = {}): Promise<string> {
  const acc = new BoundedBytes(opts.maxBytes ?? MAX_FILE_BYTES);
  const fh = await open(path, 'r');
  try {
    for (let buf = acc.next(); buf; buf = acc.next()) acc.took(buf, (await fh.read(buf, 0, buf.length, null)).bytesRead);
  } finally {
    await fh.close();
  }
  return decodeStrict(path, acc.bytes(), acc.limit, opts.what);
}

/**
 * The bytes of a bounded read, chunk by chunk: `next()` gives the buffer to read into (undefined once the file
 * ended or one byte past the limit was read, which tells "exactly at the limit" from "over it").
 */
class BoundedBytes {
  private readonly chunks: Buffer[] = [];
  private total = 0;
  private ended = false;

  constructor(readonly limit: number) {}

  next(): Buffer | undefined {
    if (this.ended || this.total > this.limit) return undefined;
    return Buffer.allocUnsafe(Math.min(CHUNK, this.limit + 1 - this.total));
  }

  took(buf: Buffer, n: number): void {
    if (n === 0) {
      this.ended = true;
      return;
    }
    this.chunks.push(n === buf.length ? buf : buf.subarray(0, n));
    this.total += n;
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.total);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function decodeStrict(path: string, bytes: Buffer, limit: number, what = 'file'): string {
  if (bytes.length > limit) {
    throw new InputError(path, [
      {
        severity: 'error',
        path: [],
        message: `the ${what} is larger than ${formatBytes(limit)}, the most okta-bootstrap reads`,
        suggestion: `Check the path: an ${what} of okta-bootstrap is a few kilobytes.`,
      },
    ]);
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const { line, column } = lineColumnOfByte(bytes, at);
    const byte = bytes[at] ?? 0;
    throw new InputError(path, [
      {
        severity: 'error',
        path: [],
        message: `the ${what} is not UTF-8: byte 0x${byte.toString(16).padStart(2, '0')} at line ${line}, column ${column} is not part of a UTF-8 character`,
        suggestion: 'Save the file as UTF-8 (every editor offers it; iconv -f latin1 -t utf-8 converts a Latin-1 file).',
        line,
        column,
      },
    ]);
  }
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MB` : `${n} bytes`;
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629 §4), or bytes.length. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    // Lead byte → sequence length and the allowed range of the second byte (no overlongs, no surrogates, ≤ U+10FFFF).
    let len: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) len = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      len = 3;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      len = 4;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k < len; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i; // truncated at the end of the file
      if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i; // the sequence starting at i is broken
    }
    i += len;
  }
  return bytes.length;
}

/** 1-based line and column (in characters) of the byte at `offset`: the text before it is valid UTF-8. */
function lineColumnOfByte(bytes: Uint8Array, offset: number): { line: number; column: number } {
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
  const lines = before.split('\n');
  const last = lines[lines.length - 1] ?? '';
  return { line: lines.length, column: [...last].length + 1 };
}

export interface ReadJsonOptions {
  /** What the file is, for messages ("policies file", "local tenant state"). */
  what: string;
  /** The error for a file that does not exist (default: "<what> not found: <path>"). */
  missing?: () => BootstrapError;
  /** What to do when the file is unreadable or not JSON. */
  suggestion?: string;
}

/**
 * Reads and parses one JSON file through the bounded UTF-8 reader. A missing file is `opts.missing()` (or a
 * ConfigError naming it), another read error names the file, and a syntax error gives its line and column: every
 * failure is a ConfigError (exit 2) that says which file and what to do, never a bare SyntaxError.
 */
export async function readJsonFile(path: string, opts: ReadJsonOptions): Promise<unknown> {
  let text: string;
  try {
    text = await readTextFile(path, { what: opts.what });
  } catch (e) {
    if (e instanceof BootstrapError) throw e;
    if (e instanceof Error && 'code' in e && e.code === 'ENOENT') {
      throw opts.missing?.() ?? new ConfigError(`The ${opts.what} ${path} was not found.`, { suggestion: opts.suggestion });
    }
    throw new ConfigError(`Cannot read the ${opts.what} ${path}: ${e instanceof Error ? e.message : String(e)}`, { suggestion: opts.suggestion });
  }
  const parsed = parseJsonWithPosition(text);
  if (!parsed.ok) {
    const { line, column, message } = parsed.error;
    throw new ConfigError(`The ${opts.what} ${path} is not valid JSON (line ${line}, column ${column}): ${message}`, { suggestion: opts.suggestion });
  }
  return parsed.value;
}
