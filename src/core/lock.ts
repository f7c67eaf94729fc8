/**
 * One run at a time per record: `<record>.lock` next to the output file, created exclusively (O_EXCL) and holding
 * who took it. A second run on the same record refuses (exit 1) rather than waits: its review and plan would be
 * made against a record the first run is still changing, and a person at a prompt could hold the lock for minutes.
 *
 * A lock whose process is gone (same host, no such pid: killed with -9, a crash) is stale and taken over, with a
 * warning. A lock from another host cannot be checked and is never taken over. proper-lockfile was considered: its
 * stale test is a refreshed mtime, so a run killed with -9 would block the next one for at least 5 s.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hostname } from 'node:os';
import { BootstrapError } from './errors.js';

export interface LockInfo {
  pid: number;
  host: string;
  /** What holds it, e.g. "okta-bootstrap --mulesoft" (secrets already redacted by the caller). */
  command: string;
  startedAt: string;
}

/** The record is in use by another run (exit 1). */
export class LockedError extends BootstrapError {}

export interface OutputLock {
  path: string;
  /** Removes the lock if it is still this process's. Safe to call twice. */
  release(): Promise<void>;
}

export function lockPathOf(recordFile: string): string {
  return `${recordFile}.lock`;
}

function parseLock(text: string): LockInfo | undefined {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null) return undefined;
    const o = v as Record<string, unknown>;
    if (typeof o.pid !== 'number' || typeof o.host !== 'string') return undefined;
    return { pid: o.pid, host: o.host, command: typeof o.command === 'string' ? o.command : '', startedAt: typeof o.startedAt === 'string' ? o.startedAt : '' };
  } catch {
    return undefined;
  }
}

/** True when `pid` names a live process on this host (EPERM: it exists, owned by someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e instanceof Error && 'code' in e && e.code === 'EPERM';
  }
}

/**
 * Takes the lock of `recordFile` for `command`. `onStale` hears about a dead run's lock being taken over.
 * A lock file that cannot be parsed (its writer died between create and write) counts as stale.
 */
export async function acquireOutputLock(recordFile: string, command: string, onStale: (line: string) => void): Promise<OutputLock> {
  const path = lockPathOf(recordFile);
  await mkdir(dirname(path), { recursive: true });
  const me: LockInfo = { pid: process.pid, host: hostname(), command, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, 'wx', 0o600);
      try {
        await fh.writeFile(JSON.stringify(me) + '\n');
      } finally {
        await fh.close();
      }
      let released = false;
      return {
        path,
        release: async () => {
          if (released) return;
          released = true;
          const held = parseLock(await readFile(path, 'utf8').catch(() => ''));
          if (held && held.pid === me.pid && held.host === me.host && held.startedAt === me.startedAt) await rm(path, { force: true });
        },
      };
    } catch (e) {
      if (!(e instanceof Error && 'code' in e && e.code === 'EEXIST')) throw e;
    }
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined) continue; // released meanwhile: try again
    const held = parseLock(text);
    if (held && (held.host !== me.host || alive(held.pid))) {
      const since = held.startedAt ? ` since ${held.startedAt}` : '';
      throw new LockedError(`${recordFile} is in use by another okta-bootstrap run (pid ${held.pid} on ${held.host}${held.command ? `: ${held.command}` : ''}${since}).`, {
        suggestion:
          held.host !== me.host
            ? `Wait for it to finish, then run again. If that run is gone, remove ${path} (okta-bootstrap cannot check a process on ${held.host}).`
            : 'Wait for it to finish (or stop it), then run again: one run at a time changes a record.',
      });
    }
    onStale(held ? `${path}: the run that held it (pid ${held.pid}${held.command ? `, ${held.command}` : ''}) is gone; taking it over.` : `${path} is unreadable (its run died while taking it); taking it over.`);
    await rm(path, { force: true });
  }
  throw new LockedError(`Could not take ${path}: other runs keep taking it.`, { suggestion: 'Run again once the other runs have finished.' });
}
