/**
 * A cross-process lock file: created with O_EXCL ('wx'), holding "pid time". A lock whose process is
 * gone (same host) or that is older than `staleMs` is broken by renaming it aside (atomic, so only one
 * waiter breaks it) and checking that what was moved is the lock that was judged stale.
 */
import { openSync, closeSync, writeSync, readFileSync, renameSync, unlinkSync, linkSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface LockOptions {
  /** A lock older than this is taken to be left over by a crashed process. */
  staleMs?: number;
  /** Give up after this long. */
  timeoutMs?: number;
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function isStale(path: string, content: string, staleMs: number): boolean {
  const [pidRaw, timeRaw] = content.split(' ');
  const pid = Number(pidRaw);
  const time = Number(timeRaw);
  if (!Number.isFinite(time) || time <= 0) {
    // empty or torn: its writer is between open and write, or died there; judge by the file's age
    try {
      return Date.now() - statSync(path).mtimeMs > staleMs;
    } catch {
      return false;
    }
  }
  if (pid === process.pid) return Date.now() - time > staleMs;
  return !pidAlive(pid) || Date.now() - time > staleMs;
}

/** Tries once to take the lock. */
function tryAcquire(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      mkdirSync(dirname(path), { recursive: true });
      return tryAcquire(path);
    }
    throw e;
  }
  try {
    writeSync(fd, `${process.pid} ${Date.now()}`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** Moves a stale lock aside; if what was moved is not the lock judged stale, puts it back without clobbering. */
function breakStale(path: string, judged: string): void {
  const aside = `${path}.stale.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // someone else broke or released it
  }
  const moved = readLock(aside);
  if (moved !== judged) {
    try {
      linkSync(aside, path); // fails if a new lock exists: then the moved one was already superseded
    } catch {
      /* keep going: the newer lock stays */
    }
  }
  try {
    unlinkSync(aside);
  } catch {
    /* already gone */
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function withFileLock<T>(path: string, fn: () => Promise<T>, opts: LockOptions = {}): Promise<T> {
  const staleMs = opts.staleMs ?? 30_000;
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  let wait = 1;
  while (!tryAcquire(path)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for the lock ${path}`);
    const content = readLock(path);
    if (content !== undefined && isStale(path, content, staleMs)) {
      breakStale(path, content);
      continue;
    }
    await sleep(wait + Math.random() * wait);
    wait = Math.min(wait * 2, 20);
  }
  try {
    return await fn();
  } finally {
    try {
      unlinkSync(path);
    } catch {
      /* broken by someone who judged us stale; nothing to do */
    }
  }
}
