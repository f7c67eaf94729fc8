/**
 * Records and sets, run as a person would: generated TAGs differ within one minute (two inputs back to back,
 * --new-tag twice), --new-tag keeps the earlier set's record, --tag switches sets back and forth, one run at a time
 * per record (a second run refuses naming the holder; a killed run's lock is taken over), the re-run hint after a
 * stop never repeats --new-tag, and another org's record is refused. Each case ends with the records invariant:
 * every object of the tool's kinds in the org is owned by exactly one record in the folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startLocalTenant } from '../../src/local-tenant/index.js';
import { ROOT, runCli } from '../support/cli.js';
import { sdkClient } from '../support/org.js';
import { orgObjects, recordsInvariant, type OrgObject } from '../support/records.js';
import { ptyAvailable, spawnScreen } from '../support/screen.js';
import { expectOk, startEnv, type Env } from './apply-support.js';

const GENERATED = /^autogen\d{8}-\d{4}-[0-9a-z]{4}$/;
const isCreate = (x: { method: string; path: string; status: number }) => x.method === 'POST' && !x.path.includes('/lifecycle/') && x.status < 300;

interface Case {
  e: Env;
  baseline: OrgObject[];
}

async function begin(opts: { latencyMs?: number } = {}): Promise<Case> {
  const e = await startEnv(opts);
  return { e, baseline: await orgObjects(sdkClient(e.tenant.orgUrl, e.tenant.apiToken)) };
}

/** A fresh tenant and folder for `fn`, which ends with the records invariant. */
async function inCase(fn: (c: Case) => Promise<void>): Promise<void> {
  const c = await begin();
  try {
    await fn(c);
    await expectInvariant(c);
  } finally {
    await c.e.close();
  }
}

async function expectInvariant(c: Case): Promise<void> {
  expect(await recordsInvariant(sdkClient(c.e.tenant.orgUrl, c.e.tenant.apiToken), c.e.out, { baseline: c.baseline })).toEqual({ unrecorded: [], ownedTwice: [], sharedOnly: [] });
}

type Meta = { tag?: string; retiredAt?: string; copyOf?: string; status: string; objects: Record<string, { state: string; id?: string }> };
async function meta(e: Env, file: string): Promise<Meta> {
  const json = JSON.parse(await readFile(join(e.out, file), 'utf8')) as Record<string, unknown>;
  return json['$okta-bootstrap'] as Meta;
}
const doneCount = (m: Meta) => Object.values(m.objects).filter((o) => o.state === 'done').length;
const files = async (e: Env) => (await readdir(e.out)).filter((n) => n.endsWith('.json')).sort();
const snapshots = (names: string[]) => names.filter((n) => /^\d{8}-\d{6}(-\d+)?_/.test(n));

/** The command of a "run the same command again to finish: …" line, as arguments. */
function hintArgs(stderr: string): string[] {
  const m = /run the same command again to finish: okta-bootstrap (.+)$/m.exec(stderr);
  if (!m?.[1]) throw new Error(`no re-run hint in:\n${stderr}`);
  return m[1].trim().split(/\s+/);
}

/** An interactive run on a pseudo-terminal. */
function onScreen(c: Case, args: string[]) {
  return spawnScreen(process.execPath, [join(ROOT, 'bin', 'okta-bootstrap.js'), ...args, '--output-dir', c.e.out, '--env-file', join(c.e.dir, '.env')], {
    cwd: c.e.dir,
    env: { ...c.e.env, NO_COLOR: '1' },
    timeoutMs: 60_000,
  });
}
const review = (key: string) => new RegExp(`(^|\\n)\\? ${key}: \\(C\\) continue[^?]*\\(q\\)\\s+quit`);

/** Calls `onCreate(n)` at each create Okta answered. */
function onCreates(e: Env, onCreate: (n: number) => void): void {
  const log = e.tenant.requestLog;
  const push = log.push.bind(log);
  let n = 0;
  log.push = (...items) => {
    for (const it of items) if (isCreate(it)) onCreate(++n);
    return push(...items);
  };
}

describe('generated TAGs are unique within a minute (case 1)', () => {
  let c: Case;
  beforeAll(async () => {
    c = await begin();
  });
  afterAll(() => c?.e.close());

  it('--mulesoft then --input <a copy of it>, back to back: two sets, no conflict', async () => {
    const { e } = c;
    const copy = join(e.dir, 'other.json');
    await copyFile(join(ROOT, 'inputs', 'mulesoft.json'), copy);
    const a = expectOk(await e.cli(['--mulesoft', '--yes']));
    const b = expectOk(await e.cli(['--input', copy, '--yes']));
    expect(a.stderr + b.stderr).not.toContain('conflict');
    const [ma, mb] = [await meta(e, 'mulesoft.json'), await meta(e, 'other.json')];
    expect(ma.tag).toMatch(GENERATED);
    expect(mb.tag).toMatch(GENERATED);
    expect(ma.tag).not.toBe(mb.tag);
    expect([doneCount(ma), doneCount(mb)]).toEqual([8, 8]);
    await expectInvariant(c);
  }, 90_000);

  it('--new-tag twice in the same minute: two new sets, each record kept under its TAG (case 2)', async () => {
    const { e } = c;
    const first = (await meta(e, 'mulesoft.json')).tag ?? '';
    expectOk(await e.cli(['--mulesoft', '--yes', '--new-tag']));
    const second = (await meta(e, 'mulesoft.json')).tag ?? '';
    const r = expectOk(await e.cli(['--mulesoft', '--yes', '--new-tag']));
    expect(r.stderr).not.toContain('conflict');
    const third = await meta(e, 'mulesoft.json');
    expect(new Set([first, second, third.tag]).size).toBe(3);
    // the earlier sets' records are complete, under their TAGs, marked as earlier sets
    for (const tag of [first, second]) {
      const m = await meta(e, `mulesoft.${tag}.json`);
      expect(m.tag).toBe(tag);
      expect(m.retiredAt).toBeDefined();
      expect(m.copyOf).toBeUndefined();
      expect(doneCount(m)).toBe(8);
    }
    expect(third.retiredAt).toBeUndefined();
    expect(doneCount(third)).toBe(8);
    // one snapshot per run, none overwritten, each a copy of the record
    const snaps = snapshots(await files(e)).filter((n) => n.endsWith('_mulesoft.json'));
    expect(snaps).toHaveLength(3);
    for (const s of snaps) expect((await meta(e, s)).copyOf).toBe('mulesoft.json');
    await expectInvariant(c);
  }, 120_000);
});

describe('switching sets with --tag (case 3)', () => {
  let c: Case;
  beforeAll(async () => {
    c = await begin();
  });
  afterAll(() => c?.e.close());

  it('tA, tB, a plain re-run (continues tB), then tA again: tA\'s record is back, nothing is created twice', async () => {
    const { e } = c;
    expectOk(await e.cli(['--mulesoft', '--yes', '--tag', 'tA']));
    const tA = await meta(e, 'mulesoft.json');
    expectOk(await e.cli(['--mulesoft', '--yes', '--tag', 'tB']));
    expect(doneCount(await meta(e, 'mulesoft.tA.json'))).toBe(8);
    const plain = expectOk(await e.cli(['--mulesoft', '--yes']));
    expect(plain.stderr).toMatch(/Done: 0 created, 0 updated, 8 unchanged/);
    expect((await meta(e, 'mulesoft.json')).tag).toBe('tB');
    const back = expectOk(await e.cli(['--mulesoft', '--yes', '--tag', 'tA']));
    expect(back.stderr).toMatch(/Done: 0 created, 0 updated, 8 unchanged/);
    const now = await meta(e, 'mulesoft.json');
    expect(now.tag).toBe('tA');
    expect(now.retiredAt).toBeUndefined();
    expect(Object.fromEntries(Object.entries(now.objects).map(([k, o]) => [k, o.id]))).toEqual(Object.fromEntries(Object.entries(tA.objects).map(([k, o]) => [k, o.id])));
    expect((await meta(e, 'mulesoft.tB.json')).tag).toBe('tB');
    await expect(stat(join(e.out, 'mulesoft.tA.json'))).rejects.toThrow();
    await expectInvariant(c);
  }, 120_000);

  it('ls lists both sets with TAG, org, state, objects and age; --json gives the same', async () => {
    const { e } = c;
    const r = expectOk(await runCli('okta-bootstrap', ['ls', '--output-dir', e.out], { cwd: e.dir }));
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^INPUT\s+TAG\s+ORG\s+STATE\s+SET\s+OBJECTS\s+AGE\s+FILE$/);
    expect(lines[1]).toMatch(new RegExp(`^mulesoft\\s+tA\\s+${e.tenant.orgUrl.replace(/[.]/g, '\\.')}\\s+complete\\s+current\\s+8\\s+\\d+s\\s+.*mulesoft\\.json$`));
    expect(lines[2]).toMatch(/^mulesoft\s+tB\s+\S+\s+complete\s+earlier\s+8\s+\d+[sm]\s+.*mulesoft\.tB\.json$/);
    expect(lines).toHaveLength(3);
    const j = JSON.parse(expectOk(await runCli('okta-bootstrap', ['ls', '--output-dir', e.out, '--json'], { cwd: e.dir })).stdout) as { records: { tag: string; set: string; owned: number }[] };
    expect(j.records.map((x) => [x.tag, x.set, x.owned]).sort()).toEqual([
      ['tA', 'current', 8],
      ['tB', 'earlier', 8],
    ]);
  }, 30_000);
});

describe('a TAG typed at the review switches sets too', () => {
  it.runIf(ptyAvailable())('tA, tB, then a plain run where tA is typed at the review: tA\'s record is back, nothing created', async () => {
    await inCase(async (c) => {
      expectOk(await c.e.cli(['--mulesoft', '--yes', '--tag', 'tA']));
      expectOk(await c.e.cli(['--mulesoft', '--yes', '--tag', 'tB']));
      const mark = c.e.tenant.requestLog.length;
      const t = onScreen(c, ['--mulesoft']);
      await t.waitForInput(review('TAG'));
      t.type('p\rtA\r');
      await t.waitForInput(review('CLIENT_REGISTRATION_URL'));
      t.type('a\r');
      const { code, screen } = await t.exited;
      expect(code, screen.text).toBe(0);
      expect(screen.lines.join('')).toMatch(/Done: 0 created, 0 updated, 8 unchanged/);
      expect(c.e.writesSince(mark)).toEqual([]);
      expect((await meta(c.e, 'mulesoft.json')).tag).toBe('tA');
      expect(doneCount(await meta(c.e, 'mulesoft.tB.json'))).toBe(8);
      await expect(stat(join(c.e.out, 'mulesoft.tA.json'))).rejects.toThrow();
    });
  }, 120_000);
});

describe('one run at a time per record (case 4)', () => {
  it.runIf(ptyAvailable())('two runs at once: the second refuses (exit 1) naming the run that holds the lock; the org holds one set', async () => {
    // the first run waits at its review, holding the lock, as a person at a prompt would
    await inCase(async (c) => {
      const first = onScreen(c, ['--mulesoft']);
      await first.waitForInput(review('TAG'));
      const refused = await c.e.cli(['--mulesoft', '--yes']);
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr).toMatch(/mulesoft\.json is in use by another okta-bootstrap run \(pid \d+ on [^:]+: okta-bootstrap --mulesoft --output-dir /);
      first.type('a\r'); // accepts the rest and the plan
      const { code, screen } = await first.exited;
      expect(code, screen.text).toBe(0);
      const snap = await c.e.snapshot();
      expect(snap.users).toHaveLength(2);
      expect(snap.apps.filter((x) => x.label.startsWith('mulesoft introspect client'))).toHaveLength(1);
      await expect(stat(join(c.e.out, 'mulesoft.json.lock'))).rejects.toThrow();
    });
  }, 90_000);

  it('a run killed with -9 leaves its lock; the next run takes it over with a warning and finishes', async () => {
    await inCase(async (c) => {
      let child: ChildProcess | undefined;
      onCreates(c.e, (n) => {
        if (n === 3) child?.kill('SIGKILL');
      });
      const killed = await c.e.cli(['--mulesoft', '--yes', '--concurrency', '1'], { onSpawn: (ch) => (child = ch) });
      expect(killed.signal).toBe('SIGKILL');
      const lock = JSON.parse(await readFile(join(c.e.out, 'mulesoft.json.lock'), 'utf8')) as { pid: number };
      expect(lock.pid).toBe(child?.pid);
      const r = expectOk(await c.e.cli(['--mulesoft', '--yes']));
      expect(r.stderr).toMatch(new RegExp(`mulesoft\\.json\\.lock: the run that held it \\(pid ${lock.pid}, okta-bootstrap --mulesoft --yes.*\\) is gone; taking it over`));
      expect(r.stderr).not.toContain('conflict');
      await expect(stat(join(c.e.out, 'mulesoft.json.lock'))).rejects.toThrow();
    });
  }, 90_000);
});

describe('the re-run hint never repeats --new-tag (case 6)', () => {
  it('Ctrl-C during a --new-tag run: the hint continues that set, and following it finishes it', async () => {
    await inCase(async (c) => {
      expectOk(await c.e.cli(['--mulesoft', '--yes']));
      const before = (await meta(c.e, 'mulesoft.json')).tag;
      let child: ChildProcess | undefined;
      onCreates(c.e, (n) => {
        if (n === 3) child?.kill('SIGINT');
      });
      const r = await c.e.cli(['--mulesoft', '--yes', '--new-tag', '--concurrency', '1'], { onSpawn: (ch) => (child = ch) });
      expect(r.code, r.stderr).toBe(130);
      const args = hintArgs(r.stderr);
      expect(args).not.toContain('--new-tag');
      expect(args).not.toContain('--tag');
      const half = await meta(c.e, 'mulesoft.json');
      expect(half.tag).not.toBe(before);
      expect((await meta(c.e, `mulesoft.${before ?? ''}.json`)).tag).toBe(before);
      const again = expectOk(await runCli('okta-bootstrap', args, { env: c.e.env, cwd: c.e.dir }));
      expect(again.stderr).not.toContain('conflict');
      const done = await meta(c.e, 'mulesoft.json');
      expect(done.tag).toBe(half.tag);
      expect(done.status).toBe('complete');
      expect(doneCount(done)).toBe(8);
    });
  }, 120_000);

  it.runIf(ptyAvailable())('q in the review of a --new-tag run: nothing written, the hint names the new TAG with --tag, not --new-tag', async () => {
    await inCase(async (c) => {
      expectOk(await c.e.cli(['--mulesoft', '--yes']));
      const before = await files(c.e);
      const mark = c.e.tenant.requestLog.length;
      const t = onScreen(c, ['--mulesoft', '--new-tag']);
      await t.waitForInput(review('TAG'));
      t.type('\r');
      await t.waitForInput(review('CLIENT_REGISTRATION_URL'));
      t.type('q\r');
      const { code, screen } = await t.exited;
      expect(code, screen.text).toBe(1);
      const text = screen.lines.join('');
      expect(text).toMatch(/run the same command again to finish: okta-bootstrap --mulesoft --output-dir \S+ --env-file \S+ --tag autogen\d{8}-\d{4}-[0-9a-z]{4}/);
      expect(text).not.toMatch(/finish: .*--new-tag/);
      expect(c.e.writesSince(mark)).toEqual([]);
      expect(await files(c.e)).toEqual(before);
    });
  }, 90_000);
});

describe('another org\'s record (case 12)', () => {
  it('is refused with exit 2 before any write, naming both orgs and suggesting --output-dir; the file is unchanged', async () => {
    const c = await begin();
    const other = await startLocalTenant({ port: 0, rateLimits: 'none', latencyMs: 0 });
    try {
      expectOk(await c.e.cli(['--mulesoft', '--yes']));
      const file = join(c.e.out, 'mulesoft.json');
      const text = await readFile(file, 'utf8');
      const names = await files(c.e);
      const mark = other.requestLog.length;
      const r = await runCli('okta-bootstrap', ['--mulesoft', '--yes', '--output-dir', c.e.out, '--env-file', join(c.e.dir, '.env')], {
        env: { OKTA_TENANT: other.orgUrl, OKTA_API_TOKEN: other.apiToken },
        cwd: c.e.dir,
      });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`records objects of ${c.e.tenant.orgUrl}, not of ${other.orgUrl}`);
      expect(r.stderr).toMatch(/--output-dir \S+/);
      expect(other.requestLog.slice(mark).filter((x) => x.method !== 'GET')).toEqual([]);
      expect(await readFile(file, 'utf8')).toBe(text);
      expect(await files(c.e)).toEqual(names);
      await expectInvariant(c);
    } finally {
      await other.close();
      await c.e.close();
    }
  }, 90_000);
});

describe('a lock whose process is gone', () => {
  it('is taken over with a warning naming the dead run', async () => {
    await inCase(async (c) => {
      const dead = spawn(process.execPath, ['-e', '']);
      await new Promise((r) => dead.on('exit', r));
      await mkdir(c.e.out, { recursive: true });
      const lock = { pid: dead.pid, host: hostname(), command: 'okta-bootstrap --mulesoft', startedAt: new Date().toISOString() };
      await writeFile(join(c.e.out, 'mulesoft.json.lock'), JSON.stringify(lock));
      const r = expectOk(await c.e.cli(['--mulesoft', '--yes']));
      expect(r.stderr).toContain(`the run that held it (pid ${dead.pid ?? ''}, okta-bootstrap --mulesoft) is gone; taking it over`);
      await expect(stat(join(c.e.out, 'mulesoft.json.lock'))).rejects.toThrow();
    });
  }, 60_000);
});
