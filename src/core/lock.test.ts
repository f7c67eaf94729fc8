import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile, stat } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireOutputLock, lockPathOf, LockedError } from './lock.js';

async function folder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'okb-lock-'));
}

describe('acquireOutputLock', () => {
  it('refuses a second holder while the first is alive, naming it, and frees the lock on release', async () => {
    const dir = await folder();
    const file = join(dir, 'mulesoft.json');
    const a = await acquireOutputLock(file, 'okta-bootstrap --mulesoft', () => undefined);
    expect((await stat(lockPathOf(file))).mode & 0o777).toBe(0o600);
    const err = await acquireOutputLock(file, 'okta-bootstrap --mulesoft --yes', () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockedError);
    expect(String(err)).toContain(`pid ${process.pid}`);
    expect(String(err)).toContain('okta-bootstrap --mulesoft');
    await a.release();
    const b = await acquireOutputLock(file, 'second', () => undefined);
    await b.release();
    await b.release();
  });

  it('takes over the lock of a process that is gone, and says so', async () => {
    const dir = await folder();
    const file = join(dir, 'mulesoft.json');
    // a pid that surely existed and is gone: a child that has exited
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    await writeFile(lockPathOf(file), JSON.stringify({ pid: gone, host: hostname(), command: 'okta-bootstrap --mulesoft', startedAt: '2026-12-01T00:00:00Z' }));
    const heard: string[] = [];
    const lock = await acquireOutputLock(file, 'okta-bootstrap --mulesoft', (l) => heard.push(l));
    expect(heard.join('\n')).toContain(`pid ${gone}`);
    expect(JSON.parse(await readFile(lockPathOf(file), 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('takes over an unreadable lock, and never a lock of another host', async () => {
    const dir = await folder();
    const file = join(dir, 'x.json');
    await writeFile(lockPathOf(file), '');
    const heard: string[] = [];
    const lock = await acquireOutputLock(file, 'c', (l) => heard.push(l));
    expect(heard).toHaveLength(1);
    await lock.release();
    await writeFile(lockPathOf(file), JSON.stringify({ pid: 1, host: `${hostname()}-elsewhere`, command: 'c', startedAt: '' }));
    const err = await acquireOutputLock(file, 'c', () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockedError);
    expect(String((err as LockedError).details.suggestion)).toContain('remove');
  });
});
